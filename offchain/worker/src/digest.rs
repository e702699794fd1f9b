//! The result of a task as iExec's worker reads it: `computed.json`, the result digest the
//! workers vote on, the callback data, and the archive of the output folder that is
//! uploaded (spec/OFFCHAIN.md §3).
//!
//! The digest rules are iexec-common's `ResultUtils` and `FileHashUtils` (worker
//! `ResultService.computeResultDigest`):
//! - a deal with a callback: `keccak256(hex-decoded callback-data)` (web3j `Hash.sha3` of
//!   the hex string, i.e. of its bytes — not of its ASCII text, spec §3.2's pitfall);
//! - otherwise the path `deterministic-output-path` names, under the task's folder: a file
//!   gives `sha256(bytes)`; a directory gives `keccak256(sha256(child₁) ‖ sha256(child₂) ‖ …)`
//!   over its direct children sorted as Java's `File.compareTo` sorts them (UTF-16 code
//!   units), a child directory contributing no bytes (Java's hash of it is "").
//!
//! Where this is stricter than Java, it says so with an error instead of a different
//! digest: the path must lie inside the output folder (Java would hash any host path the
//! app names), and no symbolic link is followed (the sandbox lets no app make one; a docker
//! app's link could name any host file).

use std::{
    cmp::Ordering,
    fs,
    io::Write,
    path::{Component, Path, PathBuf},
};

use alloy::primitives::{hex, keccak256, Address, Bytes, B256};
use anyhow::{bail, ensure, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sandbox::GUEST_OUT;

/// The name of the file an app writes in its output folder to say where its result is.
pub const COMPUTED_JSON: &str = "computed.json";

/// `/iexec_out/computed.json` (iexec-common `ComputedFile`): what the app says about its
/// result. Unknown keys are ignored, as Jackson's `ignoreUnknown` does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ComputedFile {
    /// The file or folder whose hash is the result digest (a path as the app sees it,
    /// e.g. `/iexec_out/result.txt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deterministic_output_path: Option<String>,
    /// Hex callback data of a callback deal (`0x…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// Filled by a TEE post-compute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// Filled by a TEE post-compute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_digest: Option<String>,
    /// Filled by a TEE post-compute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enclave_signature: Option<String>,
    /// Set when the app (or the worker) reports an error instead of a result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

impl ComputedFile {
    /// Reads `<output_dir>/computed.json`.
    pub fn read(output_dir: &Path) -> Result<Self> {
        let path = output_dir.join(COMPUTED_JSON);
        let meta = fs::symlink_metadata(&path)
            .with_context(|| format!("the app wrote no {COMPUTED_JSON} in its output folder ({})", path.display()))?;
        ensure!(meta.is_file(), "{} is not a regular file", path.display());
        let text = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_slice(&text).with_context(|| format!("{} is not the JSON object iExec apps write", path.display()))
    }
}

/// What a worker votes for and, for a callback deal, the bytes `finalize` passes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskResult {
    /// The result digest.
    pub digest: B256,
    /// The hex-decoded callback data (empty without a callback): `resultsCallback`.
    pub callback_data: Bytes,
}

/// The result of a run whose output folder is `output_dir` (seen by the app as
/// [`GUEST_OUT`]), for a deal whose callback is `callback` (zero: none).
pub fn task_result(output_dir: &Path, computed: &ComputedFile, callback: Address) -> Result<TaskResult> {
    if !callback.is_zero() {
        let data = computed.callback_data.as_deref().with_context(|| {
            format!("the deal has a callback ({callback}) but the app's {COMPUTED_JSON} has no callback-data")
        })?;
        let bytes = decode_callback_data(data)?;
        return Ok(TaskResult { digest: keccak256(&bytes), callback_data: bytes });
    }
    let path = computed
        .deterministic_output_path
        .as_deref()
        .with_context(|| format!("the app's {COMPUTED_JSON} has no deterministic-output-path"))?;
    Ok(TaskResult { digest: web2_digest(output_dir, path)?, callback_data: Bytes::new() })
}

