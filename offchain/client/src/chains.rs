//! Chain configuration: which JSON-RPC endpoint, which chain id, which PoCo addresses.
//!
//! A chain file is TOML, one table per chain (`[devnet]`, `[arbitrum-sepolia]`, ...) with
//! `rpc`, `chain-id` and optional `hub`, `rlc`, `app-registry`, `dataset-registry`,
//! `workerpool-registry`. The file shipped in `deploy/chains.toml` is compiled in, so an
//! installed binary knows the devnet and Arbitrum without any file; a user's own file
//! (`<config dir>/poco/chains.toml`) or an explicit path replaces it. Addresses a chain entry
//! leaves out come from its deployment record (`deploy/<chain>.json`, written by
//! `poco deploy`), and the registries and RLC, when still unknown, from the hub itself.
//!
//! [`connect`] checks what the configuration promises before anything is sent: that the
//! endpoint answers, and that it serves the chain id the file names (a wrong chain would
//! sign orders for the wrong EIP-712 domain, or spend real funds).

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    time::Duration,
};

use alloy::{
    primitives::Address,
    providers::{Provider, ProviderBuilder, RootProvider},
};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The chain file shipped with this tree (`deploy/chains.toml`).
pub const SHIPPED_CHAIN_FILE: &str = include_str!("../../../deploy/chains.toml");

/// How long [`connect`] waits for the endpoint's `eth_chainId`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// One chain of a chain file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ChainConfig {
    /// JSON-RPC URL.
    pub rpc: String,
    /// EIP-155 chain id the endpoint must serve.
    pub chain_id: u64,
    /// PoCo addresses known for this chain.
    #[serde(flatten)]
    pub addresses: ChainAddresses,
}

/// PoCo addresses of a chain; any may be unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ChainAddresses {
    /// The hub (diamond router).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<Address>,
    /// RLC token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rlc: Option<Address>,
    /// App registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_registry: Option<Address>,
    /// Dataset registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_registry: Option<Address>,
    /// Workerpool registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workerpool_registry: Option<Address>,
}

impl ChainAddresses {
    /// `self`, with what it lacks taken from `fallback`.
    pub fn or(self, fallback: ChainAddresses) -> ChainAddresses {
        ChainAddresses {
            hub: self.hub.or(fallback.hub),
            rlc: self.rlc.or(fallback.rlc),
            app_registry: self.app_registry.or(fallback.app_registry),
            dataset_registry: self.dataset_registry.or(fallback.dataset_registry),
            workerpool_registry: self.workerpool_registry.or(fallback.workerpool_registry),
        }
    }
}

/// A parsed chain file and where it came from.
#[derive(Debug, Clone)]
pub struct ChainFile {
    /// The file read, `None` for the shipped one.
    pub path: Option<PathBuf>,
    /// Chains by name.
    pub chains: BTreeMap<String, ChainConfig>,
}

impl ChainFile {
    /// Parses chain-file text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<BTreeMap<String, ChainConfig>> {
        toml::from_str(text).with_context(|| format!("{origin} is not a valid chain file"))
    }

    /// The shipped chain file.
    pub fn shipped() -> Result<Self> {
        Ok(Self { path: None, chains: Self::parse(SHIPPED_CHAIN_FILE, "the shipped chain file")? })
    }

    /// Reads the chain file at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).with_context(|| format!("cannot read the chain file {}", path.display()))?;
        Ok(Self { path: Some(path.to_path_buf()), chains: Self::parse(&text, &path.display().to_string())? })
    }

    /// The user's chain file: `$XDG_CONFIG_HOME/poco/chains.toml`, else
    /// `~/.config/poco/chains.toml`.
    pub fn user_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
        Some(base.join("poco").join("chains.toml"))
    }

    /// `explicit` if given, else the user's chain file if it exists, else the shipped one.
    pub fn discover(explicit: Option<&Path>) -> Result<Self> {
        if let Some(path) = explicit {
            return Self::load(path);
        }
        match Self::user_path() {
            Some(path) if path.is_file() => Self::load(&path),
            _ => Self::shipped(),
        }
    }

    /// Names the file in messages.
    pub fn describe(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => "the shipped chain file (deploy/chains.toml)".into(),
        }
    }

    /// The chain called `name`.
    pub fn chain(&self, name: &str) -> Result<&ChainConfig> {
        self.chains.get(name).with_context(|| {
            let known = self.chains.keys().cloned().collect::<Vec<_>>().join(", ");
            format!("no chain `{name}` in {} (it has: {known}); add it there or pick one with --chain", self.describe())
        })
    }

    /// Where the deployment record of chain `name` is: `<chain>.json` beside this file, or
    /// for the shipped file `deploy/<chain>.json` under the current directory.
    pub fn record_path(&self, name: &str) -> PathBuf {
        let dir = match self.path.as_ref().and_then(|p| p.parent()) {
            Some(dir) => dir.to_path_buf(),
            None => PathBuf::from("deploy"),
        };
        dir.join(format!("{name}.json"))
    }
}

