//! The hub's view facet: deals, consumed volumes, presignatures, scores, SRLC metadata and
//! balances, categories, registries, settings, asset descriptions read from the asset
//! contracts, and PoCo's constants.
//!
//! PoCo's task views of this facet (`viewTask`, `viewContribution`, `resultFor`) are served by
//! `poco-facet-task-accessors`, with the legacy task tuples, and the other legacy tuple views
//! by `poco-facet-accessors-legacy`: this program has no room left for them under the 24 KiB
//! limit.
//!
//! PoCo: contracts/facets/IexecPocoAccessorsFacet.sol.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use poco_core::{
    assets::{Account, AppInfo, Category, DatasetInfo, WorkerpoolInfo},
    constants,
    deal::Deal,
};
use poco_hub_base::{poco_storage, revert, PocoStorage};
use stylus_sdk::{call::RawCall, host::VM, prelude::*};

sol! {
    /// ERC-5313 owner of an asset.
    function owner() returns (address);
    /// App getters.
    function m_appName() returns (string);
    /// App getters.
    function m_appType() returns (string);
    /// App getters.
    function m_appMultiaddr() returns (bytes);
    /// App getters.
    function m_appChecksum() returns (bytes32);
    /// App getters.
    function m_appMREnclave() returns (bytes);
    /// Dataset getters.
    function m_datasetName() returns (string);
    /// Dataset getters.
    function m_datasetMultiaddr() returns (bytes);
    /// Dataset getters.
    function m_datasetChecksum() returns (bytes32);
    /// Workerpool getters.
    function m_workerpoolDescription() returns (string);
    /// Workerpool getters.
    function m_workerStakeRatioPolicy() returns (uint256);
    /// Workerpool getters.
    function m_schedulerRewardRatioPolicy() returns (uint256);
}

/// The view facet. Its state is the hub's `PocoStorage`, reached with [`poco_storage`].
#[storage]
#[entrypoint]
pub struct AccessorsFacet {}

#[public]
impl AccessorsFacet {
    /// The deal `id` (all zero when unknown).
    #[selector(name = "viewDeal")]
    pub fn view_deal(&self, id: B256) -> Deal {
        self.storage().deals.getter(id).to_deal()
    }

    /// Consumed volume of the order whose typed-data hash is `id`.
    #[selector(name = "viewConsumed")]
    pub fn view_consumed(&self, id: B256) -> U256 {
        self.storage().consumed.get(id)
    }

    /// Presigner of the order whose typed-data hash is `id`.
    #[selector(name = "viewPresigned")]
    pub fn view_presigned(&self, id: B256) -> Address {
        self.storage().presigned.get(id)
    }

    /// Score of `worker`.
    #[selector(name = "viewScore")]
    pub fn view_score(&self, worker: Address) -> U256 {
        self.storage().worker_scores.get(worker)
    }

    /// SRLC name.
    pub fn name(&self) -> String {
        self.storage().name.get_string()
    }

    /// SRLC symbol.
    pub fn symbol(&self) -> String {
        self.storage().symbol.get_string()
    }

    /// SRLC decimals.
    pub fn decimals(&self) -> u8 {
        self.storage().decimals.get().to::<u8>()
    }

    /// SRLC total supply.
    #[selector(name = "totalSupply")]
    pub fn total_supply(&self) -> U256 {
        self.storage().total_supply.get()
    }

    /// Usable SRLC of `account`.
    #[selector(name = "balanceOf")]
    pub fn balance_of(&self, account: Address) -> U256 {
        self.storage().accounts.getter(account).balance()
    }

    /// Locked SRLC of `account`.
    #[selector(name = "frozenOf")]
    pub fn frozen_of(&self, account: Address) -> U256 {
        self.storage().accounts.getter(account).frozen()
    }

    /// SRLC allowance of `spender` over `account`'s funds.
    pub fn allowance(&self, account: Address, spender: Address) -> U256 {
        self.storage().allowances.getter(account).get(spender)
    }

    /// `{stake: balance, locked: frozen}` of `account`.
    #[selector(name = "viewAccount")]
    pub fn view_account(&self, account: Address) -> Account {
        let (stake, locked) = self.account(account);
        Account { stake, locked }
    }

    /// The escrowed ERC-20 (RLC).
    pub fn token(&self) -> Address {
        self.storage().base_token.get()
    }

    /// Category `catid`.
    ///
    /// # Errors
    /// A bare revert when `catid` is out of range (PoCo avoids the panic for the old interface).
    #[selector(name = "viewCategory")]
    pub fn view_category(&self, catid: U256) -> Result<Category, Vec<u8>> {
        self.category(catid).ok_or_else(revert::bare)
    }

    /// Number of categories.
    #[selector(name = "countCategory")]
    pub fn count_category(&self) -> U256 {
        U256::from(self.storage().categories.len())
    }

    /// App registry.
    pub fn appregistry(&self) -> Address {
        self.storage().app_registry.get()
    }

    /// Dataset registry.
    pub fn datasetregistry(&self) -> Address {
        self.storage().dataset_registry.get()
    }

    /// Workerpool registry.
    pub fn workerpoolregistry(&self) -> Address {
        self.storage().workerpool_registry.get()
    }

    /// TEE broker.
    pub fn teebroker(&self) -> Address {
        self.storage().teebroker.get()
    }

    /// Gas forwarded to result callbacks.
    pub fn callbackgas(&self) -> U256 {
        self.storage().callback_gas.get()
    }

