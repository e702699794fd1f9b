//! PoCo Boost end to end on the devnet, through the hub: a deal of the reference inputs
//! (prices 1/1/5 nRLC, category 0, volume 1, the 110-byte params, the 89-byte results)
//! matched with `matchOrdersBoost` and settled by one `pushResultBoost`, with their gas
//! beside classic scenario B's; a sponsored deal settled from its sponsor; a claimed task
//! filling the kitty and a later push paying it out; PoCo Boost's revert reasons as the
//! chain returns them. After every step, Σ balances + Σ frozen = SRLC supply = RLC held.
//!
//! The PoCo rules behind the amounts: PROTOCOL.md §4.11 (with the sponsor, not the
//! requester, paying; README, design decisions).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test
#![allow(clippy::too_many_arguments)] // sol!-generated event and call constructors

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    signers::local::PrivateKeySigner,
    sol_types::{Revert, SolCall, SolError},
};
use poco_core::{
    constants::KITTY_ADDRESS,
    eip712::{domain_separator, PocoStructHash},
    ids::{deal_id, task_id},
    orders::{matchOrdersBoostCall, sponsorMatchOrdersBoostCall},
};
use poco_e2e::{
    bindings::{IBoostMatchEvents, IBoostPush, IHub, IRlc, ITaskViews},
    lifecycle::{authorize, events, no_enclave_sign, ready, Harness, Sent, REFERENCE_RESULTS},
    market::{signed_orders, DealTerms},
};

/// SRLC the requester and the scheduler deposit: 100 RLC.
const DEPOSIT: u64 = 100_000_000_000;
/// SRLC each worker deposits (worker 1 also sponsors).
const WORKER_DEPOSIT: u64 = 10_000;
/// Category 0's `workClockTimeRef` (XS): the Boost deadline is 7 of them after the match.
const TIMEREF: u64 = 300;
/// Solidity PoCo's classic trust-1 path (scenario B: matchOrders, initialize,
/// contributeAndFinalize) for the same inputs.
const SOLIDITY_SCENARIO_B: u64 = 1_940_580;

/// A Boost deal of `terms` with a fresh salt, matched by the requester (`sponsor: None`)
/// or sponsored by `sponsor`; returns its id and the transaction.
async fn match_boost(h: &mut Harness, terms: &DealTerms, salt: u64, sponsor: Option<&PrivateKeySigner>) -> (B256, Sent) {
    let terms = DealTerms { salt: B256::from(U256::from(salt)), ..terms.clone() };
    let o = signed_orders(&h.actors, &h.assets, h.chain_id, h.hub, &terms);
    let id = deal_id(&o._3.typed_data_hash(&domain_separator(h.chain_id, &h.hub)), &U256::ZERO);
    let (a, d, w, r) = (o._0, o._1, o._2, o._3);
    let (from, input) = match sponsor {
        None => (
            h.actors.requester.clone(),
            matchOrdersBoostCall { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r }.abi_encode(),
        ),
        Some(s) => (
            s.clone(),
            sponsorMatchOrdersBoostCall { appOrder: a, datasetOrder: d, workerpoolOrder: w, requestOrder: r }.abi_encode(),
        ),
    };
    let sent = h.send(&from, input.into()).await.unwrap();
    assert!(sent.ok(), "Boost match reverted: {:?}", sent.revert);
    let notices = events::<IBoostMatchEvents::SchedulerNoticeBoost>(h.hub, &sent.receipt);
    assert_eq!(notices.len(), 1);
    assert_eq!((notices[0].dealId, notices[0].workerpool, notices[0].params.as_str()), (id, h.assets.pool, terms.params.as_str()));
    (id, sent)
}

/// Worker `w` pushes task `index` of `deal`, authorized by the scheduler, without enclave.
async fn push(h: &mut Harness, w: usize, deal: B256, index: u64) -> Sent {
    let worker = h.workers[w].clone();
    let task = task_id(&deal, &U256::from(index));
    let call = IBoostPush::pushResultBoostCall {
        deal_id: deal,
        index: U256::from(index),
        results: Bytes::from(REFERENCE_RESULTS.as_bytes().to_vec()),
        results_callback: Bytes::new(),
        authorization_sign: authorize(h.scheduler(), worker.address(), task, Address::ZERO),
        enclave_challenge: Address::ZERO,
        enclave_sign: no_enclave_sign(),
    };
    h.send(&worker, call.abi_encode().into()).await.unwrap()
}

