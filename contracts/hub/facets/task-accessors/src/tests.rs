//! Task view facet tests on `MockHost`: tasks in every status written through the shared
//! layout, each returned field of `viewTask`, `viewContribution` and their legacy tuples
//! against literal values (the deadlines derived from the deal's start time and its
//! category's time reference), the ABI encoding decoded with PoCo's own signatures through
//! the facet's router, and `resultFor`'s exact revert data.

use alloy_primitives::{address, hex, Address, Bytes, B256, U256};
use alloy_sol_types::{Revert, SolCall, SolError};
use poco_core::{ids::task_id, status::ContributionStatusEnum};
use poco_hub_base::{
    task::to_u40,
    testing::MockHost,
};
use stylus_sdk::{abi::router_entrypoint, ArbResult};

use super::*;

/// PoCo's interface as written in `IexecLibCore_v5.sol`, `IexecPocoAccessors.sol` and
/// `IexecAccessorsABILegacy.sol`, declared here independently of poco-core's structs: the
/// encoding is checked against PoCo's text.
mod poco {
    alloy_sol_types::sol! {
        #![sol(all_derives)]
        struct Task {
            uint8 status;
            bytes32 dealid;
            uint256 idx;
            uint256 timeref;
            uint256 contributionDeadline;
            uint256 revealDeadline;
            uint256 finalDeadline;
            bytes32 consensusValue;
            uint256 revealCounter;
            uint256 winnerCounter;
            address[] contributors;
            bytes32 resultDigest;
            bytes results;
            uint256 resultsTimestamp;
            bytes resultsCallback;
        }
        struct Contribution {
            uint8 status;
            bytes32 resultHash;
            bytes32 resultSeal;
            address enclaveChallenge;
            uint256 weight;
        }
        function viewTask(bytes32 id) external view returns (Task memory);
        function viewContribution(bytes32 _taskid, address _worker) external view returns (Contribution memory);
        function resultFor(bytes32 id) external view returns (bytes memory);
        function viewTaskABILegacy(bytes32 _taskid) external view returns (
            uint8, bytes32, uint256, uint256, uint256, uint256, uint256, bytes32, uint256, uint256,
            address[] memory, bytes memory
        );
        function viewContributionABILegacy(bytes32 _taskid, address _worker) external view returns (
            uint8, bytes32, bytes32, address
        );
    }
}

const W1: Address = address!("0000000000000000000000000000000000000001");
const W2: Address = address!("0000000000000000000000000000000000000002");
const W3: Address = address!("0000000000000000000000000000000000000003");
const ENCLAVE: Address = address!("00000000000000000000000000000000000e0c1a");

/// The deal of most tasks: `sample_deal`'s category 2 and start time.
const DEAL: B256 = B256::repeat_byte(0x42);
/// A deal of category 0, started earlier: its tasks must not take `DEAL`'s deadlines.
const OTHER_DEAL: B256 = B256::repeat_byte(0x43);
const START: u64 = 1_700_000_000;
const OTHER_START: u64 = 1_600_000_000;
/// `workClockTimeRef` of categories 0, 1, 2: distinct, so a wrong category shows.
const TIME_REFS: [u64; 3] = [300, 600, 1200];

/// What a test writes into one task record.
#[derive(Default)]
struct Spec {
    status: u8,
    deal: B256,
    idx: U256,
    contributors: Vec<Address>,
    consensus_time: u64,
    consensus_value: B256,
    reveal_counter: u64,
    winner_counter: u64,
    result_digest: B256,
    results: Vec<u8>,
    results_callback: Vec<u8>,
}

