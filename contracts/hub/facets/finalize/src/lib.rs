//! The finalize facet of the PoCo hub: where a task's result is delivered and everyone is
//! paid — `finalize` and its trust-1 fast path `contributeAndFinalize`, from PoCo's
//! `IexecPoco2Facet`.
//!
//! - `finalize` (the scheduler, once enough winners revealed): COMPLETED, the results
//!   stored, `successWork` (the payer's price seized, app and dataset owners rewarded, the
//!   scheduler's stake unlocked, a share of the kitty to the scheduler), `distributeRewards`
//!   (winners share the pool by log weight and gain score when the task was replicated, the
//!   others lose their stake and a third of their score, the scheduler gets the rest), then
//!   the deal's result callback.
//! - `contributeAndFinalize` (a worker, on a trust-1 task nobody contributed to): the
//!   contribution, consensus, reveal and finalization in one transaction, without stake or
//!   score (`distributeRewardsFast`).
//!
//! The amounts are `poco_core::rewards`; every failed `require` is a bare revert as in PoCo;
//! the callback's gas check is PoCo's `assert`, `Panic(0x01)`.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{
    aliases::U8,
    Address, Bytes, B256, U256,
};
use alloy_sol_types::{sol, SolCall, SolEvent};
use poco_core::{
    constants::KITTY_ADDRESS,
    consensus::{score_after_accurate_contribution, score_after_faulty_contribution},
    lifecycle::{can_contribute, can_contribute_and_finalize, can_finalize},
    math::div_small,
    messages::{is_results_callback_valid, result_hash, result_seal},
    rewards::{fast_path_rewards, success_work, RewardPool},
    status::{ContributionStatusEnum, TaskStatusEnum},
};
use poco_hub_base::{
    escrow, log, poco_storage, revert,
    layout::DealRecord,
    task::{
        check_contribution_authorization, require, AccurateContribution, FaultyContribution, TaskConsensus,
        TaskContribute, TaskFinalize, TaskReveal,
    },
    PocoStorage,
};
use stylus_sdk::{call::RawCall, host::VM, prelude::*};

sol! {
    /// EIP-1154 oracle consumer: the deal's callback receives each task's `resultsCallback`.
    function receiveResult(bytes32 taskid, bytes result);
}

/// The finalize facet. Its state is the hub's (`poco_storage`), so the struct has no fields.
#[storage]
#[entrypoint]
pub struct FinalizeFacet {}

/// What the payouts of a task read from its deal.
struct Payees {
    app_owner: Address,
    app_price: U256,
    has_dataset: bool,
    dataset_owner: Address,
    dataset_price: U256,
    scheduler: Address,
    workerpool_price: U256,
    sponsor: Address,
    worker_stake: U256,
    scheduler_reward_ratio: U256,
    callback: Address,
}

impl Payees {
    fn of(deal: &DealRecord) -> Self {
        Self {
            app_owner: deal.app_owner.get(),
            app_price: deal.app_price.get(),
            has_dataset: !deal.dataset.get().is_zero(),
            dataset_owner: deal.dataset_owner.get(),
            dataset_price: deal.dataset_price.get(),
            scheduler: deal.workerpool_owner.get(),
            workerpool_price: deal.workerpool_price.get(),
            sponsor: deal.sponsor(),
            worker_stake: deal.worker_stake.get(),
            scheduler_reward_ratio: U256::from(deal.scheduler_reward_ratio.get()),
            callback: deal.callback.get(),
        }
    }
}

/// The payer's price seized, app and dataset owners rewarded, the scheduler's stake
/// unlocked and a share of the kitty paid to the scheduler.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, successWork
fn success(vm: &VM, s: &mut PocoStorage, deal: &Payees, task_id: B256) -> Result<(), Vec<u8>> {
    let kitty = s.accounts.getter(KITTY_ADDRESS).frozen();
    let work = success_work(&deal.app_price, &deal.dataset_price, &deal.workerpool_price, deal.has_dataset, &kitty)
        .map_err(revert::poco)?;
    escrow::seize(vm, s, deal.sponsor, work.sponsor_seize, task_id)?;
    if !work.app_reward.is_zero() {
        escrow::reward(vm, s, deal.app_owner, work.app_reward, task_id)?;
    }
    if !work.dataset_reward.is_zero() {
        escrow::reward(vm, s, deal.dataset_owner, work.dataset_reward, task_id)?;
    }
    escrow::unlock(vm, s, deal.scheduler, work.workerpool_unlock)?;
    if !kitty.is_zero() {
        escrow::seize(vm, s, KITTY_ADDRESS, work.kitty_reward, task_id)?;
        escrow::reward(vm, s, deal.scheduler, work.kitty_reward, task_id)?;
    }
    Ok(())
}

