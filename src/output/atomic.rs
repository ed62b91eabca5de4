//! Outputs that appear whole or not at all: each is written to a temporary file beside
//! its target, and [`Staged::commit`] puts the whole set in place only when every file is
//! complete. A commit that fails half-way puts the earlier files back, so the directory
//! holds either the whole old set or the whole new one.
//!
//! Temporary files get names no other process can predict and are created only if
//! nothing has that name yet (`O_EXCL`): a link planted in the output directory is never
//! followed, and two runs never share a temporary file.
//!
//! A target that is not a regular file (a FIFO, a device such as `/dev/null`, or a link to
//! one, such as `/dev/stdout` or a shell's `>(…)`) is written through, as it is: it cannot
//! be replaced without breaking it. A link to a regular file, or to nothing, is refused:
//! replacing it would break the link, writing through it would write outside the place
//! named.
//!
//! Every temporary file (and every output directory a run created) is also listed in a
//! process-wide register, so that a signal handler can remove them with [`interrupt`] and
//! a failed run with [`remove_leftovers`]: neither leaves anything behind.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use crate::error::{Error, Result};

/// Temporary files not yet committed or removed, and directories this process created.
static REGISTER: Mutex<Register> = Mutex::new(Register {
    temps: Vec::new(),
    dirs: Vec::new(),
});
/// Set once the process was interrupted: nothing is created or committed after that.
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
/// outputs, and makes any later commit fail. For a signal handler; returns when no
/// commit is in progress, so the outputs are either all in place or none is.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    remove_leftovers();
}

/// Removes every temporary file still registered and every directory this process created
/// for outputs it then did not write (a directory that is not empty stays). For a run that
/// failed.
pub fn remove_leftovers() {
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
    let (file, path) = builder
        .tempfile_in(dir)
        .map_err(without_temp_path)?
        .keep()
        .map_err(|e| e.error)?;
    register.temps.push(path.clone());
    Ok((path, file))
}

/// `tempfile`'s error without the ` at path "…"` it appends: a message names the file the
/// user asked for, not the temporary name that was never created.
fn without_temp_path(e: io::Error) -> io::Error {
    let text = e.to_string();
    match text.rfind(" at path \"") {
        Some(at) => io::Error::new(e.kind(), &text[..at]),
        None => e,
    }
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

/// How a target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Missing or a regular file: a temporary file renamed onto it by the commit.
    Replace,
    /// A FIFO, a device, a socket, or a link to one: written as it is.
    WriteThrough,
}

/// How `target` can be written, or why it cannot.
fn kind(target: &Path) -> Result<Kind> {
    let refuse = |message: &str| Error::Output {
        path: target.to_path_buf(),
        message: message.into(),
    };
    let special = |meta: &fs::Metadata| !meta.is_file() && !meta.is_dir();
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Replace),
        Err(e) => Err(Error::io(target, e)),
        Ok(meta) if meta.is_file() => Ok(Kind::Replace),
        Ok(meta) if meta.is_dir() => Err(refuse("is a directory, not an output file")),
        Ok(meta) if meta.file_type().is_symlink() => match fs::metadata(target) {
            Ok(meta) if special(&meta) => Ok(Kind::WriteThrough),
            _ => Err(refuse(
                "is a symbolic link to a file (or to nothing); dedupsum neither replaces a link \
                 nor writes through one to a file: name the file itself",
            )),
        },
        Ok(_) => Ok(Kind::WriteThrough),
    }
}

/// A set of output files staged as temporaries; [`Staged::commit`] puts them all in place.
/// Dropping it uncommitted removes the temporaries.
#[derive(Default)]
pub struct Staged {
    /// Temporary files and the targets they replace.
    files: Vec<(PathBuf, PathBuf)>,
    /// Targets written through (special files): nothing to commit for them.
    written_through: Vec<PathBuf>,
    /// Outputs of an earlier run that this set does not write: removed by the commit.
    obsolete: Vec<PathBuf>,
    committed: bool,
}

impl Staged {
    /// Writes `target`'s content with `write`: to a temporary file beside it, or straight
    /// into a target that is not a regular file.
    pub fn write(
        &mut self,
        target: &Path,
        write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
    ) -> Result<()> {
        let (temp, mut out) = self.open(target)?;
        write(&mut out)?;
        close(temp.as_deref(), target, out)
    }

    /// Writes `targets` at once: `write` gets a writer for each, in the same order.
    pub fn write_all(
        &mut self,
        targets: &[&Path],
        write: impl FnOnce(&mut [BufWriter<File>]) -> Result<()>,
    ) -> Result<()> {
        let mut temps = Vec::with_capacity(targets.len());
        let mut files = Vec::with_capacity(targets.len());
        for target in targets {
            let (temp, file) = self.open(target)?;
            temps.push(temp);
            files.push(file);
        }
        write(&mut files)?;
        for ((temp, file), target) in temps.into_iter().zip(files).zip(targets) {
            close(temp.as_deref(), target, file)?;
        }
        Ok(())
    }

