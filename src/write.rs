//! Write stage: puts the files a build made into the output folder, all or nothing (pages come
//! minified from their templates, see [`crate::render::minify_template`]).
//!
//! Owns the staging folder and the commit. A build writes the files that are new or changed (and
//! only those: see `crate::manifest`) into a folder beside the output, `.<name>.staging-<pid>`,
//! in the same layout. Only when everything succeeded does [`Staging::commit`] move them into
//! the output: it first writes a journal (`.<name>.journal`, what moves where and what goes away),
//! then renames each file into place (each file is replaced whole, so a reader gets the old file
//! or the new one, never half of one; new files arrive before the files that link to them change,
//! and removed ones go last), removes the files the site no longer has, and deletes the journal.
//! A failed build, or one killed before the journal was written, leaves the output exactly as it
//! was; a build killed while moving files is finished by the next build ([`recover`]), before it
//! reads anything of the output. A first build (no output yet) moves the staging folder into place
//! in one rename.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An output being written: the new and changed files, in a staging folder beside it.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    /// The files written so far, relative to the staging folder.
    written: Mutex<HashSet<String>>,
}

/// Replaces the file at `path` whole (making its folder if needed): the bytes go to a temporary
/// file beside it, which is then renamed over it, so a reader or a later run finds the old file or
/// the new one, never part of one. `durable`: the bytes reach the disk before the rename (for
/// what a crash must not lose: the commit's journal, edited content, results slow to make again).
pub fn replace_file(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The name of `target`'s folder, for the names of the folders and files beside it.
fn name_of(target: &Path) -> String {
    target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into())
}

fn parent_of(target: &Path) -> &Path {
    target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The journal of a commit in progress, beside the output.
fn journal_of(target: &Path) -> PathBuf {
    parent_of(target).join(format!(".{}.journal", name_of(target)))
}

/// What a commit does, written down before it starts ([`Staging::commit`]).
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    /// The staging folder's name, beside the output.
    staging: String,
    /// Entries of the output in the way (not a file or folder: a symbolic link), removed first.
    clear: Vec<String>,
    /// Files moved from the staging folder into the output, in this order.
    moves: Vec<String>,
    /// Files of the output the site no longer has, removed last.
    remove: Vec<String>,
}

impl Staging {
    /// Starts writing an output for `target` into a new, empty staging folder beside it.
    pub fn new(target: &Path) -> io::Result<Self> {
        let parent = parent_of(target);
        fs::create_dir_all(parent)?;
        let dir = parent.join(format!(".{}.staging-{}", name_of(target), std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            remove_tree(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), written: Mutex::new(HashSet::new()) })
    }

    /// The path of `rel` (a path under the output) in the staging folder, its folder made.
    fn place(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(rel.to_string());
        Ok(path)
    }

    /// Writes a file at `rel` (a path under the output).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.place(rel)?, bytes)
    }

    /// Creates the file at `rel` (a path under the output) to be written.
    pub fn create(&self, rel: &str) -> io::Result<fs::File> {
        fs::File::create(self.place(rel)?)
    }

    /// Copies a file into the output.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        fs::copy(from, self.place(rel)?).map(|_| ())
    }

    /// Takes back a file written at `rel` (it turned out to be the same as the output's).
    pub fn unwrite(&self, rel: &str) {
        if self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(rel) {
            let _ = fs::remove_file(self.dir.join(rel));
        }
    }

    /// The files written, relative to the output.
    pub fn written(&self) -> Vec<String> {
        let mut v: Vec<String> =
            self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().cloned().collect();
        v.sort();
        v
    }

    /// Puts the staged files into the output: `clear` (entries in the way, such as symbolic
    /// links) is removed first, then the files are moved in, then `remove` (files the site no
    /// longer has) is removed, with the folders that leaves empty. See the module's documentation.
    pub fn commit(self, clear: Vec<String>, remove: Vec<String>) -> io::Result<()> {
        let mut moves = self.written();
        if fs::symlink_metadata(&self.target).is_err() {
            // A first build: the staging folder is the whole output.
            fs::rename(&self.dir, &self.target)?;
            return Ok(());
        }
        // New files first, then the files they replace.
        moves.sort_by_cached_key(|rel| fs::symlink_metadata(self.target.join(rel)).is_ok());
        let journal = Journal {
            staging: self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            clear,
            moves,
            remove,
        };
        let path = journal_of(&self.target);
        replace_file(&path, &postcard::to_stdvec(&journal).map_err(io::Error::other)?, true)?;
        apply(&self.target, &journal)?;
        fs::remove_file(&path)
    }

    /// Throws the staged files away; the output stays as it was.
    pub fn abort(self) {
        let _ = remove_tree(&self.dir);
    }
}

