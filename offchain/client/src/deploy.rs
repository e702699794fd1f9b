//! Deploys the whole protocol on a Stylus chain, in PoCo's order (`deploy/0_deploy.ts`):
//! RLC, the three entry programs and their registries, the hub facets and router, the
//! diamond cut, `configure` ("Staked RLC" / "SRLC" / 9) and the five default categories.
//!
//! Stylus constructors are called right after activation, in their own transactions — fine
//! on a private devnet. On a public chain they must run atomically with the deployment
//! (Arbitrum's `StylusDeployer`), or someone could front-run them.

use std::collections::BTreeMap;

use alloy::{
    json_abi::JsonAbi,
    primitives::{Address, Bytes, FixedBytes, U256},
    providers::Provider,
    sol,
    sol_types::SolCall,
};
use anyhow::{bail, Context, Result};
use poco_core::constants::{DEFAULT_CATEGORIES, ESCROW_TOKEN_NAME, ESCROW_TOKEN_SYMBOL};

use crate::{
    artifacts::Artifacts,
    stylus::{constructor_calldata, deploy_program, transact},
};

sol! {
    /// The hub calls a deployment makes (checked against `abi/hub.json` by the tests).
    interface IHubDeploy {
        struct FacetCut { address facetAddress; uint8 action; bytes4[] functionSelectors; }
        function diamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata) external;
        function configure(address token, string name, string symbol, uint8 decimals, address appregistry, address datasetregistry, address workerpoolregistry, address v3hub) external;
        function createCategory(string name, string description, uint256 workClockTimeRef) external returns (uint256);
    }

    /// The registry calls a deployment makes (checked against `abi/*-registry.json`).
    interface IRegistryDeploy {
        function initialize(address previous) external;
        function setBaseURI(string baseURI) external;
    }
}

/// Addresses of a deployed protocol.
#[derive(Debug, Clone, Default)]
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

/// Selector of `diamondCut`, served by the router's constructor.
const DIAMOND_CUT: [u8; 4] = [0x1f, 0x93, 0x1c, 0x1c];
/// Router keys of a facet's `fallback` and `receive` (PoCo's `utils/proxy-tools.ts`).
const FALLBACK: [u8; 4] = [0xff; 4];
const RECEIVE: [u8; 4] = [0x00; 4];

/// The selectors a facet serves, from its exported ABI.
pub fn facet_selectors(abi: &JsonAbi) -> Vec<FixedBytes<4>> {
    let mut selectors: Vec<FixedBytes<4>> =
        abi.functions().map(|f| f.selector()).filter(|s| s.0 != DIAMOND_CUT).collect();
    if abi.fallback.is_some() {
        selectors.push(FixedBytes(FALLBACK));
    }
    if abi.receive.is_some() {
        selectors.push(FixedBytes(RECEIVE));
    }
    selectors
}

/// Deploys and wires the whole protocol; `owner` (the provider's sender) owns everything
/// and receives RLC's initial supply.
pub async fn deploy_poco<P: Provider>(provider: &P, owner: Address, artifacts: &Artifacts) -> Result<PocoDeployment> {
    let mut d = deploy_foundation(provider, owner, artifacts).await?;
    deploy_hub(provider, owner, artifacts, &mut d).await?;
    Ok(d)
}

/// Deploys RLC, the three entry programs and their registries (initialized, base URIs set).
pub async fn deploy_foundation<P: Provider>(
    provider: &P,
    owner: Address,
    artifacts: &Artifacts,
) -> Result<PocoDeployment> {
    let chain_id = provider.get_chain_id().await.context("eth_chainId")?;
    let mut d = PocoDeployment { rlc: deploy_program(provider, "rlc", &artifacts.code("rlc")?).await?, ..Default::default() };
    transact(provider, "RLC constructor", d.rlc, constructor_calldata(&(owner,))).await?;

    d.app_master = deploy_program(provider, "app", &artifacts.code("app")?).await?;
    d.dataset_master = deploy_program(provider, "dataset", &artifacts.code("dataset")?).await?;
    d.workerpool_master = deploy_program(provider, "workerpool", &artifacts.code("workerpool")?).await?;
    for (name, master, kind) in [
        ("app-registry", d.app_master, "app"),
        ("dataset-registry", d.dataset_master, "dataset"),
        ("workerpool-registry", d.workerpool_master, "workerpool"),
    ] {
        let registry = deploy_program(provider, name, &artifacts.code(name)?).await?;
        transact(provider, &format!("{name} constructor"), registry, constructor_calldata(&(owner, master))).await?;
        let init = IRegistryDeploy::initializeCall { previous: Address::ZERO }.abi_encode();
        transact(provider, &format!("{name} initialize"), registry, init.into()).await?;
        let uri = format!("https://nfts-metadata.iex.ec/{kind}/{chain_id}/");
        let set_uri = IRegistryDeploy::setBaseURICall { baseURI: uri }.abi_encode();
        transact(provider, &format!("{name} setBaseURI"), registry, set_uri.into()).await?;
        match kind {
            "app" => d.app_registry = registry,
            "dataset" => d.dataset_registry = registry,
            _ => d.workerpool_registry = registry,
        }
    }
    Ok(d)
}