fn setup() -> (MockHost, TaskAccessorsFacet) {
    let host = MockHost::default();
    let facet = TaskAccessorsFacet::from(&host);
    let mut s = poco_storage(facet.vm());
    for t in TIME_REFS {
        let mut c = s.categories.grow();
        c.name.set_str("c");
        c.work_clock_time_ref.set(U256::from(t));
    }
    let deal = poco_hub_base::testing::sample_deal(W1, W2);
    assert_eq!((deal.category, deal.startTime), (U256::from(2), U256::from(START)));
    s.deals.setter(DEAL).store(&deal).unwrap();
    let other = poco_core::deal::Deal { category: U256::ZERO, startTime: U256::from(OTHER_START), ..deal };
    s.deals.setter(OTHER_DEAL).store(&other).unwrap();
    (host, facet)
}

/// Writes `spec` as the lifecycle facets would, at `task_id(deal, idx)`; returns the id.
fn store(facet: &TaskAccessorsFacet, spec: &Spec) -> B256 {
    let id = task_id(&spec.deal, &spec.idx);
    let mut s = poco_storage(facet.vm());
    let mut t = s.tasks.setter(id);
    t.set_status(TaskStatusEnum::from_u8(spec.status).unwrap());
    t.deal_id.set(spec.deal);
    t.set_idx(spec.idx);
    for w in &spec.contributors {
        t.push_contributor(*w).unwrap();
    }
    t.consensus_time.set(to_u40(spec.consensus_time).unwrap());
    t.reveal_counter.set(to_u40(spec.reveal_counter).unwrap());
    t.winner_counter.set(to_u40(spec.winner_counter).unwrap());
    // The consensus value is a contributor's result hash: the last one's, as a vote records it.
    if !spec.consensus_value.is_zero() {
        t.consensus_ref.set(to_u40(spec.contributors.len() as u64).unwrap());
    }
    t.result_digest.set(spec.result_digest);
    t.results.set_bytes(&spec.results);
    t.results_callback.set_bytes(&spec.results_callback);
    drop(t);
    if let (false, Some(voter)) = (spec.consensus_value.is_zero(), spec.contributors.last()) {
        s.contributions.setter(id).setter(*voter).result_hash.set(spec.consensus_value);
    }
    id
}

/// The task as PoCo would return it for `spec`, with the deadlines computed here from
/// literal numbers: contribution = start + 7t, final = start + 10t, reveal = consensus + 2t.
fn expected(spec: &Spec, start: u64, timeref: u64) -> Task {
    Task {
        status: spec.status,
        dealid: spec.deal,
        idx: spec.idx,
        timeref: U256::from(timeref),
        contributionDeadline: U256::from(start + 7 * timeref),
        revealDeadline: if spec.consensus_time == 0 { U256::ZERO } else { U256::from(spec.consensus_time + 2 * timeref) },
        finalDeadline: U256::from(start + 10 * timeref),
        consensusValue: spec.consensus_value,
        revealCounter: U256::from(spec.reveal_counter),
        winnerCounter: U256::from(spec.winner_counter),
        contributors: spec.contributors.clone(),
        resultDigest: spec.result_digest,
        results: spec.results.clone().into(),
        resultsTimestamp: U256::ZERO,
        resultsCallback: spec.results_callback.clone().into(),
    }
}

fn active() -> Spec {
    Spec { status: TaskStatusEnum::ACTIVE.as_u8(), deal: DEAL, idx: U256::from(4), contributors: vec![W1], ..Default::default() }
}

fn revealing() -> Spec {
    Spec {
        status: TaskStatusEnum::REVEALING.as_u8(),
        deal: DEAL,
        idx: U256::from(5),
        contributors: vec![W1, W2, W3],
        consensus_time: START + 3_000,
        consensus_value: B256::repeat_byte(0xc0),
        reveal_counter: 1,
        winner_counter: 2,
        result_digest: B256::repeat_byte(0xd1),
        ..Default::default()
    }
}