/// Carries out a written journal (again: every step can be repeated).
fn apply(target: &Path, j: &Journal) -> io::Result<()> {
    let staging = parent_of(target).join(&j.staging);
    for rel in &j.clear {
        let p = target.join(rel);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(&p)?,
            Ok(_) => fs::remove_file(&p)?,
            Err(_) => {}
        }
    }
    for rel in &j.moves {
        let from = staging.join(rel);
        if fs::symlink_metadata(&from).is_err() {
            continue; // moved already
        }
        let to = target.join(rel);
        if let Some(p) = to.parent()
            && fs::create_dir_all(p).is_err()
        {
            // A file where a folder must go.
            let mut at = p;
            while at != target {
                if fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                    fs::remove_file(at)?;
                }
                at = at.parent().unwrap_or(target);
            }
            fs::create_dir_all(p)?;
        }
        // A folder where the file goes.
        if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&to)?;
        }
        fs::rename(&from, &to)?;
    }
    let mut emptied: Vec<PathBuf> = Vec::new();
    for rel in &j.remove {
        let p = target.join(rel);
        if fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&p)?;
        }
        emptied.extend(Path::new(rel).ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).map(Path::to_path_buf));
    }
    // Deepest first, each once; a folder still holding something stays.
    emptied.sort_by(|a, b| b.components().count().cmp(&a.components().count()).then_with(|| a.cmp(b)));
    emptied.dedup();
    for d in emptied {
        let _ = fs::remove_dir(target.join(d));
    }
    if fs::symlink_metadata(&staging).is_ok() {
        remove_tree(&staging)?;
    }
    Ok(())
}

/// Finishes a commit that a killed build left half done (its journal is still there). Called
/// with the output's lock held, before the output is read.
pub fn recover(target: &Path) -> io::Result<()> {
    let path = journal_of(target);
    let Ok(bytes) = fs::read(&path) else { return Ok(()) };
    // A journal is complete or absent (it is renamed into place once written).
    if let Ok(j) = postcard::from_bytes::<Journal>(&bytes) {
        apply(target, &j)?;
    }
    fs::remove_file(&path)
}

/// Removes a folder tree, the entries two levels down in parallel (the old output of a big site
/// has tens of thousands of files, most of them in a few folders).
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let list = |d: &Path| -> Vec<PathBuf> {
        fs::read_dir(d).map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default()
    };
    let is_dir = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    let top = list(dir);
    let second: Vec<PathBuf> = top.iter().filter(|p| is_dir(p)).flat_map(|p| list(p)).collect();
    second.par_iter().try_for_each(|p| if is_dir(p) { fs::remove_dir_all(p) } else { fs::remove_file(p) })?;
    top.par_iter().try_for_each(|p| if is_dir(p) { fs::remove_dir_all(p) } else { fs::remove_file(p) })?;
    fs::remove_dir(dir)
}

