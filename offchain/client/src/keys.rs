//! The signing key of a command: an encrypted JSON keystore (Web3 Secret Storage, as geth,
//! foundry and iExec's CLI write them), the `POCO_PRIVATE_KEY` environment variable, or a
//! hex key given on the command line for development.
//!
//! No error message, log line or `Debug` output carries key material: parse failures say
//! where the key came from and what shape was expected, never the value.

use std::path::{Path, PathBuf};

use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context, Result};

/// Environment variable holding a hex private key.
pub const PRIVATE_KEY_ENV: &str = "POCO_PRIVATE_KEY";
/// Environment variable holding a keystore's password.
pub const KEYSTORE_PASSWORD_ENV: &str = "POCO_KEYSTORE_PASSWORD";

/// Where a key comes from, in the order [`KeySource::resolve`] prefers them.
#[derive(Clone, Default)]
pub struct KeySource {
    /// A hex key from the command line (development only).
    pub private_key: Option<String>,
    /// An encrypted keystore file.
    pub keystore: Option<PathBuf>,
    /// A file holding the keystore's password (else [`KEYSTORE_PASSWORD_ENV`]).
    pub password_file: Option<PathBuf>,
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySource")
            .field("private_key", &self.private_key.as_ref().map(|_| "<hidden>"))
            .field("keystore", &self.keystore)
            .field("password_file", &self.password_file)
            .finish()
    }
}

impl KeySource {
    /// The signer: `--private-key`, else the keystore, else [`PRIVATE_KEY_ENV`]; `None` when
    /// no key is configured.
    pub fn resolve(&self) -> Result<Option<PrivateKeySigner>> {
        if let Some(hex) = &self.private_key {
            return parse_private_key(hex, "--private-key").map(Some);
        }
        if let Some(path) = &self.keystore {
            return decrypt_keystore(path, self.password_file.as_deref()).map(Some);
        }
        match std::env::var(PRIVATE_KEY_ENV) {
            Ok(hex) if !hex.trim().is_empty() => parse_private_key(&hex, PRIVATE_KEY_ENV).map(Some),
            _ => Ok(None),
        }
    }

    /// The signer, or an error saying how to give one.
    pub fn require(&self) -> Result<PrivateKeySigner> {
        self.resolve()?.with_context(|| {
            format!(
                "this command signs: give a key with --keystore PATH (password in --password-file or \
                 {KEYSTORE_PASSWORD_ENV}), the {PRIVATE_KEY_ENV} environment variable, or --private-key"
            )
        })
    }
}

/// Parses a 32-byte hex key (with or without `0x`); `origin` names where it came from.
pub fn parse_private_key(hex: &str, origin: &str) -> Result<PrivateKeySigner> {
    let trimmed = hex.trim();
    let digits = trimmed.strip_prefix("0x").unwrap_or(trimmed);
    if digits.len() != 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("the key in {origin} is not a private key: expected 64 hex digits (0x optional); the value is not shown");
    }
    // The secp256k1 range check (zero or ≥ n); the library's message carries no key bytes.
    digits.parse::<PrivateKeySigner>().map_err(|_| {
        anyhow::anyhow!("the key in {origin} is not a valid secp256k1 private key (zero or out of range)")
    })
}

/// Decrypts a keystore; the password comes from `password_file`, else [`KEYSTORE_PASSWORD_ENV`].
pub fn decrypt_keystore(path: &Path, password_file: Option<&Path>) -> Result<PrivateKeySigner> {
    let password = match password_file {
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the password file {}", file.display()))?
            .trim_end_matches(['\n', '\r'])
            .to_string(),
        None => std::env::var(KEYSTORE_PASSWORD_ENV).map_err(|_| {
            anyhow::anyhow!(
                "the keystore {} needs its password: --password-file PATH or {KEYSTORE_PASSWORD_ENV}",
                path.display()
            )
        })?,
    };
    if !path.is_file() {
        bail!("no keystore file at {}", path.display());
    }
    PrivateKeySigner::decrypt_keystore(path, password).map_err(|e| {
        anyhow::anyhow!("cannot decrypt the keystore {}: wrong password or not a keystore ({e})", path.display())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;

    const KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    #[test]
    fn a_hex_key_parses_with_or_without_prefix() {
        let a = parse_private_key(KEY, "t").unwrap();
        let b = parse_private_key(&KEY[2..], "t").unwrap();
        assert_eq!(a.address(), b.address());
    }

    #[test]
    fn a_bad_key_is_refused_without_echoing_it() {
        for bad in ["0x1234", &KEY.replace('a', "g"), &format!("0x{}", "0".repeat(64))] {
            let message = parse_private_key(bad, "--private-key").unwrap_err().to_string();
            assert!(message.contains("--private-key"), "{message}");
            assert!(!message.contains(bad.trim_start_matches("0x")), "the key leaked: {message}");
        }
    }

    #[test]
    fn a_keystore_decrypts_with_its_password_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = rand::thread_rng();
        let (signer, _uuid) =
            PrivateKeySigner::new_keystore(dir.path(), &mut rng, "pw", Some("k.json")).unwrap();
        let path = dir.path().join("k.json");
        let pw = dir.path().join("pw.txt");
        std::fs::write(&pw, "pw\n").unwrap();
        assert_eq!(decrypt_keystore(&path, Some(&pw)).unwrap().address(), signer.address());
        std::fs::write(&pw, "nope").unwrap();
        let message = decrypt_keystore(&path, Some(&pw)).unwrap_err().to_string();
        assert!(message.contains("wrong password"), "{message}");
    }

    #[test]
    fn debug_hides_the_key() {
        let source = KeySource { private_key: Some(KEY.into()), ..Default::default() };
        assert!(!format!("{source:?}").contains(&KEY[2..]));
    }
}
