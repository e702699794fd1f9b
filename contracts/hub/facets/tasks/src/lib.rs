//! The tasks facet of the PoCo hub: where a deal's tasks start and where failed ones are
//! refunded — `initialize`, `claim` and their array forms, from PoCo's `IexecPoco2Facet`.
//!
//! - `initialize(dealid, idx)` turns task `keccak256(dealid ‖ idx)` of the deal's bag of
//!   tasks (`botFirst <= idx < botFirst + botSize`) from UNSET to ACTIVE. There is no time
//!   check: a task can be initialized after its deadlines, to be claimed at once.
//! - `claim(taskid)`, after the final deadline of an ACTIVE or REVEALING task: FAILED, the
//!   sponsor's payment unlocked, the scheduler's stake seized into the kitty, every
//!   contributor's stake unlocked.
//! - `initializeArray`, `claimArray`, `initializeAndClaimArray`: PoCo's loops, all or nothing.
//!
//! Every failed `require` is a bare revert, as in PoCo's Poco2; arithmetic overflow is
//! `Panic(0x11)` and the escrow's own failures keep their `IexecEscrow: …` reasons.
//!
//! Gas: a task is written with two fresh slots (`poco_hub_base::task`), its deadlines are
//! derived from the deal rather than stored.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolEvent;
use poco_core::{ids::task_id, lifecycle::can_claim, rewards::failed_work, status::TaskStatusEnum};
use poco_hub_base::{
    escrow, log, poco_storage, revert,
    task::{require, TaskClaimed, TaskInitialize, TaskTimes},
};
use stylus_sdk::{host::VM, prelude::*};

/// The tasks facet. Its state is the hub's (`poco_storage`), so the struct has no fields.
#[storage]
#[entrypoint]
pub struct TasksFacet {}

/// Starts task `idx` of deal `deal_id`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, initialize
fn initialize(vm: &VM, deal_id: B256, idx: U256) -> Result<B256, Vec<u8>> {
    let mut s = poco_storage(vm);
    let deal = s.deals.getter(deal_id);
    let bot_first = deal.bot_first.get();
    require(idx >= bot_first)?;
    let end = bot_first.checked_add(deal.bot_size.get()).ok_or_else(|| revert::panic(0x11))?;
    require(idx < end)?;
    let id = task_id(&deal_id, &idx);
    require(s.tasks.getter(id).status() == TaskStatusEnum::UNSET)?;
    // PoCo computes (and stores) both deadlines here: a category whose time reference makes
    // them overflow fails now, and they fit for the rest of the task's life.
    TaskTimes::of(vm, &deal, &U256::ZERO).map_err(revert::poco)?;
    let workerpool = deal.workerpool.get();
    drop(deal);

    let mut task = s.tasks.setter(id);
    task.set_status(TaskStatusEnum::ACTIVE);
    task.deal_id.set(deal_id);
    task.set_idx(idx);
    log::emit(vm, &[TaskInitialize::SIGNATURE_HASH, id, workerpool.into_word()], &[]);
    Ok(id)
}

/// Fails task `task_id` after its final deadline and refunds everyone.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, claim and failedWork
fn claim(vm: &VM, task_id: B256) -> Result<(), Vec<u8>> {
    let mut s = poco_storage(vm);
    let task = s.tasks.getter(task_id);
    let status = task.status();
    require(matches!(status, TaskStatusEnum::ACTIVE | TaskStatusEnum::REVEALING))?;
    let deal = s.deals.getter(task.deal_id.get());
    let times = task.times(vm, &deal).map_err(revert::poco)?;
    require(can_claim(status, &times.final_deadline, &U256::from(vm.block_timestamp())))?;
    let (payment, pool_stake) = failed_work(
        &deal.app_price.get(),
        &deal.dataset_price.get(),
        &deal.workerpool_price.get(),
    )
    .map_err(revert::poco)?;
    let (sponsor, scheduler, worker_stake) =
        (deal.sponsor(), deal.workerpool_owner.get(), deal.worker_stake.get());
    let contributors = task.contributor_list();
    drop((task, deal));

    s.tasks.setter(task_id).set_status(TaskStatusEnum::FAILED);
    escrow::unlock(vm, &mut s, sponsor, payment)?;
    escrow::seize(vm, &mut s, scheduler, pool_stake, task_id)?;
    escrow::freeze_into_kitty(vm, &mut s, pool_stake, task_id)?;
    for worker in contributors {
        escrow::unlock(vm, &mut s, worker, worker_stake)?;
    }
    log::emit(vm, &[TaskClaimed::SIGNATURE_HASH, task_id], &[]);
    Ok(())
}

