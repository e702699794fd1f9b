//! Tasks, contributions and consensus tallies in the hub's storage, packed, and what every
//! lifecycle facet shares: the task events, the deadlines derived from the deal, the worker
//! authorization check and the `viewTask` shape.
//!
//! PoCo stores a task in 15 slots (`IexecLibCore_v5.Task`) and writes 7 of them at
//! `initialize`; a task here is written with 2 fresh slots at `initialize` (status, counters
//! and consensus tallies packed in one, the deal id in the other), and reaching a consensus
//! writes no fresh slot of the task, because:
//! - `timeref` and the contribution and final deadlines are not stored: they are
//!   `categories[deal.category].workClockTimeRef` and `deal.startTime + timeref · {7, 10}`,
//!   and categories never change once created. `initialize` still computes both deadlines,
//!   so that a category whose `timeref` would overflow them reverts there as in PoCo.
//! - `revealDeadline` is `consensusTime + 2 · timeref`, so only the consensus time is stored
//!   (a `uint40` block timestamp, good until the year 36,812; 0 means "no reveal deadline",
//!   as PoCo's reset value 0 — every chain's block timestamps are far above 0). It cannot
//!   overflow: consensus happens before the contribution deadline, so
//!   `consensusTime + 2t < startTime + 9t < finalDeadline`.
//! - `consensusValue` is not stored: it is the result hash of a contributor who voted it, and
//!   the task keeps that contributor's position (`consensus_ref`, 0 for none) in its first
//!   slot, which every consensus writes anyway. A contribution's result hash never changes,
//!   so the value read back is the one the vote chose; a reopen clears the position.
//! - `consensus.total` starts at 1 and only grows by the group deltas (a reopen takes back
//!   exactly one group), so `total - 1` (the sum of the group weights) is stored: 0 for a new
//!   task, nothing to write at `initialize`. It lives in 2 bytes of the first slot while it
//!   is below 65,535 (fresh workers weigh 2, so a group of two agreeing fresh workers weighs
//!   4) and in a slot of its own beyond (`StorageWideUint`): exact for every value.
//! - the contributor list's length, the reveal and winner counters and the consensus
//!   position are `uint40`: each contribution is a transaction that writes at least one
//!   fresh slot (≥ 43,000 gas with its intrinsic cost), and 2^40 of them would take more than
//!   4·10^16 gas — over 200 years at Arbitrum's 7 Mgas/s. An overflow would revert
//!   `Panic(0x11)`, never wrap.
//! - the task index is stored beside them as `idx + 1` when it is below 2^32 − 1 (every bag
//!   of tasks a deal can pay for), in its own slot otherwise: the index is an input PoCo takes
//!   as `uint256`, so it is never narrowed.
//! - `results` and `resultsCallback` use a tighter layout than Solidity's `bytes`
//!   (`StoragePackedBytes`: length and the first 28 bytes in one word), so iExec's 89-byte
//!   result link takes 3 slots instead of 4.
//! - a contribution's log weight is at most 255 (`log2` of a `uint256`): a `uint8` beside
//!   its status and enclave challenge, so a contribution takes 3 slots instead of 5.

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

use alloy_primitives::{
    aliases::{U32, U40, U64},
    Address, B256, U256,
};
use alloy_sol_types::sol;
use poco_core::{
    deadlines::{contribution_deadline, final_deadline, reveal_deadline},
    error::PocoResult,
    lifecycle::authorization_signer,
    messages::{enclave_message_hash, worker_authorization_hash},
    status::TaskStatusEnum,
    task::{Contribution, Task},
    PocoError,
};
use poco_storage_blob::StoragePackedBytes;
use stylus_sdk::{
    host::VM,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU256, StorageU8, StorageUint},
};

use crate::{
    layout::{category_time_ref, DealRecord, PocoStorage},
    revert,
    signatures::verify_eth_signed_message,
    wide::StorageWideUint,
};