    /// Whether this set writes `target`.
    pub fn writes(&self, target: &Path) -> bool {
        self.files.iter().any(|(_, t)| t == target)
            || self.written_through.iter().any(|t| t == target)
    }

    /// Removes `path` with the commit, if it is a regular file then (an output of an earlier
    /// run this one does not write); anything else there is left alone.
    pub fn remove_with_commit(&mut self, path: PathBuf) {
        self.obsolete.push(path);
    }

    /// Opens what `target`'s content is written to: its temporary file (returned too), or
    /// the target itself when it is not a regular file.
    fn open(&mut self, target: &Path) -> Result<(Option<PathBuf>, BufWriter<File>)> {
        // Large writes: the tables run to gigabytes, and a syscall per 8 KB adds up.
        const BUFFER: usize = 1 << 20;
        if kind(target)? == Kind::WriteThrough {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(|e| Error::io(target, e))?;
            self.written_through.push(target.to_path_buf());
            return Ok((None, BufWriter::with_capacity(BUFFER, file)));
        }
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
        Ok((Some(temp), BufWriter::with_capacity(BUFFER, file)))
    }

    /// Puts every staged file in place and removes the obsolete outputs, all or nothing.
    pub fn commit(self) -> Result<()> {
        self.commit_with(&mut Disk)
    }

    /// [`Staged::commit`], its file-system steps taken by `steps`.
    ///
    /// Every target is checked first; then each file about to be replaced or removed is
    /// moved aside (renamed onto a fresh hidden name beside it), each new file is renamed
    /// into place, and the old files are removed last. If a step fails, the new files
    /// placed so far are removed and the old ones moved back. It runs under the register's
    /// lock, so a signal handler waits until the set is whole, old or new.
    fn commit_with(mut self, steps: &mut impl CommitSteps) -> Result<()> {
        let mut register = register();
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(Error::Interrupted);
        }
        for (_, target) in &self.files {
            if kind(target)? != Kind::Replace {
                return Err(Error::Output {
                    path: target.clone(),
                    message: "became a special file while the run was writing it".into(),
                });
            }
        }
        let is_file = |path: &Path| fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
        let old: Vec<&Path> = (self.files.iter().map(|(_, target)| target.as_path()))
            .chain(self.obsolete.iter().map(PathBuf::as_path))
            .filter(|path| is_file(path))
            .collect();
        let mut aside: Vec<(&Path, PathBuf)> = Vec::new();
        let mut placed: Vec<&Path> = Vec::new();
        let swapped = (|| {
            for &path in &old {
                let backup = steps.reserve(path).map_err(|e| Error::io(path, e))?;
                if let Err(e) = steps.rename(path, &backup) {
                    let _ = steps.remove(&backup);
                    return Err(Error::io(path, e));
                }
                aside.push((path, backup));
            }
            for (temp, target) in &self.files {
                steps
                    .rename(temp, target)
                    .map_err(|e| Error::io(target, e))?;
                placed.push(target);
            }
            Ok(())
        })();
        if let Err(err) = swapped {
            for target in placed.into_iter().rev() {
                let _ = steps.remove(target);
            }
            for (path, backup) in aside.into_iter().rev() {
                let _ = steps.rename(&backup, path);
            }
            return Err(err);
        }
        for (_, backup) in &aside {
            let _ = steps.remove(backup);
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

/// The file-system steps of a commit, apart so that a test can make any of them fail.
trait CommitSteps {
    /// Creates an empty file beside `path` under a fresh hidden name, for `path` to be
    /// moved onto, and returns its name.
    fn reserve(&mut self, path: &Path) -> io::Result<PathBuf>;
    /// Renames `from` onto `to`.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes the file `path`.
    fn remove(&mut self, path: &Path) -> io::Result<()>;
}

/// The steps done on disk.
struct Disk;

impl CommitSteps for Disk {
    fn reserve(&mut self, path: &Path) -> io::Result<PathBuf> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let (_, backup) = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".old")
            .tempfile_in(dir)?
            .keep()
            .map_err(|e| e.error)?;
        Ok(backup)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }
}