/// A lock that keeps two builds from writing the same output at once. Released on drop.
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock for `target` (a file `.<name>.lock` beside it). A lock left by a process
    /// that no longer runs is taken over.
    pub fn acquire(target: &Path) -> crate::error::Result<Lock> {
        use crate::error::Error;
        use std::io::Write;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io("cannot create the folder", parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let path = parent.join(format!(".{name}.lock"));
        for _ in 0..2 {
            match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(&path).unwrap_or_default().trim().parse::<u32>().ok();
                    let alive = pid.is_some_and(|p| Path::new(&format!("/proc/{p}")).exists());
                    if alive {
                        return Err(Error::Locked { pid, target: target.to_path_buf(), lock: path });
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(Error::io("cannot create the lock file", path, e)),
            }
        }
        Err(Error::Locked { pid: None, target: target.to_path_buf(), lock: path })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Removes staging folders left by builds that were killed before their commit, and journals
/// half written by builds killed while writing them ([`replace_file`]'s temporary files), when
/// their process no longer runs; and the set-aside outputs older versions of Skaidra left.
pub fn clean_stale(target: &Path) {
    let parent = parent_of(target);
    let name = name_of(target);
    let journal_tmp = format!(".{}.", journal_of(target).file_name().unwrap_or_default().to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let rest = n
            .strip_prefix(&format!(".{name}.staging-"))
            .or_else(|| n.strip_prefix(&format!(".{name}.old-")))
            .or_else(|| n.strip_prefix(&format!(".{name}.spare")).map(|_| "0"))
            .or_else(|| n.strip_prefix(&journal_tmp).and_then(|r| r.strip_suffix(".tmp")?.split('-').next()));
        if let Some(pid) = rest.and_then(|r| r.parse::<u32>().ok())
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&e.path())
            } else {
                fs::remove_file(e.path())
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_half_written_by_a_killed_build_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let (dead, alive) =
            (tmp.path().join("..public.journal.999999999-0.tmp"), tmp.path().join("..public.journal.1-0.tmp"));
        fs::write(&dead, "half").unwrap();
        fs::write(&alive, "being written").unwrap();
        clean_stale(&target);
        assert!(!dead.exists(), "the process that wrote it is gone");
        assert!(alive.exists(), "process 1 still runs");
    }

    #[test]
    fn a_second_build_is_refused_while_the_first_holds_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = Lock::acquire(&target).unwrap();
        let err = Lock::acquire(&target).err().expect("refused");
        assert!(matches!(err, crate::error::Error::Locked { pid: Some(p), .. } if p == std::process::id()), "{err}");
        assert!(err.to_string().starts_with("another build"), "{err}");
        drop(first);
        assert!(Lock::acquire(&target).is_ok());
        // A lock left by a process that is gone is taken over.
        fs::write(tmp.path().join(".public.lock"), "999999999").unwrap();
        assert!(Lock::acquire(&target).is_ok());
    }

    #[test]
    fn commit_replaces_and_abort_keeps_previous_output() {
        let (tmp, target) = output_with("old.html", "old");
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.abort();
        assert_eq!(files(&target), [("old.html".to_string(), "old".to_string())]);
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit(vec![], vec!["old.html".into()]).unwrap();
        assert_eq!(files(&target), [("a/index.html".to_string(), "new".to_string())]);
        let left: Vec<String> =
            fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(left, ["public"], "no staging folder or journal left behind");
    }

    /// A temporary folder with an output `public/` holding one file.
    fn output_with(file: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(target.join(file).parent().unwrap()).unwrap();
        fs::write(target.join(file), text).unwrap();
        (tmp, target)
    }

    /// Relative paths and contents of the files under `dir`.
    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                    fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_commit_moves_only_what_changed_and_never_writes_through_links() {
        use std::os::unix::fs::MetadataExt;
        let (tmp, target) = output_with("same/index.html", "same");
        fs::create_dir_all(target.join("gone/deep")).unwrap();
        fs::write(target.join("gone/deep/index.html"), "gone").unwrap();
        fs::write(target.join("was-file"), "file").unwrap();
        fs::create_dir_all(target.join("was-dir/x")).unwrap();
        fs::write(target.join("was-dir/x/y.html"), "y").unwrap();
        // A link to a folder outside, deep down, and a file linked from a deployed copy.
        let outside_dir = tmp.path().join("outside-dir");
        fs::create_dir_all(&outside_dir).unwrap();
        fs::create_dir_all(target.join("deep/er")).unwrap();
        std::os::unix::fs::symlink(&outside_dir, target.join("deep/er/linked")).unwrap();
        fs::write(target.join("shared.html"), "deployed").unwrap();
        let deployed = tmp.path().join("deployed.html");
        fs::hard_link(target.join("shared.html"), &deployed).unwrap();
        let same_inode = fs::metadata(target.join("same/index.html")).unwrap().ino();

        let s = Staging::new(&target).unwrap();
        s.write("was-file/index.html", b"now a folder").unwrap();
        s.write("was-dir", b"now a file").unwrap();
        s.write("new/index.html", b"new").unwrap();
        s.write("deep/er/linked/index.html", b"deep").unwrap();
        s.write("shared.html", b"rebuilt").unwrap();
        s.write("kept.html", b"x").unwrap();
        s.unwrite("kept.html");
        s.commit(vec!["deep/er/linked".into()], vec!["gone/deep/index.html".into(), "was-dir/x/y.html".into()])
            .unwrap();
        assert_eq!(fs::read_to_string(&deployed).unwrap(), "deployed", "a hard-linked copy outside is left as it was");
        assert_eq!(fs::read_dir(&outside_dir).unwrap().count(), 0, "nothing was written through the folder link");
        let want = [
            ("deep/er/linked/index.html", "deep"),
            ("new/index.html", "new"),
            ("same/index.html", "same"),
            ("shared.html", "rebuilt"),
            ("was-dir", "now a file"),
            ("was-file/index.html", "now a folder"),
        ];
        assert_eq!(files(&target), want.map(|(a, b)| (a.to_string(), b.to_string())));
        assert!(!target.join("gone").exists(), "folders left empty are removed");
        assert_eq!(fs::metadata(target.join("same/index.html")).unwrap().ino(), same_inode, "untouched");
    }

    /// A build killed in the middle of its commit is finished by the next one, from the journal.
    #[test]
    fn a_half_done_commit_is_finished_from_its_journal() {
        let (tmp, target) = output_with("a.html", "old a");
        fs::write(target.join("b.html"), "old b").unwrap();
        fs::write(target.join("c.html"), "c").unwrap();
        // What a killed build left: its staging folder with b moved out already, and the journal.
        let staging = tmp.path().join(".public.staging-999999999");
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("a.html"), "new a").unwrap();
        fs::write(target.join("b.html"), "new b").unwrap();
        let j = Journal {
            staging: ".public.staging-999999999".into(),
            clear: vec![],
            moves: vec!["b.html".into(), "a.html".into()],
            remove: vec!["c.html".into()],
        };
        fs::write(journal_of(&target), postcard::to_stdvec(&j).unwrap()).unwrap();
        recover(&target).unwrap();
        assert_eq!(
            files(&target),
            [("a.html".to_string(), "new a".to_string()), ("b.html".to_string(), "new b".to_string())]
        );
        assert!(!staging.exists() && !journal_of(&target).exists());
        recover(&target).unwrap();
    }
}