/// Pays the winners by log weight, seizes the others, updates scores, pays the scheduler.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, distributeRewards
fn distribute_rewards(
    vm: &VM,
    s: &mut PocoStorage,
    deal: &Payees,
    task_id: B256,
    contributors: &[Address],
) -> Result<(), Vec<u8>> {
    // First pass: the pool and the winners' total log weight.
    let mut pool = RewardPool::new(&deal.workerpool_price);
    let contributions = s.contributions.getter(task_id);
    let outcomes: Vec<(Address, Option<U256>)> = contributors
        .iter()
        .map(|worker| {
            let c = contributions.getter(*worker);
            let proved = c.status.get() == U8::from(ContributionStatusEnum::PROVED.as_u8());
            (*worker, proved.then(|| U256::from(c.weight.get())))
        })
        .collect();
    drop(contributions);
    for (_, weight) in &outcomes {
        match weight {
            Some(weight) => pool.add_winner(weight),
            None => pool.add_loser(&deal.worker_stake),
        }
        .map_err(revert::poco)?;
    }
    let mut payout = pool.into_payout(&deal.scheduler_reward_ratio).map_err(revert::poco)?;

    // Second pass: pay, seize, score.
    let replicated = contributors.len();
    for (worker, weight) in outcomes {
        let score = s.worker_scores.get(worker);
        match weight {
            Some(weight) => {
                let reward = payout.pay_winner(&weight).map_err(revert::poco)?;
                escrow::unlock(vm, s, worker, deal.worker_stake)?;
                escrow::reward(vm, s, worker, reward, task_id)?;
                if replicated > 1 {
                    let score = score_after_accurate_contribution(&score, replicated).map_err(revert::poco)?;
                    s.worker_scores.setter(worker).set(score);
                    log::emit(vm, &[AccurateContribution::SIGNATURE_HASH, worker.into_word(), task_id], &[]);
                }
            }
            None => {
                escrow::seize(vm, s, worker, deal.worker_stake, task_id)?;
                s.worker_scores.setter(worker).set(score_after_faulty_contribution(&score));
                log::emit(vm, &[FaultyContribution::SIGNATURE_HASH, worker.into_word(), task_id], &[]);
            }
        }
    }
    escrow::reward(vm, s, deal.scheduler, payout.scheduler_reward(), task_id)
}

/// Calls the deal's callback with `callbackgas` gas (its success ignored), then PoCo's
/// `assert(gasleft() > callbackgas / 63)`: the scheduler cannot starve the callback by
/// sending too little gas.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, executeCallback
fn execute_callback(vm: &VM, s: &PocoStorage, callback: Address, task_id: B256, results_callback: &[u8]) -> Result<(), Vec<u8>> {
    if callback.is_zero() {
        return Ok(());
    }
    let callback_gas = s.callback_gas.get();
    let mut calldata = Vec::with_capacity(4 + 96 + results_callback.len() + 31);
    calldata.extend_from_slice(&receiveResultCall::SELECTOR);
    calldata.extend_from_slice(task_id.as_slice());
    calldata.extend_from_slice(&log::uint(U256::from(64)));
    log::append_bytes_tail(&mut calldata, results_callback);
    // The callee may read the hub back (e.g. `resultFor`) or call it: the cache is written
    // out and dropped first. Its answer is ignored, so none of it is copied back.
    // SAFETY: no storage reference is alive across the call.
    let _ = unsafe {
        RawCall::new(vm)
            .gas(u64::try_from(callback_gas).unwrap_or(u64::MAX))
            .clear_storage_cache()
            .skip_return_data()
            .call(callback, &calldata)
    };
    // 63 is not zero.
    let floor = div_small(&callback_gas, 63).unwrap_or_default();
    if U256::from(vm.evm_gas_left()) > floor {
        Ok(())
    } else {
        Err(revert::panic(0x01))
    }
}