/// Deploys the hub on top of a foundation: every facet of `abi/facet-*.json`, the router,
/// one diamond cut with all their selectors, `configure` and the default categories.
pub async fn deploy_hub<P: Provider>(
    provider: &P,
    owner: Address,
    artifacts: &Artifacts,
    d: &mut PocoDeployment,
) -> Result<()> {
    let facets = artifacts.facets()?;
    if !facets.iter().any(|f| f == "facet-diamond") {
        bail!("abi/ has no facet-diamond.json: run `cargo xtask abi`");
    }
    for facet in &facets {
        let address = deploy_program(provider, facet, &artifacts.code(facet)?).await?;
        d.facets.insert(facet.clone(), address);
    }
    d.hub = deploy_program(provider, "hub-router", &artifacts.code("hub-router")?).await?;
    transact(provider, "hub constructor", d.hub, constructor_calldata(&(owner, d.facets["facet-diamond"]))).await?;

    let cuts = facets
        .iter()
        .map(|f| {
            Ok(IHubDeploy::FacetCut {
                facetAddress: d.facets[f],
                action: 0,
                functionSelectors: facet_selectors(&artifacts.abi(f)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cut = IHubDeploy::diamondCutCall { _diamondCut: cuts, _init: Address::ZERO, _calldata: Bytes::new() };
    transact(provider, "diamondCut", d.hub, cut.abi_encode().into()).await?;

    let configure = IHubDeploy::configureCall {
        token: d.rlc,
        name: ESCROW_TOKEN_NAME.into(),
        symbol: ESCROW_TOKEN_SYMBOL.into(),
        decimals: 9,
        appregistry: d.app_registry,
        datasetregistry: d.dataset_registry,
        workerpoolregistry: d.workerpool_registry,
        v3hub: Address::ZERO,
    };
    transact(provider, "configure", d.hub, configure.abi_encode().into()).await?;
    for category in DEFAULT_CATEGORIES {
        let call = IHubDeploy::createCategoryCall {
            name: category.name.into(),
            description: String::new(),
            workClockTimeRef: U256::from(category.work_clock_time_ref),
        };
        transact(provider, &format!("createCategory {}", category.name), d.hub, call.abi_encode().into()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            IHubDeploy::diamondCutCall::SELECTOR,
            IHubDeploy::configureCall::SELECTOR,
            IHubDeploy::createCategoryCall::SELECTOR,
        ] {
            assert!(selectors_of(&hub).contains(&FixedBytes(selector)), "{selector:02x?}");
        }
        for registry in ["app-registry", "dataset-registry", "workerpool-registry"] {
            let abi = artifacts.abi(registry).expect("registry abi");
            assert!(selectors_of(&abi).contains(&FixedBytes(IRegistryDeploy::initializeCall::SELECTOR)));
            assert!(selectors_of(&abi).contains(&FixedBytes(IRegistryDeploy::setBaseURICall::SELECTOR)));
        }
    }

    #[test]
    fn facet_selectors_skip_diamond_cut_and_map_fallback_and_receive() {
        let abi: JsonAbi = serde_json::from_str(
            r#"[
                {"type":"function","name":"diamondCut","stateMutability":"nonpayable","outputs":[],
                 "inputs":[{"name":"c","type":"tuple[]","components":[{"name":"a","type":"address"},
                 {"name":"b","type":"uint8"},{"name":"s","type":"bytes4[]"}]},
                 {"name":"i","type":"address"},{"name":"d","type":"bytes"}]},
                {"type":"function","name":"owner","stateMutability":"view","inputs":[],
                 "outputs":[{"name":"","type":"address"}]},
                {"type":"fallback","stateMutability":"payable"},
                {"type":"receive","stateMutability":"payable"}
            ]"#,
        )
        .expect("abi");
        let selectors = facet_selectors(&abi);
        assert_eq!(selectors.len(), 3);
        assert!(selectors.contains(&FixedBytes(FALLBACK)) && selectors.contains(&FixedBytes(RECEIVE)));
        assert!(!selectors.contains(&FixedBytes(DIAMOND_CUT)));
    }
}
