//! Write stage: writes the output atomically (pages come minified from their templates, see
//! [`crate::render::minify_template`]).
//!
//! Owns the staging folder: a build writes into a folder beside the output and, only when
//! everything succeeded, swaps it into place. A failed or interrupted build leaves the previous
//! output exactly as it was.
//!
//! The output before the previous one is kept beside it as `.<name>.spare` and becomes the next
//! build's staging folder: files whose bytes did not change are left as they are, the others are
//! rewritten in place, and only what the new output lacks is removed. Making and deleting every
//! file and folder of a big site on each build was most of a build's time on a disk whose file
//! system is slow to hand out inodes freed a moment ago (ext4 without a journal checks each
//! recently deleted inode it passes over: 24 s of system time for a 47,000-page build that had
//! 6 s of work).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An output being written.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    /// Set when the staging folder is a previous output being reused.
    reuse: Option<Reuse>,
}

/// What a reused staging folder had, and what this build has written into it.
struct Reuse {
    /// Its files, relative to the staging folder.
    existing: HashSet<PathBuf>,
    /// The files this build wrote or kept.
    written: Mutex<HashSet<PathBuf>>,
}

/// The name of the folder beside `target` that holds the output before the previous one.
fn spare_of(target: &Path) -> PathBuf {
    target.with_file_name(format!(
        ".{}.spare",
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into())
    ))
}

impl Staging {
    /// Starts a new output for `target` in a sibling folder: the spare previous output if there is
    /// one (see the module's documentation), else a fresh folder.
    pub fn new(target: &Path) -> io::Result<Self> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        let spare = spare_of(target);
        // Only a real folder is taken (a symbolic link would send the writes elsewhere).
        if fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir()) && fs::rename(&spare, &dir).is_ok() {
            match survey(&dir) {
                Ok(existing) => {
                    let reuse = Some(Reuse { existing, written: Mutex::new(HashSet::new()) });
                    return Ok(Staging { dir, target: target.to_path_buf(), reuse });
                }
                // Something in it could not be read or cleared: start afresh.
                Err(_) => remove_tree(&dir)?,
            }
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), reuse: None })
    }

    /// The path of `rel` (a path under the output), its folder made. In a reused folder, a file
    /// in the way of a folder to make is removed.
    fn place(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        self.mark_written(rel);
        if let Some(p) = path.parent() {
            if let Err(e) = fs::create_dir_all(p) {
                if self.reuse.is_none() {
                    return Err(e);
                }
                let mut at = p;
                while at != self.dir {
                    if fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                        fs::remove_file(at)?;
                    }
                    at = at.parent().unwrap_or(&self.dir);
                }
                fs::create_dir_all(p)?;
            }
        }
        if self.reuse.is_some() {
            use std::os::unix::fs::MetadataExt;
            match fs::symlink_metadata(&path) {
                // A folder where the file goes (left from an older output) is removed.
                Ok(m) if m.is_dir() => fs::remove_dir_all(&path)?,
                // A file with other names (hard links, say a deployed copy made with `cp -al`)
                // is not written over: the new bytes go into a file of its own.
                Ok(m) if m.nlink() > 1 => fs::remove_file(&path)?,
                _ => {}
            }
        }
        Ok(path)
    }

    /// Notes, in a reused folder, that this build wrote (or kept) `rel`.
    fn mark_written(&self, rel: &str) {
        if let Some(r) = &self.reuse {
            r.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(PathBuf::from(rel));
        }
    }

    /// Whether a reused staging folder already has `rel` with exactly `bytes`.
    fn has(&self, rel: &str, bytes: &[u8]) -> bool {
        use std::io::Read;
        let Some(r) = &self.reuse else { return false };
        if !r.existing.contains(Path::new(rel)) {
            return false;
        }
        let Ok(mut f) = fs::File::open(self.dir.join(rel)) else { return false };
        if f.metadata().map_or(true, |m| !m.is_file() || m.len() != bytes.len() as u64) {
            return false;
        }
        let mut have = Vec::with_capacity(bytes.len());
        f.read_to_end(&mut have).is_ok() && have == bytes
    }

    /// Writes a file at `rel` (a path under the output). In a reused folder, a file that already
    /// has these bytes is left untouched.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if self.has(rel, bytes) {
            self.mark_written(rel);
            return Ok(());
        }
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

    /// In a reused folder, removes what this build did not write, and the folders that leaves
    /// empty.
    fn prune(&mut self) -> io::Result<()> {
        let Some(r) = self.reuse.take() else { return Ok(()) };
        let written = r.written.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut emptied: Vec<PathBuf> = Vec::new();
        for rel in r.existing.iter().filter(|rel| !written.contains(*rel)) {
            let path = self.dir.join(rel);
            // Gone already when this build put a folder or a file in its place.
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                fs::remove_file(&path)?;
                emptied.extend(rel.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).map(Path::to_path_buf));
            }
        }
        // Deepest first, each once; a folder still holding something stays.
        emptied.sort_by(|a, b| b.components().count().cmp(&a.components().count()).then_with(|| a.cmp(b)));
        emptied.dedup();
        for d in emptied {
            let _ = fs::remove_dir(self.dir.join(d));
        }
        Ok(())
    }

    /// Swaps the staged output into place; the previous output becomes the spare (or is removed
    /// when a spare is already there).
    pub fn commit(self) -> io::Result<()> {
        self.commit_then(|old| remove_tree(&old))
    }

    /// Swaps the staged output into place. The previous output (renamed to `.<name>.old-<pid>`
    /// beside it) is kept as the spare for the next build, or, when a spare is already there,
    /// given to `dispose` to remove, at once or in the background.
    pub fn commit_then(mut self, dispose: impl FnOnce(PathBuf) -> io::Result<()>) -> io::Result<()> {
        if let Err(e) = self.prune() {
            self.abort();
            return Err(e);
        }
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        let spare = spare_of(&self.target);
        if had_old && (fs::symlink_metadata(&spare).is_ok() || fs::rename(&old, &spare).is_err()) {
            dispose(old)?;
        }
        Ok(())
    }

    /// Throws the staged output away: it becomes the spare if there is none (the next build
    /// compares its files like any spare's), else it is removed.
    pub fn abort(self) {
        let spare = spare_of(&self.target);
        if fs::symlink_metadata(&spare).is_ok() || fs::rename(&self.dir, &spare).is_err() {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// The files of a folder about to be reused, relative to it. Anything that is neither a file nor
/// a folder (a symbolic link above all: a write would follow it out of the output) is removed.
/// Folders are listed on the thread pool, each as a task of its own (a site's pages sit in a few
/// folders of thousands of folders each).
fn survey(dir: &Path) -> io::Result<HashSet<PathBuf>> {
    fn walk(d: &Path, base: &Path) -> io::Result<Vec<PathBuf>> {
        use rayon::prelude::*;
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for e in fs::read_dir(d)? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                dirs.push(e.path());
            } else if t.is_file() {
                files.push(e.path().strip_prefix(base).map_err(io::Error::other)?.to_path_buf());
            } else {
                fs::remove_file(e.path())?;
            }
        }
        let below: Vec<Vec<PathBuf>> = dirs.par_iter().map(|d| walk(d, base)).collect::<io::Result<_>>()?;
        files.extend(below.into_iter().flatten());
        Ok(files)
    }
    Ok(walk(dir, dir)?.into_iter().collect())
}

