//! Write stage: writes the output atomically (pages come minified from their templates, see
//! [`crate::render::minify_template`]).
//!
//! Owns the staging folder: a build writes into a fresh folder beside the output and, only when
//! everything succeeded, swaps it into place. A failed or interrupted build leaves the previous
//! output exactly as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// An output being written.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Starts a new output for `target` in a sibling folder.
    pub fn new(target: &Path) -> io::Result<Self> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// The path of `rel` (a path under the output), its folder made.
    fn place(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
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

    /// Swaps the staged output into place and removes the previous output.
    pub fn commit(self) -> io::Result<()> {
        self.commit_then(|old| remove_tree(&old))
    }

    /// Swaps the staged output into place; `dispose` is given the previous output (renamed to
    /// `.<name>.old-<pid>` beside it) to remove, at once or in the background.
    pub fn commit_then(self, dispose: impl FnOnce(PathBuf) -> io::Result<()>) -> io::Result<()> {
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
        if had_old {
            dispose(old)?;
        }
        Ok(())
    }

    /// Throws the staged output away.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Removes a previous output that [`Staging::commit_then`] set aside (`.<name>.old-<pid>`);
/// refuses any other folder.
pub fn remove_old_output(dir: &Path) -> io::Result<()> {
    let set_aside = dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') && n.contains(".old-"));
    if !set_aside {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a previous output set aside by a build", dir.display())));
    }
    remove_tree(dir)
}

/// Removes a folder tree, the entries two levels down in parallel (the old output of a big site
/// has tens of thousands of files, most of them in a few folders).
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let list = |d: &Path| -> Vec<PathBuf> { fs::read_dir(d).map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default() };
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

/// Removes staging folders left by builds that were killed (their process no longer runs).
pub fn clean_stale(target: &Path) {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let rest = n.strip_prefix(&format!(".{name}.staging-")).or_else(|| n.strip_prefix(&format!(".{name}.old-")));
        if let Some(pid) = rest.and_then(|r| r.parse::<u32>().ok()) {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_dir_all(e.path());
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
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.abort();
        assert!(target.join("old.html").exists());
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(fs::read_to_string(target.join("a/index.html")).unwrap(), "new");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging or old folders left behind");
    }
}
