//! Solidity PoCo deployed from iExec's own bytecode, in the order of PoCo's
//! `deploy/0_deploy.ts` (v6.1.0): RLC, `IexecLibOrders_v5`, the facets (PoCo's list and
//! order for a non-Arbitrum token chain, Boost included), the diamond, the three registries
//! (initialized, base URIs set), `configure("Staked RLC", "SRLC", 9, …)` and the categories.
//!
//! Three differences from that script, none in what the protocol does:
//! - RLC is this tree's Stylus RLC (the npm package ships no RLC artifact; PoCo's script
//!   takes it from `@iexec/rlc`): both deployments then hold the same token code, so the
//!   token's own events and reverts compare as equal.
//! - The npm package holds PoCo's contracts only, not diamond-1's `DiamondCutFacet`,
//!   `DiamondLoupeFacet`, `OwnershipFacet` and `DiamondInit`. Every facet is therefore cut
//!   by the `Diamond` constructor itself (one `Add` per facet, PoCo's selectors minus those
//!   already added, as `linkContractToProxy` does), `init` is zero, and `owner()` (which
//!   PoCo's `onlyOwner` reads through the diamond) is served by [`OWNER_FACET`], 42 bytes of
//!   EVM that return diamond-1's `contractOwner` slot. Cut, loupe and ownership transfer
//!   are not part of the differential run.
//! - The category descriptions are empty, as `poco_client::deploy_hub` creates them, so
//!   that both deployments hold identical categories.

use std::collections::BTreeSet;

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, FixedBytes, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol,
    sol_types::{SolCall, SolValue},
};
use anyhow::{bail, Context, Result};
use poco_client::{
    bindings::IRlc,
    deploy::facet_selectors,
    stylus::{constructor_calldata, deploy_program, transact},
    Artifacts, PocoDeployment,
};
use poco_core::constants::{DEFAULT_CATEGORIES, ESCROW_TOKEN_NAME, ESCROW_TOKEN_SYMBOL};

use crate::npm::PocoPackage;

sol! {
    /// diamond-1's cut, as PoCo's `Diamond` constructor takes it.
    struct FacetCut { address facetAddress; uint8 action; bytes4[] functionSelectors; }
    /// PoCo's `DiamondArgs`.
    struct DiamondArgs { address owner; address init; bytes initCalldata; }

    /// The calls a deployment makes.
    interface ISolidityDeploy {
        function configure(address token, string name, string symbol, uint8 decimals, address appregistry, address datasetregistry, address workerpoolregistry, address v3hub) external;
        function createCategory(string name, string description, uint256 workClockTimeRef) external returns (uint256);
        function initialize(address previous) external;
        function setBaseURI(string baseURI) external;
    }
}

/// PoCo's facets in `deploy/0_deploy.ts`'s order for a token chain that is not Arbitrum.
pub const FACETS: [&str; 12] = [
    "IexecAccessorsABILegacyFacet",
    "IexecCategoryManagerFacet",
    "IexecConfigurationExtraFacet",
    "IexecConfigurationFacet",
    "IexecERC20Facet",
    "IexecEscrowTokenFacet",
    "IexecOrderManagementFacet",
    "IexecPoco1Facet",
    "IexecPoco2Facet",
    "IexecPocoAccessorsFacet",
    "IexecPocoBoostFacet",
    "IexecPocoBoostAccessorsFacet",
];

/// `owner()`'s selector.
const OWNER_SELECTOR: [u8; 4] = [0x8d, 0xa5, 0xcb, 0x5b];