/// The scheduler finalizes task `task_id`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, finalize
fn finalize(vm: &VM, task_id: B256, results: &[u8], results_callback: &[u8]) -> Result<(), Vec<u8>> {
    let now = U256::from(vm.block_timestamp());
    let mut s = poco_storage(vm);
    let task = s.tasks.getter(task_id);
    let deal = s.deals.getter(task.deal_id.get());
    require(vm.msg_sender() == deal.workerpool_owner.get())?;
    let status = task.status();
    require(status == TaskStatusEnum::REVEALING)?;
    let times = task.times(vm, &deal).map_err(revert::poco)?;
    require(can_finalize(
        status,
        &times.final_deadline,
        &times.reveal_deadline,
        &U256::from(task.reveal_counter()),
        &U256::from(task.winner_counter()),
        &now,
    ))?;
    require(is_results_callback_valid(&deal.callback.get(), results_callback, &task.result_digest.get()))?;
    let payees = Payees::of(&deal);
    let contributors = task.contributor_list();
    drop((task, deal));

    {
        let mut task = s.tasks.setter(task_id);
        task.set_status(TaskStatusEnum::COMPLETED);
        task.results.set_bytes(results);
        // A task is finalized once: its callback data is still empty, nothing to write.
        if !results_callback.is_empty() {
            task.results_callback.set_bytes(results_callback);
        }
    }
    success(vm, &mut s, &payees, task_id)?;
    distribute_rewards(vm, &mut s, &payees, task_id, &contributors)?;
    log::emit_bytes(vm, &[TaskFinalize::SIGNATURE_HASH, task_id], results);
    execute_callback(vm, &s, payees.callback, task_id, results_callback)
}

/// The arguments of `contributeAndFinalize` after the task id.
struct FastResult<'a> {
    digest: B256,
    results: &'a [u8],
    results_callback: &'a [u8],
    enclave_challenge: Address,
    enclave_sign: &'a [u8],
    authorization_sign: &'a [u8],
}

/// A worker contributes and finalizes trust-1 task `task_id` at once.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, contributeAndFinalize and distributeRewardsFast
fn contribute_and_finalize(vm: &VM, task_id: B256, r: &FastResult) -> Result<(), Vec<u8>> {
    let worker = vm.msg_sender();
    let now = U256::from(vm.block_timestamp());
    let mut s = poco_storage(vm);
    let task = s.tasks.getter(task_id);
    let status = task.status();
    require(status == TaskStatusEnum::ACTIVE)?;
    let deal = s.deals.getter(task.deal_id.get());
    let times = task.times(vm, &deal).map_err(revert::poco)?;
    require(can_contribute(status, &times.contribution_deadline, &now))?;
    require(can_contribute_and_finalize(&deal.trust.get(), task.contributor_count() as usize))?;
    let (hash, seal) = (result_hash(&task_id, &r.digest), result_seal(&worker, &task_id, &r.digest));
    require(is_results_callback_valid(&deal.callback.get(), r.results_callback, &r.digest))?;
    check_contribution_authorization(
        vm,
        &s,
        &deal,
        worker,
        task_id,
        hash,
        seal,
        r.enclave_challenge,
        r.enclave_sign,
        r.authorization_sign,
    )?;
    let payees = Payees::of(&deal);
    drop((task, deal));

    {
        let mut contributions = s.contributions.setter(task_id);
        let mut contribution = contributions.setter(worker);
        contribution.status.set(U8::from(ContributionStatusEnum::PROVED.as_u8()));
        contribution.result_hash.set(hash);
        contribution.result_seal.set(seal);
        contribution.enclave_challenge.set(r.enclave_challenge);
    }
    {
        let mut task = s.tasks.setter(task_id);
        task.set_status(TaskStatusEnum::COMPLETED);
        // The only contributor (trust 1, none before): position 0 holds the value.
        task.push_contributor(worker)?;
        task.set_consensus(vm, 0, 1, 1)?;
        task.result_digest.set(r.digest);
        task.results.set_bytes(r.results);
        if !r.results_callback.is_empty() {
            task.results_callback.set_bytes(r.results_callback);
        }
    }
    success(vm, &mut s, &payees, task_id)?;
    let (worker_reward, scheduler_reward) =
        fast_path_rewards(&payees.workerpool_price, &payees.scheduler_reward_ratio).map_err(revert::poco)?;
    escrow::reward(vm, &mut s, worker, worker_reward, task_id)?;
    escrow::reward(vm, &mut s, payees.scheduler, scheduler_reward, task_id)?;

    log::emit(vm, &[TaskContribute::SIGNATURE_HASH, task_id, worker.into_word()], &[hash.0]);
    log::emit(vm, &[TaskConsensus::SIGNATURE_HASH, task_id], &[hash.0]);
    log::emit(vm, &[TaskReveal::SIGNATURE_HASH, task_id, worker.into_word()], &[r.digest.0]);
    log::emit_bytes(vm, &[TaskFinalize::SIGNATURE_HASH, task_id], r.results);
    execute_callback(vm, &s, payees.callback, task_id, r.results_callback)
}

