//! Test support shared with the finalize facet's tests (feature `testing`): a matched deal
//! with task 0 initialized, and each move of its workers and scheduler through the real
//! facets (tasks, contribute, reveal). The reveal facet's tests live in this crate's
//! `tests`, beside the vote they prove.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

extern crate std;

use alloc::{vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use poco_core::{
    messages::{result_hash, result_seal},
    task::{Contribution, Task},
};
use poco_facet_tasks::TasksFacet;
use poco_hub_base::{
    poco_storage,
    task::{view_contribution, view_task},
    testing::{MatchedDeal, Signer},
};

use crate::ContributeFacet;

/// The deal category's time reference.
pub const T: u64 = MatchedDeal::TIMEREF;
/// The deal's worker stake.
pub const STAKE: u64 = 1500;

/// A result digest, distinct per `n`.
pub fn digest(n: u8) -> B256 {
    keccak256([n])
}

/// Task 0 of a matched deal, initialized, and the moves of its workers and scheduler.
pub struct Lifecycle {
    /// The deal.
    pub d: MatchedDeal,
    /// The task.
    pub task: B256,
}

impl Lifecycle {
    /// Deal at `trust`, task 0 initialized.
    pub fn new(trust: u64) -> Self {
        let d = MatchedDeal::new(trust, 1);
        let task = TasksFacet::from(&d.host).initialize(d.deal_id, U256::from(4)).unwrap();
        Self { d, task }
    }

    /// Worker `i`.
    pub fn worker(&self, i: usize) -> &Signer {
        &self.d.workers[i]
    }

    /// Worker `i` votes for `digest(n)`, authorized by the scheduler.
    pub fn contribute(&self, i: usize, n: u8) -> Result<(), Vec<u8>> {
        let w = self.worker(i).address;
        let auth = self.d.authorize(w, self.task);
        self.contribute_with(i, n, Address::ZERO, vec![0; 32], auth)
    }

    /// Worker `i` votes for `digest(n)` with these enclave and authorization data.
    pub fn contribute_with(&self, i: usize, n: u8, enclave: Address, enclave_sign: Vec<u8>, auth: Vec<u8>) -> Result<(), Vec<u8>> {
        let w = self.worker(i).address;
        self.d.from(w);
        ContributeFacet::from(&self.d.host).contribute(
            self.task,
            result_hash(&self.task, &digest(n)),
            result_seal(&w, &self.task, &digest(n)),
            enclave,
            enclave_sign.into(),
            auth.into(),
        )
    }

    /// Worker `i` reveals `digest(n)`.
    pub fn reveal(&self, i: usize, n: u8) -> Result<(), Vec<u8>> {
        self.d.from(self.worker(i).address);
        poco_facet_reveal::RevealFacet::from(&self.d.host).reveal(self.task, digest(n))
    }

    /// `reopen` sent by `sender`.
    pub fn reopen(&self, sender: Address) -> Result<(), Vec<u8>> {
        self.d.from(sender);
        ContributeFacet::from(&self.d.host).reopen(self.task)
    }

    /// `viewTask`.
    pub fn view(&self) -> Task {
        let vm = self.d.host.handle();
        view_task(&vm, &poco_storage(&vm), self.task)
    }

    /// `viewContribution` of worker `i`.
    pub fn contribution(&self, i: usize) -> Contribution {
        let vm = self.d.host.handle();
        view_contribution(&poco_storage(&vm), self.task, self.worker(i).address)
    }

    /// Sets worker `i`'s score.
    pub fn set_score(&self, i: usize, score: u64) {
        let vm = self.d.host.handle();
        poco_storage(&vm).worker_scores.setter(self.worker(i).address).set(U256::from(score));
    }

    /// Everything a failed call must leave untouched: task, contributions, worker accounts,
    /// logs.
    pub fn snapshot(&self) -> (Task, Vec<Contribution>, Vec<(U256, U256)>, usize) {
        (
            self.view(),
            (0..5).map(|i| self.contribution(i)).collect(),
            self.d.workers.iter().map(|w| self.d.account(w.address)).collect(),
            self.d.host.vm.get_emitted_logs().len(),
        )
    }
}