/// Removes a previous output that [`Staging::commit_then`] set aside (`.<name>.old-<pid>`);
/// refuses any other folder.
pub fn remove_old_output(dir: &Path) -> io::Result<()> {
    let set_aside = dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') && n.contains(".old-"));
    if !set_aside {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a previous output set aside by a build", dir.display()),
        ));
    }
    remove_tree(dir)
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
    pub fn acquire(target: &Path) -> Result<Lock, String> {
        use std::io::Write;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
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
                        return Err(format!(
                            "another build (process {}) is writing {}; wait for it to finish (if no build is running, delete {})",
                            pid.unwrap_or(0),
                            target.display(),
                            path.display()
                        ));
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(format!("cannot create the lock file {}: {e}", path.display())),
            }
        }
        Err(format!("cannot take the lock {}", path.display()))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Clears away staging folders and set-aside outputs left by builds that were killed (their
/// process no longer runs). A staging folder becomes the spare if there is none (its files are
/// compared like any spare's); the rest is removed (a set-aside output may still be being
/// removed by the process a build started for it).
pub fn clean_stale(target: &Path) {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let spare = spare_of(target);
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let staging = n.strip_prefix(&format!(".{name}.staging-"));
        let rest = staging.or_else(|| n.strip_prefix(&format!(".{name}.old-")));
        if let Some(pid) = rest.and_then(|r| r.parse::<u32>().ok()) {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                if staging.is_none() || fs::symlink_metadata(&spare).is_ok() || fs::rename(e.path(), &spare).is_err() {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_is_refused_while_the_first_holds_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let first = Lock::acquire(&target).unwrap();
        let err = Lock::acquire(&target).err().expect("refused");
        assert!(err.contains("another build"), "{err}");
        drop(first);
        assert!(Lock::acquire(&target).is_ok());
        // A lock left by a process that is gone is taken over.
        fs::write(tmp.path().join(".public.lock"), "999999999").unwrap();
        assert!(Lock::acquire(&target).is_ok());
    }

    #[test]
    fn only_a_previous_output_set_aside_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let other = tmp.path().join("public");
        fs::create_dir_all(other.join("a")).unwrap();
        assert!(remove_old_output(&other).is_err());
        assert!(other.join("a").is_dir(), "a folder not set aside by a build is left alone");
        let old = tmp.path().join(".public.old-12345");
        fs::create_dir_all(old.join("a/b")).unwrap();
        fs::write(old.join("a/b/index.html"), "x").unwrap();
        remove_old_output(&old).unwrap();
        assert!(!old.exists());
    }

    #[test]
    fn commit_replaces_and_abort_keeps_previous_output() {
        let (tmp, target) = output_with("old.html", "old");
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.abort();
        assert!(target.join("old.html").exists());
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(fs::read_to_string(target.join("a/index.html")).unwrap(), "new");
        let mut left: Vec<String> =
            fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(
            left,
            [".public.spare", "public"],
            "no staging or old folders left behind; the previous output is the spare"
        );
    }

    /// A temporary folder with an output `public/` holding one file.
    fn output_with(file: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(&target).unwrap();
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
    fn a_spare_output_is_reused_and_ends_up_exactly_the_new_output() {
        use std::os::unix::fs::MetadataExt;
        let (tmp, target) = output_with("live.html", "live");
        // The spare: a file that stays the same, one that changes, one the new output lacks (in
        // a folder it leaves empty), a file where a folder must go, a folder where a file must
        // go, and a symbolic link to a file outside the output.
        let spare = tmp.path().join(".public.spare");
        fs::create_dir_all(spare.join("same")).unwrap();
        fs::write(spare.join("same/index.html"), "same").unwrap();
        fs::create_dir_all(spare.join("changed")).unwrap();
        fs::write(spare.join("changed/index.html"), "before").unwrap();
        fs::create_dir_all(spare.join("gone/deep")).unwrap();
        fs::write(spare.join("gone/deep/index.html"), "gone").unwrap();
        fs::write(spare.join("was-file"), "file").unwrap();
        fs::create_dir_all(spare.join("was-dir/x")).unwrap();
        fs::write(spare.join("was-dir/x/y.html"), "y").unwrap();
        let outside = tmp.path().join("outside.txt");
        fs::write(&outside, "not the site's").unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("link.html")).unwrap();
        // And, deeper down, a link to a folder outside.
        let outside_dir = tmp.path().join("outside-dir");
        fs::create_dir_all(&outside_dir).unwrap();
        fs::create_dir_all(spare.join("deep/er")).unwrap();
        std::os::unix::fs::symlink(&outside_dir, spare.join("deep/er/linked")).unwrap();
        let same_inode = fs::metadata(spare.join("same/index.html")).unwrap().ino();
        // A file also linked from a copy outside the output (a deployed copy made with `cp -al`).
        fs::write(spare.join("shared.html"), "deployed").unwrap();
        let deployed = tmp.path().join("deployed.html");
        fs::hard_link(spare.join("shared.html"), &deployed).unwrap();

        let s = Staging::new(&target).unwrap();
        assert!(!spare.exists(), "the spare became the staging folder");
        s.write("same/index.html", b"same").unwrap();
        s.write("changed/index.html", b"after").unwrap();
        s.write("was-file/index.html", b"now a folder").unwrap();
        s.write("was-dir", b"now a file").unwrap();
        s.write("link.html", b"a page").unwrap();
        s.write("new/index.html", b"new").unwrap();
        s.write("deep/er/linked/index.html", b"deep").unwrap();
        s.write("shared.html", b"rebuilt").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(&deployed).unwrap(), "deployed", "a hard-linked copy outside is left as it was");

        assert_eq!(fs::read_dir(&outside_dir).unwrap().count(), 0, "nothing was written through the folder link");
        let want = [
            ("changed/index.html", "after"),
            ("deep/er/linked/index.html", "deep"),
            ("link.html", "a page"),
            ("new/index.html", "new"),
            ("same/index.html", "same"),
            ("shared.html", "rebuilt"),
            ("was-dir", "now a file"),
            ("was-file/index.html", "now a folder"),
        ];
        assert_eq!(files(&target), want.map(|(a, b)| (a.to_string(), b.to_string())));
        assert!(!target.join("gone").exists(), "folders left empty are removed");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "not the site's", "nothing was written through the link");
        assert!(!fs::symlink_metadata(target.join("link.html")).unwrap().file_type().is_symlink());
        assert_eq!(
            fs::metadata(target.join("same/index.html")).unwrap().ino(),
            same_inode,
            "an unchanged file is left as it was"
        );
        // The previous output is now the spare.
        assert_eq!(files(&spare), [("live.html".to_string(), "live".to_string())]);
    }

    #[test]
    fn a_failed_build_keeps_its_staging_folder_as_the_spare_and_the_output_as_it_was() {
        let (tmp, target) = output_with("index.html", "live");
        let s = Staging::new(&target).unwrap();
        s.write("index.html", b"half done").unwrap();
        s.abort();
        assert_eq!(files(&target), [("index.html".to_string(), "live".to_string())]);
        let spare = tmp.path().join(".public.spare");
        assert!(spare.is_dir());
        // The next build reuses it and writes what it needs.
        let s = Staging::new(&target).unwrap();
        s.write("other.html", b"other").unwrap();
        s.commit().unwrap();
        assert_eq!(files(&target), [("other.html".to_string(), "other".to_string())]);
        assert_eq!(files(&spare), [("index.html".to_string(), "live".to_string())]);
    }
}
