//! Contribute facet on a `MockHost` with a matched deal (`poco_hub_base::testing::MatchedDeal`)
//! and real k256 signatures: consensus at trust 1, 2, 3 and 5 with fresh and experienced
//! workers, the TEE broker, every revert of `contribute`, `reveal` and `reopen` with the state
//! left as it was, and a new consensus after a reopen.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{Revert, SolError, SolEvent};
use poco_core::messages::{enclave_message_hash, result_hash, result_seal, worker_authorization_hash};
use poco_hub_base::{
    escrow::{Lock, Transfer},
    poco_storage,
    task::{TaskConsensus, TaskContribute, TaskReopen, TaskReveal},
    testing::{MatchedDeal, Signer},
};

use super::*;
use crate::testing::{digest, Lifecycle, STAKE, T};

#[test]
fn trust_1_the_first_contribution_wins() {
    let l = Lifecycle::new(1);
    let now = MatchedDeal::START + 100;
    l.d.at(now);
    l.contribute(0, 1).unwrap();
    let c = l.contribution(0);
    let w = l.worker(0).address;
    assert_eq!(c.status, ContributionStatusEnum::CONTRIBUTED.as_u8());
    assert_eq!((c.resultHash, c.resultSeal), (result_hash(&l.task, &digest(1)), result_seal(&w, &l.task, &digest(1))));
    assert_eq!((c.enclaveChallenge, c.weight), (Address::ZERO, U256::from(1)));
    assert_eq!(l.d.account(w), (U256::from(1_000_000 - STAKE), U256::from(STAKE)));
    let t = l.view();
    assert_eq!(t.status, TaskStatusEnum::REVEALING.as_u8());
    assert_eq!((t.consensusValue, t.revealDeadline), (c.resultHash, U256::from(now + 2 * T)));
    assert_eq!((t.winnerCounter, t.revealCounter, t.contributors), (U256::from(1), U256::ZERO, vec![w]));
    let logs = l.d.host.vm.get_emitted_logs();
    let tail: Vec<B256> = l.d.host.log_signatures()[logs.len() - 4..].to_vec();
    assert_eq!(
        tail,
        vec![Transfer::SIGNATURE_HASH, Lock::SIGNATURE_HASH, TaskContribute::SIGNATURE_HASH, TaskConsensus::SIGNATURE_HASH]
    );
    let ev = TaskContribute::decode_raw_log(logs[logs.len() - 2].0.clone(), &logs[logs.len() - 2].1).unwrap();
    assert_eq!((ev.taskid, ev.worker, ev.hash), (l.task, w, c.resultHash));
}

#[test]
fn trust_2_one_fresh_worker_suffices() {
    let l = Lifecycle::new(2);
    l.contribute(0, 1).unwrap(); // 2·2 = 4 > 3·1
    assert_eq!(l.view().status, TaskStatusEnum::REVEALING.as_u8());
}

#[test]
fn trust_3_needs_two_agreeing_fresh_workers_and_counts_only_winners() {
    let l = Lifecycle::new(3);
    l.contribute(0, 1).unwrap();
    assert_eq!(l.view().status, TaskStatusEnum::ACTIVE.as_u8());
    l.contribute(1, 2).unwrap(); // a dissenter: 2 vs 2, total 5
    assert_eq!(l.view().status, TaskStatusEnum::ACTIVE.as_u8());
    l.contribute(2, 1).unwrap(); // group 4, total 7: 12 > 14 is false
    assert_eq!(l.view().status, TaskStatusEnum::ACTIVE.as_u8());
    l.contribute(3, 1).unwrap(); // group 8, total 11: 24 > 22
    let t = l.view();
    assert_eq!(t.status, TaskStatusEnum::REVEALING.as_u8());
    assert_eq!((t.consensusValue, t.winnerCounter), (result_hash(&l.task, &digest(1)), U256::from(3)));
    // Contributions close with consensus.
    assert_eq!(l.contribute(4, 1), Err(vec![]));
}

#[test]
fn trust_5_experienced_workers_weigh_more() {
    // Fresh workers (weight 2) at trust 5: two agreeing give 4·5 = 20 > 5·4 = 20, false;
    // three give 8·5 = 40 > 9·4 = 36.
    let l = Lifecycle::new(5);
    l.contribute(0, 1).unwrap();
    l.contribute(1, 1).unwrap();
    assert_eq!(l.view().status, TaskStatusEnum::ACTIVE.as_u8());
    l.contribute(2, 1).unwrap();
    assert_eq!(l.view().status, TaskStatusEnum::REVEALING.as_u8());
    // A worker of score 15 has weight 4 (log weight 2) and alone outweighs trust 3's bar:
    // 4·3 = 12 > 5·2 = 10.
    let l = Lifecycle::new(3);
    l.set_score(0, 15);
    l.contribute(0, 1).unwrap();
    assert_eq!(l.contribution(0).weight, U256::from(2));
    assert_eq!(l.view().status, TaskStatusEnum::REVEALING.as_u8());
}

