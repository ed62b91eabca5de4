//! Outputs that appear whole or not at all: written to a temporary file beside the
//! target, renamed into place only when everything succeeded.
//!
//! Every temporary file (and every output directory a run created) is also listed in a
//! process-wide register, so that an interrupt handler can remove them with
//! [`interrupt`]: a run stopped by Ctrl-C leaves nothing behind.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

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
    register().remove_all();
}

/// [`interrupt`] for a process that must end now (it ran out of memory): when another
/// holder has the register, or the thread calling this one has, nothing is removed,
/// rather than wait for a lock that may never be released.
pub fn abandon() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    match REGISTER.try_lock() {
        Ok(mut register) => register.remove_all(),
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner().remove_all(),
        Err(TryLockError::WouldBlock) => {}
    }
}

impl Register {
    fn remove_all(&mut self) {
        for temp in self.temps.drain(..) {
            let _ = fs::remove_file(temp);
        }
        for dir in self.dirs.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Registers a temporary file made outside [`Staged`] (a spooled standard input) so that an
/// interrupted run removes it too.
pub fn track_temp(path: &Path) {
    register().temps.push(path.to_path_buf());
}

/// Removes a file registered with [`track_temp`].
pub fn remove_temp(path: &Path) {
    let _ = fs::remove_file(path);
    register().temps.retain(|t| t != path);
}

/// Creates `dir` and its missing parents, remembering the ones created so that an
/// interrupted run can remove them again.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    register().dirs.extend(missing.into_iter().rev());
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
        let mut out = self.open(target)?;
        write(&mut out)?;
        close(target, out)
    }

    /// Writes two targets at once (for outputs made in one pass over the inputs).
    pub fn write_two(
        &mut self,
        targets: [&Path; 2],
        write: impl FnOnce(&mut BufWriter<File>, &mut BufWriter<File>) -> Result<()>,
    ) -> Result<()> {
        let mut a = self.open(targets[0])?;
        let mut b = self.open(targets[1])?;
        write(&mut a, &mut b)?;
        close(targets[0], a)?;
        close(targets[1], b)
    }

    /// Creates the temporary file of `target`, registered for cleanup. Errors name the
    /// target: the temporary file is ours, the target is what the user asked for.
    fn open(&mut self, target: &Path) -> Result<BufWriter<File>> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        {
            let mut register = register();
            if INTERRUPTED.load(Ordering::SeqCst) {
                return Err(Error::Interrupted);
            }
            register.temps.push(temp.clone());
        }
        self.files.push((temp.clone(), target.to_path_buf()));
        let file = File::create(&temp).map_err(|e| Error::io(target, e))?;
        // Large writes: the tables run to gigabytes, and a syscall per 8 KB adds up.
        Ok(BufWriter::with_capacity(1 << 20, file))
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

/// Flushes the finished temporary file of `target` to disk.
fn close(target: &Path, out: BufWriter<File>) -> Result<()> {
    let file = out
        .into_inner()
        .map_err(|e| Error::io(target, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(target, e))
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
