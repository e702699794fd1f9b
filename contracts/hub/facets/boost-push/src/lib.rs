//! The Boost settlement facet of the PoCo hub: `pushResultBoost` and `claimBoost` from PoCo's
//! `IexecPocoBoostFacet`, and `viewDealBoost` from `IexecPocoBoostAccessorsFacet`.
//!
//! - `pushResultBoost(dealId, index, …)`: a worker authorized by the scheduler (or, for an
//!   enclave, the TEE broker) settles task `index` (0-based) of a Boost deal before its
//!   deadline in one transaction — COMPLETED, the payer's price seized, worker, app and
//!   dataset owners paid, the scheduler's stake unlocked and its share (plus a share of the
//!   kitty) paid, `ResultPushedBoost`, then the deal's callback.
//! - `claimBoost(dealId, index)`: anyone, from the deadline on, fails an unpushed task —
//!   FAILED, the payer refunded, the scheduler's stake seized into the kitty, `TaskClaimed`.
//!
//! The payer is the deal's sponsor, for a push as for a claim: PoCo's push seizes
//! `deal.requester`, which on a sponsored deal reverts or takes funds the requester locked
//! for something else (README, design decisions).
//!
//! A Boost task's only record is its status, in the classic task map (`viewTask` reports
//! it, as in PoCo). Every check runs before the first write; the amounts are
//! `poco_core::boost`'s.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolEvent};
use poco_core::{
    boost::{
        claim_amounts, push_payout, require_callback_data, require_claim_after_deadline, require_enclave_challenge,
        require_push_before_deadline, require_task_exists_and_unset, result_digest,
    },
    constants::KITTY_ADDRESS,
    deal::DealBoost,
    ids::task_id,
    lifecycle::authorization_signer,
    messages::{boost_enclave_message_hash, worker_authorization_hash},
    reasons::{BOOST_INVALID_AUTHORIZATION_SIGNATURE, BOOST_INVALID_ENCLAVE_SIGNATURE, BOOST_NOT_ENOUGH_GAS_AFTER_CALLBACK},
    status::TaskStatusEnum,
};
use poco_hub_base::{
    callback::deliver_result,
    escrow,
    layout::DealBoostRecord,
    log, poco_storage, revert,
    signatures::verify_eth_signed_message,
    task::TaskClaimed,
};
use stylus_sdk::{host::VM, prelude::*};

sol! {
    /// A worker pushed the result of task `index` of Boost deal `dealId`.
    #[sol(abi)]
    event ResultPushedBoost(bytes32 dealId, uint256 index, bytes results);
}

/// The Boost settlement facet. Its state is the hub's (`poco_storage`), so the struct has no
/// fields.
#[storage]
#[entrypoint]
pub struct BoostPushFacet {}

/// `require(ok, reason)`.
fn require(ok: bool, reason: &'static str) -> Result<(), Vec<u8>> {
    if ok {
        Ok(())
    } else {
        Err(revert::reason(reason))
    }
}

/// The prices and parties of a Boost deal, as a push or a claim reads them.
struct Terms {
    app_owner: Address,
    app_price: U256,
    dataset_owner: Address,
    dataset_price: U256,
    scheduler: Address,
    workerpool_price: U256,
    worker_reward: U256,
    payer: Address,
}

impl Terms {
    fn of(deal: &DealBoostRecord) -> Self {
        let u96 = |v: alloy_primitives::aliases::U96| U256::from_limbs([v.as_limbs()[0], v.as_limbs()[1], 0, 0]);
        Self {
            app_owner: deal.app_owner.get(),
            app_price: u96(deal.app_price.get()),
            dataset_owner: deal.dataset_owner.get(),
            dataset_price: u96(deal.dataset_price.get()),
            scheduler: deal.workerpool_owner.get(),
            workerpool_price: u96(deal.workerpool_price.get()),
            worker_reward: u96(deal.worker_reward.get()),
            payer: deal.sponsor(),
        }
    }
}

/// The task's status, after PoCo's existence check against the deal's bag (0-based).
fn unset_task(vm: &VM, deal: &DealBoostRecord, deal_id: B256, index: U256) -> Result<B256, Vec<u8>> {
    let id = task_id(&deal_id, &index);
    let status = poco_storage(vm).tasks.getter(id).status();
    // A `uint16` in storage: its low limb is all of it.
    let bot_size = deal.bot_size.get().as_limbs()[0] as u16;
    require_task_exists_and_unset(status, &index, bot_size).map_err(revert::poco)?;
    Ok(id)
}

/// The deadline of a Boost deal (a `uint40` in storage).
fn deadline(deal: &DealBoostRecord) -> u64 {
    deal.deadline.get().as_limbs()[0]
}