#[test]
fn contribute_refuses_with_state_unchanged() {
    let l = Lifecycle::new(3);
    let w0 = l.worker(0).address;
    // Authorization signed by someone else than the scheduler.
    let forged = l.worker(1).sign_message_on(&l.d.host, &worker_authorization_hash(&w0, &l.task, &Address::ZERO));
    // Authorization for another worker.
    let other = l.d.authorize(l.worker(1).address, l.task);
    type Call<'a> = Box<dyn Fn() -> Result<(), Vec<u8>> + 'a>;
    let cases: Vec<(&str, Call, Vec<u8>)> = vec![
        ("forged authorization", Box::new(|| l.contribute_with(0, 1, Address::ZERO, vec![], forged.clone())), vec![]),
        ("someone else's authorization", Box::new(|| l.contribute_with(0, 1, Address::ZERO, vec![], other.clone())), vec![]),
        (
            "authorization of the wrong length",
            Box::new(|| l.contribute_with(0, 1, Address::ZERO, vec![], vec![1; 63])),
            Revert::from("invalid-signature-format").abi_encode(),
        ),
    ];
    for (what, call, expected) in cases {
        let before = l.snapshot();
        assert_eq!(call(), Err(expected), "{what}");
        assert_eq!(l.snapshot(), before, "{what}");
    }
    // After the contribution deadline (strict).
    l.d.at(MatchedDeal::START + 7 * T);
    let before = l.snapshot();
    assert_eq!(l.contribute(0, 1), Err(vec![]));
    assert_eq!(l.snapshot(), before);
    l.d.at(MatchedDeal::START + 7 * T - 1);
    l.contribute(0, 1).unwrap();
    // Twice.
    let before = l.snapshot();
    assert_eq!(l.contribute(0, 1), Err(vec![]));
    assert_eq!(l.snapshot(), before);
}

#[test]
fn contribute_refuses_an_uninitialized_task_and_a_short_stake() {
    let l = Lifecycle::new(1);
    let unset = l.d.task_id(1);
    let w = l.worker(0).address;
    l.d.from(w);
    let auth = l.d.authorize(w, unset);
    let call = ContributeFacet::from(&l.d.host).contribute(unset, B256::ZERO, B256::ZERO, Address::ZERO, vec![].into(), auth.into());
    assert_eq!(call, Err(vec![]));
    // A worker without the stake: the escrow's reason (the chain reverts the records).
    let vm = l.d.host.handle();
    poco_storage(&vm).accounts.setter(w).balance.set(alloy_primitives::aliases::U128::from(STAKE - 1));
    assert_eq!(l.contribute(0, 1), Err(Revert::from("IexecEscrow: Transfer amount exceeds balance").abi_encode()));
}

#[test]
fn tee_tasks_need_an_enclave_and_the_brokers_authorization() {
    let l = Lifecycle::new(1);
    let vm = l.d.host.handle();
    poco_storage(&vm).deals.setter(l.d.deal_id).tag.set(B256::with_last_byte(0x03));
    let broker = Signer::new(0x77);
    poco_storage(&vm).teebroker.set(broker.address);
    let enclave = Signer::new(0x78);
    let w = l.worker(0).address;
    let (hash, seal) = (result_hash(&l.task, &digest(1)), result_seal(&w, &l.task, &digest(1)));
    let enclave_sign = enclave.sign_message_on(&l.d.host, &enclave_message_hash(&hash, &seal));
    let by_broker = broker.sign_message_on(&l.d.host, &worker_authorization_hash(&w, &l.task, &enclave.address));
    let by_scheduler = l.d.scheduler.sign_message_on(&l.d.host, &worker_authorization_hash(&w, &l.task, &enclave.address));
    let bad_enclave_sign = l.worker(2).sign_message_on(&l.d.host, &enclave_message_hash(&hash, &seal));
    let before = l.snapshot();
    // No enclave on a TEE deal.
    assert_eq!(l.contribute(0, 1), Err(vec![]));
    // The scheduler may not authorize an enclave when there is a broker.
    assert_eq!(l.contribute_with(0, 1, enclave.address, enclave_sign.clone(), by_scheduler), Err(vec![]));
    // The result must be signed by the enclave.
    assert_eq!(l.contribute_with(0, 1, enclave.address, bad_enclave_sign, by_broker.clone()), Err(vec![]));
    assert_eq!(l.snapshot(), before);
    l.contribute_with(0, 1, enclave.address, enclave_sign, by_broker).unwrap();
    assert_eq!(l.contribution(0).enclaveChallenge, enclave.address);
    assert_eq!(l.view().status, TaskStatusEnum::REVEALING.as_u8());
}