/// Callback data as web3j's `Numeric.hexStringToByteArray` reads it: an optional `0x`, an
/// odd length read as if a `0` led. Empty data is refused, as iexec-common refuses it.
pub fn decode_callback_data(data: &str) -> Result<Bytes> {
    let digits = data.strip_prefix("0x").or_else(|| data.strip_prefix("0X")).unwrap_or(data);
    ensure!(!digits.is_empty(), "callback-data is empty: a callback deal's app must write its result as hex callback-data");
    let padded = if digits.len() % 2 == 1 { format!("0{digits}") } else { digits.to_string() };
    let bytes = hex::decode(&padded).with_context(|| format!("callback-data is not hex: {data:?}"))?;
    Ok(bytes.into())
}

/// The web2 digest of `guest_path` (e.g. `/iexec_out/result.txt`), found under
/// `output_dir`.
pub fn web2_digest(output_dir: &Path, guest_path: &str) -> Result<B256> {
    let host = host_path(output_dir, guest_path)?;
    let meta = fs::symlink_metadata(&host)
        .with_context(|| format!("deterministic-output-path {guest_path:?} does not exist in the output folder"))?;
    if meta.file_type().is_symlink() {
        bail!("deterministic-output-path {guest_path:?} is a symbolic link, which the worker does not follow");
    }
    if meta.is_dir() {
        tree_digest(&host)
    } else {
        Ok(B256::from(file_sha256(&host)?))
    }
}

/// Maps a path as the app sees it onto the host: it must be [`GUEST_OUT`] or below it,
/// without `..`.
fn host_path(output_dir: &Path, guest_path: &str) -> Result<PathBuf> {
    let mut components = Path::new(guest_path).components();
    let outside = || format!("deterministic-output-path {guest_path:?} must name {GUEST_OUT} or a path inside it");
    ensure!(components.next() == Some(Component::RootDir), "{}", outside());
    ensure!(
        components.next().map(|c| c.as_os_str()) == Some(GUEST_OUT.trim_start_matches('/').as_ref()),
        "{}",
        outside()
    );
    let mut host = output_dir.to_path_buf();
    for component in components {
        match component {
            Component::Normal(part) => host.push(part),
            Component::CurDir => {}
            _ => bail!("{}", outside()),
        }
    }
    Ok(host)
}

/// `sha256` of a regular file's bytes.
fn file_sha256(path: &Path) -> Result<[u8; 32]> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Sha256::digest(&bytes).into())
}

/// iexec-common `FileHashUtils.getFileTreeSha256` of a directory.
fn tree_digest(dir: &Path) -> Result<B256> {
    let mut children = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        children.push(entry);
    }
    children.sort_by(|a, b| java_name_order(&a.file_name().to_string_lossy(), &b.file_name().to_string_lossy()));
    let mut concatenated = Vec::with_capacity(32 * children.len());
    for child in children {
        let kind = child.file_type().with_context(|| format!("reading {}", child.path().display()))?;
        if kind.is_symlink() {
            bail!("{} is a symbolic link, which the worker does not follow", child.path().display());
        }
        if kind.is_file() {
            concatenated.extend_from_slice(&file_sha256(&child.path())?);
        }
        // A sub-directory: Java reads no bytes from it and its hash is "", no bytes.
    }
    Ok(keccak256(&concatenated))
}

