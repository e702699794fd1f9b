//! The hub's task view facet: PoCo's task views, `viewTask`, `viewContribution` and
//! `resultFor` (`IexecPocoAccessorsFacet`), and their legacy tuple forms `viewTaskABILegacy`
//! and `viewContributionABILegacy` (`IexecAccessorsABILegacyFacet`).
//!
//! A program of its own, by measured size (brotli): `poco-facet-accessors`, where PoCo has the
//! first three, has 1.1 KB left under the 24 KiB limit; the legacy two cost 1.4 KB here,
//! beside the task code they share with `viewTask`, and 6.1 KB in
//! `poco-facet-accessors-legacy`, which links none of it. The hub routes each selector to
//! the facet that serves it, so integrators see one interface.
//!
//! Every view reads the lifecycle's records through its shapes
//! ([`poco_hub_base::task::view_task`], [`poco_hub_base::task::view_contribution`]): a task's
//! time reference and deadlines are derived from its deal and category, not stored, and the
//! legacy tuples are projections of the same values, so the two forms cannot disagree.
//!
//! PoCo: contracts/facets/IexecPocoAccessorsFacet.sol, contracts/facets/IexecAccessorsABILegacyFacet.sol.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, B256, U256};
use poco_core::{
    reasons,
    status::TaskStatusEnum,
    task::{Contribution, Task},
};
use poco_hub_base::{poco_storage, revert, task, PocoStorage};
use stylus_sdk::prelude::*;

/// The task view facet. Its state is the hub's `PocoStorage`, reached with [`poco_storage`].
#[storage]
#[entrypoint]
pub struct TaskAccessorsFacet {}

#[public]
impl TaskAccessorsFacet {
    /// Task `id`: all zero while it is UNSET (never initialized), as PoCo's storage reads.
    #[selector(name = "viewTask")]
    pub fn view_task(&self, id: B256) -> Task {
        task::view_task(self.vm(), &self.storage(), id)
    }

    /// `worker`'s contribution to task `task_id` (all zero when it did not contribute).
    #[selector(name = "viewContribution")]
    pub fn view_contribution(&self, task_id: B256, worker: Address) -> Contribution {
        task::view_contribution(&self.storage(), task_id, worker)
    }

    /// The `resultsCallback` task `id` was finalized with: what the deal's callback contract
    /// received, for contracts that read the result later instead.
    ///
    /// # Errors
    /// `Error("task-pending")` unless the task is COMPLETED (a FAILED task has no result).
    #[selector(name = "resultFor")]
    pub fn result_for(&self, id: B256) -> Result<Bytes, Vec<u8>> {
        let s = self.storage();
        let task = s.tasks.getter(id);
        if task.status() != TaskStatusEnum::COMPLETED {
            return Err(revert::reason(reasons::TASK_PENDING));
        }
        Ok(task.results_callback.get_bytes().into())
    }

    /// Legacy task, for `iexec-commons-poco`: `viewTask`'s fields without `resultDigest`,
    /// `resultsTimestamp` and `resultsCallback` (status, dealid, idx, timeref,
    /// contributionDeadline, revealDeadline, finalDeadline, consensusValue, revealCounter,
    /// winnerCounter, contributors, results); all zero while the task is UNSET.
    #[selector(name = "viewTaskABILegacy")]
    #[allow(clippy::type_complexity)]
    pub fn view_task_abi_legacy(
        &self,
        id: B256,
    ) -> (u8, B256, U256, U256, U256, U256, U256, B256, U256, U256, Vec<Address>, Bytes) {
        let t = task::view_task(self.vm(), &self.storage(), id);
        (
            t.status,
            t.dealid,
            t.idx,
            t.timeref,
            t.contributionDeadline,
            t.revealDeadline,
            t.finalDeadline,
            t.consensusValue,
            t.revealCounter,
            t.winnerCounter,
            t.contributors,
            t.results,
        )
    }

    /// Legacy contribution, for `iexec-commons-poco`: status, resultHash, resultSeal,
    /// enclaveChallenge (no weight).
    #[selector(name = "viewContributionABILegacy")]
    pub fn view_contribution_abi_legacy(&self, task_id: B256, worker: Address) -> (u8, B256, B256, Address) {
        let c = task::view_contribution(&self.storage(), task_id, worker);
        (c.status, c.resultHash, c.resultSeal, c.enclaveChallenge)
    }
}

impl TaskAccessorsFacet {
    fn storage(&self) -> PocoStorage {
        poco_storage(self.vm())
    }
}

#[cfg(test)]
mod tests;