fn completed() -> Spec {
    Spec {
        status: TaskStatusEnum::COMPLETED.as_u8(),
        deal: DEAL,
        idx: U256::from(6),
        contributors: vec![W3, W1],
        consensus_time: START + 4_000,
        consensus_value: B256::repeat_byte(0xc1),
        reveal_counter: 2,
        winner_counter: 2,
        result_digest: B256::repeat_byte(0xd2),
        // Longer than one slot each: the long form of Solidity's `bytes` layout.
        results: b"ipfs://QmResultsOfTheTaskThatAreLongerThanOneStorageSlot/0123456789".to_vec(),
        results_callback: (0u8..77).collect(),
    }
}

fn failed() -> Spec {
    Spec {
        status: TaskStatusEnum::FAILED.as_u8(),
        deal: DEAL,
        idx: U256::from(7),
        contributors: vec![W2],
        ..Default::default()
    }
}

/// Calls the facet with `calldata` as the chain does: selector dispatch, decoding, encoding.
fn call(host: &MockHost, calldata: Vec<u8>) -> ArbResult {
    router_entrypoint::<TaskAccessorsFacet, TaskAccessorsFacet>(calldata, host.handle())
}

/// `viewTask(id)` through the router, decoded with PoCo's signature.
fn view_task_abi(host: &MockHost, id: B256) -> poco::Task {
    let out = call(host, poco::viewTaskCall { id }.abi_encode()).unwrap();
    poco::viewTaskCall::abi_decode_returns_validate(&out).unwrap()
}

/// The same task in PoCo's declaration, field by field.
fn as_poco(t: &Task) -> poco::Task {
    poco::Task {
        status: t.status,
        dealid: t.dealid,
        idx: t.idx,
        timeref: t.timeref,
        contributionDeadline: t.contributionDeadline,
        revealDeadline: t.revealDeadline,
        finalDeadline: t.finalDeadline,
        consensusValue: t.consensusValue,
        revealCounter: t.revealCounter,
        winnerCounter: t.winnerCounter,
        contributors: t.contributors.clone(),
        resultDigest: t.resultDigest,
        results: t.results.clone(),
        resultsTimestamp: t.resultsTimestamp,
        resultsCallback: t.resultsCallback.clone(),
    }
}

fn task_pending() -> Vec<u8> {
    Revert::from("task-pending").abi_encode()
}

#[test]
fn selectors_are_pocos() {
    assert_eq!(poco::viewTaskCall::SELECTOR, hex!("adccf0d5"));
    assert_eq!(poco::viewContributionCall::SELECTOR, hex!("e741363b"));
    assert_eq!(poco::resultForCall::SELECTOR, hex!("d09cc57e"));
    assert_eq!(poco::viewTaskABILegacyCall::SELECTOR, hex!("248ad6a0"));
    assert_eq!(poco::viewContributionABILegacyCall::SELECTOR, hex!("11e35aba"));
}

#[test]
fn unset_task_is_all_zero() {
    let (host, facet) = setup();
    let id = task_id(&DEAL, &U256::from(4));
    assert_eq!(facet.view_task(id), Task::default());
    assert_eq!(view_task_abi(&host, id), poco::Task::default());
    assert_eq!(facet.view_contribution(id, W1), Contribution::default());
}

#[test]
fn active_task_has_no_reveal_deadline() {
    let (host, facet) = setup();
    let spec = active();
    let id = store(&facet, &spec);
    let t = facet.view_task(id);
    assert_eq!(t.status_enum(), Ok(TaskStatusEnum::ACTIVE));
    assert_eq!(t.timeref, U256::from(1200));
    assert_eq!(t.contributionDeadline, U256::from(1_700_008_400u64));
    assert_eq!(t.revealDeadline, U256::ZERO);
    assert_eq!(t.finalDeadline, U256::from(1_700_012_000u64));
    assert_eq!(t, expected(&spec, START, 1200));
    assert_eq!(view_task_abi(&host, id), as_poco(&t));
}

