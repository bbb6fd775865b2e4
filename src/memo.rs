//! Results of costly steps that depend only on what they read (the easy-read lint of a text),
//! kept between runs in the site's `.skaidra-cache/`, each under a hash of everything the step
//! reads. `build` and `check` both use them, so after one edit only the edited texts are worked
//! on again; the result is the same as working everything out anew.
//!
//! A store is one file, `<name>.memo`, tagged with the binary's build id: one made by another
//! binary, or unreadable, is ignored (everything is worked out again). Saving keeps only the
//! entries the run asked for, so the store follows the site and never grows past it. Saved with a
//! new file renamed over the old one; two runs at once can only lose each other's additions.

use crate::manifest::{BUILD_ID, Hash};
use serde::{Serialize, de::DeserializeOwned};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The stores' own format.
const FORMAT: u32 = 1;

/// The results of one step, by the hash of what each was made from.
pub struct Memo<V> {
    path: PathBuf,
    old: HashMap<Hash, V>,
    /// The entries asked for in this run: `None` for those taken from `old`, the value for those
    /// worked out now.
    used: Mutex<HashMap<Hash, Option<V>>>,
}

impl<V: Serialize + DeserializeOwned + Clone> Memo<V> {
    /// The store `name` of the site at `root` (empty when there is none or it cannot be used).
    pub fn open(root: &Path, name: &str) -> Memo<V> {
        let path = root.join(".skaidra-cache").join(format!("{name}.memo"));
        let old = std::fs::read(&path)
            .ok()
            .and_then(|bytes| match postcard::from_bytes::<(u32, String)>(&bytes) {
                Ok((FORMAT, id)) if id == BUILD_ID => {
                    postcard::from_bytes::<(u32, String, Vec<(Hash, V)>)>(&bytes).ok().map(|x| x.2)
                }
                _ => None,
            })
            .map(|v| v.into_iter().collect())
            .unwrap_or_default();
        Memo { path, old, used: Mutex::new(HashMap::new()) }
    }

    /// The value kept for `key`, or `make()` (kept for the next run).
    pub fn get_or(&self, key: Hash, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.old.get(&key) {
            self.lock().insert(key, None);
            return v.clone();
        }
        let value = make();
        self.lock().insert(key, Some(value.clone()));
        value
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Hash, Option<V>>> {
        self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the entries asked for in this run, when they differ from the file's. Only a later
    /// run's speed depends on it, so a failure is not reported.
    pub fn save(mut self) {
        let used = std::mem::take(&mut *self.lock());
        if used.len() == self.old.len() && used.values().all(Option::is_none) {
            return;
        }
        let mut entries: Vec<(Hash, V)> =
            used.into_iter().filter_map(|(k, v)| v.or_else(|| self.old.remove(&k)).map(|v| (k, v))).collect();
        entries.sort_by_key(|e| e.0);
        let Ok(bytes) = postcard::to_stdvec(&(FORMAT, BUILD_ID, &entries)) else { return };
        let _ = crate::write::replace_file(&self.path, &bytes, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_value_is_worked_out_once_and_kept_only_while_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let made = AtomicUsize::new(0);
        let make = |s: &str| {
            made.fetch_add(1, Ordering::SeqCst);
            s.to_string()
        };
        let m: Memo<String> = Memo::open(dir.path(), "t");
        assert_eq!(m.get_or(1, || make("one")), "one");
        assert_eq!(m.get_or(2, || make("two")), "two");
        m.save();
        assert_eq!(made.load(Ordering::SeqCst), 2);
        // Kept: not worked out again.
        let m: Memo<String> = Memo::open(dir.path(), "t");
        assert_eq!(m.get_or(1, || make("other")), "one");
        assert_eq!(made.load(Ordering::SeqCst), 2);
        m.save();
        // Key 2 was not asked for in the last run: it is gone.
        let m: Memo<String> = Memo::open(dir.path(), "t");
        assert_eq!(m.get_or(2, || make("two again")), "two again");
        assert_eq!(made.load(Ordering::SeqCst), 3);
        // Key 1, taken from the store in the last run, was written again.
        assert_eq!(m.get_or(1, || make("other")), "one");
        assert_eq!(made.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_damaged_or_foreign_store_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".skaidra-cache").join("t.memo");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"\x01\x05hello").unwrap();
        let m: Memo<String> = Memo::open(dir.path(), "t");
        assert_eq!(m.get_or(1, || "made".into()), "made");
        let foreign = postcard::to_stdvec(&(FORMAT, "another binary", vec![(1u128, "old".to_string())])).unwrap();
        std::fs::write(&path, foreign).unwrap();
        let m: Memo<String> = Memo::open(dir.path(), "t");
        assert_eq!(m.get_or(1, || "made".into()), "made");
    }
}