/// Runtime of the `owner()` facet: `PUSH32 slot SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0
/// RETURN`, where slot is diamond-1's `contractOwner` (`keccak256("diamond.standard.diamond.storage") + 3`).
pub fn owner_facet_runtime() -> Vec<u8> {
    let slot = U256::from_be_bytes(keccak256("diamond.standard.diamond.storage").0) + U256::from(3);
    let mut code = vec![0x7f];
    code.extend_from_slice(&slot.to_be_bytes::<32>());
    code.extend_from_slice(&[0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
    code
}

/// Name of the `owner()` facet in [`PocoDeployment::facets`].
pub const OWNER_FACET: &str = "OwnerFacet";

/// Init code returning `runtime` as the deployed code.
fn init_code_for(runtime: &[u8]) -> Result<Bytes> {
    let n = u8::try_from(runtime.len()).context("runtime over 255 bytes")?;
    let mut code = vec![0x60, n, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
    code.extend_from_slice(runtime);
    Ok(code.into())
}

/// Sends a contract creation and returns the new address.
async fn create<P: Provider>(provider: &P, name: &str, code: Bytes) -> Result<Address> {
    let tx = TransactionRequest::default().with_deploy_code(code);
    let receipt = provider
        .send_transaction(tx)
        .await
        .with_context(|| format!("deploying {name}"))?
        .get_receipt()
        .await
        .with_context(|| format!("receipt of {name}"))?;
    if !receipt.status() {
        bail!("deployment of {name} reverted");
    }
    receipt.contract_address.with_context(|| format!("no address for {name}"))
}

/// Deploys Solidity PoCo with `owner` (the provider's sender) as owner of everything and
/// holder of RLC's supply. `facets` of the result names PoCo's facets and the library.
pub async fn deploy_solidity_poco<P: Provider>(
    provider: &P,
    owner: Address,
    ours: &Artifacts,
    npm: &PocoPackage,
) -> Result<PocoDeployment> {
    let chain_id = provider.get_chain_id().await.context("eth_chainId")?;
    let mut d = PocoDeployment { rlc: deploy_program(provider, "rlc", &ours.code("rlc")?).await?, ..Default::default() };
    transact(provider, "RLC constructor", d.rlc, constructor_calldata(&(owner,))).await?;

    let lib = npm.artifact("IexecLibOrders_v5")?;
    let lib_address = create(provider, &lib.name, lib.linked(|_| None)?).await?;
    d.facets.insert(lib.name.clone(), lib_address);

    let mut cuts = Vec::new();
    let mut taken = BTreeSet::new();
    for name in FACETS {
        let facet = npm.artifact(name)?;
        let address = create(provider, name, facet.linked(|l| (l == "IexecLibOrders_v5").then_some(lib_address))?).await?;
        d.facets.insert(name.into(), address);
        let selectors: Vec<FixedBytes<4>> = facet_selectors(&facet.abi).into_iter().filter(|s| taken.insert(*s)).collect();
        if !selectors.is_empty() {
            cuts.push(FacetCut { facetAddress: address, action: 0, functionSelectors: selectors });
        }
    }
    let owner_facet = create(provider, OWNER_FACET, init_code_for(&owner_facet_runtime())?).await?;
    d.facets.insert(OWNER_FACET.into(), owner_facet);
    if taken.insert(FixedBytes(OWNER_SELECTOR)) {
        cuts.push(FacetCut { facetAddress: owner_facet, action: 0, functionSelectors: vec![FixedBytes(OWNER_SELECTOR)] });
    }
    let diamond = npm.artifact("Diamond")?;
    let mut code = diamond.linked(|_| None)?.to_vec();
    code.extend_from_slice(&(cuts, DiamondArgs { owner, init: Address::ZERO, initCalldata: Bytes::new() }).abi_encode_params());
    d.hub = create(provider, "Diamond", code.into()).await?;

    for (name, kind) in [("AppRegistry", "app"), ("DatasetRegistry", "dataset"), ("WorkerpoolRegistry", "workerpool")] {
        let registry = create(provider, name, npm.artifact(name)?.linked(|_| None)?).await?;
        let init = ISolidityDeploy::initializeCall { previous: Address::ZERO }.abi_encode();
        transact(provider, &format!("{name} initialize"), registry, init.into()).await?;
        let uri = format!("https://nfts-metadata.iex.ec/{kind}/{chain_id}/");
        transact(provider, &format!("{name} setBaseURI"), registry, ISolidityDeploy::setBaseURICall { baseURI: uri }.abi_encode().into())
            .await?;
        match kind {
            "app" => d.app_registry = registry,
            "dataset" => d.dataset_registry = registry,
            _ => d.workerpool_registry = registry,
        }
    }

    let configure = ISolidityDeploy::configureCall {
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
        let call = ISolidityDeploy::createCategoryCall {
            name: category.name.into(),
            description: String::new(),
            workClockTimeRef: U256::from(category.work_clock_time_ref),
        };
        transact(provider, &format!("createCategory {}", category.name), d.hub, call.abi_encode().into()).await?;
    }
    // The token must be the one configured: a wrong address would make every deposit fail
    // the same way on both sides and hide everything else.
    let token = IRlc::new(d.rlc, provider);
    token.totalSupply().call().await.context("RLC answers")?;
    Ok(d)
}