#[test]
fn revealing_task_reveal_deadline_follows_consensus_time() {
    let (host, facet) = setup();
    let spec = revealing();
    let id = store(&facet, &spec);
    let t = facet.view_task(id);
    assert_eq!(t.status_enum(), Ok(TaskStatusEnum::REVEALING));
    assert_eq!(t.revealDeadline, U256::from(START + 3_000 + 2_400));
    assert_eq!(t.contributors, vec![W1, W2, W3]);
    assert_eq!((t.revealCounter, t.winnerCounter), (U256::from(1), U256::from(2)));
    assert_eq!(t, expected(&spec, START, 1200));
    assert_eq!(view_task_abi(&host, id), as_poco(&t));
}

#[test]
fn completed_task_has_results_and_callback() {
    let (host, facet) = setup();
    let spec = completed();
    let id = store(&facet, &spec);
    let t = facet.view_task(id);
    assert_eq!(t.status_enum(), Ok(TaskStatusEnum::COMPLETED));
    assert_eq!(t.results, Bytes::from(spec.results.clone()));
    assert_eq!(t.resultsCallback, Bytes::from(spec.results_callback.clone()));
    assert_eq!(t.resultsTimestamp, U256::ZERO);
    assert_eq!(t, expected(&spec, START, 1200));
    assert_eq!(view_task_abi(&host, id), as_poco(&t));

    assert_eq!(facet.result_for(id), Ok(Bytes::from(spec.results_callback.clone())));
    let out = call(&host, poco::resultForCall { id }.abi_encode()).unwrap();
    assert_eq!(poco::resultForCall::abi_decode_returns_validate(&out).unwrap(), Bytes::from(spec.results_callback));
}

#[test]
fn completed_task_with_empty_callback_returns_empty_bytes() {
    let (host, facet) = setup();
    let spec = Spec { results_callback: Vec::new(), ..completed() };
    let id = store(&facet, &spec);
    assert_eq!(facet.result_for(id), Ok(Bytes::new()));
    let out = call(&host, poco::resultForCall { id }.abi_encode()).unwrap();
    // Offset 0x20, length 0: an empty `bytes`, not an empty answer.
    assert_eq!(out, [U256::from(32).to_be_bytes::<32>(), [0u8; 32]].concat());
}

#[test]
fn failed_task_keeps_its_contributors() {
    let (host, facet) = setup();
    let spec = failed();
    let id = store(&facet, &spec);
    let t = facet.view_task(id);
    assert_eq!(t.status_enum(), Ok(TaskStatusEnum::FAILED));
    assert_eq!(t, expected(&spec, START, 1200));
    assert_eq!(view_task_abi(&host, id), as_poco(&t));
}

#[test]
fn result_for_reverts_task_pending_unless_completed() {
    let (host, facet) = setup();
    let unset = task_id(&DEAL, &U256::from(9));
    let ids = [unset, store(&facet, &active()), store(&facet, &revealing()), store(&facet, &failed())];
    // `Error(string)` of "task-pending", spelled out once so the helper cannot drift.
    let exact = [
        &hex!("08c379a0")[..],
        &U256::from(32).to_be_bytes::<32>(),
        &U256::from(12).to_be_bytes::<32>(),
        b"task-pending",
        &[0u8; 20],
    ]
    .concat();
    assert_eq!(task_pending(), exact);
    for id in ids {
        assert_eq!(facet.result_for(id), Err(exact.clone()), "{id}");
        assert_eq!(call(&host, poco::resultForCall { id }.abi_encode()), Err(exact.clone()), "{id}");
    }
}

