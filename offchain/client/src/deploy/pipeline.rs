//! The resumable, verifying deployment: each step first looks at the chain, and only sends
//! a transaction for what is missing.
//!
//! - a program is looked for at its CREATE2 address ([`super::stylus_deployer::predict`]):
//!   code there is verified against the artifact's codehash and recorded, else the program is
//!   deployed, activated and constructed in one StylusDeployer transaction;
//! - a configuration call is sent only if the state it produces is not there (a registry's
//!   `initialized()` and `baseURI()`, the hub's routing from its loupe, `token()` and the
//!   registries for `configure`, `countCategory()`/`viewCategory` for the categories);
//! - the record is saved after every transaction.
//!
//! So a second run sends nothing, and a run killed between a transaction and its record
//! finds that transaction's effect instead of repeating it.

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::{TransactionReceipt, TransactionRequest},
    sol,
    sol_types::SolCall,
};
use anyhow::{bail, Context, Result};
use poco_core::constants::{DEFAULT_CATEGORIES, ESCROW_TOKEN_NAME, ESCROW_TOKEN_SYMBOL};

use super::{
    record::{DeploymentRecord, ProgramRecord, RecordStore, TxRecord, RECORD_FORMAT},
    routing::{self, IHubDiamond},
    stylus_deployer::{self, STYLUS_DEPLOYER},
};
use crate::{artifacts::Artifacts, stylus::constructor_calldata};

sol! {
    /// PoCo's category struct.
    library IexecLibCore_v5 {
        struct Category { string name; string description; uint256 workClockTimeRef; }
    }

    /// The hub's configuration calls and views (checked against `abi/hub.json`).
    #[sol(rpc)]
    #[allow(clippy::too_many_arguments)]
    interface IHubConfig {
        function configure(address token, string name, string symbol, uint8 decimals, address appregistry, address datasetregistry, address workerpoolregistry, address v3hub) external;
        function createCategory(string name, string description, uint256 workClockTimeRef) external returns (uint256);
        function countCategory() external view returns (uint256);
        function viewCategory(uint256 _catid) external view returns (IexecLibCore_v5.Category);
        function token() external view returns (address);
        function appregistry() external view returns (address);
        function datasetregistry() external view returns (address);
        function workerpoolregistry() external view returns (address);
    }

    /// The registry calls and views a deployment uses (checked against `abi/*-registry.json`).
    #[sol(rpc)]
    interface IRegistrySetup {
        function initialize(address previous) external;
        function setBaseURI(string baseURI) external;
        function initialized() external view returns (bool);
        function baseURI() external view returns (string);
        function master() external view returns (address);
        function owner() external view returns (address);
    }
}

/// The default CREATE2 namespace of a deployment (`keccak256("poco-stylus")`): the same
/// owner deploying the same code gets the same addresses on every chain.
pub fn default_salt() -> B256 {
    keccak256("poco-stylus")
}

/// What a deployment is asked to do.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Chain name, for the record.
    pub chain: String,
    /// Owner of everything; must be the provider's sender.
    pub owner: Address,
    /// CREATE2 namespace; `None`: the record's, else [`default_salt`].
    pub salt: Option<B256>,
    /// Git revision of the artifacts, for the record.
    pub revision: String,
    /// The chain's RLC (chain file `rlc`), used instead of deploying one.
    pub rlc: Option<Address>,
    /// Deploy the hub too (`false`: RLC and the registries only).
    pub hub: bool,
    /// Test knob: stop right after the N-th transaction is mined, before recording it (as a
    /// run killed at the worst moment would).
    pub stop_after: Option<usize>,
}

impl DeployOptions {
    /// Options of a whole deployment by `owner` on `chain`.
    pub fn new(chain: impl Into<String>, owner: Address) -> Self {
        Self { chain: chain.into(), owner, salt: None, revision: String::new(), rlc: None, hub: true, stop_after: None }
    }
}

/// What happened to one part of the deployment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepOutcome {
    /// A transaction was sent for it.
    Done,
    /// It was already there and the record knew it.
    Verified,
    /// It was on chain but not in the record (a killed run's last transaction): recorded now.
    Found,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct DeployOutcome {
    /// The record as saved.
    pub record: DeploymentRecord,
    /// Transactions sent by this run.
    pub sent: usize,
    /// Each step and its outcome, in order.
    pub steps: Vec<(String, StepOutcome)>,
}