#[public]
impl FinalizeFacet {
    /// The scheduler closes task `task_id` with its results and pays everyone.
    ///
    /// # Arguments
    /// * `task_id` - a REVEALING task whose winners all revealed, or some of them and the
    ///   reveal deadline passed; before its final deadline.
    /// * `results` - what the requester gets (iExec's result link, stored and logged).
    /// * `results_callback` - the data for the deal's callback: empty when it has none,
    ///   otherwise its keccak256 must be the revealed result digest.
    ///
    /// # Errors
    /// A bare revert unless the sender is the deal's workerpool owner and the conditions
    /// above hold; `IexecEscrow: …` or `Panic(0x11)` from the payouts (which cannot fail on a
    /// deal matched by this hub); `Panic(0x01)` when too little gas is left after the
    /// callback (`gasleft() <= callbackgas / 63`).
    ///
    /// # Events
    /// The payouts' `Seize`, `Transfer` + `Reward`, `Transfer` + `Unlock`;
    /// `AccurateContribution` / `FaultyContribution` per contributor (accurate ones only on a
    /// replicated task); `TaskFinalize(taskid, results)`.
    pub fn finalize(&mut self, task_id: B256, results: Bytes, results_callback: Bytes) -> Result<(), Vec<u8>> {
        finalize(self.vm(), task_id, &results, &results_callback)
    }

    /// The trust-1 fast path: the sender contributes `result_digest` to ACTIVE task
    /// `task_id` (nobody contributed yet) and finalizes it with `results` at once. No stake
    /// is locked and no score changes.
    ///
    /// # Arguments
    /// * `result_digest` - the result's digest (the hash and seal are computed from it).
    /// * `results`, `results_callback` - as for `finalize`, the callback data checked
    ///   against `result_digest`.
    /// * `enclave_challenge`, `enclave_sign`, `authorization_sign` - as for `contribute`.
    ///
    /// # Errors
    /// A bare revert when the task is not ACTIVE, its contribution deadline has passed,
    /// someone contributed, the deal's trust is not 1, the callback data does not match, a
    /// TEE task lacks an enclave challenge, or a signature does not verify;
    /// `invalid-signature-format` for an EOA signature of the wrong length; `Panic(0x01)` as
    /// for `finalize`.
    ///
    /// # Events
    /// The payouts' events, then `TaskContribute`, `TaskConsensus`, `TaskReveal`,
    /// `TaskFinalize`.
    #[selector(name = "contributeAndFinalize")]
    #[allow(clippy::too_many_arguments)]
    pub fn contribute_and_finalize(
        &mut self,
        task_id: B256,
        result_digest: B256,
        results: Bytes,
        results_callback: Bytes,
        enclave_challenge: Address,
        enclave_sign: Bytes,
        authorization_sign: Bytes,
    ) -> Result<(), Vec<u8>> {
        let fast = FastResult {
            digest: result_digest,
            results: &results,
            results_callback: &results_callback,
            enclave_challenge,
            enclave_sign: &enclave_sign,
            authorization_sign: &authorization_sign,
        };
        contribute_and_finalize(self.vm(), task_id, &fast)
    }
}

#[cfg(test)]
mod tests;