/// Anyone (the app developer) claims task `index` of `deal`.
async fn claim(h: &mut Harness, deal: B256, index: u64) -> Sent {
    let call = IBoostPush::claimBoostCall { deal_id: deal, index: U256::from(index) };
    let from = h.actors.app_dev.clone();
    h.send(&from, call.abi_encode().into()).await.unwrap()
}

fn reverted_with(sent: &Sent, reason: &str) {
    let data = sent.revert.as_ref().expect("reverted");
    assert_eq!(Revert::abi_decode(data).map(|r| r.reason).ok().as_deref(), Some(reason));
}

/// `(balance, frozen)` of `who`.
async fn account(h: &Harness, who: Address) -> (u128, u128) {
    let a = h.chain_account(who).await.unwrap();
    (a.balance, a.frozen)
}

/// Σ balances + Σ frozen of every account that can hold SRLC = totalSupply = RLC the hub holds.
async fn assert_conserved(h: &Harness, sponsor: Address) {
    let p = h.as_(&h.actors.requester).unwrap();
    let mut who: Vec<Address> = h.actors.all().iter().map(|a| a.address()).collect();
    who.extend(h.workers.iter().map(|w| w.address()));
    who.extend([sponsor, KITTY_ADDRESS, h.hub, poco_e2e::address(0).unwrap()]);
    who.sort();
    who.dedup();
    let mut sum = 0u128;
    for a in who {
        let (balance, frozen) = account(h, a).await;
        sum += balance + frozen;
    }
    // The hub's own balance is the frozen funds it holds: count it once.
    let (hub_balance, _) = account(h, h.hub).await;
    let supply = IHub::new(h.hub, &p).totalSupply().call().await.unwrap();
    let held = IRlc::new(h.rlc, &p).balanceOf(h.hub).call().await.unwrap();
    assert_eq!(U256::from(sum - hub_balance), supply, "Σ accounts = totalSupply");
    assert_eq!(supply, held, "totalSupply = RLC held by the hub");
}

#[tokio::test]
async fn a_reference_boost_deal_settles_in_two_transactions_and_reports_its_gas() {
    let (_net, mut h) = ready(DEPOSIT, 1, WORKER_DEPOSIT).await.unwrap();
    let (requester, scheduler, worker) = (h.actors.requester.address(), h.actors.scheduler.address(), h.workers[0].address());
    let before = [account(&h, requester).await, account(&h, scheduler).await, account(&h, worker).await];
    let (deal, matched) = match_boost(&mut h, &DealTerms::reference(), 1, None).await;
    // Payer 1 + 1 + 5 locked; the scheduler's stake 5 · 30 / 100 = 1.
    assert_eq!(account(&h, requester).await, (before[0].0 - 7, before[0].1 + 7));
    assert_eq!(account(&h, scheduler).await, (before[1].0 - 1, before[1].1 + 1));
    let deal_boost = IBoostPush::new(h.hub, h.as_(&h.actors.requester).unwrap()).viewDealBoost(deal).call().await.unwrap();
    assert_eq!((deal_boost.botSize, deal_boost.workerReward.to::<u64>(), deal_boost.sponsor), (1, 4, requester));
    assert_eq!(deal_boost.deadline.to::<u64>(), matched.time + 7 * TIMEREF);
    assert_conserved(&h, requester).await;

    let pushed = push(&mut h, 0, deal, 0).await;
    assert!(pushed.ok(), "pushResultBoost reverted: {:?}", pushed.revert);
    let results = events::<IBoostPush::ResultPushedBoost>(h.hub, &pushed.receipt);
    assert_eq!(results.len(), 1);
    assert_eq!((results[0].dealId, results[0].index, results[0].results.as_ref()), (deal, U256::ZERO, REFERENCE_RESULTS.as_bytes()));
    // Worker 5 · 99 / 100 = 4; scheduler 5 − 4 = 1 and its stake back; app and dataset 1.
    assert_eq!(account(&h, requester).await, (before[0].0 - 7, before[0].1));
    assert_eq!(account(&h, scheduler).await, (before[1].0 + 1, before[1].1));
    assert_eq!(account(&h, worker).await, (before[2].0 + 4, before[2].1));
    let task = task_id(&deal, &U256::ZERO);
    let view = ITaskViews::new(h.hub, h.as_(&h.actors.requester).unwrap()).viewTask(task).call().await.unwrap();
    assert_eq!((view.status, view.dealid), (3, B256::ZERO));
    assert_conserved(&h, requester).await;
    reverted_with(&push(&mut h, 0, deal, 0).await, "PocoBoost: Task status not unset");

    let (m, p) = (matched.receipt.gas_used, pushed.receipt.gas_used);
    println!("matchOrdersBoost (reference inputs, volume 1): {m} gas");
    println!("pushResultBoost (89-byte results): {p} gas");
    println!(
        "one Boost task: {} gas = {:.2}x of Solidity PoCo's classic scenario B ({SOLIDITY_SCENARIO_B})",
        m + p,
        (m + p) as f64 / SOLIDITY_SCENARIO_B as f64
    );
}