/// Finishes what was written to `target`: a temporary file is flushed to disk (before it is
/// renamed into place), a target written through is flushed (a FIFO or a device cannot be
/// synced).
fn close(temp: Option<&Path>, target: &Path, out: BufWriter<File>) -> Result<()> {
    let file = out
        .into_inner()
        .map_err(|e| Error::io(target, e.into_error()))?;
    match temp {
        Some(_) => file.sync_all().map_err(|e| Error::io(target, e)),
        None => Ok(()),
    }
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
    use proptest::prelude::*;

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

    /// The disk, except that step number `fail_at` (counting from 0) fails, once.
    struct FailOnce {
        step: usize,
        fail_at: usize,
        /// Whether the step that failed removed a file.
        failed_remove: bool,
    }

    impl FailOnce {
        fn next(&mut self) -> io::Result<()> {
            self.step += 1;
            if self.step - 1 == self.fail_at {
                return Err(io::Error::other("injected failure"));
            }
            Ok(())
        }
    }

    impl CommitSteps for FailOnce {
        fn reserve(&mut self, path: &Path) -> io::Result<PathBuf> {
            self.next()?;
            Disk.reserve(path)
        }

        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            self.next()?;
            Disk.rename(from, to)
        }

        fn remove(&mut self, path: &Path) -> io::Result<()> {
            self.next().inspect_err(|_| self.failed_remove = true)?;
            Disk.remove(path)
        }
    }

    /// The files in `dir` and their contents.
    fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    const NAMES: [&str; 5] = ["a.csv", "b.csv", "c.jsonl", "d.json", "e.csv"];

    proptest! {
        /// A commit that fails at any step leaves the whole old set; one that succeeds
        /// leaves the whole new set (and only a backup it then failed to remove).
        #[test]
        fn a_failed_commit_leaves_the_old_set_and_a_good_one_the_new(
            old in proptest::collection::vec(any::<bool>(), NAMES.len()),
            new in proptest::collection::vec(any::<bool>(), NAMES.len()),
            fail_at in 0usize..40,
        ) {
            let dir = tempfile::tempdir().unwrap();
            for (name, _) in NAMES.iter().zip(&old).filter(|(_, &o)| o) {
                fs::write(dir.path().join(name), format!("old {name}")).unwrap();
            }
            let before = contents(dir.path());
            let mut staged = Staged::default();
            for (name, _) in NAMES.iter().zip(&new).filter(|(_, &n)| n) {
                let target = dir.path().join(name);
                staged
                    .write(&target, |w| {
                        write!(w, "new {name}").map_err(io_at(&target))
                    })
                    .unwrap();
            }
            for name in NAMES {
                let path = dir.path().join(name);
                if !staged.writes(&path) {
                    staged.remove_with_commit(path);
                }
            }
            let expected_new: Vec<(String, Vec<u8>)> = NAMES
                .iter()
                .zip(&new)
                .filter(|(_, &n)| n)
                .map(|(name, _)| (name.to_string(), format!("new {name}").into_bytes()))
                .collect();
            let mut steps = FailOnce { step: 0, fail_at, failed_remove: false };
            let result = staged.commit_with(&mut steps);
            let mut after = contents(dir.path());
            let leftovers: Vec<String> = after
                .iter()
                .filter(|(name, _)| name.starts_with('.'))
                .map(|(name, _)| name.clone())
                .collect();
            after.retain(|(name, _)| !name.starts_with('.'));
            match result {
                Ok(()) => {
                    prop_assert_eq!(&after, &expected_new);
                    // A backup stays only when its removal was the step that failed.
                    prop_assert!(
                        leftovers.is_empty() || (steps.failed_remove && leftovers.len() == 1),
                        "left {:?}", leftovers
                    );
                }
                Err(_) => {
                    prop_assert_eq!(&after, &before);
                    prop_assert!(leftovers.is_empty(), "left {:?}", leftovers);
                }
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_target_is_written_through_and_kept() {
        use std::io::Read;
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("a.csv");
        let name = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
        // SAFETY: `name` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let reader_path = fifo.clone();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            File::open(reader_path)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        });
        let mut staged = Staged::default();
        staged
            .write(&fifo, |w| w.write_all(b"x").map_err(io_at(&fifo)))
            .unwrap();
        assert!(staged.writes(&fifo));
        staged.commit().unwrap();
        assert_eq!(reader.join().unwrap(), "x");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// The process's umask, as `/proc/self/status` tells it (Linux), without changing it.
    #[cfg(target_os = "linux")]
    fn umask() -> u32 {
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_private_temp_is_for_its_owner_only_and_an_output_gets_what_the_umask_allows() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let (private, _) = create_temp(dir.path(), ".p.", true).unwrap();
        let (output, _) = create_temp(dir.path(), ".o.", false).unwrap();
        assert_eq!(mode(&private), 0o600);
        assert_eq!(mode(&output), 0o666 & !umask());
        remove_temp(&private);
        remove_temp(&output);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn remove_temp_unregisters_only_the_file_it_removes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = create_temp(dir.path(), ".a.", false).unwrap();
        let (b, _) = create_temp(dir.path(), ".b.", false).unwrap();
        remove_temp(&a);
        assert!(!a.exists() && b.exists());
        {
            let register = register();
            assert!(!register.temps.contains(&a));
            // Still there for a signal handler or a failed run to remove.
            assert!(register.temps.contains(&b));
        }
        remove_temp(&b);
        assert!(!register().temps.contains(&b));
    }

    /// `dir/new/..` is missing while `dir/new` is: once that is made, creating `dir/new/..`
    /// finds a directory already there, as when another process makes one meanwhile.
    #[test]
    fn a_directory_found_already_made_is_taken_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new");
        create_dir_all(&new.join("..")).unwrap();
        assert!(new.is_dir());
        register().dirs.retain(|d| !d.starts_with(dir.path()));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_where_a_directory_is_to_be_made_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        let err = create_dir_all(&link).unwrap_err();
        assert!(err.to_string().contains("out"), "{err}");
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn a_temporary_file_is_made_beside_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        let mut staged = Staged::default();
        staged
            .write(&target, |w| {
                let names: Vec<String> = fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                assert!(
                    names.len() == 1
                        && names[0].starts_with(".a.csv.")
                        && names[0].ends_with(".tmp"),
                    "{names:?}"
                );
                w.write_all(b"x").map_err(io_at(&target))
            })
            .unwrap();
        staged.commit().unwrap();
        assert_eq!(contents(dir.path()), [("a.csv".to_string(), b"x".to_vec())]);
    }

    #[test]
    fn a_commit_or_a_drop_unregisters_only_its_own_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let (other, _) = create_temp(dir.path(), ".other.", true).unwrap();
        let registered = |path: &Path| register().temps.iter().any(|t| t == path);
        let staged_temp = |staged: &Staged| staged.files[0].0.clone();
        for commit in [true, false] {
            let target = dir.path().join("a.csv");
            let mut staged = Staged::default();
            staged
                .write(&target, |w| w.write_all(b"x").map_err(io_at(&target)))
                .unwrap();
            let temp = staged_temp(&staged);
            assert!(registered(&temp));
            if commit {
                staged.commit().unwrap();
            } else {
                drop(staged);
            }
            assert!(!registered(&temp), "commit {commit}");
            // Another file still to be removed by a signal handler or a failed run.
            assert!(registered(&other), "commit {commit}");
        }
        remove_temp(&other);
    }

    #[test]
    fn a_backup_is_made_beside_the_file_it_keeps() {
        let dir = tempfile::tempdir().unwrap();
        let backup = Disk.reserve(&dir.path().join("a.csv")).unwrap();
        assert_eq!(backup.parent(), Some(dir.path()));
        let name = backup.file_name().unwrap().to_string_lossy();
        assert!(
            name.starts_with(".a.csv.") && name.ends_with(".old"),
            "{name}"
        );
        Disk.remove(&backup).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn kind_replaces_files_writes_through_special_files_and_refuses_the_rest() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        fs::write(at("file"), "x").unwrap();
        fs::create_dir(at("dir")).unwrap();
        symlink(at("file"), at("to-file")).unwrap();
        symlink(at("dir"), at("to-dir")).unwrap();
        symlink(at("nowhere"), at("to-nothing")).unwrap();
        symlink("/dev/null", at("to-null")).unwrap();
        let refused = |name: &str, why: &str| match kind(&at(name)) {
            Err(e) => assert!(e.to_string().contains(why), "{name}: {e}"),
            Ok(k) => panic!("{name}: {k:?}"),
        };
        assert_eq!(kind(&at("missing")).unwrap(), Kind::Replace);
        assert_eq!(kind(&at("file")).unwrap(), Kind::Replace);
        assert_eq!(kind(Path::new("/dev/null")).unwrap(), Kind::WriteThrough);
        assert_eq!(kind(&at("to-null")).unwrap(), Kind::WriteThrough);
        refused("dir", "is a directory");
        refused("to-file", "symbolic link");
        refused("to-dir", "symbolic link");
        refused("to-nothing", "symbolic link");
        // Not "missing": nothing can be made under a regular file.
        refused("file/x", "file/x");
    }

    #[test]
    fn a_target_that_is_a_directory_fails_before_anything_moves() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        fs::write(&a, "old").unwrap();
        let mut staged = Staged::default();
        staged
            .write(&a, |w| w.write_all(b"new").map_err(io_at(&a)))
            .unwrap();
        fs::create_dir(&b).unwrap();
        let err = staged
            .write(&b, |w| w.write_all(b"new").map_err(io_at(&b)))
            .unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
        drop(staged);
        assert_eq!(fs::read(&a).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