    /// The dataset's owner and public getters.
    ///
    /// # Errors
    /// The dataset's revert data; a bare revert on an answer that does not decode (e.g. no
    /// code at `dataset`).
    #[selector(name = "viewDataset")]
    pub fn view_dataset(&self, dataset: Address) -> Result<DatasetInfo, Vec<u8>> {
        let vm = self.vm();
        Ok(DatasetInfo {
            owner: view::<ownerCall>(vm, dataset)?,
            m_datasetName: view::<m_datasetNameCall>(vm, dataset)?,
            m_datasetMultiaddr: view::<m_datasetMultiaddrCall>(vm, dataset)?,
            m_datasetChecksum: view::<m_datasetChecksumCall>(vm, dataset)?,
        })
    }

    /// The app's owner and public getters.
    ///
    /// # Errors
    /// As [`Self::view_dataset`].
    #[selector(name = "viewApp")]
    pub fn view_app(&self, app: Address) -> Result<AppInfo, Vec<u8>> {
        let vm = self.vm();
        Ok(AppInfo {
            owner: view::<ownerCall>(vm, app)?,
            m_appName: view::<m_appNameCall>(vm, app)?,
            m_appType: view::<m_appTypeCall>(vm, app)?,
            m_appMultiaddr: view::<m_appMultiaddrCall>(vm, app)?,
            m_appChecksum: view::<m_appChecksumCall>(vm, app)?,
            m_appMREnclave: view::<m_appMREnclaveCall>(vm, app)?,
        })
    }

    /// The workerpool's owner, description and policies.
    ///
    /// # Errors
    /// As [`Self::view_dataset`].
    #[selector(name = "viewWorkerpool")]
    pub fn view_workerpool(&self, workerpool: Address) -> Result<WorkerpoolInfo, Vec<u8>> {
        let vm = self.vm();
        Ok(WorkerpoolInfo {
            owner: view::<ownerCall>(vm, workerpool)?,
            m_workerpoolDescription: view::<m_workerpoolDescriptionCall>(vm, workerpool)?,
            m_workerStakeRatioPolicy: view::<m_workerStakeRatioPolicyCall>(vm, workerpool)?,
            m_schedulerRewardRatioPolicy: view::<m_schedulerRewardRatioPolicyCall>(vm, workerpool)?,
        })
    }

    /// `CONTRIBUTION_DEADLINE_RATIO` (7).
    #[selector(name = "contribution_deadline_ratio")]
    pub fn contribution_deadline_ratio(&self) -> U256 {
        U256::from(constants::CONTRIBUTION_DEADLINE_RATIO)
    }

    /// `REVEAL_DEADLINE_RATIO` (2).
    #[selector(name = "reveal_deadline_ratio")]
    pub fn reveal_deadline_ratio(&self) -> U256 {
        U256::from(constants::REVEAL_DEADLINE_RATIO)
    }

    /// `FINAL_DEADLINE_RATIO` (10).
    #[selector(name = "final_deadline_ratio")]
    pub fn final_deadline_ratio(&self) -> U256 {
        U256::from(constants::FINAL_DEADLINE_RATIO)
    }

    /// `WORKERPOOL_STAKE_RATIO` (30).
    #[selector(name = "workerpool_stake_ratio")]
    pub fn workerpool_stake_ratio(&self) -> U256 {
        U256::from(constants::WORKERPOOL_STAKE_RATIO)
    }

    /// `KITTY_RATIO` (10).
    #[selector(name = "kitty_ratio")]
    pub fn kitty_ratio(&self) -> U256 {
        U256::from(constants::KITTY_RATIO)
    }

    /// `KITTY_MIN` (1 RLC).
    #[selector(name = "kitty_min")]
    pub fn kitty_min(&self) -> U256 {
        constants::KITTY_MIN
    }

    /// `KITTY_ADDRESS`.
    #[selector(name = "kitty_address")]
    pub fn kitty_address(&self) -> Address {
        constants::KITTY_ADDRESS
    }

    /// `GROUPMEMBER_PURPOSE` (4).
    #[selector(name = "groupmember_purpose")]
    pub fn groupmember_purpose(&self) -> U256 {
        U256::from(constants::GROUPMEMBER_PURPOSE)
    }

    /// EIP-712 domain separator of orders.
    #[selector(name = "eip712domain_separator")]
    pub fn eip712domain_separator(&self) -> B256 {
        self.storage().domain_separator.get()
    }
}

impl AccessorsFacet {
    fn storage(&self) -> PocoStorage {
        poco_storage(self.vm())
    }

    fn account(&self, account: Address) -> (U256, U256) {
        let s = self.storage();
        let record = s.accounts.getter(account);
        (record.balance(), record.frozen())
    }

    fn category(&self, catid: U256) -> Option<Category> {
        let index = usize::try_from(catid).ok()?;
        self.storage().categories.getter(index).map(|c| c.to_category())
    }
}

/// A getter of an asset contract, called and decoded as Solidity does: its revert bubbles
/// up; an answer that does not decode strictly (no code, short, dirty) reverts bare.
fn view<C: SolCall>(vm: &VM, to: Address) -> Result<C::Return, Vec<u8>> {
    // SAFETY: a static call cannot write; the storage cache is flushed before it.
    let answer = unsafe { RawCall::new_static(vm).flush_storage_cache().call(to, &C::SELECTOR) }?;
    C::abi_decode_returns_validate(&answer).map_err(|_| revert::bare())
}

#[cfg(test)]
mod tests;
