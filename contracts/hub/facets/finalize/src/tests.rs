//! Finalize facet on a `MockHost`, over whole lifecycles driven through the real tasks and
//! contribute facets (`poco_facet_contribute::testing::Lifecycle`): PoCo's payouts to the
//! unit, a liar outvoted and seized, a winner that never reveals, scores, the kitty, the
//! result callback (calldata, reverting callee, the 1/63 gas rule), `contributeAndFinalize`,
//! and every revert with the state left as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{Panic, SolCall, SolError, SolEvent};
use poco_core::{
    constants::KITTY_ADDRESS,
    messages::{result_hash, worker_authorization_hash},
};
use poco_facet_contribute::testing::{digest, Lifecycle, STAKE, T};
use poco_hub_base::{
    escrow::{self, Reward, Seize, Transfer, Unlock},
    poco_storage,
    task::{
        AccurateContribution, FaultyContribution, TaskConsensus, TaskContribute, TaskFinalize, TaskReveal,
    },
    testing::MatchedDeal,
};

use super::*;

/// iExec's result link (89 bytes), as the reference scenarios use.
const RESULTS: &[u8] = br#"{ "storage": "ipfs", "location": "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" }"#;
const CALLBACK: Address = Address::new([0xcb; 20]);

fn finalize(l: &Lifecycle, results_callback: &[u8]) -> Result<(), Vec<u8>> {
    l.d.from(l.d.scheduler.address);
    FinalizeFacet::from(&l.d.host).finalize(l.task, RESULTS.to_vec().into(), results_callback.to_vec().into())
}

fn score(l: &Lifecycle, i: usize) -> U256 {
    let vm = l.d.host.handle();
    poco_storage(&vm).worker_scores.get(l.worker(i).address)
}

