//! The reveal facet of the PoCo hub: `reveal` from PoCo's `IexecPoco2Facet` — a winner of a
//! task's consensus proves it knows the result digest behind its committed hash and seal.
//!
//! Alone in its program on purpose: every reveal pays the entry cost of the program it runs
//! in, which grows with the program's size, and a trust-3 task is revealed at least twice.
//! Every failed `require` is a bare revert, as in PoCo. Its tests drive whole votes and live
//! with them in `poco-facet-contribute`'s tests.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{aliases::U8, B256, U256};
use alloy_sol_types::SolEvent;
use poco_core::{
    lifecycle::can_reveal,
    messages::{result_hash, result_seal},
    status::{ContributionStatusEnum, TaskStatusEnum},
};
use poco_hub_base::{
    log, poco_storage, revert,
    task::{consensus_value, require, to_u40, TaskReveal},
};
use stylus_sdk::{host::VM, prelude::*};

/// The reveal facet. Its state is the hub's (`poco_storage`), so the struct has no fields.
#[storage]
#[entrypoint]
pub struct RevealFacet {}

fn status_u8(status: ContributionStatusEnum) -> U8 {
    U8::from(status.as_u8())
}

/// The sender reveals the digest behind its winning contribution.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reveal
fn reveal(vm: &VM, task_id: B256, digest: B256) -> Result<(), Vec<u8>> {
    let worker = vm.msg_sender();
    let now = U256::from(vm.block_timestamp());
    let mut s = poco_storage(vm);
    let task = s.tasks.getter(task_id);
    let status = task.status();
    require(status == TaskStatusEnum::REVEALING)?;
    let deal = s.deals.getter(task.deal_id.get());
    let reveal_deadline = task.reveal_deadline(vm, &deal).map_err(revert::poco)?;
    require(can_reveal(status, &reveal_deadline, &now))?;
    {
        let contributions = s.contributions.getter(task_id);
        let contribution = contributions.getter(worker);
        require(contribution.status.get() == status_u8(ContributionStatusEnum::CONTRIBUTED))?;
        let hash = contribution.result_hash.get();
        require(hash == consensus_value(&s, task_id, &task))?;
        require(hash == result_hash(&task_id, &digest))?;
        require(contribution.result_seal.get() == result_seal(&worker, &task_id, &digest))?;
    }
    let reveals = task.reveal_counter() + 1;
    drop((task, deal));

    s.contributions.setter(task_id).setter(worker).status.set(status_u8(ContributionStatusEnum::PROVED));
    let mut task = s.tasks.setter(task_id);
    task.reveal_counter.set(to_u40(reveals)?);
    task.result_digest.set(digest);
    log::emit(vm, &[TaskReveal::SIGNATURE_HASH, task_id, worker.into_word()], &[digest.0]);
    Ok(())
}


#[public]
impl RevealFacet {
    /// The sender proves its winning contribution: `result_digest` must give back the
    /// contribution's hash and seal.
    ///
    /// # Errors
    /// A bare revert when the task is not REVEALING, the reveal deadline has passed, the
    /// sender's contribution is not CONTRIBUTED or not the consensus, or the digest does not
    /// match its hash or seal.
    ///
    /// # Events
    /// `TaskReveal(taskid, worker, digest)`.
    pub fn reveal(&mut self, task_id: B256, result_digest: B256) -> Result<(), Vec<u8>> {
        reveal(self.vm(), task_id, result_digest)
    }

}
