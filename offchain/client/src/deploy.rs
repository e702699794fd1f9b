//! Deploys the whole protocol on a Stylus chain, in PoCo's order (`deploy/0_deploy.ts`):
//! RLC, the three entry programs and their registries (initialized, base URIs set), the hub
//! facets and router, one diamond cut, `configure` ("Staked RLC" / "SRLC" / 9) and the five
//! default categories.
//!
//! Every program goes through Arbitrum's `StylusDeployer` ([`stylus_deployer`]): creation,
//! activation and constructor in one transaction, so that on a public chain nobody can call a
//! constructor before the deployer (the devnet has the deployer at the same address, so this
//! path is the one the tests run). The pipeline ([`pipeline`]) is resumable and verifying: it
//! writes a [`record`] after every transaction and, on a second run, verifies what is on chain
//! and sends only what is missing. [`upgrade`] replaces changed facets with one `diamondCut`;
//! [`activation`] reports programs whose activation expires soon and renews them; [`cache`]
//! places cache bids.
//!
//! [`deploy_poco`] is the same pipeline with a record kept in memory (the tests' deployment).

pub mod activation;
pub mod cache;
pub mod pipeline;
pub mod record;
pub mod routing;
pub mod stylus_deployer;
pub mod upgrade;

use std::collections::BTreeMap;

use alloy::{primitives::Address, providers::Provider};
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

pub use pipeline::{deploy, DeployOptions, DeployOutcome, StepOutcome};
pub use record::{DeploymentRecord, RecordStore};
pub use routing::facet_selectors;
pub use upgrade::{upgrade, UpgradeOutcome};

use crate::artifacts::Artifacts;

/// The revert data of a failed JSON-RPC call, if the node returned some.
fn revert_data(e: &alloy::transports::TransportError) -> Option<alloy::primitives::Bytes> {
    e.as_error_resp().and_then(|payload| payload.as_revert_data())
}

/// A revert as text: its reason string or panic when it has one (alloy's decoder), else
/// its data in hex (the custom errors of the deployer and ArbWasm are matched where they are
/// expected).
fn revert_text(data: &[u8]) -> String {
    alloy::sol_types::decode_revert_reason(data).unwrap_or_else(|| format!("revert data {}", alloy::hex::encode_prefixed(data)))
}

/// Addresses of a deployed protocol (the `"addresses"` of a deployment record).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PocoDeployment {
    /// RLC token.
    pub rlc: Address,
    /// Entry programs (masters of the registry proxies), by kind.
    pub app_master: Address,
    /// Dataset entry program.
    pub dataset_master: Address,
    /// Workerpool entry program.
    pub workerpool_master: Address,
    /// App registry.
    pub app_registry: Address,
    /// Dataset registry.
    pub dataset_registry: Address,
    /// Workerpool registry.
    pub workerpool_registry: Address,
    /// The hub (diamond router): the address dApps call.
    pub hub: Address,
    /// Each facet program, by name (`facet-escrow`, ...).
    pub facets: BTreeMap<String, Address>,
}

/// Deploys and wires the whole protocol; `owner` (the provider's sender) owns everything
/// and receives RLC's initial supply. Run again by the same owner on the same chain, it
/// verifies the deployment and returns the same addresses.
pub async fn deploy_poco<P: Provider>(provider: &P, owner: Address, artifacts: &Artifacts) -> Result<PocoDeployment> {
    let options = DeployOptions::new("in-memory", owner);
    Ok(deploy(provider, artifacts, &options, &RecordStore::Memory).await?.record.addresses)
}

/// Deploys RLC, the three entry programs and their registries (initialized, base URIs set).
pub async fn deploy_foundation<P: Provider>(
    provider: &P,
    owner: Address,
    artifacts: &Artifacts,
) -> Result<PocoDeployment> {
    let options = DeployOptions { hub: false, ..DeployOptions::new("in-memory", owner) };
    Ok(deploy(provider, artifacts, &options, &RecordStore::Memory).await?.record.addresses)
}

/// Deploys the hub on top of a foundation `d` that [`deploy_foundation`] made for `owner`:
/// every facet of `abi/facet-*.json`, the router, one diamond cut with all their selectors,
/// `configure` and the default categories.
pub async fn deploy_hub<P: Provider>(
    provider: &P,
    owner: Address,
    artifacts: &Artifacts,
    d: &mut PocoDeployment,
) -> Result<()> {
    let full = deploy_poco(provider, owner, artifacts).await?;
    if (full.rlc, full.app_registry, full.dataset_registry, full.workerpool_registry)
        != (d.rlc, d.app_registry, d.dataset_registry, d.workerpool_registry)
    {
        bail!("deploy_hub needs the foundation deploy_foundation made for the same owner");
    }
    *d = full;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::{json_abi::JsonAbi, primitives::FixedBytes, sol_types::SolCall};

    fn selectors_of(abi: &JsonAbi) -> Vec<FixedBytes<4>> {
        abi.functions().map(|f| f.selector()).collect()
    }

    /// The hand-declared deployment calls exist, with these exact selectors, in the ABI the
    /// contracts export.
    #[test]
    fn deployment_calls_match_the_exported_abi() {
        let artifacts = Artifacts::of_this_workspace();
        let hub = artifacts.abi("hub").expect("abi/hub.json");
        for selector in [
            routing::IHubDiamond::diamondCutCall::SELECTOR,
            routing::IHubDiamond::facetsCall::SELECTOR,
            routing::IHubDiamond::facetAddressCall::SELECTOR,
            routing::IHubDiamond::ownerCall::SELECTOR,
            pipeline::IHubConfig::configureCall::SELECTOR,
            pipeline::IHubConfig::createCategoryCall::SELECTOR,
            pipeline::IHubConfig::countCategoryCall::SELECTOR,
            pipeline::IHubConfig::viewCategoryCall::SELECTOR,
            pipeline::IHubConfig::tokenCall::SELECTOR,
            pipeline::IHubConfig::appregistryCall::SELECTOR,
            pipeline::IHubConfig::datasetregistryCall::SELECTOR,
            pipeline::IHubConfig::workerpoolregistryCall::SELECTOR,
        ] {
            assert!(selectors_of(&hub).contains(&FixedBytes(selector)), "{selector:02x?}");
        }
        for registry in ["app-registry", "dataset-registry", "workerpool-registry"] {
            let abi = artifacts.abi(registry).expect("registry abi");
            use pipeline::IRegistrySetup as R;
            for selector in [
                R::initializeCall::SELECTOR,
                R::setBaseURICall::SELECTOR,
                R::initializedCall::SELECTOR,
                R::baseURICall::SELECTOR,
                R::masterCall::SELECTOR,
                R::ownerCall::SELECTOR,
            ] {
                assert!(selectors_of(&abi).contains(&FixedBytes(selector)), "{registry} {selector:02x?}");
            }
        }
    }
}