/// Deploys what is missing of the protocol, verifies what is there, and keeps `store`'s
/// record up to date.
pub async fn deploy<P: Provider>(
    provider: &P,
    artifacts: &Artifacts,
    options: &DeployOptions,
    store: &RecordStore,
) -> Result<DeployOutcome> {
    let chain_id = provider.get_chain_id().await.context("eth_chainId")?;
    let record = match store.load()? {
        Some(record) => {
            if record.chain_id != chain_id {
                bail!("the deployment record is for chain id {}, the endpoint serves {chain_id}", record.chain_id);
            }
            if record.owner != options.owner {
                bail!(
                    "the deployment record's owner is {}, the key given is {}: resume with the owner's key",
                    record.owner,
                    options.owner
                );
            }
            if options.salt.is_some_and(|s| s != record.salt) {
                bail!("the deployment record uses salt {}; another salt is another deployment (another record)", record.salt);
            }
            record
        }
        None => DeploymentRecord {
            format: RECORD_FORMAT,
            chain: options.chain.clone(),
            chain_id,
            owner: options.owner,
            stylus_deployer: STYLUS_DEPLOYER,
            salt: options.salt.unwrap_or_else(default_salt),
            revision: options.revision.clone(),
            ..Default::default()
        },
    };
    let deployer_code = provider.get_code_at(STYLUS_DEPLOYER).await.context("eth_getCode of the StylusDeployer")?;
    if deployer_code.is_empty() {
        bail!(
            "chain {chain_id} has no StylusDeployer at {STYLUS_DEPLOYER} (Arbitrum One, Sepolia, nitro's devnode and \
             `poco devnet` have it): deploy nitro-contracts' StylusDeployer there first"
        );
    }
    let mut run = Run { provider, artifacts, options, store, record, sent: 0, steps: Vec::new() };
    run.foundation().await?;
    if options.hub {
        run.hub().await?;
    }
    if run.sent > 0 {
        run.record.revision = options.revision.clone();
    }
    run.store.save(&run.record)?;
    Ok(DeployOutcome { record: run.record, sent: run.sent, steps: run.steps })
}

/// One run of the pipeline.
pub(super) struct Run<'a, P> {
    pub(super) provider: &'a P,
    pub(super) artifacts: &'a Artifacts,
    pub(super) options: &'a DeployOptions,
    pub(super) store: &'a RecordStore,
    pub(super) record: DeploymentRecord,
    pub(super) sent: usize,
    pub(super) steps: Vec<(String, StepOutcome)>,
}