sol! {
    /// Task `taskid` of a deal on `workerpool` was initialized (ACTIVE).
    #[sol(abi)]
    event TaskInitialize(bytes32 indexed taskid, address indexed workerpool);
    /// `worker` contributed `hash` (its `resultHash`) to task `taskid`.
    #[sol(abi)]
    event TaskContribute(bytes32 indexed taskid, address indexed worker, bytes32 hash);
    /// Result hash `consensus` won task `taskid`'s vote (REVEALING).
    #[sol(abi)]
    event TaskConsensus(bytes32 indexed taskid, bytes32 consensus);
    /// `worker` revealed the result digest `digest` of task `taskid`.
    #[sol(abi)]
    event TaskReveal(bytes32 indexed taskid, address indexed worker, bytes32 digest);
    /// Task `taskid`'s consensus was rejected by its scheduler (back to ACTIVE).
    #[sol(abi)]
    event TaskReopen(bytes32 indexed taskid);
    /// Task `taskid` was finalized with `results` (COMPLETED).
    #[sol(abi)]
    event TaskFinalize(bytes32 indexed taskid, bytes results);
    /// Task `taskid` failed and was refunded (FAILED).
    #[sol(abi)]
    event TaskClaimed(bytes32 indexed taskid);
    /// `worker` was in task `taskid`'s winning group and revealed.
    #[sol(abi)]
    event AccurateContribution(address indexed worker, bytes32 indexed taskid);
    /// `worker` lost task `taskid`'s vote or did not reveal.
    #[sol(abi)]
    event FaultyContribution(address indexed worker, bytes32 indexed taskid);
}

/// One task, packed (module doc): slot 0 holds the status, the counters, the consensus time
/// and the small index; the deal id takes slot 1.
#[storage]
pub struct TaskRecord {
    /// `TaskStatusEnum` as `uint8` (UNSET = 0: the task was never initialized).
    pub status: StorageU8,
    /// Length of PoCo's `task.contributors`.
    pub contributor_count: StorageUint<40, 1>,
    /// `revealCounter`.
    pub reveal_counter: StorageUint<40, 1>,
    /// `winnerCounter`.
    pub winner_counter: StorageUint<40, 1>,
    /// When consensus was reached (0: none; `revealDeadline` is 0 then).
    pub consensus_time: StorageUint<40, 1>,
    /// `idx + 1` when `idx < 2^32 − 1`, 0 when `idx` is in [`TaskRecord::large_idx`].
    pub small_idx: StorageUint<32, 1>,
    /// `i + 1` for a contributor `contributors[i]` whose result hash is `consensusValue`;
    /// 0 before consensus and after a reopen (`consensusValue` zero). See
    /// [`consensus_value`].
    pub consensus_ref: StorageUint<40, 1>,
    /// `consensus.total - 1`: the sum of the group weights, inline while below 2^16 − 1.
    pub group_weight_sum: StorageWideUint<2>,
    /// The deal the task belongs to.
    pub deal_id: StorageB256,
    /// The task index when it does not fit `small_idx`.
    pub large_idx: StorageU256,
    /// `resultDigest`, written by reveals.
    pub result_digest: StorageB256,
    /// `results` given at finalization (iExec's result link), in the tight layout.
    pub results: StoragePackedBytes,
    /// `resultsCallback` given at finalization, delivered to the deal's callback.
    pub results_callback: StoragePackedBytes,
    /// `contributors[i]`, `i < contributor_count`.
    pub contributors: StorageMap<U64, StorageAddress>,
    /// `consensus.group[resultHash]`: product of the weights of the workers who voted it.
    pub groups: StorageMap<B256, StorageU256>,
}

/// A worker's contribution to a task: status, enclave challenge and log weight in one slot,
/// then the result hash and seal.
#[storage]
pub struct ContributionRecord {
    /// `ContributionStatusEnum` as `uint8`.
    pub status: StorageU8,
    /// The enclave that computed the result (zero for standard tasks).
    pub enclave_challenge: StorageAddress,
    /// `log2(weight)` of the worker at contribution time (≤ 255).
    pub weight: StorageU8,
    /// The vote: `keccak256(taskid ‖ resultDigest)`.
    pub result_hash: StorageB256,
    /// The proof of knowledge: `keccak256(worker ‖ taskid ‖ resultDigest)`.
    pub result_seal: StorageB256,
}

/// Narrows a counter, a position or a timestamp to the packed `uint40`; `Panic(0x11)` beyond
/// it (module doc).
pub fn to_u40(value: u64) -> Result<U40, Vec<u8>> {
    U40::checked_from_limbs_slice(&[value]).ok_or_else(|| revert::panic(0x11))
}

