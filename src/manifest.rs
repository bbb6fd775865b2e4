//! The build manifest: what the last build of an output folder read and wrote, so the next build
//! makes and writes only what changed (`pipeline::build` uses it, [`crate::deps`] says what each
//! output is made from).
//!
//! Kept in the site's `.skaidra-cache/` (never inside the output, so no web server publishes it),
//! one per output folder: `build-<hash of the output's path>.manifest`. It records:
//! - the binary's build id ([`BUILD_ID`]), the site and output folders and the build's options:
//!   a manifest made by another binary, for another site or output, is not used (a full build);
//! - every input file (`site.toml`, `i18n/`, the theme, `content/`) with its size, times, inode
//!   and a hash of its bytes;
//! - every output file with the fingerprint of what it was made from, its size, times, inode and
//!   hash, and for pages what the rewrite learnt of them (ids, links, accessibility findings), so
//!   the site-wide link check covers the pages that were not made again;
//! - the warnings of that build, shown again by a build that finds nothing changed;
//! - every folder of the inputs and of the output with its state: a folder whose state has not
//!   changed holds the same entries, so it is not read again and its files are looked at by their
//!   paths ([`survey`]).
//!
//! A file whose size, modification and change times and inode are as recorded is taken to be
//! unchanged, without reading it; any difference and it is hashed. The change time (`ctime`)
//! cannot be set back by hand, so an edit that restores the size and modification time is still
//! seen. A file whose state was read less than a clock tick after it last changed could change
//! again within that tick and keep its times: such a file is read and hashed (once more) by the
//! next build, which records when it saw it ([`FileState::unchanged`]).
//!
//! The manifest only ever speeds a build up: every output file it lists is checked against the
//! folder as it is, and a missing, unreadable, corrupt or foreign manifest means a full build.

use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};

/// The id of this binary: its version and a hash of its sources, compiler and profile.
pub const BUILD_ID: &str = env!("SKAIDRA_BUILD_ID");

/// The manifest's own format.
const FORMAT: u32 = 2;

/// How close to the recording a file may have changed and still look unchanged, on a file system
/// that keeps whole seconds.
pub const RACY_NS: i128 = 2_000_000_000;

/// The same on a file system with finer times: Linux sets file times from a clock that ticks
/// every 1 to 10 ms.
pub const FINE_TICK_NS: i128 = 50_000_000;

/// A 128-bit hash.
pub type Hash = u128;

/// SipHash-1-3 with 128-bit output, fixed keys: the same bytes hash the same in every run.
#[derive(Clone)]
pub struct Hasher(SipHasher13);

impl Default for Hasher {
    fn default() -> Self {
        Hasher(SipHasher13::new_with_keys(0x736b_6169_6472_612d, 0x6d61_6e69_6665_7374))
    }
}

impl Hasher {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds bytes, with their length (so `("ab", "c")` and `("a", "bc")` differ).
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.write_u64(b.len() as u64);
        self.0.write(b);
        self
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    pub fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.u64(1).str(s),
            None => self.u64(0),
        }
    }
    pub fn u64(&mut self, x: u64) -> &mut Self {
        self.0.write_u64(x);
        self
    }
    pub fn hash(&mut self, h: Hash) -> &mut Self {
        self.0.write_u128(h);
        self
    }
    /// Adds a value's `Debug` form, streamed (every field of it, as the model has it).
    pub fn debug(&mut self, v: &dyn std::fmt::Debug) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(DebugSink(&mut self.0), "{v:?}");
        self.0.write_u8(0xff);
        self
    }
    pub fn finish(&self) -> Hash {
        self.0.finish128().as_u128()
    }
}

struct DebugSink<'a>(&'a mut SipHasher13);

impl std::fmt::Write for DebugSink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The hash of some bytes.
pub fn hash_bytes(b: &[u8]) -> Hash {
    Hasher::new().bytes(b).finish()
}

/// What the file system says of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    /// Modification and change times, in nanoseconds since 1970.
    pub mtime: i128,
    pub ctime: i128,
    pub ino: u64,
}

impl Stat {
    pub fn of(m: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            size: m.size(),
            mtime: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            ctime: i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
            ino: m.ino(),
        }
    }
    /// The state of the file at `path` (not following a symbolic link).
    pub fn read(path: &Path) -> Option<Stat> {
        std::fs::symlink_metadata(path).ok().filter(|m| m.is_file()).map(|m| Stat::of(&m))
    }
}

/// A file as a build left it: its state, the hash of its bytes, and when that state was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub stat: Stat,
    pub hash: Hash,
    /// A moment (nanoseconds since 1970) no later than when `stat` was read and the bytes that
    /// made `hash` were seen.
    pub seen: i128,
}