#[test]
fn large_and_boundary_indexes() {
    let (host, facet) = setup();
    let two32 = U256::from(1u64 << 32);
    for idx in [U256::ZERO, two32 - U256::from(2), two32 - U256::from(1), two32, two32 + U256::from(5), U256::MAX] {
        let spec = Spec { idx, ..active() };
        let id = store(&facet, &spec);
        let t = facet.view_task(id);
        assert_eq!(t.idx, idx);
        assert_eq!(t, expected(&spec, START, 1200));
        assert_eq!(view_task_abi(&host, id).idx, idx);
    }
    // A large index is stored in its own slot, not in the packed one.
    let id = task_id(&DEAL, &(two32 + U256::from(5)));
    let s = poco_storage(facet.vm());
    let record = s.tasks.getter(id);
    assert_eq!(record.large_idx.get(), two32 + U256::from(5));
    assert_eq!(record.small_idx.get().to::<u32>(), 0);
}

#[test]
fn deadlines_come_from_the_tasks_own_deal_and_category() {
    let (host, facet) = setup();
    let spec = Spec { deal: OTHER_DEAL, ..revealing() };
    let id = store(&facet, &spec);
    let t = facet.view_task(id);
    assert_eq!(t.timeref, U256::from(300));
    assert_eq!(t.contributionDeadline, U256::from(OTHER_START + 2_100));
    assert_eq!(t.finalDeadline, U256::from(OTHER_START + 3_000));
    assert_eq!(t.revealDeadline, U256::from(START + 3_000 + 600));
    assert_eq!(t, expected(&spec, OTHER_START, 300));
    assert_eq!(view_task_abi(&host, id), as_poco(&t));
}

#[test]
fn contributions_of_several_workers() {
    let (host, facet) = setup();
    let id = store(&facet, &revealing());
    let other_task = store(&facet, &active());
    let mut s = poco_storage(facet.vm());
    let records = [
        (W1, ContributionStatusEnum::CONTRIBUTED, B256::repeat_byte(0x11), B256::repeat_byte(0x21), Address::ZERO, 3u8),
        (W2, ContributionStatusEnum::PROVED, B256::repeat_byte(0x12), B256::repeat_byte(0x22), ENCLAVE, 255),
        (W3, ContributionStatusEnum::REJECTED, B256::repeat_byte(0x13), B256::repeat_byte(0x23), Address::ZERO, 0),
    ];
    for (worker, status, hash, seal, enclave, weight) in records {
        let mut task = s.contributions.setter(id);
        let mut c = task.setter(worker);
        c.status.set(alloy_primitives::aliases::U8::from(status.as_u8()));
        c.result_hash.set(hash);
        c.result_seal.set(seal);
        c.enclave_challenge.set(enclave);
        c.weight.set(alloy_primitives::aliases::U8::from(weight));
    }
    for (worker, status, hash, seal, enclave, weight) in records {
        let want = Contribution {
            status: status.as_u8(),
            resultHash: hash,
            resultSeal: seal,
            enclaveChallenge: enclave,
            weight: U256::from(weight),
        };
        assert_eq!(facet.view_contribution(id, worker), want);
        let out = call(&host, poco::viewContributionCall { _taskid: id, _worker: worker }.abi_encode()).unwrap();
        let decoded = poco::viewContributionCall::abi_decode_returns_validate(&out).unwrap();
        assert_eq!(
            (decoded.status, decoded.resultHash, decoded.resultSeal, decoded.enclaveChallenge, decoded.weight),
            (status.as_u8(), hash, seal, enclave, U256::from(weight))
        );
        // The legacy tuple: the same fields but the weight, in four words.
        let legacy = (status.as_u8(), hash, seal, enclave);
        assert_eq!(facet.view_contribution_abi_legacy(id, worker), legacy);
        let out = call(&host, poco::viewContributionABILegacyCall { _taskid: id, _worker: worker }.abi_encode()).unwrap();
        assert_eq!(out.len(), 4 * 32);
        let r = poco::viewContributionABILegacyCall::abi_decode_returns_validate(&out).unwrap();
        assert_eq!((r._0, r._1, r._2, r._3), legacy);
        // Another task's contribution of the same worker is a different record.
        assert_eq!(facet.view_contribution(other_task, worker), Contribution::default());
        assert_eq!(facet.view_contribution_abi_legacy(other_task, worker), Default::default());
    }
    let stranger = address!("0000000000000000000000000000000000005742");
    assert_eq!(facet.view_contribution(id, stranger), Contribution::default());
    assert_eq!(facet.view_contribution_abi_legacy(id, stranger), Default::default());
}