#[tokio::test]
async fn a_sponsored_boost_deal_settles_from_its_sponsor() {
    let (_net, mut h) = ready(DEPOSIT, 2, WORKER_DEPOSIT).await.unwrap();
    let sponsor = h.workers[1].clone();
    let requester = h.actors.requester.address();
    let requester_before = account(&h, requester).await;
    let sponsor_before = account(&h, sponsor.address()).await;
    let terms = DealTerms { volume: 2, ..DealTerms::reference() };
    let (deal, matched) = match_boost(&mut h, &terms, 2, Some(&sponsor)).await;
    let sponsored = events::<IBoostMatchEvents::DealSponsoredBoost>(h.hub, &matched.receipt);
    assert_eq!((sponsored[0].dealId, sponsored[0].sponsor), (deal, sponsor.address()));
    assert_eq!(account(&h, sponsor.address()).await, (sponsor_before.0 - 14, 14));
    assert_eq!(account(&h, requester).await, requester_before);
    // Task 0 pushed: seized from the sponsor (PoCo would take the requester's).
    assert!(push(&mut h, 0, deal, 0).await.ok());
    assert_eq!(account(&h, sponsor.address()).await, (sponsor_before.0 - 14, 7));
    assert_eq!(account(&h, requester).await, requester_before);
    assert_conserved(&h, sponsor.address()).await;
    // Task 1 claimed after the deadline: refunded to the sponsor.
    h.wait(7 * TIMEREF);
    let claimed = claim(&mut h, deal, 1).await;
    assert!(claimed.ok(), "claimBoost reverted: {:?}", claimed.revert);
    assert_eq!(account(&h, sponsor.address()).await, (sponsor_before.0 - 7, 0));
    assert_eq!(account(&h, requester).await, requester_before);
    assert_conserved(&h, sponsor.address()).await;
    println!("sponsorMatchOrdersBoost (volume 2): {} gas", matched.receipt.gas_used);
    println!("claimBoost: {} gas", claimed.receipt.gas_used);
}

#[tokio::test]
async fn a_claimed_boost_task_fills_the_kitty_and_a_later_push_pays_it() {
    let (_net, mut h) = ready(DEPOSIT, 1, WORKER_DEPOSIT).await.unwrap();
    let scheduler = h.actors.scheduler.address();
    let (deal, _) = match_boost(&mut h, &DealTerms::reference(), 3, None).await;
    reverted_with(&claim(&mut h, deal, 0).await, "PocoBoost: Deadline not reached");
    reverted_with(&claim(&mut h, deal, 1).await, "PocoBoost: Unknown task");
    h.wait(7 * TIMEREF);
    reverted_with(&push(&mut h, 0, deal, 0).await, "PocoBoost: Deadline reached");
    assert!(claim(&mut h, deal, 0).await.ok());
    // The scheduler's 1-nRLC stake is now the kitty's.
    assert_eq!(account(&h, KITTY_ADDRESS).await, (0, 1));
    assert_conserved(&h, scheduler).await;
    // A later deal's push pays the whole kitty (below 1 RLC) to its scheduler.
    let (second, _) = match_boost(&mut h, &DealTerms::reference(), 4, None).await;
    let before = account(&h, scheduler).await;
    let pushed = push(&mut h, 0, second, 0).await;
    assert!(pushed.ok(), "pushResultBoost reverted: {:?}", pushed.revert);
    assert_eq!(account(&h, KITTY_ADDRESS).await, (0, 0));
    // Its stake 1 back, 5 − 4 = 1 and the kitty's 1.
    assert_eq!(account(&h, scheduler).await, (before.0 + 1 + 1 + 1, before.1 - 1));
    assert_conserved(&h, scheduler).await;
    println!("pushResultBoost paying the kitty: {} gas", pushed.receipt.gas_used);
}