/// The arguments of `pushResultBoost` after the deal id and index.
struct PushedResult<'a> {
    results: &'a [u8],
    results_callback: &'a [u8],
    authorization_sign: &'a [u8],
    enclave_challenge: Address,
    enclave_sign: &'a [u8],
}

/// A worker settles task `index` of Boost deal `deal_id`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
fn push_result_boost(vm: &VM, deal_id: B256, index: U256, r: &PushedResult) -> Result<(), Vec<u8>> {
    let worker = vm.msg_sender();
    let mut s = poco_storage(vm);
    let deal = s.deals_boost.getter(deal_id);
    let task = unset_task(vm, &deal, deal_id, index)?;
    require_push_before_deadline(deadline(&deal), vm.block_timestamp()).map_err(revert::poco)?;
    let enclave = r.enclave_challenge;
    require_enclave_challenge(&deal.short_tag.get(), &enclave).map_err(revert::poco)?;
    let scheduler = deal.workerpool_owner.get();
    // The TEE broker is read only for an enclave, as PoCo's short-circuit does.
    let signer = authorization_signer(&enclave, || s.teebroker.get(), &scheduler);
    require(
        verify_eth_signed_message(vm, signer, worker_authorization_hash(&worker, &task, &enclave), r.authorization_sign)?,
        BOOST_INVALID_AUTHORIZATION_SIGNATURE,
    )?;
    let callback = deal.callback.get();
    if !enclave.is_zero() {
        let digest = result_digest(&callback, r.results, r.results_callback);
        require(
            verify_eth_signed_message(vm, enclave, boost_enclave_message_hash(&worker, &task, &digest), r.enclave_sign)?,
            BOOST_INVALID_ENCLAVE_SIGNATURE,
        )?;
    }
    let terms = Terms::of(&deal);
    drop(deal);
    let kitty = s.accounts.getter(KITTY_ADDRESS).frozen();
    let payout = push_payout(&terms.app_price, &terms.dataset_price, &terms.workerpool_price, &terms.worker_reward, &kitty)
        .map_err(revert::poco)?;
    // PoCo checks the callback data after paying; every payment of a matched deal succeeds,
    // so checking it before the first write reverts in the same cases, and leaves nothing
    // to undo.
    require_callback_data(&callback, r.results_callback).map_err(revert::poco)?;

    // Before any external call: the task is settled (PoCo's reentrancy guard).
    s.tasks.setter(task).set_status(TaskStatusEnum::COMPLETED);
    escrow::seize(vm, &mut s, terms.payer, payout.payer_seize, task)?;
    escrow::reward(vm, &mut s, worker, payout.worker_reward, task)?;
    if !payout.app_reward.is_zero() {
        escrow::reward(vm, &mut s, terms.app_owner, payout.app_reward, task)?;
    }
    if !payout.dataset_reward.is_zero() {
        escrow::reward(vm, &mut s, terms.dataset_owner, payout.dataset_reward, task)?;
    }
    escrow::unlock(vm, &mut s, terms.scheduler, payout.workerpool_unlock)?;
    if !kitty.is_zero() {
        escrow::seize(vm, &mut s, KITTY_ADDRESS, payout.kitty_seize, task)?;
    }
    escrow::reward(vm, &mut s, terms.scheduler, payout.scheduler_reward, task)?;
    let mut data = Vec::with_capacity(32 * 4 + r.results.len() + 31);
    data.extend_from_slice(deal_id.as_slice());
    data.extend_from_slice(&log::uint(index));
    data.extend_from_slice(&log::uint(U256::from(96)));
    log::append_bytes_tail(&mut data, r.results);
    let mut bytes = Vec::with_capacity(32 + data.len());
    bytes.extend_from_slice(ResultPushedBoost::SIGNATURE_HASH.as_slice());
    bytes.extend_from_slice(&data);
    stylus_sdk::stylus_core::host::RawLogAccess::emit_log(vm, &bytes, 1);

    if !callback.is_zero() && !deliver_result(vm, callback, s.callback_gas.get(), task, r.results_callback) {
        return Err(revert::reason(BOOST_NOT_ENOUGH_GAS_AFTER_CALLBACK));
    }
    Ok(())
}