fn balances(l: &Lifecycle) -> Vec<(U256, U256)> {
    let d = &l.d;
    let mut who = vec![d.deal.requester, d.deal.app.owner, d.deal.dataset.owner, d.scheduler.address, KITTY_ADDRESS];
    who.extend(d.workers.iter().map(|w| w.address));
    who.into_iter().map(|a| d.account(a)).collect()
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

#[test]
fn trust_1_pays_everyone_by_pocos_rules() {
    let l = Lifecycle::new(1);
    l.contribute(0, 1).unwrap();
    l.reveal(0, 1).unwrap();
    let logs_before = l.d.host.vm.get_emitted_logs().len();
    finalize(&l, &[]).unwrap();
    let t = l.view();
    assert_eq!(t.status, TaskStatusEnum::COMPLETED.as_u8());
    assert_eq!((t.results.as_ref(), t.resultsCallback.as_ref()), (RESULTS, &[][..]));
    let d = &l.d;
    assert_eq!(d.account(d.deal.requester), (u(0), u(0)), "the price (1000 + 3000 + 5000) seized");
    assert_eq!(d.account(d.deal.app.owner), (u(1000), u(0)));
    assert_eq!(d.account(d.deal.dataset.owner), (u(3000), u(0)));
    // Pool 5000: the worker gets 5000 · 99 / 100, the scheduler the 1 % and its stake back.
    assert_eq!(d.account(l.worker(0).address), (u(1_000_000 + 4950), u(0)));
    assert_eq!(d.account(d.scheduler.address), (u(1500 + 50), u(0)));
    assert_eq!(score(&l, 0), u(0), "no score for an unreplicated task");
    let sigs = d.host.log_signatures()[logs_before..].to_vec();
    let (tr, rw, un, sz) = (Transfer::SIGNATURE_HASH, Reward::SIGNATURE_HASH, Unlock::SIGNATURE_HASH, Seize::SIGNATURE_HASH);
    assert_eq!(sigs, vec![sz, tr, rw, tr, rw, tr, un, tr, un, tr, rw, tr, rw, TaskFinalize::SIGNATURE_HASH]);
    let last = d.host.vm.get_emitted_logs().pop().unwrap();
    let ev = TaskFinalize::decode_raw_log(last.0, &last.1).unwrap();
    assert_eq!((ev.taskid, ev.results.as_ref()), (l.task, RESULTS));
}

#[test]
fn a_liar_is_outvoted_seized_and_punished() {
    let l = Lifecycle::new(3);
    l.set_score(2, 6);
    l.set_score(1, 12); // weight 3, log weight 1
    l.contribute(0, 1).unwrap();
    l.contribute(2, 2).unwrap(); // the liar
    l.contribute(1, 1).unwrap(); // group 2·3 = 6, total 1 + 2 + 2 + 4 = 9: 18 > 18 is false
    assert_eq!(l.view().status, TaskStatusEnum::ACTIVE.as_u8());
    l.contribute(3, 1).unwrap(); // group 12, total 15: 36 > 30
    for i in [0, 1, 3] {
        l.reveal(i, 1).unwrap();
    }
    finalize(&l, &[]).unwrap();
    // Pool 5000 + the liar's stake; workers get 6500 · 99 / 100 = 6435, 2145 each (log
    // weights 1, 1, 1); the scheduler the rest, 65.
    for i in [0, 1, 3] {
        assert_eq!(l.d.account(l.worker(i).address), (u(1_000_000 + 2145), u(0)), "winner {i}");
    }
    assert_eq!(l.d.account(l.worker(2).address), (u(1_000_000 - STAKE), u(0)), "liar seized");
    assert_eq!(l.d.account(l.d.scheduler.address), (u(1500 + 65), u(0)));
    assert_eq!((score(&l, 0), score(&l, 1), score(&l, 3)), (u(1), u(13), u(1)));
    assert_eq!(score(&l, 2), u(4), "6 · 2 / 3");
    let sigs = l.d.host.log_signatures();
    assert_eq!(sigs.iter().filter(|s| **s == AccurateContribution::SIGNATURE_HASH).count(), 3);
    assert_eq!(sigs.iter().filter(|s| **s == FaultyContribution::SIGNATURE_HASH).count(), 1);
}

#[test]
fn a_winner_that_never_reveals_loses_its_stake_after_the_reveal_deadline() {
    let l = Lifecycle::new(3);
    l.contribute(0, 1).unwrap();
    l.contribute(1, 1).unwrap(); // consensus at START, winners 0 and 1
    l.reveal(0, 1).unwrap();
    let before = balances(&l);
    assert_eq!(finalize(&l, &[]), Err(vec![]), "one winner may still reveal");
    assert_eq!(balances(&l), before);
    l.d.at(MatchedDeal::START + 2 * T);
    finalize(&l, &[]).unwrap();
    // Pool 5000 + 1500; the revealer gets 6500 · 99 / 100 = 6435.
    assert_eq!(l.d.account(l.worker(0).address), (u(1_000_000 + 6435), u(0)));
    assert_eq!(l.d.account(l.worker(1).address), (u(1_000_000 - STAKE), u(0)));
    assert_eq!(l.d.account(l.d.scheduler.address), (u(1500 + 65), u(0)));
    assert_eq!(score(&l, 0), u(1));
}

#[test]
fn finalize_refuses_with_state_unchanged() {
    let l = Lifecycle::new(1);
    assert_eq!(finalize(&l, &[]), Err(vec![]), "ACTIVE");
    l.contribute(0, 1).unwrap();
    assert_eq!(finalize(&l, &[]), Err(vec![]), "nobody revealed");
    l.reveal(0, 1).unwrap();
    let before = (balances(&l), l.view(), l.d.host.vm.get_emitted_logs().len());
    l.d.from(l.worker(0).address);
    let by_worker = FinalizeFacet::from(&l.d.host).finalize(l.task, RESULTS.to_vec().into(), Bytes::new());
    assert_eq!(by_worker, Err(vec![]), "not the scheduler");
    assert_eq!(finalize(&l, b"data"), Err(vec![]), "callback data without callback, not the digest");
    l.d.at(MatchedDeal::START + 10 * T);
    assert_eq!(finalize(&l, &[]), Err(vec![]), "after the final deadline");
    assert_eq!((balances(&l), l.view(), l.d.host.vm.get_emitted_logs().len()), before);
    l.d.at(MatchedDeal::START + 10 * T - 1);
    finalize(&l, &[]).unwrap();
    assert_eq!(finalize(&l, &[]), Err(vec![]), "twice");
}

#[test]
fn the_kitty_pays_the_next_finalized_task() {
    let l = Lifecycle::new(1);
    {
        // A claimed task left 20 RLC on the kitty (seized into the hub's balance).
        let vm = l.d.host.handle();
        let mut s = poco_storage(&vm);
        escrow::mint(&vm, &mut s, vm.contract_address(), u(20_000_000_000)).unwrap();
        escrow::freeze_into_kitty(&vm, &mut s, u(20_000_000_000), B256::ZERO).unwrap();
    }
    l.contribute(0, 1).unwrap();
    l.reveal(0, 1).unwrap();
    finalize(&l, &[]).unwrap();
    // 10 % of 20 RLC = 2 RLC (above the 1 RLC minimum) to the scheduler.
    assert_eq!(l.d.account(KITTY_ADDRESS), (u(0), u(18_000_000_000)));
    assert_eq!(l.d.account(l.d.scheduler.address), (u(1500 + 50 + 2_000_000_000), u(0)));
}

/// Lifecycle with a callback contract set on the deal and `callbackgas` 200,000.
fn with_callback() -> Lifecycle {
    let l = Lifecycle::new(1);
    let vm = l.d.host.handle();
    let mut s = poco_storage(&vm);
    s.deals.setter(l.d.deal_id).callback.set(CALLBACK);
    s.callback_gas.set(u(200_000));
    l.d.host.set_contract(CALLBACK);
    l
}

#[test]
fn the_callback_receives_the_callback_data_with_the_configured_gas() {
    let data = b"callback data".to_vec();
    let l = with_callback();
    // Workers vote for the digest of the callback data.
    let n_digest = keccak256(&data);
    let w = l.worker(0).address;
    l.d.from(w);
    let auth = l.d.authorize(w, l.task);
    poco_facet_contribute::ContributeFacet::from(&l.d.host)
        .contribute(
            l.task,
            result_hash(&l.task, &n_digest),
            poco_core::messages::result_seal(&w, &l.task, &n_digest),
            Address::ZERO,
            Bytes::new(),
            auth.into(),
        )
        .unwrap();
    poco_facet_reveal::RevealFacet::from(&l.d.host).reveal(l.task, n_digest).unwrap();
    assert_eq!(finalize(&l, &[]), Err(vec![]), "a deal with a callback needs its data");
    assert_eq!(finalize(&l, b"other"), Err(vec![]));
    // A reverting callback does not fail the finalization.
    let call = receiveResultCall { taskid: l.task, result: data.clone().into() }.abi_encode();
    l.d.host.mock(CALLBACK, call.clone(), Err(b"nope".to_vec()));
    l.d.host.vm.set_gas_left(200_000 / 63 + 1);
    finalize(&l, &data).unwrap();
    assert_eq!(l.d.host.calls_made().last(), Some(&(CALLBACK, call)));
    assert_eq!(l.view().resultsCallback.as_ref(), &data[..]);
}

#[test]
fn too_little_gas_after_the_callback_is_pocos_assert() {
    let l = with_callback();
    let data = b"d".to_vec();
    let n = keccak256(&data);
    let w = l.worker(0).address;
    l.d.from(w);
    let auth = l.d.authorize(w, l.task);
    let facet = || poco_facet_contribute::ContributeFacet::from(&l.d.host);
    facet()
        .contribute(l.task, result_hash(&l.task, &n), poco_core::messages::result_seal(&w, &l.task, &n), Address::ZERO, Bytes::new(), auth.into())
        .unwrap();
    poco_facet_reveal::RevealFacet::from(&l.d.host).reveal(l.task, n).unwrap();
    // `gasleft() > callbackgas / 63` must hold: 200,000 / 63 = 3174.
    l.d.host.vm.set_gas_left(3174);
    assert_eq!(finalize(&l, &data), Err(Panic { code: u(0x01) }.abi_encode()));
}

fn contribute_and_finalize(l: &Lifecycle, i: usize, n: B256, results_callback: &[u8]) -> Result<(), Vec<u8>> {
    let w = l.worker(i).address;
    l.d.from(w);
    let auth = l.d.authorize(w, l.task);
    l.d.from(w);
    FinalizeFacet::from(&l.d.host).contribute_and_finalize(
        l.task,
        n,
        RESULTS.to_vec().into(),
        results_callback.to_vec().into(),
        Address::ZERO,
        vec![0; 32].into(),
        auth.into(),
    )
}

#[test]
fn contribute_and_finalize_completes_a_trust_1_task_at_once() {
    let l = Lifecycle::new(1);
    let now = MatchedDeal::START + 7;
    l.d.at(now);
    let logs_before = l.d.host.vm.get_emitted_logs().len();
    contribute_and_finalize(&l, 0, digest(1), &[]).unwrap();
    let t = l.view();
    let hash = result_hash(&l.task, &digest(1));
    assert_eq!(t.status, TaskStatusEnum::COMPLETED.as_u8());
    assert_eq!((t.consensusValue, t.resultDigest, t.revealDeadline), (hash, digest(1), u(now + 2 * T)));
    assert_eq!((t.revealCounter, t.winnerCounter, t.contributors.len()), (u(1), u(1), 1));
    assert_eq!(l.contribution(0).status, ContributionStatusEnum::PROVED.as_u8());
    assert_eq!(l.contribution(0).weight, u(0));
    // No stake, no score: the worker gets 5000 · 99 / 100, the scheduler 50 and its stake.
    assert_eq!(l.d.account(l.worker(0).address), (u(1_000_000 + 4950), u(0)));
    assert_eq!(l.d.account(l.d.scheduler.address), (u(1500 + 50), u(0)));
    assert_eq!(score(&l, 0), u(0));
    let sigs = l.d.host.log_signatures()[logs_before..].to_vec();
    assert_eq!(
        sigs[sigs.len() - 4..].to_vec(),
        vec![TaskContribute::SIGNATURE_HASH, TaskConsensus::SIGNATURE_HASH, TaskReveal::SIGNATURE_HASH, TaskFinalize::SIGNATURE_HASH]
    );
}

#[test]
fn contribute_and_finalize_refuses_with_state_unchanged() {
    let l = Lifecycle::new(3);
    let before = (balances(&l), l.view());
    assert_eq!(contribute_and_finalize(&l, 0, digest(1), &[]), Err(vec![]), "trust 3");
    assert_eq!((balances(&l), l.view()), before);

    let l = Lifecycle::new(1);
    assert_eq!(contribute_and_finalize(&l, 0, digest(1), b"x"), Err(vec![]), "callback data not the digest");
    let w = l.worker(0).address;
    let forged = l.worker(1).sign_message_on(&l.d.host, &worker_authorization_hash(&w, &l.task, &Address::ZERO));
    l.d.from(w);
    let call = FinalizeFacet::from(&l.d.host).contribute_and_finalize(
        l.task,
        digest(1),
        RESULTS.to_vec().into(),
        Bytes::new(),
        Address::ZERO,
        Bytes::new(),
        forged.into(),
    );
    assert_eq!(call, Err(vec![]), "forged authorization");
    l.d.at(MatchedDeal::START + 7 * T);
    assert_eq!(contribute_and_finalize(&l, 0, digest(1), &[]), Err(vec![]), "after the contribution deadline");
    assert_eq!((balances(&l), l.view()), (before.0.clone(), l.view()));
    l.d.at(MatchedDeal::START);
    l.contribute(1, 1).unwrap(); // somebody contributed: the fast path is closed
    assert_eq!(contribute_and_finalize(&l, 0, digest(1), &[]), Err(vec![]), "a contributor exists");
    // The callback rule uses the digest given: matching data is accepted.
    let l = with_callback();
    let data = b"cb".to_vec();
    contribute_and_finalize(&l, 0, keccak256(&data), &data).unwrap();
    assert_eq!(l.d.host.calls_made().last().map(|c| c.0), Some(CALLBACK));
}
