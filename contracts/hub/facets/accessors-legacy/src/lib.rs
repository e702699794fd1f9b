//! The hub's legacy view facet: the tuple-returning views `iexec-commons-poco` (the Java
//! middleware, `IexecHubAbstractService.java`) reads accounts, deals and categories with.
//!
//! Split from `poco-facet-accessors`: together they exceed the 24 KiB limit of one program.
//! PoCo's legacy task views (`viewTaskABILegacy`, `viewContributionABILegacy`) are served by
//! `poco-facet-task-accessors`, beside `viewTask`, whose shape they project: measured, they
//! add 1.4 KB (brotli) there, which links the task code already, and 6.1 KB here, which
//! would leave this program 2.1 KB under the limit.
//!
//! PoCo: contracts/facets/IexecAccessorsABILegacyFacet.sol.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use poco_core::{assets::Category, deal::Deal};
use poco_hub_base::{poco_storage, revert, PocoStorage};
use stylus_sdk::prelude::*;

/// The legacy view facet. Its state is the hub's `PocoStorage`, reached with [`poco_storage`].
#[storage]
#[entrypoint]
pub struct AccessorsLegacyFacet {}

#[public]
impl AccessorsLegacyFacet {
    /// Legacy `(balance, frozen)` of `account`.
    #[selector(name = "viewAccountABILegacy")]
    pub fn view_account_abi_legacy(&self, account: Address) -> (U256, U256) {
        self.account(account)
    }

    /// Legacy deal, part 1: app, dataset and workerpool as (pointer, owner, price).
    #[selector(name = "viewDealABILegacy_pt1")]
    #[allow(clippy::type_complexity)]
    pub fn view_deal_abi_legacy_pt1(
        &self,
        id: B256,
    ) -> (Address, Address, U256, Address, Address, U256, Address, Address, U256) {
        let d = self.deal(id);
        (
            d.app.pointer,
            d.app.owner,
            d.app.price,
            d.dataset.pointer,
            d.dataset.owner,
            d.dataset.price,
            d.workerpool.pointer,
            d.workerpool.owner,
            d.workerpool.price,
        )
    }

    /// Legacy deal, part 2: trust, tag, requester, beneficiary, callback, params.
    #[selector(name = "viewDealABILegacy_pt2")]
    pub fn view_deal_abi_legacy_pt2(&self, id: B256) -> (U256, B256, Address, Address, Address, String) {
        let d = self.deal(id);
        (d.trust, d.tag, d.requester, d.beneficiary, d.callback, d.params)
    }

    /// Legacy deal configuration: category, startTime, botFirst, botSize, workerStake,
    /// schedulerRewardRatio.
    #[selector(name = "viewConfigABILegacy")]
    pub fn view_config_abi_legacy(&self, id: B256) -> (U256, U256, U256, U256, U256, U256) {
        let d = self.deal(id);
        (d.category, d.startTime, d.botFirst, d.botSize, d.workerStake, d.schedulerRewardRatio)
    }

    /// Legacy category `(name, description, workClockTimeRef)`.
    ///
    /// # Errors
    /// `Panic(0x32)` when `catid` is out of range (`viewCategory` reverts bare).
    #[selector(name = "viewCategoryABILegacy")]
    pub fn view_category_abi_legacy(&self, catid: U256) -> Result<(String, String, U256), Vec<u8>> {
        let c = self.category(catid).ok_or_else(|| revert::panic(0x32))?;
        Ok((c.name, c.description, c.workClockTimeRef))
    }
}

impl AccessorsLegacyFacet {
    fn storage(&self) -> PocoStorage {
        poco_storage(self.vm())
    }

    fn account(&self, account: Address) -> (U256, U256) {
        let s = self.storage();
        let record = s.accounts.getter(account);
        (record.balance(), record.frozen())
    }

    fn deal(&self, id: B256) -> Deal {
        self.storage().deals.getter(id).to_deal()
    }

    fn category(&self, catid: U256) -> Option<Category> {
        let index = usize::try_from(catid).ok()?;
        self.storage().categories.getter(index).map(|c| c.to_category())
    }
}

#[cfg(test)]
mod tests;
