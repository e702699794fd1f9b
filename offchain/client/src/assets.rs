//! Apps, datasets and workerpools: their registries (ERC-721, token id = asset address) and
//! what each asset contract says about itself, read as iExec's SDK reads them.

use alloy::{
    primitives::{Address, B256, U256},
    providers::Provider,
    sol,
};
use anyhow::{Context, Result};
use serde::Serialize;

use crate::bindings::{IApp, IAppRegistry, IWorkerpool};

sol!(
    #[sol(rpc)]
    #[allow(missing_docs)]
    IDataset,
    "../../abi/dataset.json"
);

/// The kinds of registered asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetKind {
    /// An application.
    App,
    /// A dataset.
    Dataset,
    /// A workerpool.
    Workerpool,
}

impl std::fmt::Display for AssetKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AssetKind::App => "app",
            AssetKind::Dataset => "dataset",
            AssetKind::Workerpool => "workerpool",
        })
    }
}

/// What an asset contract says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetInfo {
    /// Kind.
    pub kind: AssetKind,
    /// Address (= registry token id).
    pub address: Address,
    /// Owner.
    pub owner: Address,
    /// Name (app, dataset) or description (workerpool).
    pub name: String,
    /// App type (`DOCKER`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_type: Option<String>,
    /// App image or dataset location, as text when it is UTF-8, else hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiaddr: Option<String>,
    /// App or dataset checksum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<B256>,
    /// App TEE configuration (`mrenclave`), as text when UTF-8, else hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrenclave: Option<String>,
    /// Workerpool: percentage of the reward kept by the scheduler.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler_reward_ratio: Option<U256>,
    /// Workerpool: worker stake, percentage of the workerpool price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_stake_ratio: Option<U256>,
}

/// Bytes as text when they are UTF-8, else `0x` hex.
fn text_or_hex(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => format!("0x{}", alloy::primitives::hex::encode(bytes)),
    }
}

/// Reads the asset at `address`: its owner and its fields.
pub async fn asset_info<P: Provider>(provider: &P, kind: AssetKind, address: Address) -> Result<AssetInfo> {
    let code = provider.get_code_at(address).await.context("eth_getCode")?;
    anyhow::ensure!(!code.is_empty(), "no {kind} contract at {address}");
    let empty = AssetInfo {
        kind,
        address,
        owner: Address::ZERO,
        name: String::new(),
        app_type: None,
        multiaddr: None,
        checksum: None,
        mrenclave: None,
        scheduler_reward_ratio: None,
        worker_stake_ratio: None,
    };
    let what = || format!("reading {kind} {address}");
    Ok(match kind {
        AssetKind::App => {
            let app = IApp::new(address, provider);
            AssetInfo {
                owner: app.owner().call().await.with_context(what)?,
                name: app.m_appName().call().await.with_context(what)?,
                app_type: Some(app.m_appType().call().await.with_context(what)?),
                multiaddr: Some(text_or_hex(&app.m_appMultiaddr().call().await.with_context(what)?)),
                checksum: Some(app.m_appChecksum().call().await.with_context(what)?),
                mrenclave: Some(text_or_hex(&app.m_appMREnclave().call().await.with_context(what)?)),
                ..empty
            }
        }
        AssetKind::Dataset => {
            let dataset = IDataset::new(address, provider);
            AssetInfo {
                owner: dataset.owner().call().await.with_context(what)?,
                name: dataset.m_datasetName().call().await.with_context(what)?,
                multiaddr: Some(text_or_hex(&dataset.m_datasetMultiaddr().call().await.with_context(what)?)),
                checksum: Some(dataset.m_datasetChecksum().call().await.with_context(what)?),
                ..empty
            }
        }
        AssetKind::Workerpool => {
            let pool = IWorkerpool::new(address, provider);
            AssetInfo {
                owner: pool.owner().call().await.with_context(what)?,
                name: pool.m_workerpoolDescription().call().await.with_context(what)?,
                scheduler_reward_ratio: Some(pool.m_schedulerRewardRatioPolicy().call().await.with_context(what)?),
                worker_stake_ratio: Some(pool.m_workerStakeRatioPolicy().call().await.with_context(what)?),
                ..empty
            }
        }
    })
}

/// The `index`-th asset of `owner` in `registry` (`tokenOfOwnerByIndex`; every registry has
/// the same ERC-721 enumerable interface, so the app registry's binding serves all three).
pub async fn asset_of_owner<P: Provider>(provider: &P, registry: Address, owner: Address, index: U256) -> Result<Address> {
    let token = IAppRegistry::new(registry, provider)
        .tokenOfOwnerByIndex(owner, index)
        .call()
        .await
        .with_context(|| format!("{owner} has no asset at index {index} of registry {registry}"))?;
    Ok(Address::from_word(token.into()))
}

/// How many assets `owner` has in `registry` (`balanceOf`).
pub async fn asset_count<P: Provider>(provider: &P, registry: Address, owner: Address) -> Result<U256> {
    IAppRegistry::new(registry, provider).balanceOf(owner).call().await.context("registry balanceOf")
}
