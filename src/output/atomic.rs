//! Outputs that appear whole or not at all: written to a temporary file beside the
//! target, renamed into place only when everything succeeded.
//!
//! Temporary files get names no other process can predict and are created only if
//! nothing has that name yet (`O_EXCL`): a link planted in the output directory is never
//! followed, and two runs never share a temporary file.
//!
//! Every temporary file (and every output directory a run created) is also listed in a
//! process-wide register, so that a signal handler can remove them with [`interrupt`] and
//! a failed run with [`remove_leftovers`]: neither leaves anything behind.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};

/// Temporary files not yet committed or removed, and directories this process created.
static REGISTER: Mutex<Register> = Mutex::new(Register {
    temps: Vec::new(),
    dirs: Vec::new(),
});
/// Set once the process was interrupted: nothing is committed after that.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

struct Register {
    temps: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

fn register() -> MutexGuard<'static, Register> {
    REGISTER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every staged temporary file and every (still empty) directory created for the
/// outputs, and makes any later commit fail. For an interrupt handler; returns when no
/// commit is in progress, so the outputs are either all in place or none is.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    remove_leftovers();
}

/// Removes every temporary file still registered and every directory this process created
/// for outputs it then did not write (a directory that is not empty stays). For a run that
/// failed.
pub fn remove_leftovers() {
    let mut register = register();
    for temp in register.temps.drain(..) {
        let _ = fs::remove_file(temp);
    }
    for dir in register.dirs.drain(..).rev() {
        let _ = fs::remove_dir(dir);
    }
}

/// Creates an empty file in `dir` named `PREFIX` + random characters + `.tmp`, failing
/// rather than opening anything that already has that name, and registers it for removal
/// by [`interrupt`]. A `private` file is readable by its owner only (a copy of standard
/// input); the others get the permissions the umask allows, as any output.
pub fn create_temp(dir: &Path, prefix: &str, private: bool) -> io::Result<(PathBuf, File)> {
    let mut register = register();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    #[cfg(unix)]
    if !private {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    #[cfg(not(unix))]
    let _ = private;
    let (file, path) = builder.tempfile_in(dir)?.keep().map_err(|e| e.error)?;
    register.temps.push(path.clone());
    Ok((path, file))
}

/// Removes a file made by [`create_temp`].
pub fn remove_temp(path: &Path) {
    let _ = fs::remove_file(path);
    register().temps.retain(|t| t != path);
}

/// Creates `dir` and its missing parents, remembering the ones this process created so
/// that a failed or interrupted run can remove them again.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    let mut register = register();
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d);
        at = d.parent();
    }
    for d in missing.into_iter().rev() {
        match fs::create_dir(d) {
            Ok(()) => register.dirs.push(d.to_path_buf()),
            // Made by someone else meanwhile: theirs, never removed.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(Error::io(d, e)),
        }
    }
    Ok(())
}

/// A set of output files staged as temporaries; [`Staged::commit`] renames them all.
/// Dropping it uncommitted removes the temporaries.
#[derive(Default)]
pub struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl Staged {
    /// Writes `target`'s content to a temporary file beside it with `write`.
    pub fn write(
        &mut self,
        target: &Path,
        write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
    ) -> Result<()> {
        let (temp, mut out) = self.open(target)?;
        write(&mut out)?;
        close(&temp, out)
    }

    /// Writes two targets at once (for outputs made in one pass over the inputs).
    pub fn write_two(
        &mut self,
        targets: [&Path; 2],
        write: impl FnOnce(&mut BufWriter<File>, &mut BufWriter<File>) -> Result<()>,
    ) -> Result<()> {
        let (temp_a, mut a) = self.open(targets[0])?;
        let (temp_b, mut b) = self.open(targets[1])?;
        write(&mut a, &mut b)?;
        close(&temp_a, a)?;
        close(&temp_b, b)
    }

    /// Creates the temporary file of `target`, registered for cleanup.
    fn open(&mut self, target: &Path) -> Result<(PathBuf, BufWriter<File>)> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let (temp, file) = create_temp(dir, &format!(".{name}."), false).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                Error::Interrupted
            } else {
                Error::io(target, e)
            }
        })?;
        self.files.push((temp.clone(), target.to_path_buf()));
        // Large writes: the tables run to gigabytes, and a syscall per 8 KB adds up.
        Ok((temp, BufWriter::with_capacity(1 << 20, file)))
    }

    /// Renames every temporary file onto its target.
    pub fn commit(mut self) -> Result<()> {
        let mut register = register();
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(Error::Interrupted);
        }
        for (temp, target) in &self.files {
            fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
        }
        register
            .temps
            .retain(|t| !self.files.iter().any(|(temp, _)| temp == t));
        // The directories hold finished outputs now: never remove them.
        register.dirs.clear();
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let mut register = register();
            for (temp, _) in &self.files {
                let _ = fs::remove_file(temp);
                register.temps.retain(|t| t != temp);
            }
        }
    }
}

/// Flushes a finished temporary file to disk.
fn close(temp: &Path, out: BufWriter<File>) -> Result<()> {
    let file = out
        .into_inner()
        .map_err(|e| Error::io(temp, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(temp, e))
}

/// Maps an I/O error while writing `path` to the library error.
pub(crate) fn io_at(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// Flushes a writer, naming the file on failure.
pub(crate) fn flush(out: &mut impl Write, path: &Path) -> Result<()> {
    out.flush().map_err(io_at(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_left_behind_unless_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        {
            let mut staged = Staged::default();
            staged
                .write(&target, |w| w.write_all(b"x").map_err(io_at(&target)))
                .unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);

        let mut staged = Staged::default();
        staged
            .write(&target, |w| w.write_all(b"x").map_err(io_at(&target)))
            .unwrap();
        staged.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"x");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
