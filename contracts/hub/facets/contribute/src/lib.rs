//! The contribute facet of the PoCo hub: the Proof-of-Contribution vote of `IexecPoco2Facet` —
//! `contribute` and `reopen` (`reveal` is the reveal facet's).
//!
//! - `contribute`: a worker the scheduler authorized (or the TEE broker, for an enclave)
//!   commits to a result hash and seal and locks its stake; its score gives its weight,
//!   the weights of agreeing workers multiply into their group, and when one group's
//!   credibility passes the deal's trust (`group · trust > total · (trust − 1)`) the task
//!   turns REVEALING with a reveal deadline of `2 · timeref`.
//! - `reopen`: the scheduler rejects a consensus nobody revealed once the reveal deadline
//!   passed; the task is ACTIVE again, the rejected workers can never contribute again.
//!
//! The rules are `poco_core::{consensus, lifecycle, messages}`; every failed `require` is a
//! bare revert as in PoCo, arithmetic overflow `Panic(0x11)`.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{aliases::U8, Address, Bytes, B256, U256};
use alloy_sol_types::SolEvent;
use poco_core::{
    consensus::{
        contribution_log_weight, group_weight_delta, is_consensus_reached, is_consensus_winner, total_after_reopen,
        worker_weight,
    },
    lifecycle::{can_contribute, can_reopen},
    status::{ContributionStatusEnum, TaskStatusEnum},
    PocoError,
};
use poco_hub_base::{
    escrow, log, poco_storage, revert,
    task::{check_contribution_authorization, consensus_value, require, TaskConsensus, TaskContribute, TaskReopen},
};
use stylus_sdk::{host::VM, prelude::*};

/// The contribute facet. Its state is the hub's (`poco_storage`), so the struct has no fields.
#[storage]
#[entrypoint]
pub struct ContributeFacet {}

/// `a + b`, `Panic(0x11)` on overflow.
fn add(a: U256, b: U256) -> Result<U256, Vec<u8>> {
    a.checked_add(b).ok_or_else(|| revert::poco(PocoError::ArithmeticOverflow))
}

fn status_u8(status: ContributionStatusEnum) -> U8 {
    U8::from(status.as_u8())
}

/// The sender's contribution to `task_id`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, contribute and checkConsensus
#[allow(clippy::too_many_arguments)]
fn contribute(
    vm: &VM,
    task_id: B256,
    hash: B256,
    seal: B256,
    enclave_challenge: Address,
    enclave_sign: &[u8],
    authorization_sign: &[u8],
) -> Result<(), Vec<u8>> {
    let worker = vm.msg_sender();
    let now = U256::from(vm.block_timestamp());
    let mut s = poco_storage(vm);
    let task = s.tasks.getter(task_id);
    let status = task.status();
    require(status == TaskStatusEnum::ACTIVE)?;
    let deal = s.deals.getter(task.deal_id.get());
    let times = task.times(vm, &deal).map_err(revert::poco)?;
    require(can_contribute(status, &times.contribution_deadline, &now))?;
    let contribution_status = s.contributions.getter(task_id).getter(worker).status.get();
    require(contribution_status == status_u8(ContributionStatusEnum::UNSET))?;
    check_contribution_authorization(
        vm,
        &s,
        &deal,
        worker,
        task_id,
        hash,
        seal,
        enclave_challenge,
        enclave_sign,
        authorization_sign,
    )?;
    let (worker_stake, trust) = (deal.worker_stake.get(), deal.trust.get());
    drop((task, deal));

    {
        let mut contributions = s.contributions.setter(task_id);
        let mut contribution = contributions.setter(worker);
        contribution.status.set(status_u8(ContributionStatusEnum::CONTRIBUTED));
        contribution.result_hash.set(hash);
        contribution.result_seal.set(seal);
        contribution.enclave_challenge.set(enclave_challenge);
    }
    s.tasks.setter(task_id).push_contributor(worker)?;
    escrow::lock(vm, &mut s, worker, worker_stake)?;
    log::emit(vm, &[TaskContribute::SIGNATURE_HASH, task_id, worker.into_word()], &[hash.0]);

    // SCORE POLICY 1/3: the worker's weight joins its group and the total.
    let weight = worker_weight(&s.worker_scores.get(worker));
    let mut task = s.tasks.setter(task_id);
    let group = task.groups.get(hash);
    let delta = group_weight_delta(&group, &weight).map_err(revert::poco)?;
    let log_weight = contribution_log_weight(&weight);
    let group = add(group, delta)?;
    let total = add(task.consensus_total().map_err(revert::poco)?, delta)?;
    task.groups.setter(hash).set(group);
    task.set_consensus_total(total);
    drop(task);
    // log2 of a uint256 is at most 255.
    s.contributions.setter(task_id).setter(worker).weight.set(U8::from(log_weight.to::<u8>()));

    // Consensus detection. The value is this vote's hash: the contributor just pushed, last.
    if is_consensus_reached(&group, &total, &trust).map_err(revert::poco)? {
        let task = s.tasks.getter(task_id);
        let voter = task.contributor_count() - 1;
        let contributions = s.contributions.getter(task_id);
        let winners = task
            .contributor_list()
            .into_iter()
            .filter(|w| {
                let c = contributions.getter(*w);
                let status = ContributionStatusEnum::from_u8(c.status.get().to::<u8>()).unwrap_or_default();
                is_consensus_winner(status, &c.result_hash.get(), &hash)
            })
            .count() as u64;
        drop((task, contributions));
        let mut task = s.tasks.setter(task_id);
        task.set_status(TaskStatusEnum::REVEALING);
        task.set_consensus(vm, voter, winners, 0)?;
        log::emit(vm, &[TaskConsensus::SIGNATURE_HASH, task_id], &[hash.0]);
    }
    Ok(())
}