/// The legacy task tuple, as `viewTaskABILegacy` returns it.
type TaskTuple = (u8, B256, U256, U256, U256, U256, U256, B256, U256, U256, Vec<Address>, Bytes);

/// `t` without `resultDigest`, `resultsTimestamp` and `resultsCallback`, as PoCo's legacy view.
fn legacy(t: Task) -> TaskTuple {
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

/// `viewTaskABILegacy(id)` through the router, decoded with PoCo's signature.
fn view_task_legacy_abi(host: &MockHost, id: B256) -> TaskTuple {
    let out = call(host, poco::viewTaskABILegacyCall { _taskid: id }.abi_encode()).unwrap();
    let r = poco::viewTaskABILegacyCall::abi_decode_returns_validate(&out).unwrap();
    (r._0, r._1, r._2, r._3, r._4, r._5, r._6, r._7, r._8, r._9, r._10, r._11)
}

#[test]
fn legacy_task_tuple_of_every_status() {
    let (host, facet) = setup();
    let unset = task_id(&DEAL, &U256::from(9));
    assert_eq!(facet.view_task_abi_legacy(unset), TaskTuple::default());
    assert_eq!(view_task_legacy_abi(&host, unset), TaskTuple::default());
    let large = Spec { idx: U256::from(1u64 << 32) + U256::from(3), ..active() };
    let other_deal = Spec { deal: OTHER_DEAL, ..revealing() };
    for (spec, start, timeref) in [
        (active(), START, 1200),
        (revealing(), START, 1200),
        (completed(), START, 1200),
        (failed(), START, 1200),
        (large, START, 1200),
        (other_deal, OTHER_START, 300),
    ] {
        let id = store(&facet, &spec);
        let want = legacy(expected(&spec, start, timeref));
        assert_eq!(facet.view_task_abi_legacy(id), want, "status {}", spec.status);
        assert_eq!(view_task_legacy_abi(&host, id), want, "status {}", spec.status);
    }
    // Spelled out once: REVEALING's deadlines, and COMPLETED's results without the callback.
    let t = facet.view_task_abi_legacy(task_id(&DEAL, &revealing().idx));
    let deadlines = [1_700_008_400u64, 1_700_005_400, 1_700_012_000].map(U256::from);
    assert_eq!((t.3, [t.4, t.5, t.6]), (U256::from(1200), deadlines));
    let t = facet.view_task_abi_legacy(task_id(&DEAL, &completed().idx));
    assert_eq!(t.11, Bytes::from(completed().results));
}

#[test]
fn results_of_every_stored_length_form() {
    let (host, facet) = setup();
    // Around the packed form's 28 inline bytes and the slot size; 89 is iExec's result link.
    for (i, len) in [0usize, 1, 27, 28, 29, 31, 32, 33, 60, 89].into_iter().enumerate() {
        let bytes: Vec<u8> = (0..len).map(|b| b as u8 ^ 0xa5).collect();
        let spec = Spec {
            idx: U256::from(100 + i),
            results: bytes.clone(),
            results_callback: bytes.iter().rev().copied().collect(),
            ..completed()
        };
        let id = store(&facet, &spec);
        let t = view_task_abi(&host, id);
        assert_eq!(t.results.to_vec(), spec.results, "{len}");
        assert_eq!(t.resultsCallback.to_vec(), spec.results_callback, "{len}");
        assert_eq!(facet.view_task_abi_legacy(id).11, Bytes::from(spec.results.clone()), "{len}");
        assert_eq!(facet.result_for(id), Ok(Bytes::from(spec.results_callback.clone())), "{len}");
    }
}