impl FileState {
    /// Whether a file now in state `now` can be taken to hold the recorded bytes without reading
    /// it: the same state, and that state older than a clock tick when it was seen (any change
    /// made since would have given the file a later change time).
    pub fn unchanged(&self, now: &Stat) -> bool {
        settled(&self.stat, self.seen, now)
    }
}

/// A folder as a build saw it: its state and when that state was read. A folder whose state is
/// the same (and settled, as [`FileState::unchanged`] says) has the same entries: adding,
/// removing or renaming an entry changes the folder's modification and change times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirState {
    pub stat: Stat,
    pub seen: i128,
}

/// Whether an entry recorded as `stat` when `seen` is now in state `now`, with that state older
/// than a clock tick when it was seen (any change made since would have given it later times).
fn settled(stat: &Stat, seen: i128, now: &Stat) -> bool {
    // A file system that keeps whole seconds only (nanoseconds all zero) ticks slowly.
    let tick = if stat.ctime % 1_000_000_000 == 0 && stat.mtime % 1_000_000_000 == 0 { RACY_NS } else { FINE_TICK_NS };
    stat == now && stat.ctime < seen - tick && stat.mtime < seen - tick
}

/// Now, in nanoseconds since 1970.
pub fn now_ns() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128)
}

/// What the rewrite learnt of a page, kept for the site-wide checks of later builds; strings are
/// indexes into [`Manifest::strings`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SavedFacts {
    pub ids: Vec<u32>,
    pub links: Vec<u32>,
    pub content_links: Vec<u32>,
    pub unresolved: Vec<String>,
    pub findings: Vec<SavedFinding>,
}

/// An accessibility finding of the rewrite.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedFinding {
    pub code: crate::diagnostics::Code,
    pub message: String,
    pub hint: String,
    pub snippet: Option<String>,
}

/// One output file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutEntry {
    /// What it was made from ([`crate::deps`]).
    pub fingerprint: Hash,
    pub file: FileState,
    /// For pages.
    pub facts: Option<SavedFacts>,
}

/// A warning of the build, to show again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedDiagnostic {
    pub error: bool,
    pub code: crate::diagnostics::Code,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The language a `translation-missing` finding is about.
    pub lang: Option<String>,
}

impl SavedDiagnostic {
    /// A diagnostic as it is kept.
    pub fn of(d: &crate::diagnostics::Diagnostic) -> SavedDiagnostic {
        SavedDiagnostic {
            error: d.is_error(),
            code: d.code,
            file: d.location.file.clone(),
            line: d.location.line,
            col: d.location.col,
            message: d.message.clone(),
            hint: d.hint.clone(),
            lang: d.lang.clone(),
        }
    }

    /// The diagnostic it keeps.
    pub fn restore(&self) -> crate::diagnostics::Diagnostic {
        use crate::diagnostics::Severity;
        crate::diagnostics::Diagnostic {
            severity: if self.error { Severity::Error } else { Severity::Warning },
            code: self.code,
            location: crate::diagnostics::Location { file: self.file.clone(), line: self.line, col: self.col },
            message: self.message.clone(),
            hint: self.hint.clone(),
            lang: self.lang.clone(),
        }
    }
}

/// The manifest of one output folder (see the module's documentation).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub build_id: String,
    pub root: PathBuf,
    pub out: PathBuf,
    /// The build's options (base URL, strict) and the theme.
    pub options: Hash,
    pub theme: String,
    /// Input files (relative to the site, `/`-separated, sorted); `None` when some input cannot be
    /// followed this way (a symbolic link), and every build reads everything.
    pub inputs: Option<Vec<(String, FileState)>>,
    /// The folders of the inputs (relative to the site), to list them again without reading them.
    pub input_dirs: Vec<(String, DirState)>,
    /// Output files (relative to the output, `/`-separated).
    pub outputs: BTreeMap<String, OutEntry>,
    /// The output's folders (relative to the output, `""` for itself), as [`Manifest::input_dirs`].
    pub output_dirs: Vec<(String, DirState)>,
    /// The strings of the saved facts.
    pub strings: Vec<String>,
    pub pages: usize,
    pub diagnostics: Vec<SavedDiagnostic>,
}

/// Where the manifest of the output `out` of the site `root` is kept.
pub fn path_for(root: &Path, out: &Path) -> PathBuf {
    let key = hash_bytes(out.as_os_str().as_encoded_bytes());
    root.join(".skaidra-cache").join(format!("build-{:016x}.manifest", key as u64))
}