impl<P: Provider> Run<'_, P> {
    /// Counts a mined transaction; stops the run there if the test knob says so.
    pub(super) fn mined(&mut self) -> Result<()> {
        self.sent += 1;
        if self.options.stop_after == Some(self.sent) {
            bail!(
                "stopped after transaction {} before recording it (POCO_DEPLOY_STOP_AFTER); run again to finish",
                self.sent
            );
        }
        Ok(())
    }

    fn step(&mut self, what: impl Into<String>, outcome: StepOutcome) {
        self.steps.push((what.into(), outcome));
    }

    /// The earliest block a transaction not in the record can be in.
    fn search_from(&self) -> u64 {
        let programs = self.record.programs.values().filter_map(|p| p.block);
        let calls = self.record.calls.values().filter_map(|c| c.block);
        programs.chain(calls).max().unwrap_or(0)
    }

    /// Program `name` with constructor calldata `init_data` (empty: none): verified where the
    /// record or the chain has it, else deployed. Returns its address.
    pub(super) async fn program(&mut self, name: &str, init_data: Bytes) -> Result<Address> {
        let code = self.artifacts.code(name)?;
        let codehash = keccak256(&code);
        let salt = stylus_deployer::program_salt(self.record.salt, name);
        let address = stylus_deployer::predict(salt, &init_data, &code);
        if let Some(known) = self.record.programs.get(name) {
            if known.codehash != codehash {
                let what = if name.starts_with("facet-") {
                    "`poco upgrade` replaces it"
                } else {
                    "only facets are upgraded in place; a new program is a new deployment (another --salt)"
                };
                bail!(
                    "{name}: the built code (codehash {codehash}) is not the deployed one ({}, at {}): {what}",
                    known.codehash,
                    known.address
                );
            }
            if known.address != address {
                bail!("{name}: the record has it at {}, its CREATE2 address is {address}", known.address);
            }
        }
        let on_chain = self.provider.get_code_at(address).await.with_context(|| format!("eth_getCode of {name}"))?;
        if !on_chain.is_empty() {
            if keccak256(&on_chain) != codehash {
                bail!("{name}: the code at {address} is not the built program (codehash {})", keccak256(&on_chain));
            }
            if self.record.programs.contains_key(name) {
                self.step(name, StepOutcome::Verified);
            } else {
                let found = stylus_deployer::find_deployment(self.provider, address, self.search_from()).await?;
                let record = ProgramRecord {
                    address,
                    codehash,
                    tx: found.as_ref().map(|f| f.tx),
                    block: found.as_ref().and_then(|f| f.block),
                    data_fee: found.as_ref().map_or(U256::ZERO, |f| f.data_fee),
                    stylus_version: self.stylus_version().await?,
                    init_data,
                };
                self.record.programs.insert(name.to_string(), record);
                self.store.save(&self.record)?;
                self.step(name, StepOutcome::Found);
            }
            return Ok(address);
        }
        let deployed = stylus_deployer::deploy(self.provider, name, &code, init_data.clone(), salt).await?;
        self.mined()?;
        let stylus_version = match deployed.version {
            Some(v) => v,
            None => self.stylus_version().await?,
        };
        self.record.programs.insert(
            name.to_string(),
            ProgramRecord {
                address,
                codehash,
                tx: Some(deployed.tx),
                block: deployed.block,
                data_fee: deployed.data_fee,
                stylus_version,
                init_data,
            },
        );
        self.store.save(&self.record)?;
        self.step(name, StepOutcome::Done);
        Ok(address)
    }

    async fn stylus_version(&self) -> Result<u16> {
        super::activation::IArbWasmPrograms::new(crate::stylus::ARB_WASM, self.provider)
            .stylusVersion()
            .call()
            .await
            .context("ArbWasm.stylusVersion")
    }

    /// A configuration call named `key`: `done` says whether the chain already shows its
    /// effect; if not, it is sent to `to` and recorded.
    pub(super) async fn call(&mut self, key: &str, done: bool, to: Address, calldata: Vec<u8>) -> Result<()> {
        if done {
            let outcome = match self.record.calls.contains_key(key) {
                true => StepOutcome::Verified,
                false => {
                    self.record.calls.insert(key.to_string(), TxRecord { tx: None, block: None });
                    self.store.save(&self.record)?;
                    StepOutcome::Found
                }
            };
            self.step(key, outcome);
            return Ok(());
        }
        if let Some(known) = self.record.calls.get(key) {
            bail!(
                "the record has `{key}` done (tx {:?}), but the chain does not show it: someone changed the \
                 deployment since; inspect it before going on",
                known.tx
            );
        }
        let receipt = send(self.provider, key, to, calldata.into()).await?;
        self.mined()?;
        self.record.calls.insert(
            key.to_string(),
            TxRecord { tx: Some(receipt.transaction_hash), block: receipt.block_number },
        );
        self.store.save(&self.record)?;
        self.step(key, StepOutcome::Done);
        Ok(())
    }

    /// RLC (or the chain's), the entry programs, the registries and their setup.
    async fn foundation(&mut self) -> Result<()> {
        let owner = self.options.owner;
        let rlc = match self.options.rlc {
            Some(rlc) => {
                let code = self.provider.get_code_at(rlc).await.context("eth_getCode of RLC")?;
                if code.is_empty() {
                    bail!("the chain file's RLC {rlc} has no code on this chain: fix `rlc` in the chain file");
                }
                self.record.external_rlc = true;
                rlc
            }
            None => self.program("rlc", constructor_calldata(&(owner,))).await?,
        };
        self.record.addresses.rlc = rlc;
        let chain_id = self.record.chain_id;
        for kind in ["app", "dataset", "workerpool"] {
            let master = self.program(kind, Bytes::new()).await?;
            let name = format!("{kind}-registry");
            let registry = self.program(&name, constructor_calldata(&(owner, master))).await?;
            let a = &mut self.record.addresses;
            match kind {
                "app" => (a.app_master, a.app_registry) = (master, registry),
                "dataset" => (a.dataset_master, a.dataset_registry) = (master, registry),
                _ => (a.workerpool_master, a.workerpool_registry) = (master, registry),
            }
            let r = IRegistrySetup::new(registry, self.provider);
            let (on_master, on_owner) = (r.master().call().await?, r.owner().call().await?);
            if on_master != master || on_owner != owner {
                bail!("{name} at {registry} has master {on_master} and owner {on_owner}, not {master} and {owner}");
            }
            let initialized = r.initialized().call().await.with_context(|| format!("{name} initialized()"))?;
            let init = IRegistrySetup::initializeCall { previous: Address::ZERO }.abi_encode();
            self.call(&format!("{name} initialize"), initialized, registry, init).await?;
            let uri = format!("https://nfts-metadata.iex.ec/{kind}/{chain_id}/");
            let current = r.baseURI().call().await.with_context(|| format!("{name} baseURI()"))?;
            let set_uri = IRegistrySetup::setBaseURICall { baseURI: uri.clone() }.abi_encode();
            self.call(&format!("{name} setBaseURI"), current == uri, registry, set_uri).await?;
        }
        self.store.save(&self.record)
    }

    /// The facets, the router, the diamond cut, `configure` and the categories.
    async fn hub(&mut self) -> Result<()> {
        let owner = self.options.owner;
        let selectors = routing::wanted_selectors(self.artifacts)?;
        if !selectors.contains_key("facet-diamond") {
            bail!("abi/ has no facet-diamond.json: run `cargo xtask abi`");
        }
        for facet in selectors.keys() {
            let address = self.program(facet, Bytes::new()).await?;
            self.record.addresses.facets.insert(facet.clone(), address);
        }
        let diamond = self.record.addresses.facets["facet-diamond"];
        let hub = self.program("hub-router", constructor_calldata(&(owner, diamond))).await?;
        // Its owner is `owner`: the constructor calldata is part of its CREATE2 address and
        // ran in the transaction that created it.
        self.record.addresses.hub = hub;

        let wanted = routing::wanted_routing(&selectors, &self.record.addresses.facets)?;
        let current = routing::hub_routing(self.provider, hub).await?;
        if current != wanted && !current.is_empty() {
            let cut = routing::plan_cut(&current, &wanted);
            bail!(
                "the hub's routing is not the artifacts' ({} facet cuts apart): `poco upgrade` applies them",
                cut.len()
            );
        }
        let cut = IHubDiamond::diamondCutCall {
            _diamondCut: routing::plan_cut(&current, &wanted),
            _init: Address::ZERO,
            _calldata: Bytes::new(),
        };
        self.call("diamondCut", current == wanted, hub, cut.abi_encode()).await?;
        let routed = routing::hub_routing(self.provider, hub).await?;
        if routed != wanted {
            bail!("after the diamond cut the hub's routing is still not the artifacts'");
        }
        self.record.routing = routing::recorded(self.provider, hub, &routed, &self.record.addresses.facets).await?;
        self.store.save(&self.record)?;
        let on_owner = IHubDiamond::new(hub, self.provider).owner().call().await.context("hub owner()")?;
        if on_owner != owner {
            bail!("the hub at {hub} is owned by {on_owner}, not {owner}");
        }

        let a = self.record.addresses.clone();
        let config = IHubConfig::new(hub, self.provider);
        let token = config.token().call().await.context("hub token()")?;
        if !token.is_zero() {
            let registries = (
                config.appregistry().call().await?,
                config.datasetregistry().call().await?,
                config.workerpoolregistry().call().await?,
            );
            if token != a.rlc || registries != (a.app_registry, a.dataset_registry, a.workerpool_registry) {
                bail!("the hub is configured with token {token} and registries {registries:?}, not this deployment's");
            }
        }
        let configure = IHubConfig::configureCall {
            token: a.rlc,
            name: ESCROW_TOKEN_NAME.into(),
            symbol: ESCROW_TOKEN_SYMBOL.into(),
            decimals: 9,
            appregistry: a.app_registry,
            datasetregistry: a.dataset_registry,
            workerpoolregistry: a.workerpool_registry,
            v3hub: Address::ZERO,
        };
        self.call("configure", !token.is_zero(), hub, configure.abi_encode()).await?;

        let count: usize = config.countCategory().call().await.context("hub countCategory()")?.saturating_to();
        for (index, category) in DEFAULT_CATEGORIES.iter().enumerate() {
            let key = format!("createCategory {}", category.name);
            if index < count {
                let on_chain = config.viewCategory(U256::from(index)).call().await.context("hub viewCategory")?;
                if on_chain.name != category.name || on_chain.workClockTimeRef != U256::from(category.work_clock_time_ref) {
                    bail!("category {index} of the hub is {:?}, not PoCo's {}", on_chain.name, category.name);
                }
            }
            let call = IHubConfig::createCategoryCall {
                name: category.name.into(),
                description: String::new(),
                workClockTimeRef: U256::from(category.work_clock_time_ref),
            };
            self.call(&key, index < count, hub, call.abi_encode()).await?;
        }
        Ok(())
    }
}

/// Calls `to` with `calldata` in a transaction; its receipt, or what the revert says.
pub(super) async fn send<P: Provider>(provider: &P, what: &str, to: Address, calldata: Bytes) -> Result<TransactionReceipt> {
    let tx = TransactionRequest::default().with_to(to).with_input(calldata);
    let pending = provider.send_transaction(tx).await.map_err(|e| match super::revert_data(&e) {
        Some(data) => anyhow::anyhow!("{what} reverts: {}", super::revert_text(&data)),
        None => anyhow::anyhow!("{what}: {e}"),
    })?;
    let receipt = pending.get_receipt().await.with_context(|| format!("receipt of {what}"))?;
    if !receipt.status() {
        bail!("{what} reverted (tx {})", receipt.transaction_hash);
    }
    Ok(receipt)
}
