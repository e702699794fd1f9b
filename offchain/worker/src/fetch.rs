//! Fetching what a task needs — the app's module, the dataset — from the multiaddr the
//! registry records, and checking it against the registry's checksum (its sha256), as
//! iExec's worker checks a dataset (`DataService.downloadStandardDataset`).
//!
//! A multiaddr is an `http(s)://` URL, an IPFS path (`/ipfs/<cid>`, through the configured
//! gateway), or, when the worker allows it, a local file (`file://` URL or absolute path)
//! under one folder. Local files are off unless configured because an app or dataset owner
//! chooses the multiaddr: a dataset pointing at the worker's key file would hand it to the
//! app.

use std::path::{Path, PathBuf};

use alloy::primitives::B256;
use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};

/// Where the worker may fetch from.
#[derive(Clone, Debug)]
pub struct FetchPolicy {
    /// Local files are accepted only inside this folder (none: not at all).
    pub local_root: Option<PathBuf>,
    /// IPFS gateway for `/ipfs/…` multiaddrs, e.g. `https://ipfs.io` (none: refused).
    pub ipfs_gateway: Option<String>,
    /// Largest download.
    pub max_bytes: usize,
}

impl Default for FetchPolicy {
    /// Remote URLs only, 256 MiB at most.
    fn default() -> Self {
        Self { local_root: None, ipfs_gateway: None, max_bytes: 256 * 1024 * 1024 }
    }
}

/// Why a fetched resource is refused.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// It could not be read.
    #[error("fetching {what} from {multiaddr:?}: {cause:#}")]
    Download {
        /// `app` or `dataset`.
        what: &'static str,
        /// Where from.
        multiaddr: String,
        /// Why.
        cause: anyhow::Error,
    },
    /// Its sha256 is not the registry's checksum.
    #[error("the {what} fetched from {multiaddr:?} has sha256 {actual}, but its registry checksum is {expected}: refusing to run it")]
    Checksum {
        /// `app` or `dataset`.
        what: &'static str,
        /// Where from.
        multiaddr: String,
        /// The registry's.
        expected: B256,
        /// The bytes'.
        actual: B256,
    },
}

/// The sha256 of `bytes`, as a registry checksum.
pub fn sha256(bytes: &[u8]) -> B256 {
    B256::from(<[u8; 32]>::from(Sha256::digest(bytes)))
}

/// Fetches `multiaddr` and checks its sha256 against `checksum`. A zero checksum means the
/// owner registered none: nothing to check against (logged).
pub async fn fetch_checked(what: &'static str, multiaddr: &str, checksum: B256, policy: &FetchPolicy) -> Result<Vec<u8>, FetchError> {
    let bytes = fetch(multiaddr, policy)
        .await
        .map_err(|cause| FetchError::Download { what, multiaddr: multiaddr.to_string(), cause })?;
    let actual = sha256(&bytes);
    if checksum.is_zero() {
        tracing::warn!(what, multiaddr, %actual, "no checksum registered: the content is not verified");
    } else if actual != checksum {
        return Err(FetchError::Checksum { what, multiaddr: multiaddr.to_string(), expected: checksum, actual });
    }
    Ok(bytes)
}

/// The bytes `multiaddr` names.
pub async fn fetch(multiaddr: &str, policy: &FetchPolicy) -> Result<Vec<u8>> {
    let multiaddr = multiaddr.trim();
    if multiaddr.starts_with("http://") || multiaddr.starts_with("https://") {
        return download(multiaddr, policy.max_bytes).await;
    }
    if multiaddr.starts_with("/ipfs/") || multiaddr.starts_with("/ipns/") {
        let gateway = policy
            .ipfs_gateway
            .as_deref()
            .with_context(|| format!("{multiaddr} is an IPFS path and no IPFS gateway is configured (set one to fetch it)"))?;
        return download(&format!("{}{multiaddr}", gateway.trim_end_matches('/')), policy.max_bytes).await;
    }
    let path = match multiaddr.strip_prefix("file://") {
        Some(rest) => PathBuf::from(rest),
        None if multiaddr.starts_with('/') => PathBuf::from(multiaddr),
        None => bail!("not a multiaddr this worker fetches (http(s)://, /ipfs/…, file://): {multiaddr:?}"),
    };
    read_local(&path, policy).await
}