/// Anyone fails task `index` of Boost deal `deal_id` from the deadline on.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, claimBoost
fn claim_boost(vm: &VM, deal_id: B256, index: U256) -> Result<(), Vec<u8>> {
    let mut s = poco_storage(vm);
    let deal = s.deals_boost.getter(deal_id);
    let task = unset_task(vm, &deal, deal_id, index)?;
    require_claim_after_deadline(deadline(&deal), vm.block_timestamp()).map_err(revert::poco)?;
    let terms = Terms::of(&deal);
    drop(deal);
    let (refund, stake) =
        claim_amounts(&terms.app_price, &terms.dataset_price, &terms.workerpool_price).map_err(revert::poco)?;

    s.tasks.setter(task).set_status(TaskStatusEnum::FAILED);
    escrow::unlock(vm, &mut s, terms.payer, refund)?;
    escrow::seize(vm, &mut s, terms.scheduler, stake, task)?;
    escrow::freeze_into_kitty(vm, &mut s, stake, task)?;
    log::emit(vm, &[TaskClaimed::SIGNATURE_HASH, task], &[]);
    Ok(())
}

#[public]
impl BoostPushFacet {
    /// The sender (a worker) pushes the result of task `index` of Boost deal `deal_id`, and
    /// everyone is paid.
    ///
    /// # Arguments
    /// * `deal_id`, `index` - the task: `keccak256(dealId ‖ index)`, `index < botSize`
    ///   (0-based, unlike classic tasks).
    /// * `results` - what the requester gets (logged, not stored).
    /// * `results_callback` - the data for the deal's callback; required when it has one.
    /// * `authorization_sign` - the scheduler's (or, with an enclave and a TEE broker, the
    ///   broker's) eth-signed `keccak256(worker ‖ taskId ‖ enclaveChallenge)`.
    /// * `enclave_challenge` - the enclave that computed the result; required by a TEE deal.
    /// * `enclave_sign` - the enclave's eth-signed `keccak256(worker ‖ taskId ‖ digest)`,
    ///   `digest = keccak256(callback == 0 ? results : resultsCallback)`.
    ///
    /// # Errors
    /// In this order: "PocoBoost: Unknown task", "PocoBoost: Task status not unset",
    /// "PocoBoost: Deadline reached" (`now >= deadline`), "PocoBoost: Tag requires enclave
    /// challenge", "PocoBoost: Invalid contribution authorization signature", "PocoBoost:
    /// Invalid enclave signature", "PocoBoost: Callback requires data";
    /// `invalid-signature-format` for an EOA signature that is neither 64 nor 65 bytes;
    /// `Panic(0x11)` when the three prices exceed `uint96` together (as PoCo adds them);
    /// "PocoBoost: Not enough gas after callback" when `gasleft() <= callbackgas / 63` after
    /// the callback.
    ///
    /// # Events
    /// `Seize(payer)`, `Transfer` + `Reward` to the worker, the app owner and the dataset
    /// owner (the last two when paid), `Transfer` + `Unlock` of the scheduler's stake,
    /// `Seize(kitty)` when the kitty is not empty, `Transfer` + `Reward` to the scheduler,
    /// `ResultPushedBoost(dealId, index, results)`.
    #[selector(name = "pushResultBoost")]
    #[allow(clippy::too_many_arguments)]
    pub fn push_result_boost(
        &mut self,
        deal_id: B256,
        index: U256,
        results: Bytes,
        results_callback: Bytes,
        authorization_sign: Bytes,
        enclave_challenge: Address,
        enclave_sign: Bytes,
    ) -> Result<(), Vec<u8>> {
        let pushed = PushedResult {
            results: &results,
            results_callback: &results_callback,
            authorization_sign: &authorization_sign,
            enclave_challenge,
            enclave_sign: &enclave_sign,
        };
        push_result_boost(self.vm(), deal_id, index, &pushed)
    }

    /// Fails task `index` of Boost deal `deal_id`, unpushed at its deadline, and refunds
    /// its payer; anyone may call it.
    ///
    /// # Errors
    /// "PocoBoost: Unknown task", "PocoBoost: Task status not unset", "PocoBoost: Deadline
    /// not reached" (`now < deadline`), in this order.
    ///
    /// # Events
    /// `Transfer` + `Unlock` to the payer, `Seize(scheduler)`, `Reward(kitty)` + `Lock(kitty)`
    /// (the stake frozen on the kitty without a transfer), `TaskClaimed(taskid)`.
    #[selector(name = "claimBoost")]
    pub fn claim_boost(&mut self, deal_id: B256, index: U256) -> Result<(), Vec<u8>> {
        claim_boost(self.vm(), deal_id, index)
    }

    /// The Boost deal `id` (all zero when unknown); the sponsor is the requester when the
    /// requester paid.
    #[selector(name = "viewDealBoost")]
    pub fn view_deal_boost(&self, id: B256) -> DealBoost {
        poco_storage(self.vm()).deals_boost.getter(id).to_deal_boost()
    }
}

#[cfg(test)]
mod tests;
