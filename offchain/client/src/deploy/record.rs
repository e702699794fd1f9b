//! The deployment record (`deploy/<chain>.json`): what a deployment made, in enough detail
//! to audit it and to resume it.
//!
//! The pipeline writes the record after every transaction ([`RecordStore::save`]), so a run
//! killed at any point leaves a record of everything before its last transaction, and that
//! last one is found on chain by the next run (programs at their CREATE2 address, calls by
//! the state they leave), never sent twice.

use std::{collections::BTreeMap, fs, path::PathBuf};

use alloy::primitives::{Address, FixedBytes, B256, U256};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::PocoDeployment;

/// Version of the record format; a record of another version is refused rather than
/// misread.
pub const RECORD_FORMAT: u32 = 1;

/// A deployment of the protocol on one chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DeploymentRecord {
    /// [`RECORD_FORMAT`].
    pub format: u32,
    /// Chain name (the chain file's).
    pub chain: String,
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Who sent the transactions and owns the protocol.
    pub owner: Address,
    /// The StylusDeployer every program went through.
    pub stylus_deployer: Address,
    /// The CREATE2 namespace: each program's salt is `keccak256(salt ‖ name)`.
    pub salt: B256,
    /// Git revision of the source tree the programs were built from, last written by a run
    /// that deployed or upgraded something.
    pub revision: String,
    /// `true` when RLC was the chain's (chain file `rlc`), not deployed here.
    pub external_rlc: bool,
    /// Programs by name (`rlc`, `app`, `app-registry`, `facet-escrow`, `hub-router`, ...).
    pub programs: BTreeMap<String, ProgramRecord>,
    /// The configuration transactions (registry initialization and base URIs, diamond cut,
    /// `configure`, categories), by what they did.
    pub calls: BTreeMap<String, TxRecord>,
    /// The hub's routing: each facet's selectors, as the loupe answered after the last cut.
    pub routing: BTreeMap<String, Vec<FixedBytes<4>>>,
    /// Upgrades applied by `poco upgrade`, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upgrades: Vec<UpgradeRecord>,
    /// The addresses, in [`PocoDeployment`]'s form (what `poco` commands read).
    pub addresses: PocoDeployment,
}

/// One deployed program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProgramRecord {
    /// Its address.
    pub address: Address,
    /// `keccak256` of its on-chain code (what `ArbWasm` keys activations by).
    pub codehash: B256,
    /// The transaction that created, activated and constructed it.
    pub tx: Option<B256>,
    /// Its block.
    pub block: Option<u64>,
    /// Activation data fee paid, in wei (zero when the code was already active).
    pub data_fee: U256,
    /// Stylus version it was activated for.
    pub stylus_version: u16,
    /// Constructor calldata given to the StylusDeployer (empty: no constructor).
    pub init_data: alloy::primitives::Bytes,
}

/// One transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TxRecord {
    /// Its hash; `None` when a run found its effect on chain but not the transaction (it
    /// was mined after the run that sent it was killed, before it wrote the record).
    pub tx: Option<B256>,
    /// Its block.
    pub block: Option<u64>,
}

/// One `poco upgrade`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct UpgradeRecord {
    /// The `diamondCut` transaction.
    pub tx: B256,
    /// Its block.
    pub block: u64,
    /// Git revision of the new programs.
    pub revision: String,
    /// Facets whose selectors moved to a new program, and their previous address.
    pub replaced: BTreeMap<String, Address>,
    /// Selectors added.
    pub added: Vec<FixedBytes<4>>,
    /// Selectors removed.
    pub removed: Vec<FixedBytes<4>>,
}

/// Where a record lives.
#[derive(Debug, Clone)]
pub enum RecordStore {
    /// Nowhere: the record lives as long as the run (`deploy_poco`, the tests).
    Memory,
    /// A JSON file, rewritten whole (through a temporary file and a rename, so a kill never
    /// leaves half a record).
    File(PathBuf),
}

impl RecordStore {
    /// The record stored, if any.
    pub fn load(&self) -> Result<Option<DeploymentRecord>> {
        let RecordStore::File(path) = self else { return Ok(None) };
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read the deployment record {}", path.display())),
        };
        let record: DeploymentRecord = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a deployment record (fix or move it away)", path.display()))?;
        if record.format != RECORD_FORMAT {
            bail!(
                "{} is a deployment record of format {}, this poco reads format {RECORD_FORMAT}",
                path.display(),
                record.format
            );
        }
        Ok(Some(record))
    }

    /// Stores `record`.
    pub fn save(&self, record: &DeploymentRecord) -> Result<()> {
        let RecordStore::File(path) = self else { return Ok(()) };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(record).context("serializing the deployment record")?;
        let partial = path.with_extension("json.partial");
        fs::write(&partial, text + "\n").with_context(|| format!("writing {}", partial.display()))?;
        fs::rename(&partial, path).with_context(|| format!("renaming {} to {}", partial.display(), path.display()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;

    #[test]
    fn a_record_round_trips_through_its_file_and_keeps_addresses_under_their_key() {
        let dir = scratch_dir("round-trip");
        let store = RecordStore::File(dir.join("deploy/x.json"));
        assert_eq!(store.load().unwrap(), None);
        let mut record = DeploymentRecord { format: RECORD_FORMAT, chain: "x".into(), ..Default::default() };
        record.addresses.hub = Address::with_last_byte(2);
        record.programs.insert(
            "rlc".into(),
            ProgramRecord {
                address: Address::with_last_byte(1),
                codehash: B256::repeat_byte(3),
                tx: Some(B256::repeat_byte(4)),
                block: Some(5),
                data_fee: U256::from(6),
                stylus_version: 2,
                init_data: vec![1, 2].into(),
            },
        );
        record.routing.insert("facet-a".into(), vec![FixedBytes([1, 2, 3, 4])]);
        store.save(&record).unwrap();
        assert_eq!(store.load().unwrap(), Some(record));
        // What the chain-file reader takes: the addresses under "addresses", snake case.
        let text: serde_json::Value = serde_json::from_str(&fs::read_to_string(dir.join("deploy/x.json")).unwrap()).unwrap();
        assert_eq!(text["addresses"]["hub"], "0x0000000000000000000000000000000000000002");
        assert!(text["addresses"]["app_registry"].is_string());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_record_of_another_format_is_refused() {
        let dir = scratch_dir("other-format");
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.json");
        let record = DeploymentRecord { format: 99, ..Default::default() };
        fs::write(&path, serde_json::to_string(&record).unwrap()).unwrap();
        let e = RecordStore::File(path).load().unwrap_err().to_string();
        assert!(e.contains("format 99"), "{e}");
        fs::remove_dir_all(dir).unwrap();
    }

    /// A fresh directory of this test process.
    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("poco-record-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }
}