async fn download(url: &str, max_bytes: usize) -> Result<Vec<u8>> {
    let mut response = reqwest::get(url).await.with_context(|| format!("GET {url}"))?;
    ensure!(response.status().is_success(), "GET {url}: HTTP {}", response.status());
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.with_context(|| format!("reading {url}"))? {
        ensure!(bytes.len() + chunk.len() <= max_bytes, "{url} is larger than the {max_bytes}-byte limit");
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

async fn read_local(path: &Path, policy: &FetchPolicy) -> Result<Vec<u8>> {
    let root = policy
        .local_root
        .as_deref()
        .with_context(|| format!("{} is a local file and this worker fetches no local files (configure a local root to allow some)", path.display()))?;
    let root = tokio::fs::canonicalize(root).await.with_context(|| format!("the local root {}", root.display()))?;
    let real = tokio::fs::canonicalize(path).await.with_context(|| format!("{}", path.display()))?;
    ensure!(real.starts_with(&root), "{} is outside the worker's local root {}", path.display(), root.display());
    let meta = tokio::fs::metadata(&real).await?;
    ensure!(meta.is_file(), "{} is not a file", path.display());
    ensure!(meta.len() <= policy.max_bytes as u64, "{} is larger than the {}-byte limit", path.display(), policy.max_bytes);
    tokio::fs::read(&real).await.with_context(|| format!("reading {}", path.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;

    fn local(root: &Path) -> FetchPolicy {
        FetchPolicy { local_root: Some(root.to_path_buf()), ..Default::default() }
    }

    #[tokio::test]
    async fn local_files_only_under_the_root_and_only_when_allowed() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("app.wasm");
        std::fs::write(&file, b"module").unwrap();
        let url = format!("file://{}", file.display());
        assert_eq!(fetch(&url, &local(root.path())).await.unwrap(), b"module");
        assert_eq!(fetch(&file.display().to_string(), &local(root.path())).await.unwrap(), b"module");
        let err = fetch(&url, &FetchPolicy::default()).await.unwrap_err().to_string();
        assert!(err.contains("fetches no local files"), "{err}");
        let elsewhere = tempfile::tempdir().unwrap();
        let err = fetch(&url, &local(elsewhere.path())).await.unwrap_err().to_string();
        assert!(err.contains("outside the worker's local root"), "{err}");
        // `..` cannot climb out either.
        let sneaky = format!("{}/../{}", root.path().display(), root.path().file_name().unwrap().to_string_lossy());
        assert!(fetch(&format!("{sneaky}/app.wasm"), &local(elsewhere.path())).await.is_err());
    }

    #[tokio::test]
    async fn a_wrong_checksum_is_refused_and_the_right_one_accepted() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("data.txt");
        std::fs::write(&file, b"the data").unwrap();
        let addr = file.display().to_string();
        let right = sha256(b"the data");
        assert_eq!(fetch_checked("dataset", &addr, right, &local(root.path())).await.unwrap(), b"the data");
        let err = fetch_checked("dataset", &addr, B256::repeat_byte(1), &local(root.path())).await.unwrap_err();
        assert!(matches!(err, FetchError::Checksum { actual, .. } if actual == right), "{err}");
        assert!(err.to_string().contains("refusing to run it"));
    }

    #[tokio::test]
    async fn unknown_schemes_and_unconfigured_ipfs_are_refused() {
        let p = FetchPolicy::default();
        assert!(fetch("ftp://x/y", &p).await.unwrap_err().to_string().contains("not a multiaddr"));
        assert!(fetch("/ipfs/QmX", &p).await.unwrap_err().to_string().contains("no IPFS gateway"));
    }
}