/// The addresses of a deployment record (`deploy/<chain>.json`, key `"addresses"`, as
/// `poco deploy` writes it); `None` when there is no record.
pub fn record_addresses(path: &Path) -> Result<Option<ChainAddresses>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read the deployment record {}", path.display())),
    };
    let record: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let Some(addresses) = record.get("addresses") else {
        bail!("the deployment record {} has no \"addresses\"", path.display());
    };
    // `PocoDeployment`'s field names, in snake case (Rust) or kebab case (chain file).
    let field = |name: &str| -> Result<Option<Address>> {
        let value = addresses.get(name).or_else(|| addresses.get(name.replace('_', "-")));
        match value {
            None | Some(serde_json::Value::Null) => Ok(None),
            // A deployment interrupted before a contract existed records it as zero.
            Some(v) => serde_json::from_value::<Address>(v.clone())
                .map(|a| Some(a).filter(|a| !a.is_zero()))
                .with_context(|| format!("{}: addresses.{name} is not an address", path.display())),
        }
    };
    Ok(Some(ChainAddresses {
        hub: field("hub")?,
        rlc: field("rlc")?,
        app_registry: field("app_registry")?,
        dataset_registry: field("dataset_registry")?,
        workerpool_registry: field("workerpool_registry")?,
    }))
}

/// Connects to `chain` and checks that its endpoint answers and serves its chain id.
/// `name` and `origin` (the chain file) only word the errors.
pub async fn connect(name: &str, chain: &ChainConfig, origin: &str) -> Result<RootProvider> {
    let url = chain
        .rpc
        .parse()
        .with_context(|| format!("chain `{name}`: `{}` is not a URL (fix `rpc` in {origin} or pass --rpc)", chain.rpc))?;
    let provider = ProviderBuilder::new().disable_recommended_fillers().connect_http(url);
    let answer = tokio::time::timeout(CONNECT_TIMEOUT, provider.get_chain_id()).await;
    let served = match answer {
        Ok(Ok(id)) => id,
        Ok(Err(e)) => bail!(
            "cannot reach the JSON-RPC endpoint {} of chain `{name}` ({}); is the node running? \
             (`poco devnet` starts a local one; --rpc picks another endpoint)",
            chain.rpc,
            transport_summary(&e)
        ),
        Err(_) => bail!(
            "the JSON-RPC endpoint {} of chain `{name}` did not answer within {}s; check the URL or the network",
            chain.rpc,
            CONNECT_TIMEOUT.as_secs()
        ),
    };
    if served != chain.chain_id {
        bail!(
            "the endpoint {} serves chain id {served}, but chain `{name}` in {origin} has chain id {}; \
             pick the right --chain or --rpc, or fix `chain-id`",
            chain.rpc,
            chain.chain_id
        );
    }
    Ok(provider)
}

/// The innermost cause of a transport failure ("Connection refused"), not reqwest's whole
/// chain.
fn transport_summary(e: &alloy::transports::TransportError) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;

    #[test]
    fn the_shipped_file_has_the_three_chains_with_their_ids() {
        let file = ChainFile::shipped().unwrap();
        assert_eq!(file.chain("devnet").unwrap().chain_id, 412346);
        assert_eq!(file.chain("devnet").unwrap().rpc, "http://127.0.0.1:8547");
        assert_eq!(file.chain("arbitrum-sepolia").unwrap().chain_id, 421614);
        assert_eq!(file.chain("arbitrum-one").unwrap().chain_id, 42161);
        assert!(file.chain("arbitrum-one").unwrap().addresses.rlc.is_some());
        let missing = file.chain("nowhere").unwrap_err().to_string();
        assert!(missing.contains("arbitrum-one") && missing.contains("--chain"), "{missing}");
    }

    #[test]
    fn addresses_parse_in_kebab_case_and_unknown_keys_are_refused() {
        let chains = ChainFile::parse(
            "[x]\nrpc = \"http://h\"\nchain-id = 7\nhub = \"0x0000000000000000000000000000000000000001\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(chains["x"].addresses.hub, Some(Address::with_last_byte(1)));
        assert!(ChainFile::parse("[x]\nrpc = \"h\"\nchain-id = 7\nhubb = \"0x00\"\n", "t").is_err());
    }

    #[test]
    fn record_addresses_read_the_addresses_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        assert_eq!(record_addresses(&path).unwrap(), None);
        fs::write(
            &path,
            r#"{"addresses":{"hub":"0x0000000000000000000000000000000000000002","app_registry":"0x0000000000000000000000000000000000000003","rlc":"0x0000000000000000000000000000000000000000"}}"#,
        )
        .unwrap();
        let got = record_addresses(&path).unwrap().unwrap();
        assert_eq!(got.hub, Some(Address::with_last_byte(2)));
        assert_eq!(got.app_registry, Some(Address::with_last_byte(3)));
        assert_eq!(got.rlc, None, "zero is not deployed yet");
        let merged = ChainAddresses { rlc: Some(Address::with_last_byte(9)), ..Default::default() }.or(got);
        assert_eq!((merged.rlc, merged.hub), (Some(Address::with_last_byte(9)), Some(Address::with_last_byte(2))));
    }
}
