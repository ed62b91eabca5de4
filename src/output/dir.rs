//! The output directory of a run: created if missing, and locked so that a second run into
//! it fails at once instead of mixing its files with the first run's.
//!
//! The lock is an exclusive `flock` on the directory itself: nothing is added to the
//! directory, and the system releases the lock when the process ends, however it ends.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output directory, locked against other dedupsum runs until dropped.
#[derive(Debug)]
pub struct OutputDir {
    path: PathBuf,
    /// The open directory the lock is held on; `None` where the file system cannot lock a
    /// directory (some network file systems).
    _lock: Option<File>,
}

impl OutputDir {
    /// Creates `path` (and its missing parents; a failed run removes them again) and locks
    /// it. Fails if another dedupsum run holds it.
    pub fn create(path: &Path) -> Result<OutputDir> {
        super::atomic::create_dir_all(path)?;
        // Refused now, before the inputs are read, not when the first output is written.
        if !path.is_dir() {
            return Err(Error::Output {
                path: path.to_path_buf(),
                message: "exists and is not a directory; choose another --out".into(),
            });
        }
        Ok(OutputDir {
            path: path.to_path_buf(),
            _lock: lock(path)?,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes the lock on `dir` without waiting.
#[cfg(unix)]
fn lock(dir: &Path) -> Result<Option<File>> {
    use std::os::fd::AsRawFd;
    let Ok(file) = File::open(dir) else {
        // A directory we may write but not read: it cannot be locked, the run goes on.
        return Ok(None);
    };
    // SAFETY: `file` is an open descriptor for the whole call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(Some(file));
    }
    match std::io::Error::last_os_error().kind() {
        std::io::ErrorKind::WouldBlock => Err(Error::Output {
            path: dir.to_path_buf(),
            message: "another dedupsum run is writing into this directory; wait for it to \
                      end or choose another --out"
                .into(),
        }),
        _ => Ok(None),
    }
}

#[cfg(not(unix))]
fn lock(_dir: &Path) -> Result<Option<File>> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_a_directory_fails_until_the_first_is_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let first = OutputDir::create(tmp.path()).unwrap();
        let err = OutputDir::create(tmp.path()).unwrap_err();
        assert!(err.to_string().contains("another dedupsum run"), "{err}");
        drop(first);
        OutputDir::create(tmp.path()).unwrap();
    }
}