/// The scheduler rejects an unrevealed consensus.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reopen
fn reopen(vm: &VM, task_id: B256) -> Result<(), Vec<u8>> {
    let now = U256::from(vm.block_timestamp());
    let mut s = poco_storage(vm);
    let task = s.tasks.getter(task_id);
    let deal = s.deals.getter(task.deal_id.get());
    require(vm.msg_sender() == deal.workerpool_owner.get())?;
    let status = task.status();
    require(status == TaskStatusEnum::REVEALING)?;
    let times = task.times(vm, &deal).map_err(revert::poco)?;
    require(can_reopen(
        status,
        &times.final_deadline,
        &times.reveal_deadline,
        &U256::from(task.reveal_counter()),
        &now,
    ))?;
    let consensus = consensus_value(&s, task_id, &task);
    let contributors = task.contributor_list();
    drop((task, deal));

    {
        let mut contributions = s.contributions.setter(task_id);
        for worker in contributors {
            let mut contribution = contributions.setter(worker);
            if contribution.result_hash.get() == consensus {
                contribution.status.set(status_u8(ContributionStatusEnum::REJECTED));
            }
        }
    }
    let mut task = s.tasks.setter(task_id);
    let total = total_after_reopen(&task.consensus_total().map_err(revert::poco)?, &task.groups.get(consensus))
        .map_err(revert::poco)?;
    task.set_consensus_total(total);
    task.groups.setter(consensus).set(U256::ZERO);
    task.set_status(TaskStatusEnum::ACTIVE);
    task.clear_consensus();
    log::emit(vm, &[TaskReopen::SIGNATURE_HASH, task_id], &[]);
    Ok(())
}

#[public]
impl ContributeFacet {
    /// The sender's vote on task `task_id`: its result hash and seal, authorized by the
    /// scheduler's (or TEE broker's) signature, with its stake locked.
    ///
    /// # Arguments
    /// * `task_id` - an ACTIVE task, before its contribution deadline.
    /// * `result_hash` - `keccak256(taskid ‖ resultDigest)`.
    /// * `result_seal` - `keccak256(worker ‖ taskid ‖ resultDigest)`.
    /// * `enclave_challenge` - the enclave's address for TEE tasks (required when the deal's
    ///   tag has the TEE bit), zero otherwise.
    /// * `enclave_sign` - the enclave's eth-signed signature of `(resultHash, resultSeal)`
    ///   (ignored without enclave).
    /// * `authorization_sign` - eth-signed signature of `(worker, taskid, enclaveChallenge)` by
    ///   the TEE broker when there is an enclave and a broker, by the scheduler otherwise.
    ///
    /// # Errors
    /// A bare revert when the task is not ACTIVE, the contribution deadline has passed, the
    /// sender already contributed (or was rejected), a TEE task lacks an enclave challenge,
    /// or a signature does not verify; `invalid-signature-format` for an EOA signature that
    /// is neither 64 nor 65 bytes; `IexecEscrow: Transfer amount exceeds balance` when the
    /// worker cannot lock its stake; `Panic(0x11)` on weight arithmetic overflow.
    ///
    /// # Events
    /// `Transfer` + `Lock` (the stake), `TaskContribute(taskid, worker, hash)`, and
    /// `TaskConsensus(taskid, consensus)` when this vote reaches consensus.
    pub fn contribute(
        &mut self,
        task_id: B256,
        result_hash: B256,
        result_seal: B256,
        enclave_challenge: Address,
        enclave_sign: Bytes,
        authorization_sign: Bytes,
    ) -> Result<(), Vec<u8>> {
        contribute(self.vm(), task_id, result_hash, result_seal, enclave_challenge, &enclave_sign, &authorization_sign)
    }

    /// The scheduler rejects a consensus nobody revealed: its workers become REJECTED (their
    /// stakes stay locked until the task ends) and the task is ACTIVE again.
    ///
    /// # Errors
    /// A bare revert unless the sender is the deal's workerpool owner, the task is
    /// REVEALING, before its final deadline, after its reveal deadline, and nobody revealed.
    ///
    /// # Events
    /// `TaskReopen(taskid)`.
    pub fn reopen(&mut self, task_id: B256) -> Result<(), Vec<u8>> {
        reopen(self.vm(), task_id)
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod tests;
