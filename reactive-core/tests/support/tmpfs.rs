//! A small real filesystem for the store fault tests: a tmpfs mounted by the
//! test (CI runs as root) and unmounted when dropped. A refused mount fails
//! the test: a fault test that cannot make its fault proves nothing.
#![allow(dead_code)] // each test file uses part of it
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) struct Tmpfs {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `kib` KiB on a fresh temporary directory.
    pub(crate) fn mount(kib: u64) -> Tmpfs {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("fs");
        std::fs::create_dir(&root).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={kib}k,mode=0755"))
            .arg("tmpfs")
            .arg(&root)
            .output()
            .expect("running mount");
        assert!(
            out.status.success(),
            "mounting a {kib} KiB tmpfs on {} was refused ({}): these tests need root \
             to make a real full filesystem\n{}",
            root.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs { _dir: dir, root }
    }

    /// Fills the filesystem: writes `fill` until the kernel says ENOSPC.
    pub(crate) fn fill(&self) {
        let mut f = std::fs::File::create(self.filler()).expect("filler file");
        let chunk = vec![0xA5u8; 4096];
        loop {
            match f.write(&chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(28) => break,
                Err(e) => panic!("filling {}: {e}", self.root.display()),
            }
        }
        // Single bytes too, so that not even a partial page is left.
        while let Ok(1) = f.write(&[0]) {}
    }

    /// Fills the filesystem but for about `bytes` (rounded to pages).
    pub(crate) fn fill_leaving(&self, bytes: u64) {
        self.fill();
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(self.filler())
            .expect("filler file");
        let len = f.metadata().expect("filler size").len();
        f.set_len(len.saturating_sub(bytes))
            .expect("shrinking the filler");
    }

    /// Frees what [`Tmpfs::fill`] took.
    pub(crate) fn free(&self) {
        std::fs::remove_file(self.filler()).expect("removing the filler file");
    }

    fn filler(&self) -> PathBuf {
        self.root.join("filler")
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a child still holding a file must not leave the mount behind.
        let _ = Command::new("umount").arg("-l").arg(&self.root).status();
    }
}
