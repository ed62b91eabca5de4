//! Outputs that appear whole or not at all: written to a temporary file beside the
//! target, renamed into place only when everything succeeded.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

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
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(|e| Error::io(&temp, e))?;
        self.files.push((temp.clone(), target.to_path_buf()));
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| Error::io(&temp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&temp, e))?;
        Ok(())
    }

    /// Renames every temporary file onto its target.
    pub fn commit(mut self) -> Result<()> {
        for (temp, target) in &self.files {
            fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            for (temp, _) in &self.files {
                let _ = fs::remove_file(temp);
            }
        }
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
