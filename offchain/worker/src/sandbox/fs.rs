//! The folders a sandboxed app sees: the task's input folder read-only, its output folder
//! writable, and in neither a way to create a symbolic link.
//!
//! wasi-common 36 has no per-preopen rights, so the rights are enforced here, by a
//! [`WasiDir`] that forwards to cap-std's sandboxed directory (which already refuses any
//! path leaving the folder) and refuses what the folder may not do. Why no symlinks: the
//! worker reads the output folder from the host after the run (digest, archive), and a link
//! the app planted there could name any host file.

use std::{any::Any, path::PathBuf};

use wasmi_wasi::wasi_common::{
    dir::{OpenResult, ReaddirCursor, ReaddirEntity, WasiDir},
    file::{FdFlags, Filestat, OFlags},
    sync::dir::Dir as CapDir,
    Error, ErrorExt, SystemTimeSpec,
};

/// A preopened folder of the sandbox.
pub(crate) struct SandboxDir {
    inner: Box<dyn WasiDir>,
    writable: bool,
}

impl SandboxDir {
    /// `dir` as the app sees it: read-only unless `writable`.
    pub(crate) fn new(dir: CapDir, writable: bool) -> Self {
        Self { inner: Box::new(dir), writable }
    }

    fn wrap(inner: Box<dyn WasiDir>, writable: bool) -> Self {
        Self { inner, writable }
    }

    fn check_write(&self) -> Result<(), Error> {
        if self.writable {
            Ok(())
        } else {
            Err(Error::perm().context("the input folder is read-only"))
        }
    }

    /// The forwarded directory of `other` when it is a sandbox folder too (rename and link
    /// targets must be).
    fn inner_of(other: &dyn WasiDir) -> Result<&SandboxDir, Error> {
        other.as_any().downcast_ref::<SandboxDir>().ok_or_else(|| Error::badf().context("not a sandbox folder"))
    }
}

#[wiggle::async_trait]
impl WasiDir for SandboxDir {
    fn as_any(&self) -> &dyn Any {
        self
    }

    async fn open_file(
        &self,
        symlink_follow: bool,
        path: &str,
        oflags: OFlags,
        read: bool,
        write: bool,
        fdflags: FdFlags,
    ) -> Result<OpenResult, Error> {
        if write || oflags.intersects(OFlags::CREATE | OFlags::TRUNCATE | OFlags::EXCLUSIVE) {
            self.check_write()?;
        }
        match self.inner.open_file(symlink_follow, path, oflags, read, write, fdflags).await? {
            OpenResult::Dir(dir) => Ok(OpenResult::Dir(Box::new(SandboxDir::wrap(dir, self.writable)))),
            file => Ok(file),
        }
    }

    async fn create_dir(&self, path: &str) -> Result<(), Error> {
        self.check_write()?;
        self.inner.create_dir(path).await
    }

    async fn readdir(
        &self,
        cursor: ReaddirCursor,
    ) -> Result<Box<dyn Iterator<Item = Result<ReaddirEntity, Error>> + Send>, Error> {
        self.inner.readdir(cursor).await
    }

    async fn symlink(&self, _old_path: &str, _new_path: &str) -> Result<(), Error> {
        Err(Error::perm().context("symbolic links are not allowed in the sandbox"))
    }

    async fn remove_dir(&self, path: &str) -> Result<(), Error> {
        self.check_write()?;
        self.inner.remove_dir(path).await
    }

    async fn unlink_file(&self, path: &str) -> Result<(), Error> {
        self.check_write()?;
        self.inner.unlink_file(path).await
    }

    async fn read_link(&self, path: &str) -> Result<PathBuf, Error> {
        self.inner.read_link(path).await
    }

    async fn get_filestat(&self) -> Result<Filestat, Error> {
        self.inner.get_filestat().await
    }

    async fn get_path_filestat(&self, path: &str, follow_symlinks: bool) -> Result<Filestat, Error> {
        self.inner.get_path_filestat(path, follow_symlinks).await
    }

    async fn rename(&self, path: &str, dest_dir: &dyn WasiDir, dest_path: &str) -> Result<(), Error> {
        let dest = Self::inner_of(dest_dir)?;
        self.check_write()?;
        dest.check_write()?;
        self.inner.rename(path, dest.inner.as_ref(), dest_path).await
    }

    async fn hard_link(&self, path: &str, target_dir: &dyn WasiDir, target_path: &str) -> Result<(), Error> {
        let target = Self::inner_of(target_dir)?;
        // A hard link of an input file into the output folder would let the app write
        // through it into the input: links need both folders writable.
        self.check_write()?;
        target.check_write()?;
        self.inner.hard_link(path, target.inner.as_ref(), target_path).await
    }

    async fn set_times(
        &self,
        path: &str,
        atime: Option<SystemTimeSpec>,
        mtime: Option<SystemTimeSpec>,
        follow_symlinks: bool,
    ) -> Result<(), Error> {
        self.check_write()?;
        self.inner.set_times(path, atime, mtime, follow_symlinks).await
    }
}