#[test]
fn reveal_proves_the_digest() {
    let l = Lifecycle::new(3);
    l.contribute(0, 1).unwrap();
    l.contribute(1, 2).unwrap();
    // Not REVEALING yet.
    assert_eq!(l.reveal(0, 1), Err(vec![]));
    l.contribute(2, 1).unwrap();
    l.contribute(3, 1).unwrap(); // consensus on digest 1, winners 0, 2, 3
    let consensus_at = MatchedDeal::START;
    let before = l.snapshot();
    assert_eq!(l.reveal(1, 2), Err(vec![]), "a loser");
    assert_eq!(l.reveal(0, 2), Err(vec![]), "the wrong digest");
    assert_eq!(l.reveal(4, 1), Err(vec![]), "no contribution");
    assert_eq!(l.snapshot(), before);
    l.reveal(0, 1).unwrap();
    assert_eq!(l.contribution(0).status, ContributionStatusEnum::PROVED.as_u8());
    assert_eq!(l.reveal(0, 1), Err(vec![]), "twice");
    let t = l.view();
    assert_eq!((t.revealCounter, t.resultDigest), (U256::from(1), digest(1)));
    let logs = l.d.host.vm.get_emitted_logs();
    let last = logs.last().unwrap();
    let ev = TaskReveal::decode_raw_log(last.0.clone(), &last.1).unwrap();
    assert_eq!((ev.taskid, ev.worker, ev.digest), (l.task, l.worker(0).address, digest(1)));
    // The reveal deadline is strict.
    l.d.at(consensus_at + 2 * T);
    assert_eq!(l.reveal(2, 1), Err(vec![]));
    l.d.at(consensus_at + 2 * T - 1);
    l.reveal(2, 1).unwrap();
}

#[test]
fn reveal_checks_the_seal_of_the_sender() {
    // A worker that copied another's result hash cannot reveal: its seal binds its address.
    let l = Lifecycle::new(1);
    let (w0, w1) = (l.worker(0).address, l.worker(1).address);
    let hash = result_hash(&l.task, &digest(1));
    l.d.from(w1);
    let auth = l.d.authorize(w1, l.task);
    // Worker 1 commits worker 0's seal.
    ContributeFacet::from(&l.d.host)
        .contribute(l.task, hash, result_seal(&w0, &l.task, &digest(1)), Address::ZERO, vec![].into(), auth.into())
        .unwrap();
    assert_eq!(l.reveal(1, 1), Err(vec![]));
}

#[test]
fn reopen_rejects_an_unrevealed_consensus_then_a_new_one_forms() {
    let l = Lifecycle::new(3);
    let scheduler = l.d.scheduler.address;
    l.contribute(0, 1).unwrap();
    l.contribute(1, 1).unwrap(); // consensus at START
    let reveal_deadline = MatchedDeal::START + 2 * T;
    let before = l.snapshot();
    assert_eq!(l.reopen(scheduler), Err(vec![]), "before the reveal deadline");
    l.d.at(reveal_deadline);
    assert_eq!(l.reopen(l.worker(0).address), Err(vec![]), "not the scheduler");
    assert_eq!(l.snapshot().0, before.0);
    l.reopen(scheduler).unwrap();
    assert_eq!(l.d.host.log_signatures().last(), Some(&TaskReopen::SIGNATURE_HASH));
    let t = l.view();
    assert_eq!(t.status, TaskStatusEnum::ACTIVE.as_u8());
    assert_eq!((t.consensusValue, t.revealDeadline, t.winnerCounter), (B256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(l.contribution(0).status, ContributionStatusEnum::REJECTED.as_u8());
    assert_eq!(l.contribution(1).status, ContributionStatusEnum::REJECTED.as_u8());
    // Stakes stay locked; rejected workers cannot contribute again.
    assert_eq!(l.d.account(l.worker(0).address).1, U256::from(STAKE));
    assert_eq!(l.contribute(0, 2), Err(vec![]));
    assert_eq!(l.reopen(scheduler), Err(vec![]), "not REVEALING");
    // The rejected group left the total: two fresh workers reach consensus again (4·3 > 5·2).
    l.contribute(2, 2).unwrap();
    assert_eq!(l.view().status, TaskStatusEnum::ACTIVE.as_u8());
    l.contribute(3, 2).unwrap();
    let t = l.view();
    assert_eq!(t.status, TaskStatusEnum::REVEALING.as_u8());
    assert_eq!((t.consensusValue, t.winnerCounter), (result_hash(&l.task, &digest(2)), U256::from(2)));
    assert_eq!(t.revealDeadline, U256::from(reveal_deadline + 2 * T));
    // Once someone revealed, no reopen; nor after the final deadline.
    l.reveal(2, 2).unwrap();
    l.d.at(reveal_deadline + 2 * T);
    assert_eq!(l.reopen(scheduler), Err(vec![]));
}

#[test]
fn reopen_refuses_after_the_final_deadline() {
    let l = Lifecycle::new(1);
    l.contribute(0, 1).unwrap();
    l.d.at(MatchedDeal::START + 10 * T);
    assert_eq!(l.reopen(l.d.scheduler.address), Err(vec![]));
    assert_eq!(l.view().status, TaskStatusEnum::REVEALING.as_u8());
}