#[public]
impl TasksFacet {
    /// Starts task `idx` of deal `deal_id` (ACTIVE) and returns its id
    /// `keccak256(dealid ‖ idx)`. Anyone may call it, at any time.
    ///
    /// # Arguments
    /// * `deal_id` - the deal.
    /// * `idx` - the task's absolute index, `botFirst <= idx < botFirst + botSize`.
    ///
    /// # Errors
    /// A bare revert when `idx` is outside the deal's bag of tasks (also for an unknown deal,
    /// whose bag is empty) or the task is not UNSET; `Panic(0x11)` when the category's time
    /// reference makes a deadline overflow.
    ///
    /// # Events
    /// `TaskInitialize(taskid, workerpool)`.
    pub fn initialize(&mut self, deal_id: B256, idx: U256) -> Result<B256, Vec<u8>> {
        initialize(self.vm(), deal_id, idx)
    }

    /// `initialize(deal_ids[i], indexes[i])` for every `i`; all or nothing.
    ///
    /// # Errors
    /// A bare revert when the arrays differ in length; otherwise the first failing
    /// `initialize`'s.
    ///
    /// # Events
    /// One `TaskInitialize` per task.
    #[selector(name = "initializeArray")]
    pub fn initialize_array(&mut self, deal_ids: Vec<B256>, indexes: Vec<U256>) -> Result<bool, Vec<u8>> {
        require(deal_ids.len() == indexes.len())?;
        let vm = self.vm();
        for (deal_id, idx) in deal_ids.into_iter().zip(indexes) {
            initialize(vm, deal_id, idx)?;
        }
        Ok(true)
    }

    /// Fails task `task_id` once its final deadline has passed: the sponsor's payment is
    /// unlocked, the scheduler's stake (30 % of the workerpool price) is seized and frozen
    /// on the kitty, and every contributor's stake is unlocked. Anyone may call it.
    ///
    /// # Errors
    /// A bare revert unless the task is ACTIVE or REVEALING and `finalDeadline <= now`.
    ///
    /// # Events
    /// `Transfer` + `Unlock` (sponsor), `Seize` (scheduler), `Reward` + `Lock` (kitty),
    /// `Transfer` + `Unlock` per contributor, `TaskClaimed(taskid)`.
    pub fn claim(&mut self, task_id: B256) -> Result<(), Vec<u8>> {
        claim(self.vm(), task_id)
    }

    /// `claim(task_ids[i])` for every `i`; all or nothing.
    ///
    /// # Errors
    /// The first failing `claim`'s.
    ///
    /// # Events
    /// Those of each `claim`.
    #[selector(name = "claimArray")]
    pub fn claim_array(&mut self, task_ids: Vec<B256>) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        for task_id in task_ids {
            claim(vm, task_id)?;
        }
        Ok(true)
    }

    /// `claim(initialize(deal_ids[i], indexes[i]))` for every `i`: refunds tasks of an
    /// expired deal that nobody initialized; all or nothing.
    ///
    /// # Errors
    /// A bare revert when the arrays differ in length; otherwise the first failing
    /// `initialize`'s or `claim`'s.
    ///
    /// # Events
    /// Those of each `initialize` and `claim`.
    #[selector(name = "initializeAndClaimArray")]
    pub fn initialize_and_claim_array(&mut self, deal_ids: Vec<B256>, indexes: Vec<U256>) -> Result<bool, Vec<u8>> {
        require(deal_ids.len() == indexes.len())?;
        let vm = self.vm();
        for (deal_id, idx) in deal_ids.into_iter().zip(indexes) {
            let task_id = initialize(vm, deal_id, idx)?;
            claim(vm, task_id)?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests;