/// A folder's path made absolute, without following the last component if it does not exist.
pub fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => abs,
    }
}

impl Manifest {
    /// An empty manifest for this binary, site, output and options.
    pub fn new(root: &Path, out: &Path, options: Hash, theme: &str) -> Manifest {
        Manifest {
            format: FORMAT,
            build_id: BUILD_ID.to_string(),
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            theme: theme.to_string(),
            ..Manifest::default()
        }
    }

    /// Reads the manifest at `path` if it belongs to this binary, site and output. `Err` says in
    /// one line why it is not used (`None`: there is none).
    pub fn load(path: &Path, root: &Path, out: &Path) -> Result<Manifest, Option<String>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
            Err(e) => return Err(Some(format!("the build manifest cannot be read ({e})"))),
        };
        let m: Manifest = match postcard::from_bytes::<(u32, String)>(&bytes) {
            Ok((FORMAT, id)) if id == BUILD_ID => {
                postcard::from_bytes(&bytes).map_err(|_| Some("the build manifest is damaged".to_string()))?
            }
            Ok(_) => return Err(Some("the build manifest was made by another version of Skaidra".into())),
            Err(_) => return Err(Some("the build manifest is damaged".into())),
        };
        if m.root != root || m.out != out {
            return Err(Some("the build manifest belongs to another site or output folder".into()));
        }
        Ok(m)
    }

    /// Writes the manifest to `path` (a whole new file renamed over the old one).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        crate::write::replace_file(path, &bytes, false)
    }
}

/// Removes the manifest at `path` (before an output is changed by something the manifest does not
/// follow).
pub fn forget(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Interns strings for [`SavedFacts`].
#[derive(Default)]
pub struct Strings {
    pub list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Strings {
    /// A table that goes on from `list` (the saved facts of pages kept as they were stay valid).
    pub fn continuing(list: Vec<String>) -> Strings {
        let index = list.iter().enumerate().map(|(i, s)| (s.clone(), i as u32)).collect();
        Strings { list, index }
    }
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// What the last build saw of a tree of folders: each folder's state and the files and folders
/// it held, so that [`survey`] can list a folder whose state has not changed without reading it.
#[derive(Default)]
pub struct Known<'a> {
    dirs: HashMap<&'a str, DirState>,
    files: HashMap<&'a str, Vec<&'a str>>,
    subdirs: HashMap<&'a str, Vec<&'a str>>,
}

/// `p` relative to `base`, `/`-separated.
fn rel_path(p: &Path, base: &Path) -> String {
    p.strip_prefix(base).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default()
}

/// The folder a `/`-separated relative path is in (`""` for the top).
fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

impl<'a> Known<'a> {
    /// From the folders and the files (relative paths) a manifest recorded.
    pub fn new(dirs: &'a [(String, DirState)], files: impl Iterator<Item = &'a str>) -> Known<'a> {
        let mut k = Known::default();
        for (rel, st) in dirs {
            k.dirs.insert(rel, *st);
            if !rel.is_empty() {
                k.subdirs.entry(parent_of(rel)).or_default().push(rel);
            }
        }
        for f in files {
            k.files.entry(parent_of(f)).or_default().push(f);
        }
        k
    }
}

/// The files under `dir` (relative to `base`, `/`-separated) with their state, the entries that
/// are neither files nor folders (symbolic links and the like), and the state of every folder.
/// A folder that `known` saw in the same, settled state is not read again: the files it held are
/// looked at by their paths. Folders are listed on the thread pool, each as a task of its own.
pub fn survey(dir: &Path, base: &Path, known: Option<&Known<'_>>) -> std::io::Result<Survey> {
    use rayon::prelude::*;
    let seen = now_ns();
    // The folder's entries as `known` has them, or `None` when they are not as recorded.
    fn as_known(base: &Path, rel: &str, k: &Known<'_>, seen: i128, out: &mut Survey) -> Option<()> {
        for f in k.files.get(rel).into_iter().flatten() {
            let m = std::fs::symlink_metadata(base.join(f)).ok()?;
            if m.is_file() {
                out.files.push((f.to_string(), Stat::of(&m)));
            } else {
                // A file replaced by something else changes its folder: not as recorded after all.
                return None;
            }
        }
        let subdirs = k.subdirs.get(rel).map_or(&[][..], Vec::as_slice);
        let below: Vec<Survey> = subdirs
            .par_iter()
            .map(|d| walk(&base.join(d), d, base, Some(k), seen))
            .collect::<std::io::Result<_>>()
            .ok()?;
        for b in below {
            out.append(b);
        }
        Some(())
    }
    fn walk(d: &Path, rel: &str, base: &Path, known: Option<&Known<'_>>, seen: i128) -> std::io::Result<Survey> {
        let meta = std::fs::symlink_metadata(d)?;
        if !meta.is_dir() {
            return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"));
        }
        let stat = Stat::of(&meta);
        let mut out = Survey::default();
        // As recorded (the same state, seen when it was seen), or as it is now.
        let recorded = known.and_then(|k| k.dirs.get(rel)).filter(|s| settled(&s.stat, s.seen, &stat));
        if let (Some(k), Some(state)) = (known, recorded) {
            out.dirs.push((rel.to_string(), *state));
            if as_known(base, rel, k, seen, &mut out).is_some() {
                return Ok(out);
            }
            out = Survey::default();
        }
        out.dirs.push((rel.to_string(), DirState { stat, seen }));
        let mut dirs = Vec::new();
        let rel_of = |p: &Path| rel_path(p, base);
        for e in std::fs::read_dir(d)? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                dirs.push(e.path());
            } else if t.is_file() {
                match e.metadata() {
                    Ok(m) => out.files.push((rel_of(&e.path()), Stat::of(&m))),
                    Err(_) => out.others.push(rel_of(&e.path())),
                }
            } else {
                out.others.push(rel_of(&e.path()));
            }
        }
        let below: Vec<Survey> =
            dirs.par_iter().map(|d| walk(d, &rel_of(d), base, known, seen)).collect::<std::io::Result<_>>()?;
        for b in below {
            out.append(b);
        }
        Ok(out)
    }
    let mut s = walk(dir, &rel_path(dir, base), base, known, seen)?;
    s.files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    s.others.sort_unstable();
    s.dirs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(s)
}

