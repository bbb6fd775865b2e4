//! Internal failures: the one [`Error`] type for what goes wrong that is not a mistake in the
//! site (a file that cannot be read or written, a library that fails at what it was asked, the
//! output locked by another build, a value given on the command line that cannot be used).
//!
//! The rule: content mistakes are [`Diagnostic`]s with a location (file, line, column, code),
//! made where the mistake is found and collected into [`crate::diagnostics::Diagnostics`];
//! internal failures are [`Error`], which says what was being done and with what, and are turned
//! into a diagnostic ([`Error::into_diagnostic`]) where a stage hands its result on: the stage
//! knows what it was doing, so it chooses the code and the place. A command that stops before any
//! stage can hand its diagnostics on (`serve`, when the site's setup cannot be read) carries them
//! as they are in [`Error::Setup`].

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The result of work that can fail internally.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An internal failure. Its text (`Display`) is a whole sentence for the person running Skaidra,
/// with the cause at its end; it becomes the message of the diagnostic made from it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read, written or created: what was being done
    /// (`cannot read the source`) and the path, as messages show it.
    #[error("{doing} {}: {error}", .path.display())]
    Io { doing: Cow<'static, str>, path: PathBuf, error: std::io::Error },
    /// The system refused something that is not about one file: a thread, a network port, the
    /// server's runtime.
    #[error("{doing}: {error}")]
    System { doing: Cow<'static, str>, error: std::io::Error },
    /// A library failed at what it was asked to do (lol_html, qrcode, the PDF's page boxes, file
    /// watching): what failed (`cannot set the BleedBox`) and the library's own words.
    #[error("{doing}: {error}")]
    Library { doing: Cow<'static, str>, error: Box<dyn std::error::Error + Send + Sync> },
    /// Another build holds the lock of the output folder `target` (the file `lock`): the process
    /// that holds it, when it still runs.
    #[error("{}", locked(*.pid, .target, .lock))]
    Locked { pid: Option<u32>, target: PathBuf, lock: PathBuf },
    /// A file changed after it was read and checked (the text made from it would not be the one
    /// validated).
    #[error("the file changed while Skaidra was working from it (after it was read and checked)")]
    Changed { file: PathBuf },
    /// A value given to Skaidra (a command-line flag, a file named on the command line) is not one
    /// it can use; the text says why, and what to give instead.
    #[error("{0}")]
    Invalid(String),
    /// The site's setup has mistakes, each a diagnostic with its place, and the command could not
    /// start; its text is the diagnostics as [`crate::diagnostics::render_human`] writes them.
    #[error("{}", crate::diagnostics::render_human(.0, false))]
    Setup(Diagnostics),
}

fn locked(pid: Option<u32>, target: &Path, lock: &Path) -> String {
    match pid {
        Some(pid) => format!(
            "another build (process {pid}) is writing {}; wait for it to finish (if no build is running, delete {})",
            target.display(),
            lock.display()
        ),
        None => format!("cannot take the lock {}", lock.display()),
    }
}

impl Error {
    /// An I/O failure while `doing` something to `path` (`Error::io("cannot read", path, e)`).
    pub fn io(doing: impl Into<Cow<'static, str>>, path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io { doing: doing.into(), path: path.into(), error }
    }

    /// A refusal of the system while `doing` something that is not about one file.
    pub fn system(doing: impl Into<Cow<'static, str>>, error: std::io::Error) -> Self {
        Error::System { doing: doing.into(), error }
    }

    /// A library's failure at what `doing` says (`error` may be the library's error or its words).
    pub fn library(
        doing: impl Into<Cow<'static, str>>,
        error: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Library { doing: doing.into(), error: error.into() }
    }

    /// What to do about the failure, when the failure itself says (a changed file: run again).
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Changed { .. } => {
                Some("run the command again once the file is saved (a build leaves the previous output as it was)")
            }
            _ => None,
        }
    }

    /// The file the failure is about, when it is about one (as messages show it).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Io { path, .. } => Some(path),
            Error::Changed { file } => Some(file),
            _ => None,
        }
    }

    /// The failure as the error a stage reports: of kind `code`, at `location` (both chosen by the
    /// stage, which knows what it was doing), its text the message, with its hint if it has one.
    pub fn into_diagnostic(self, code: Code, location: Location) -> Diagnostic {
        let d = Diagnostic::error(code, location, self.to_string());
        match self.hint() {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stage's conversion keeps the failure's whole text as the message, and the code and place
    /// the stage chose.
    #[test]
    fn a_diagnostic_keeps_the_message_code_and_location_given() {
        let e = Error::library("the rendered page could not be processed", "an unclosed comment");
        let at = Location { file: "content/services/a/index.lt.md".into(), line: 3, col: 7 };
        let d = e.into_diagnostic(Code::Rewrite, at.clone());
        assert_eq!(d.message, "the rendered page could not be processed: an unclosed comment");
        assert_eq!(d.code, Code::Rewrite);
        assert_eq!(d.location, at);
        assert!(d.is_error() && d.hint.is_none(), "{d:?}");

        let d = Error::Invalid("`ftp://x` is not a web address; give https://...".into())
            .into_diagnostic(Code::Config, Location::file("--base-url"));
        assert_eq!(d.to_string(), "error[config]: --base-url:1:1: `ftp://x` is not a web address; give https://...");
    }

    /// An I/O failure names what was being done, the path and the system's reason; a changed file
    /// carries what to do about it into its diagnostic.
    #[test]
    fn an_io_error_names_its_path() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let reason = denied.to_string();
        let e = Error::io("cannot read the source", "content/services/a/index.lt.md", denied);
        assert_eq!(e.path(), Some(Path::new("content/services/a/index.lt.md")));
        assert_eq!(e.to_string(), format!("cannot read the source content/services/a/index.lt.md: {reason}"));
        let d = e.into_diagnostic(Code::Io, Location::file("content/services/a/index.lt.md"));
        assert!(d.message.contains("content/services/a/index.lt.md") && d.message.ends_with(&reason), "{d}");

        let d = Error::Changed { file: "content/pages/a/index.lt.md".into() }
            .into_diagnostic(Code::Changed, Location::file("content/pages/a/index.lt.md"));
        assert!(d.message.starts_with("the file changed while Skaidra was working from it"), "{d}");
        assert!(d.hint.as_deref().is_some_and(|h| h.starts_with("run the command again")), "{d:?}");
    }

    /// The lock's message says which process holds it and which file to delete if none does.
    #[test]
    fn a_held_lock_names_the_process_and_the_lock_file() {
        let e = Error::Locked { pid: Some(42), target: "public".into(), lock: ".public.lock".into() };
        assert_eq!(
            e.to_string(),
            "another build (process 42) is writing public; wait for it to finish (if no build is running, delete .public.lock)"
        );
        let e = Error::Locked { pid: None, target: "public".into(), lock: ".public.lock".into() };
        assert_eq!(e.to_string(), "cannot take the lock .public.lock");
    }
}