/// Java's `String.compareTo`: UTF-16 code units, lexicographically.
fn java_name_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The zip of the output folder (iExec's `iexec_out.zip`, what a worker uploads): every
/// regular file and folder under it, with paths relative to it, in sorted order so that
/// the same folder gives the same bytes. A symbolic link is an error.
pub fn zip_output(output_dir: &Path) -> Result<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let dir = output_dir.join(&relative);
        let mut entries = fs::read_dir(&dir)
            .with_context(|| format!("listing {}", dir.display()))?
            .collect::<std::io::Result<Vec<_>>>()
            .with_context(|| format!("listing {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries.into_iter().rev() {
            let name = relative.join(entry.file_name());
            let zip_name = name.to_str().with_context(|| format!("{} is not a UTF-8 name", name.display()))?.to_string();
            let kind = entry.file_type()?;
            if kind.is_symlink() {
                bail!("{} is a symbolic link, which the worker does not archive", entry.path().display());
            } else if kind.is_dir() {
                writer.add_directory(format!("{zip_name}/"), options)?;
                pending.push(name);
            } else {
                writer.start_file(zip_name, options)?;
                writer.write_all(&fs::read(entry.path()).with_context(|| format!("reading {}", entry.path().display()))?)?;
            }
        }
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;
    use alloy::primitives::b256;

    /// iexec-common's fixture `file-hash/output/iexec_out`: result1.txt, result2.txt.
    fn iexec_fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("result1.txt"), "A result").unwrap();
        fs::write(dir.path().join("result2.txt"), "Another result").unwrap();
        dir
    }

    #[test]
    fn a_file_digest_is_its_sha256_as_in_iexec_common() {
        // FileHashUtilsTests.shouldGetFileSha256
        let out = iexec_fixture();
        assert_eq!(
            web2_digest(out.path(), "/iexec_out/result1.txt").unwrap(),
            b256!("d885f429a59e0816822fc0927be6a6af20ade2c79db49df6c6022f79cb27ac16")
        );
    }

    #[test]
    fn a_directory_digest_is_keccak_of_its_sorted_children_as_in_iexec_common() {
        // FileHashUtilsTests.shouldGetFileTreeSha256SinceFileTree, ResultUtilsTests.shouldComputeWeb2ResultDigest
        let out = iexec_fixture();
        let expected = b256!("cc77508549295dd5de5876a2f4f00d4c3c27a547c6403450e43ab4de191bf1bc");
        assert_eq!(web2_digest(out.path(), "/iexec_out").unwrap(), expected);
        assert_eq!(web2_digest(out.path(), "/iexec_out/").unwrap(), expected);
        // A sub-directory adds no bytes; creation order does not matter.
        fs::create_dir(out.path().join("a-subdir")).unwrap();
        fs::write(out.path().join("a-subdir/ignored.txt"), "x").unwrap();
        assert_eq!(web2_digest(out.path(), "/iexec_out").unwrap(), expected);
        // Another file changes it.
        fs::write(out.path().join("result0.txt"), "").unwrap();
        assert_ne!(web2_digest(out.path(), "/iexec_out").unwrap(), expected);
    }

    #[test]
    fn children_sort_as_java_strings() {
        assert_eq!(java_name_order("B", "a"), Ordering::Less); // uppercase first, as bytes
        assert_eq!(java_name_order("a", "ab"), Ordering::Less);
        // U+FF61 is one UTF-16 unit above the surrogates of U+1F600: Java puts the emoji first,
        // UTF-8 byte order would put it last.
        assert_eq!(java_name_order("\u{1F600}", "\u{FF61}"), Ordering::Less);
        assert_eq!("\u{1F600}".cmp("\u{FF61}"), Ordering::Greater);
    }

    #[test]
    fn an_empty_directory_hashes_to_keccak_of_nothing() {
        let out = tempfile::tempdir().unwrap();
        assert_eq!(web2_digest(out.path(), "/iexec_out").unwrap(), keccak256([]));
    }

    #[test]
    fn the_callback_digest_hashes_the_decoded_bytes_as_in_iexec_common() {
        // ResultUtilsTests.shouldComputeWeb3ResultDigest; not the Rust post-compute's
        // keccak of the ASCII text (0xcb371be2…, spec §3.2).
        let computed = ComputedFile {
            callback_data: Some("0x0000000000000000000000000000000000000000000000000000000000000001".into()),
            ..Default::default()
        };
        let out = tempfile::tempdir().unwrap();
        let result = task_result(out.path(), &computed, Address::repeat_byte(1)).unwrap();
        assert_eq!(result.digest, b256!("b10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6"));
        assert_eq!(result.callback_data.len(), 32);
        assert_ne!(result.digest, b256!("cb371be217faa47dab94e0d0ff0840c6cbf41645f0dc1a6ae3f34447155a76f3"));
    }

    #[test]
    fn callback_data_reads_as_web3j_reads_hex() {
        assert_eq!(decode_callback_data("0x0102").unwrap().as_ref(), &[1, 2]);
        assert_eq!(decode_callback_data("102").unwrap().as_ref(), &[1, 2]);
        assert!(decode_callback_data("0x").is_err());
        assert!(decode_callback_data("0xzz").is_err());
    }

    #[test]
    fn a_callback_deal_needs_callback_data_and_a_plain_deal_needs_a_path() {
        let out = iexec_fixture();
        let plain = ComputedFile { deterministic_output_path: Some("/iexec_out/result2.txt".into()), ..Default::default() };
        let err = task_result(out.path(), &plain, Address::repeat_byte(1)).unwrap_err().to_string();
        assert!(err.contains("no callback-data"), "{err}");
        let web2 = task_result(out.path(), &plain, Address::ZERO).unwrap();
        assert_eq!(web2.digest, B256::from(<[u8; 32]>::from(Sha256::digest(b"Another result"))));
        assert!(web2.callback_data.is_empty());
        let err = task_result(out.path(), &ComputedFile::default(), Address::ZERO).unwrap_err().to_string();
        assert!(err.contains("no deterministic-output-path"), "{err}");
    }

    #[test]
    fn paths_outside_the_output_folder_and_links_are_refused() {
        let out = iexec_fixture();
        for path in ["/iexec_in/dataset", "/etc/passwd", "/iexec_out/../iexec_in", "iexec_out/result1.txt", "/iexec_out/missing"] {
            assert!(web2_digest(out.path(), path).is_err(), "{path}");
        }
        std::os::unix::fs::symlink("/etc/hostname", out.path().join("link")).unwrap();
        let err = web2_digest(out.path(), "/iexec_out/link").unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let err = web2_digest(out.path(), "/iexec_out").unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(zip_output(out.path()).is_err());
    }

    #[test]
    fn computed_json_reads_iexecs_keys_and_ignores_others() {
        let out = tempfile::tempdir().unwrap();
        assert!(ComputedFile::read(out.path()).unwrap_err().to_string().contains("no computed.json"));
        fs::write(out.path().join(COMPUTED_JSON), r#"{"deterministic-output-path":"/iexec_out/r","callback-data":"0x01","extra":1}"#)
            .unwrap();
        let computed = ComputedFile::read(out.path()).unwrap();
        assert_eq!(computed.deterministic_output_path.as_deref(), Some("/iexec_out/r"));
        assert_eq!(computed.callback_data.as_deref(), Some("0x01"));
        fs::write(out.path().join(COMPUTED_JSON), "not json").unwrap();
        assert!(ComputedFile::read(out.path()).is_err());
    }

    #[test]
    fn the_archive_holds_the_output_folder_and_is_reproducible() {
        let out = iexec_fixture();
        fs::create_dir(out.path().join("sub")).unwrap();
        fs::write(out.path().join("sub/deep.txt"), "deep").unwrap();
        let zip = zip_output(out.path()).unwrap();
        assert_eq!(zip, zip_output(out.path()).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
        names.sort();
        assert_eq!(names, ["result1.txt", "result2.txt", "sub/", "sub/deep.txt"]);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("sub/deep.txt").unwrap(), &mut text).unwrap();
        assert_eq!(text, "deep");
    }
}