/// `consensusValue` of task `task_id`: the result hash of the contributor `consensus_ref`
/// points at, zero when it points at none.
pub fn consensus_value(s: &PocoStorage, task_id: B256, task: &TaskRecord) -> B256 {
    match task.consensus_ref.get().to::<u64>() {
        0 => B256::ZERO,
        position => s.contributions.getter(task_id).getter(task.contributor(position - 1)).result_hash.get(),
    }
}

impl TaskRecord {
    /// The status, as the enum (a stored status is always one of PoCo's five).
    pub fn status(&self) -> TaskStatusEnum {
        TaskStatusEnum::from_u8(self.status.get().to::<u8>()).unwrap_or_default()
    }

    /// Sets the status.
    pub fn set_status(&mut self, status: TaskStatusEnum) {
        self.status.set(alloy_primitives::aliases::U8::from(status.as_u8()));
    }

    /// The task index.
    pub fn idx(&self) -> U256 {
        match self.small_idx.get().to::<u32>() {
            0 => self.large_idx.get(),
            plus_one => U256::from(plus_one - 1),
        }
    }

    /// Records the task index, inline when it fits.
    pub fn set_idx(&mut self, idx: U256) {
        match u32::try_from(idx) {
            Ok(small) if small < u32::MAX => self.small_idx.set(U32::from(small + 1)),
            _ => self.large_idx.set(idx),
        }
    }

    /// Number of contributors.
    pub fn contributor_count(&self) -> u64 {
        self.contributor_count.get().to::<u64>()
    }

    /// The `i`-th contributor.
    pub fn contributor(&self, i: u64) -> Address {
        self.contributors.get(U64::from(i))
    }

    /// Appends `worker` to the contributors.
    pub fn push_contributor(&mut self, worker: Address) -> Result<(), Vec<u8>> {
        let n = self.contributor_count();
        self.contributors.setter(U64::from(n)).set(worker);
        self.contributor_count.set(to_u40(n + 1)?);
        Ok(())
    }

    /// Every contributor, in contribution order.
    pub fn contributor_list(&self) -> Vec<Address> {
        (0..self.contributor_count()).map(|i| self.contributor(i)).collect()
    }

    /// `revealCounter`.
    pub fn reveal_counter(&self) -> u64 {
        self.reveal_counter.get().to::<u64>()
    }

    /// `winnerCounter`.
    pub fn winner_counter(&self) -> u64 {
        self.winner_counter.get().to::<u64>()
    }

    /// `consensus.total`.
    pub fn consensus_total(&self) -> PocoResult<U256> {
        self.group_weight_sum.get().checked_add(U256::from(1)).ok_or(PocoError::ArithmeticOverflow)
    }

    /// Stores `consensus.total = total` (≥ 1 by construction: it starts at 1 and a reopen only
    /// removes one group that it contains).
    pub fn set_consensus_total(&mut self, total: U256) {
        self.group_weight_sum.set(total.saturating_sub(U256::from(1)));
    }

    /// When consensus was reached, 0 if it is not.
    pub fn consensus_time(&self) -> U256 {
        U256::from(self.consensus_time.get())
    }

    /// Records a consensus reached now on the result hash of `contributors[index]`, with its
    /// `winners` (`winnerCounter`), and a fresh `revealCounter` of `reveals`.
    ///
    /// # Errors
    /// `Panic(0x11)` beyond the packed widths (module doc).
    pub fn set_consensus(&mut self, vm: &VM, index: u64, winners: u64, reveals: u64) -> Result<(), Vec<u8>> {
        self.consensus_ref.set(to_u40(index + 1)?);
        self.consensus_time.set(to_u40(vm.block_timestamp())?);
        self.reveal_counter.set(to_u40(reveals)?);
        self.winner_counter.set(to_u40(winners)?);
        Ok(())
    }

    /// Forgets the consensus (a reopen): no value, no time, no winner.
    pub fn clear_consensus(&mut self) {
        self.consensus_ref.set(U40::ZERO);
        self.consensus_time.set(U40::ZERO);
        self.winner_counter.set(U40::ZERO);
    }

    /// The deadlines of this task, from its deal.
    pub fn times(&self, vm: &VM, deal: &DealRecord) -> PocoResult<TaskTimes> {
        TaskTimes::of(vm, deal, &self.consensus_time())
    }
}