/// What [`survey`] found.
#[derive(Debug, Default)]
pub struct Survey {
    pub files: Vec<(String, Stat)>,
    pub others: Vec<String>,
    pub dirs: Vec<(String, DirState)>,
}

impl Survey {
    fn append(&mut self, b: Survey) {
        self.files.extend(b.files);
        self.others.extend(b.others);
        self.dirs.extend(b.dirs);
    }
}

/// The hash of the file at `path`, read now.
pub fn hash_file(path: &Path) -> Option<Hash> {
    std::fs::read(path).ok().map(|b| hash_bytes(&b))
}

/// The input files of a site (relative to `root`, sorted) with their states and hashes: a file
/// whose state `prev` recorded as unchanged keeps its recorded hash, the others are read and
/// hashed now. `None` when an input is a symbolic link (its target could change unseen) or a
/// folder cannot be read.
pub fn inputs(root: &Path, theme: &str, prev: Option<&Manifest>) -> Option<Inputs> {
    use rayon::prelude::*;
    let started = now_ns();
    let mut found: Vec<(String, Stat)> = Vec::new();
    let mut dirs = Vec::new();
    let known = prev.and_then(|m| Some(Known::new(&m.input_dirs, m.inputs.as_ref()?.iter().map(|(p, _)| p.as_str()))));
    for dir in [root.join("content"), root.join("i18n"), root.join("themes").join(theme)] {
        if std::fs::symlink_metadata(&dir).is_err() {
            continue;
        }
        let s = survey(&dir, root, known.as_ref()).ok()?;
        if !s.others.is_empty() {
            return None;
        }
        found.extend(s.files);
        dirs.extend(s.dirs);
    }
    if let Some(st) = Stat::read(&root.join("site.toml")) {
        found.push(("site.toml".into(), st));
    }
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let known_files: HashMap<&str, &FileState> = prev
        .and_then(|m| m.inputs.as_ref())
        .map(|v| v.iter().map(|(p, s)| (p.as_str(), s)).collect())
        .unwrap_or_default();
    let files = found
        .into_par_iter()
        .map(|(rel, stat)| {
            let state = match known_files.get(rel.as_str()) {
                Some(f) if f.unchanged(&stat) => **f,
                _ => FileState { stat, hash: hash_file(&root.join(&rel))?, seen: started },
            };
            Some((rel, state))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Inputs { files, dirs })
}

/// The input files of a site as [`inputs`] found them, and the folders they are in.
#[derive(Debug)]
pub struct Inputs {
    pub files: Vec<(String, FileState)>,
    pub dirs: Vec<(String, DirState)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_in_place_is_seen_even_with_its_old_size_and_time() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.txt");
        std::fs::write(&f, "one").unwrap();
        let st = Stat::read(&f).unwrap();
        // Seen long after the change: unchanged while the state is the same.
        let state = FileState { stat: st, hash: hash_bytes(b"one"), seen: st.ctime + 10 * RACY_NS };
        assert!(state.unchanged(&st));
        // Seen right after the change: the file could change again within the same clock tick.
        assert!(!FileState { seen: st.ctime + 1, ..state }.unchanged(&st));
        assert!(!FileState { seen: st.ctime + FINE_TICK_NS / 2, ..state }.unchanged(&st));
        std::fs::write(&f, "two").unwrap();
        let file = std::fs::File::options().write(true).open(&f).unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_nanos(st.mtime as u64)).unwrap();
        let now = Stat::read(&f).unwrap();
        assert_eq!((now.size, now.mtime), (st.size, st.mtime), "same size and modification time");
        assert!(!state.unchanged(&now), "the change time gives the edit away");
    }

    #[test]
    fn a_folder_in_its_recorded_state_is_listed_from_the_record_and_any_change_reads_it_again() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        for f in ["top.html", "a/one.html", "a/b/two.html", "a/b/three.html"] {
            std::fs::write(base.join(f), f).unwrap();
        }
        let names = |s: &Survey| s.files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        let first = survey(base, base, None).unwrap();
        assert_eq!(names(&first), ["a/b/three.html", "a/b/two.html", "a/one.html", "top.html"]);
        assert_eq!(first.dirs.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["", "a", "a/b"]);
        // Seen long after the folders last changed. The record leaves out `a/b/three.html`: a
        // folder listed from the record shows what the record says, which proves it was not read.
        let dirs: Vec<(String, DirState)> =
            first.dirs.iter().map(|(p, d)| (p.clone(), DirState { seen: d.stat.ctime + 10 * RACY_NS, ..*d })).collect();
        let files = ["a/b/two.html", "a/one.html", "top.html"];
        let known = Known::new(&dirs, files.into_iter());
        let again = survey(base, base, Some(&known)).unwrap();
        assert_eq!(names(&again), ["a/b/two.html", "a/one.html", "top.html"]);
        assert_eq!(again.dirs, dirs, "folders as recorded keep their record");
        // A file edited in place: its folder keeps its state, the file's new state is seen.
        std::fs::write(base.join("a/one.html"), "longer than before").unwrap();
        let edited = survey(base, base, Some(&known)).unwrap();
        assert_eq!(edited.files.iter().find(|(p, _)| p == "a/one.html").unwrap().1.size, 18);
        // A file added, one removed: their folders changed and are read again.
        std::fs::write(base.join("a/b/four.html"), "4").unwrap();
        std::fs::remove_file(base.join("top.html")).unwrap();
        let changed = survey(base, base, Some(&known)).unwrap();
        assert_eq!(names(&changed), ["a/b/four.html", "a/b/three.html", "a/b/two.html", "a/one.html"]);
        // Recorded a moment after the folder changed: it could change again unseen, so it is read.
        let racy: Vec<(String, DirState)> =
            changed.dirs.iter().map(|(p, d)| (p.clone(), DirState { seen: d.stat.ctime + 1, ..*d })).collect();
        let known = Known::new(&racy, ["a/one.html"].into_iter());
        assert_eq!(names(&survey(base, base, Some(&known)).unwrap()).len(), 4);
        // A recorded file that is gone while its folder looks as recorded: the folder is read.
        let dirs: Vec<(String, DirState)> = changed
            .dirs
            .iter()
            .map(|(p, d)| (p.clone(), DirState { seen: d.stat.ctime + 10 * RACY_NS, ..*d }))
            .collect();
        let known = Known::new(
            &dirs,
            ["a/b/four.html", "a/b/three.html", "a/b/two.html", "a/gone.html", "a/one.html"].into_iter(),
        );
        assert_eq!(
            names(&survey(base, base, Some(&known)).unwrap()),
            ["a/b/four.html", "a/b/three.html", "a/b/two.html", "a/one.html"]
        );
    }

    #[test]
    fn a_manifest_of_another_output_or_binary_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("site"), tmp.path().join("out"));
        let path = path_for(&root, &out);
        assert!(matches!(Manifest::load(&path, &root, &out), Err(None)));
        let mut m = Manifest::new(&root, &out, 7, "default");
        m.save(&path).unwrap();
        assert!(Manifest::load(&path, &root, &out).is_ok());
        assert!(Manifest::load(&path, &root, &tmp.path().join("other")).unwrap_err().unwrap().contains("another site"));
        m.build_id = "0.0.0-other".into();
        m.save(&path).unwrap();
        assert!(Manifest::load(&path, &root, &out).unwrap_err().unwrap().contains("another version"));
        std::fs::write(&path, b"\x01\x02garbage").unwrap();
        assert!(Manifest::load(&path, &root, &out).unwrap_err().is_some());
    }
}