/// A task's time reference and deadlines, derived from its deal (module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskTimes {
    /// `timeref`: the deal category's `workClockTimeRef`.
    pub timeref: U256,
    /// `contributionDeadline = startTime + 7 · timeref`.
    pub contribution_deadline: U256,
    /// `revealDeadline = consensusTime + 2 · timeref`, 0 without consensus.
    pub reveal_deadline: U256,
    /// `finalDeadline = startTime + 10 · timeref`.
    pub final_deadline: U256,
}

impl TaskTimes {
    /// The deadlines of a task of `deal` whose consensus was reached at `consensus_time`
    /// (0: none). `Panic(0x11)` ([`PocoError::ArithmeticOverflow`]) where PoCo's `initialize`
    /// overflows.
    pub fn of(vm: &VM, deal: &DealRecord, consensus_time: &U256) -> PocoResult<Self> {
        let timeref = deal_time_ref(vm, deal);
        let start = U256::from(deal.start_time.get());
        Ok(Self {
            timeref,
            contribution_deadline: contribution_deadline(&start, &timeref)?,
            reveal_deadline: reveal_deadline_at(consensus_time, &timeref)?,
            final_deadline: final_deadline(&start, &timeref)?,
        })
    }
}

/// The deal category's `workClockTimeRef`.
fn deal_time_ref(vm: &VM, deal: &DealRecord) -> U256 {
    category_time_ref(vm, deal.category.get().to::<u64>())
}

/// `revealDeadline` of a consensus reached at `consensus_time` (0: none, deadline 0).
fn reveal_deadline_at(consensus_time: &U256, timeref: &U256) -> PocoResult<U256> {
    if consensus_time.is_zero() {
        Ok(U256::ZERO)
    } else {
        reveal_deadline(consensus_time, timeref)
    }
}

impl TaskRecord {
    /// `revealDeadline` alone: `reveal` needs no other deadline, so it reads neither the
    /// deal's start time nor computes the others.
    pub fn reveal_deadline(&self, vm: &VM, deal: &DealRecord) -> PocoResult<U256> {
        reveal_deadline_at(&self.consensus_time(), &deal_time_ref(vm, deal))
    }
}

/// The contribution authorization shared by `contribute` and `contributeAndFinalize`: the TEE
/// rule (a TEE deal needs an enclave challenge), the scheduler's (or TEE broker's) signature
/// of `(worker, taskid, enclaveChallenge)`, and the enclave's signature of
/// `(resultHash, resultSeal)` when there is an enclave. Each failure is PoCo's bare revert;
/// a signature of the wrong length by an EOA is `invalid-signature-format`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, contribute / contributeAndFinalize
#[allow(clippy::too_many_arguments)]
pub fn check_contribution_authorization(
    vm: &VM,
    s: &PocoStorage,
    deal: &DealRecord,
    worker: Address,
    task_id: B256,
    result_hash: B256,
    result_seal: B256,
    enclave_challenge: Address,
    enclave_sign: &[u8],
    authorization_sign: &[u8],
) -> Result<(), Vec<u8>> {
    if !poco_core::lifecycle::is_enclave_challenge_acceptable(&deal.tag.get(), &enclave_challenge) {
        return Err(revert::bare());
    }
    let signer = authorization_signer(&enclave_challenge, || s.teebroker.get(), &deal.workerpool_owner.get());
    let authorization = worker_authorization_hash(&worker, &task_id, &enclave_challenge);
    if !verify_eth_signed_message(vm, signer, authorization, authorization_sign)? {
        return Err(revert::bare());
    }
    if !enclave_challenge.is_zero()
        && !verify_eth_signed_message(vm, enclave_challenge, enclave_message_hash(&result_hash, &result_seal), enclave_sign)?
    {
        return Err(revert::bare());
    }
    Ok(())
}

/// `require(condition)`: PoCo's Poco2 reverts without data.
pub fn require(condition: bool) -> Result<(), Vec<u8>> {
    if condition {
        Ok(())
    } else {
        Err(revert::bare())
    }
}

/// Task `id` in PoCo's ABI shape (`viewTask`): all zero while UNSET, as in PoCo.
pub fn view_task(vm: &VM, s: &PocoStorage, id: B256) -> Task {
    let task = s.tasks.getter(id);
    if task.status() == TaskStatusEnum::UNSET {
        return Task::default();
    }
    // A Boost task records its status only (no deal id): PoCo shows nothing else of it.
    if task.deal_id.get().is_zero() {
        return Task { status: task.status().as_u8(), ..Task::default() };
    }
    let deal = s.deals.getter(task.deal_id.get());
    // The deadlines fitted when the task was initialized; they cannot overflow now.
    let times = task.times(vm, &deal).unwrap_or(TaskTimes {
        timeref: U256::ZERO,
        contribution_deadline: U256::ZERO,
        reveal_deadline: U256::ZERO,
        final_deadline: U256::ZERO,
    });
    Task {
        status: task.status().as_u8(),
        dealid: task.deal_id.get(),
        idx: task.idx(),
        timeref: times.timeref,
        contributionDeadline: times.contribution_deadline,
        revealDeadline: times.reveal_deadline,
        finalDeadline: times.final_deadline,
        consensusValue: consensus_value(s, id, &task),
        revealCounter: U256::from(task.reveal_counter()),
        winnerCounter: U256::from(task.winner_counter()),
        contributors: task.contributor_list(),
        resultDigest: task.result_digest.get(),
        results: task.results.get_bytes().into(),
        resultsTimestamp: U256::ZERO,
        resultsCallback: task.results_callback.get_bytes().into(),
    }
}

/// `worker`'s contribution to task `task_id` in PoCo's ABI shape (`viewContribution`).
pub fn view_contribution(s: &PocoStorage, task_id: B256, worker: Address) -> Contribution {
    let c = s.contributions.getter(task_id);
    let c = c.getter(worker);
    Contribution {
        status: c.status.get().to::<u8>(),
        resultHash: c.result_hash.get(),
        resultSeal: c.result_seal.get(),
        enclaveChallenge: c.enclave_challenge.get(),
        weight: U256::from(c.weight.get()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use alloc::boxed::Box;
    use stylus_sdk::testing::TestVM;

    use super::*;
    use crate::layout::poco_storage;

    /// The first slot holds the status, the three counters, the consensus time and position,
    /// the small index and the sum of the group weights without one clobbering another; a
    /// sum too large for its 2 bytes spills to a slot of its own and reads back exactly; the
    /// consensus value is the result hash of the contributor the position names.
    #[test]
    fn the_first_slot_packs_every_tally_and_a_large_sum_spills() {
        let test_vm = TestVM::default();
        let vm = VM { host: Box::new(test_vm.clone()) };
        let mut s = poco_storage(&vm);
        let id = B256::repeat_byte(7);
        let (w0, w1) = (Address::repeat_byte(1), Address::repeat_byte(2));
        {
            let mut t = s.tasks.setter(id);
            t.set_status(TaskStatusEnum::REVEALING);
            t.set_idx(U256::from(41));
            t.push_contributor(w0).unwrap();
            t.push_contributor(w1).unwrap();
            t.set_consensus_total(U256::from(65_535)); // sum 65,534: the largest inline value
            t.set_consensus(&vm, 1, 2, 1).unwrap();
        }
        s.contributions.setter(id).setter(w1).result_hash.set(B256::repeat_byte(0xcc));
        vm.flush_cache(false);
        let slots_inline = test_vm.snapshot().storage.len();
        for total in [U256::from(65_535), U256::from(65_536), U256::MAX] {
            s.tasks.setter(id).set_consensus_total(total);
            let t = s.tasks.getter(id);
            assert_eq!(t.consensus_total().unwrap(), total);
            assert_eq!(
                (t.status(), t.idx(), t.contributor_count(), t.reveal_counter(), t.winner_counter()),
                (TaskStatusEnum::REVEALING, U256::from(41), 2, 1, 2)
            );
            assert_eq!(t.consensus_time(), U256::from(vm.block_timestamp()));
            assert_eq!(consensus_value(&s, id, &t), B256::repeat_byte(0xcc));
        }
        vm.flush_cache(false);
        assert_eq!(test_vm.snapshot().storage.len(), slots_inline + 1, "one spill slot");
        let mut t = s.tasks.setter(id);
        t.clear_consensus();
        assert_eq!((t.consensus_time(), t.winner_counter(), t.reveal_counter()), (U256::ZERO, 0, 1));
        drop(t);
        assert_eq!(consensus_value(&s, id, &s.tasks.getter(id)), B256::ZERO);
    }

    /// Counters stop at `uint40` with `Panic(0x11)`, never wrapping.
    #[test]
    fn counters_overflow_with_a_panic() {
        assert!(to_u40((1 << 40) - 1).is_ok());
        assert_eq!(to_u40(1 << 40), Err(revert::panic(0x11)));
    }
}
