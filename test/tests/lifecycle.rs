//! The task lifecycle end to end on the devnet, through the hub: PoCo's reference scenarios
//! (issue 8's inputs: prices 1/1/5 nRLC, category 0, the 110-byte params, the 89-byte
//! results, no callback) run to COMPLETED (C to ACTIVE), and the cases that need a real
//! chain — callbacks to contracts that revert, burn their gas or do not exist, deadlines
//! passed with `evm_increaseTime`-like clocks, the kitty, reopen, a liar, the TEE broker.
//!
//! Every transaction goes through [`Harness`], which checks after each one that the chain
//! and the plain model of PoCo's rules agree on its outcome, on every account's balance and
//! frozen funds, on scores, on the task (`viewTask`) and on its contributions
//! (`viewContribution`); the tests add the amounts PoCo's rules give for their scenario
//! (PROTOCOL.md §4.8), written out, and the revert shapes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol_types::{Revert, SolCall, SolError},
};
use poco_core::{
    constants::{DEFAULT_CALLBACK_GAS, KITTY_ADDRESS, TAG_SCONE, TAG_TEE},
    status::{ContributionStatusEnum, TaskStatusEnum},
};
use poco_e2e::{
    account,
    bindings::{IAdmin, IPoco2, ITaskViews},
    lifecycle::{
        callbacks, deploy_evm, digest, enclave_key, events, ready, Harness, Sent, Vote, REFERENCE_PARAMS,
        REFERENCE_RESULTS,
    },
    market::DealTerms,
    model::Account,
    provider,
};

/// SRLC the requester and the scheduler deposit: 100 RLC.
const DEPOSIT: u64 = 100_000_000_000;
/// SRLC each worker deposits.
const WORKER_DEPOSIT: u64 = 10_000;

fn results() -> &'static [u8] {
    REFERENCE_RESULTS.as_bytes()
}

fn assert_bare_revert(sent: &Sent) {
    assert_eq!(sent.revert.as_ref().map(|d| d.to_vec()), Some(vec![]), "expected a bare revert");
}

/// `Panic(uint256 code)`.
fn panic_data(code: u8) -> Vec<u8> {
    let mut data = vec![0x4e, 0x48, 0x7b, 0x71];
    data.extend_from_slice(&U256::from(code).to_be_bytes::<32>());
    data
}

async fn account_of(h: &Harness, who: Address) -> Account {
    h.chain_account(who).await.unwrap()
}

/// `resultFor(task)`: the bytes, or the revert reason.
async fn result_for(h: &Harness, task: B256) -> Result<Bytes, String> {
    let p = h.as_(&h.actors.requester).unwrap();
    match ITaskViews::new(h.hub, &p).resultFor(task).call().await {
        Ok(bytes) => Ok(bytes),
        Err(e) => Err(e.as_revert_data().and_then(|d| Revert::abi_decode(&d).ok()).map_or_else(|| e.to_string(), |r| r.reason)),
    }
}

async fn view_task(h: &Harness, task: B256) -> ITaskViews::Task {
    let p = h.as_(&h.actors.requester).unwrap();
    ITaskViews::new(h.hub, &p).viewTask(task).call().await.unwrap()
}

/// What the payees hold before a task, to assert what the task paid each.
struct Before {
    requester: Account,
    app_dev: Account,
    dataset_owner: Account,
    scheduler: Account,
    workers: Vec<Account>,
}

async fn before(h: &Harness) -> Before {
    Before {
        requester: account_of(h, h.actors.requester.address()).await,
        app_dev: account_of(h, h.actors.app_dev.address()).await,
        dataset_owner: account_of(h, h.actors.dataset_owner.address()).await,
        scheduler: account_of(h, h.actors.scheduler.address()).await,
        workers: {
            let mut v = Vec::new();
            for w in &h.workers {
                v.push(account_of(h, w.address()).await);
            }
            v
        },
    }
}

/// Balance gained (or lost, negative) since `then`.
fn gained(now: Account, then: Account) -> (i128, i128) {
    (now.balance as i128 - then.balance as i128, now.frozen as i128 - then.frozen as i128)
}

/// After a completed task of the reference prices (1 + 1 + 5 nRLC) whose `winners` all
/// revealed with weight 1 and no loser: PoCo's rules (§4.8) give the requester −7 frozen,
/// the app and dataset owners +1, the scheduler its 1-nRLC stake back and what the workers
/// leave of the 5 nRLC (`5 · 99 / 100 = 4` shared by weight, floors to the scheduler).
async fn assert_reference_payout(h: &Harness, b: &Before, winners: &[usize], with_dataset: bool, staked: bool) {
    let price = 1 + u128::from(with_dataset) + 5;
    let workers_reward = 5 * 99 / 100;
    let share = workers_reward / winners.len() as u128;
    let scheduler_reward = 5 - share * winners.len() as u128;
    assert_eq!(gained(account_of(h, h.actors.requester.address()).await, b.requester), (0, -(price as i128)));
    assert_eq!(gained(account_of(h, h.actors.app_dev.address()).await, b.app_dev), (1, 0));
    let dataset = gained(account_of(h, h.actors.dataset_owner.address()).await, b.dataset_owner);
    assert_eq!(dataset, (i128::from(with_dataset), 0));
    // The scheduler locked 5 · 30 / 100 = 1 at match, before `b` was taken: it comes back.
    assert_eq!(gained(account_of(h, h.actors.scheduler.address()).await, b.scheduler), (scheduler_reward as i128 + 1, -1));
    for w in winners {
        let (balance, frozen) = gained(account_of(h, h.workers[*w].address()).await, b.workers[*w]);
        // A staked worker locked 5 · 30 / 100 = 1 after `b`, and got it back.
        assert_eq!((balance, frozen), (share as i128, 0), "worker {w} (staked: {staked})");
    }
}

/// One worker (`w`) contributes, reveals; the scheduler finalizes: scenarios B and B0.
async fn trust_one_scenario(with_dataset: bool) {
    let (_net, mut h) = ready(DEPOSIT, 1, WORKER_DEPOSIT).await.unwrap();
    let terms = DealTerms { with_dataset, ..DealTerms::reference() };
    assert_eq!(REFERENCE_PARAMS.len(), 110);
    let deal = h.match_deal(&terms).await.unwrap();
    let b = before(&h).await;
    let (task, sent) = h.initialize(deal.id, 0).await.unwrap();
    assert!(sent.ok());
    let result = digest("result");
    assert!(h.contribute(0, task, result, None).await.unwrap().ok());
    assert_eq!(h.model.status(task), TaskStatusEnum::REVEALING, "trust 1: the first contribution is the consensus");
    assert!(h.reveal(0, task, result).await.unwrap().ok());
    assert_eq!(result_for(&h, task).await, Err("task-pending".to_string()));
    let sent = h.finalize(task, results(), &[]).await.unwrap();
    assert!(sent.ok());
    let t = view_task(&h, task).await;
    assert_eq!(t.status, TaskStatusEnum::COMPLETED.as_u8());
    assert_eq!(t.results.as_ref(), results());
    assert_eq!(t.resultsCallback.len(), 0);
    assert_eq!(result_for(&h, task).await, Ok(Bytes::new()));
    assert_reference_payout(&h, &b, &[0], with_dataset, true).await;
    // One contributor: no score change (PoCo scores replicated work only).
    assert_eq!(h.model.score(h.workers[0].address()), 0);
    // The scheduler's Reward of the task: 5 − 4 = 1.
    let rewards = events::<IPoco2::Reward>(h.hub, &sent.receipt);
    assert!(rewards.iter().any(|r| r.owner == h.actors.scheduler.address() && r.amount == U256::from(1) && r.r#ref == task));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_b_trust_1_contribute_reveal_finalize() {
    trust_one_scenario(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_b0_trust_1_without_dataset() {
    trust_one_scenario(false).await;
}

/// Workers `0..n` contribute the same result to a task of `trust`, reveal; the scheduler
/// finalizes: scenarios A3 (n = 2) and A5 (n = 3).
async fn replicated_scenario(trust: u64, n: usize) {
    let (_net, mut h) = ready(DEPOSIT, n as u32, WORKER_DEPOSIT).await.unwrap();
    let deal = h.match_deal(&DealTerms { trust, ..DealTerms::reference() }).await.unwrap();
    let b = before(&h).await;
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    let result = digest("result");
    for w in 0..n {
        assert_eq!(h.model.status(task), TaskStatusEnum::ACTIVE, "no consensus before worker {w}");
        assert!(h.contribute(w, task, result, None).await.unwrap().ok());
    }
    assert_eq!(h.model.status(task), TaskStatusEnum::REVEALING, "consensus with the {n}th worker");
    for w in 0..n {
        assert!(h.reveal(w, task, result).await.unwrap().ok());
    }
    assert!(h.finalize(task, results(), &[]).await.unwrap().ok());
    assert_eq!(view_task(&h, task).await.status, TaskStatusEnum::COMPLETED.as_u8());
    let winners: Vec<usize> = (0..n).collect();
    assert_reference_payout(&h, &b, &winners, true, true).await;
    for w in &h.workers {
        assert_eq!(h.model.score(w.address()), 1, "replicated and right: score + 1");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_a3_trust_3_two_workers() {
    replicated_scenario(3, 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_a5_trust_5_three_workers() {
    replicated_scenario(5, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_d_tee_contribute_and_finalize_enclave_signed() {
    let (_net, mut h) = ready(DEPOSIT, 2, WORKER_DEPOSIT).await.unwrap();
    let tag = B256::with_last_byte(TAG_TEE | TAG_SCONE);
    let deal = h.match_deal(&DealTerms { tag, ..DealTerms::reference() }).await.unwrap();
    let b = before(&h).await;
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    let result = digest("tee result");
    // A TEE task refuses a contribution without enclave, and an enclave signature by
    // another key: bare reverts, nothing changes (the harness checks).
    assert_bare_revert(&h.contribute_and_finalize(0, task, result, results(), &[], None).await.unwrap());
    let enclave = enclave_key(0).unwrap();
    let impostor = enclave_key(1).unwrap();
    let vote = Vote::new(h.workers[0].address(), task, result);
    let call = IPoco2::contributeAndFinalizeCall {
        taskId: task,
        resultDigest: result,
        results: Bytes::copy_from_slice(results()),
        resultsCallback: Bytes::new(),
        enclaveChallenge: enclave.address(),
        enclaveSign: poco_e2e::lifecycle::enclave_sign(&impostor, &vote),
        authorizationSign: poco_e2e::lifecycle::authorize(&h.actors.scheduler, h.workers[0].address(), task, enclave.address()),
    };
    let worker = h.workers[0].clone();
    assert_bare_revert(&h.send(&worker, call.abi_encode().into()).await.unwrap());
    h.check_task(task).await.unwrap();

    let sent = h.contribute_and_finalize(0, task, result, results(), &[], Some(&enclave)).await.unwrap();
    assert!(sent.ok());
    let t = view_task(&h, task).await;
    assert_eq!(t.status, TaskStatusEnum::COMPLETED.as_u8());
    assert_eq!((t.revealCounter, t.winnerCounter), (U256::from(1), U256::from(1)));
    let p = h.as_(&h.actors.requester).unwrap();
    let c = ITaskViews::new(h.hub, &p).viewContribution(task, h.workers[0].address()).call().await.unwrap();
    assert_eq!((c.status, c.enclaveChallenge), (ContributionStatusEnum::PROVED.as_u8(), enclave.address()));
    // No stake on the fast path: the worker's frozen never moved.
    assert_reference_payout(&h, &b, &[0], true, false).await;
    // A second contributeAndFinalize on the completed task is refused.
    assert_bare_revert(&h.contribute_and_finalize(1, task, result, results(), &[], Some(&enclave)).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_c_volume_10_initialize_array_activates_every_task() {
    let (_net, mut h) = ready(DEPOSIT, 0, 0).await.unwrap();
    let deal = h.match_deal(&DealTerms { volume: 10, ..DealTerms::reference() }).await.unwrap();
    let indexes: Vec<u64> = (0..10).collect();
    let (tasks, sent) = h.initialize_array(deal.id, &indexes).await.unwrap();
    assert!(sent.ok());
    for (i, task) in tasks.iter().enumerate() {
        let t = view_task(&h, *task).await;
        assert_eq!((t.status, t.dealid, t.idx), (TaskStatusEnum::ACTIVE.as_u8(), deal.id, U256::from(i)));
    }
    // Initializing any of them again, alone or in an array, and an index past the bag of
    // tasks are refused; mismatched array lengths too.
    assert_bare_revert(&h.initialize(deal.id, 3).await.unwrap().1);
    assert_bare_revert(&h.initialize(deal.id, 10).await.unwrap().1);
    assert_bare_revert(&h.initialize_array(deal.id, &[10, 3]).await.unwrap().1);
    let call = IPoco2::initializeArrayCall { dealIds: vec![deal.id; 2], indexes: vec![U256::from(10)] };
    let scheduler = h.actors.scheduler.clone();
    assert_bare_revert(&h.send(&scheduler, call.abi_encode().into()).await.unwrap());
    h.check_task(poco_core::ids::task_id(&deal.id, &U256::from(10))).await.unwrap();
}

/// A trust-1 deal with `callback`; the worker contributes and reveals the digest of
/// `data`; returns the task, ready to finalize with `data` as `resultsCallback`.
async fn callback_task(h: &mut Harness, callback: Address, data: &[u8], w: usize) -> B256 {
    let deal = h.match_deal(&DealTerms { callback, ..DealTerms::reference() }).await.unwrap();
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    let result = keccak256(data);
    assert!(h.contribute(w, task, result, None).await.unwrap().ok());
    assert!(h.reveal(w, task, result).await.unwrap().ok());
    task
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finalize_delivers_the_callback_and_survives_one_that_reverts_burns_its_gas_or_is_an_eoa() {
    let (net, mut h) = ready(DEPOSIT, 1, WORKER_DEPOSIT).await.unwrap();
    let owner = provider(net.addr, account(0).unwrap()).unwrap();
    let recorder = deploy_evm(&owner, callbacks::RECORDER).await.unwrap();
    let reverter = deploy_evm(&owner, callbacks::REVERTER).await.unwrap();
    let burner = deploy_evm(&owner, callbacks::GAS_BURNER).await.unwrap();
    let eoa = Address::repeat_byte(0xe0);
    let data = b"callback data: 0x2a".to_vec();

    // The recorder stores the gas it was given under the task id: PoCo calls
    // `receiveResult(taskid, data)` with exactly `callbackgas` (less the call's own costs).
    let task = callback_task(&mut h, recorder, &data, 0).await;
    // The callback data must hash to the agreed digest: anything else is refused.
    assert_bare_revert(&h.finalize(task, results(), b"other data").await.unwrap());
    assert_bare_revert(&h.finalize(task, results(), &[]).await.unwrap());
    assert!(h.finalize(task, results(), &data).await.unwrap().ok());
    let given = owner.get_storage_at(recorder, U256::from_be_bytes(task.0)).await.unwrap();
    assert!(
        given > U256::from(DEFAULT_CALLBACK_GAS - 5_000) && given <= U256::from(DEFAULT_CALLBACK_GAS),
        "the callback ran with {given} gas, callbackgas is {DEFAULT_CALLBACK_GAS}"
    );
    assert_eq!(result_for(&h, task).await, Ok(Bytes::from(data.clone())));

    // A reverting callback does not undo the finalization.
    let task = callback_task(&mut h, reverter, &data, 0).await;
    let reverted = h.finalize(task, results(), &data).await.unwrap();
    assert!(reverted.ok());
    assert_eq!(view_task(&h, task).await.status, TaskStatusEnum::COMPLETED.as_u8());

    // A callback that burns all its gas neither: it costs the scheduler `callbackgas` more.
    let task = callback_task(&mut h, burner, &data, 0).await;
    // With too little gas left for the callback to get its stipend, PoCo's
    // `assert(gasleft() > callbackgas / 63)` fails: Panic(0x01), and nothing changes.
    let scheduler = h.actors.scheduler.clone();
    let call = IPoco2::finalizeCall { taskId: task, results: Bytes::copy_from_slice(results()), resultsCallback: data.clone().into() };
    // The least gas that finalizes (eth_estimateGas' binary search), less 20,000: the
    // callback then gets 63/64 of what is left, under its stipend, burns it, and leaves the
    // assertion less than callbackgas / 63 (a limit much lower would run out of gas before).
    let p = h.as_(&scheduler).unwrap();
    let tx = TransactionRequest::default().with_to(h.hub).with_input(call.abi_encode());
    let enough = p.estimate_gas(tx).await.unwrap();
    let starved = h.send_with_gas(&scheduler, call.abi_encode().into(), enough - 20_000).await.unwrap();
    assert_eq!(starved.revert.as_ref().map(|d| d.to_vec()), Some(panic_data(0x01)));
    h.check_task(task).await.unwrap();
    let burnt = h.finalize(task, results(), &data).await.unwrap();
    assert!(burnt.ok());
    assert!(
        burnt.receipt.gas_used > reverted.receipt.gas_used + DEFAULT_CALLBACK_GAS * 9 / 10,
        "burner {} vs reverter {}",
        burnt.receipt.gas_used,
        reverted.receipt.gas_used
    );

    // A callback without code (an EOA): the call succeeds with nothing to run.
    let task = callback_task(&mut h, eoa, &data, 0).await;
    assert!(h.finalize(task, results(), &data).await.unwrap().ok());
    assert_eq!(view_task(&h, task).await.status, TaskStatusEnum::COMPLETED.as_u8());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_after_the_final_deadline_fills_the_kitty_which_a_later_finalize_pays_out() {
    let (_net, mut h) = ready(DEPOSIT, 2, 10_000_000_000).await.unwrap();
    let pool_price = 10_000_000_000u64; // 10 RLC: a 3-RLC stake, so the kitty share is above KITTY_MIN
    let terms = DealTerms { trust: 3, pool_price, ..DealTerms::reference() };
    let deal = h.match_deal(&terms).await.unwrap();
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    // One of two needed contributions: no consensus, the task stays ACTIVE.
    assert!(h.contribute(0, task, digest("result"), None).await.unwrap().ok());
    let b = before(&h).await;
    let final_deadline = u64::try_from(view_task(&h, task).await.finalDeadline).unwrap();
    // Strictly before the final deadline: refused.
    h.now = final_deadline - 1;
    assert_bare_revert(&h.claim(task).await.unwrap());
    // At it (`finalDeadline <= now`): FAILED, the requester refunded, the scheduler's stake
    // seized into the kitty, the worker's stake unlocked.
    assert_eq!(h.now, final_deadline);
    assert!(h.claim(task).await.unwrap().ok());
    assert_eq!(view_task(&h, task).await.status, TaskStatusEnum::FAILED.as_u8());
    let price = 1 + 1 + u128::from(pool_price);
    let stake = u128::from(pool_price) * 30 / 100;
    assert_eq!(gained(account_of(&h, h.actors.requester.address()).await, b.requester), (price as i128, -(price as i128)));
    assert_eq!(gained(account_of(&h, h.actors.scheduler.address()).await, b.scheduler), (0, -(stake as i128)));
    let worker_stake = u128::from(pool_price) * 30 / 100;
    assert_eq!(gained(account_of(&h, h.workers[0].address()).await, b.workers[0]), (worker_stake as i128, -(worker_stake as i128)));
    assert_eq!(account_of(&h, KITTY_ADDRESS).await, Account { balance: 0, frozen: stake });
    // Claimed once only; no contribution to a failed task.
    assert_bare_revert(&h.claim(task).await.unwrap());
    assert_bare_revert(&h.contribute(1, task, digest("result"), None).await.unwrap());

    // The next finalized task pays the scheduler min(max(kitty · 10 %, 1 RLC), kitty).
    let deal = h.match_deal(&DealTerms::reference()).await.unwrap();
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    assert!(h.contribute(1, task, digest("result"), None).await.unwrap().ok());
    assert!(h.reveal(1, task, digest("result")).await.unwrap().ok());
    let scheduler_before = account_of(&h, h.actors.scheduler.address()).await;
    assert!(h.finalize(task, results(), &[]).await.unwrap().ok());
    let share = (stake / 10).max(1_000_000_000).min(stake);
    assert_eq!(account_of(&h, KITTY_ADDRESS).await, Account { balance: 0, frozen: stake - share });
    // The scheduler: its 1-nRLC stake back, 5 − 4 of the workers' pool, and the kitty share.
    let (balance, _) = gained(account_of(&h, h.actors.scheduler.address()).await, scheduler_before);
    assert_eq!(balance, (1 + 1 + share) as i128);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_and_claim_array_refunds_an_expired_deal_never_initialized() {
    let (_net, mut h) = ready(DEPOSIT, 0, 0).await.unwrap();
    let deal = h.match_deal(&DealTerms { volume: 3, ..DealTerms::reference() }).await.unwrap();
    // Before the final deadline the whole array is refused, and no task is initialized.
    let (_, sent) = h.initialize_and_claim_array(deal.id, &[0, 1]).await.unwrap();
    assert_bare_revert(&sent);
    h.wait(10 * 300);
    let b = before(&h).await;
    let (tasks, sent) = h.initialize_and_claim_array(deal.id, &[0, 2]).await.unwrap();
    assert!(sent.ok());
    for task in &tasks {
        assert_eq!(view_task(&h, *task).await.status, TaskStatusEnum::FAILED.as_u8());
    }
    assert_eq!(gained(account_of(&h, h.actors.requester.address()).await, b.requester), (14, -14));
    // Task 1, initialized late, is claimed alone with claimArray; task 0 cannot be again.
    let (task1, _) = h.initialize(deal.id, 1).await.unwrap();
    assert_bare_revert(&h.claim_array(&[task1, tasks[0]]).await.unwrap());
    assert!(h.claim_array(&[task1]).await.unwrap().ok());
    assert_eq!(account_of(&h, KITTY_ADDRESS).await.frozen, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopen_rejects_an_unrevealed_consensus_and_a_new_one_completes_the_task() {
    let (_net, mut h) = ready(DEPOSIT, 4, WORKER_DEPOSIT).await.unwrap();
    let deal = h.match_deal(&DealTerms { trust: 3, pool_price: 1_000, ..DealTerms::reference() }).await.unwrap();
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    let result = digest("result");
    assert!(h.contribute(0, task, result, None).await.unwrap().ok());
    assert!(h.contribute(1, task, result, None).await.unwrap().ok());
    assert_eq!(h.model.status(task), TaskStatusEnum::REVEALING);
    // Nobody reveals. Before the reveal deadline, reopen is refused; after it, refused to
    // anyone but the scheduler.
    let scheduler = h.actors.scheduler.clone();
    let requester = h.actors.requester.clone();
    assert_bare_revert(&h.reopen(&scheduler, task).await.unwrap());
    h.wait(2 * 300);
    assert_bare_revert(&h.reopen(&requester, task).await.unwrap());
    let sent = h.reopen(&scheduler, task).await.unwrap();
    assert!(sent.ok());
    assert_eq!(view_task(&h, task).await.status, TaskStatusEnum::ACTIVE.as_u8());
    // Rejected workers cannot contribute again; two others make a new consensus (on the
    // same result: the rejected group's weight was taken back).
    assert_bare_revert(&h.contribute(0, task, result, None).await.unwrap());
    assert!(h.contribute(2, task, result, None).await.unwrap().ok());
    assert!(h.contribute(3, task, result, None).await.unwrap().ok());
    assert_eq!(h.model.status(task), TaskStatusEnum::REVEALING);
    assert_eq!(view_task(&h, task).await.winnerCounter, U256::from(2), "the rejected are not winners");
    assert_bare_revert(&h.reveal(0, task, result).await.unwrap());
    assert!(h.reveal(2, task, result).await.unwrap().ok());
    assert!(h.reveal(3, task, result).await.unwrap().ok());
    let b = before(&h).await;
    assert!(h.finalize(task, results(), &[]).await.unwrap().ok());
    // The rejected lose their stakes (300 each) to the pool: (1000 + 600) · 99 % shared.
    let stake = 300i128;
    let pool = 1_000 + 2 * stake;
    let share = pool * 99 / 100 / 2;
    for w in [0, 1] {
        assert_eq!(gained(account_of(&h, h.workers[w].address()).await, b.workers[w]), (0, -stake));
    }
    for w in [2, 3] {
        assert_eq!(gained(account_of(&h, h.workers[w].address()).await, b.workers[w]), (share + stake, -stake));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liar_outvoted_is_seized_and_loses_a_third_of_its_score() {
    let (_net, mut h) = ready(DEPOSIT, 4, WORKER_DEPOSIT).await.unwrap();
    let deal = h.match_deal(&DealTerms { trust: 3, volume: 2, pool_price: 1_000, ..DealTerms::reference() }).await.unwrap();
    let truth = digest("result");
    // Task 0: the future liar (worker 3) and worker 0 agree and are right: score 1 each.
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    for w in [3, 0] {
        assert!(h.contribute(w, task, truth, None).await.unwrap().ok());
    }
    for w in [3, 0] {
        assert!(h.reveal(w, task, truth).await.unwrap().ok());
    }
    assert!(h.finalize(task, results(), &[]).await.unwrap().ok());
    assert_eq!(h.model.score(h.workers[3].address()), 1);

    // Task 1: worker 3 lies; three honest workers outvote it (8 · 3 > 11 · 2).
    let (task, _) = h.initialize(deal.id, 1).await.unwrap();
    assert!(h.contribute(0, task, truth, None).await.unwrap().ok());
    assert!(h.contribute(3, task, digest("a lie"), None).await.unwrap().ok());
    assert!(h.contribute(1, task, truth, None).await.unwrap().ok());
    assert_eq!(h.model.status(task), TaskStatusEnum::ACTIVE, "the lie holds the consensus back");
    assert!(h.contribute(2, task, truth, None).await.unwrap().ok());
    assert_eq!(h.model.status(task), TaskStatusEnum::REVEALING);
    // The liar cannot reveal, neither its lie nor the truth it does not hold.
    assert_bare_revert(&h.reveal(3, task, digest("a lie")).await.unwrap());
    assert_bare_revert(&h.reveal(3, task, truth).await.unwrap());
    for w in 0..3 {
        assert!(h.reveal(w, task, truth).await.unwrap().ok());
    }
    let b = before(&h).await;
    let sent = h.finalize(task, results(), &[]).await.unwrap();
    assert!(sent.ok());
    let faulty = events::<IPoco2::FaultyContribution>(h.hub, &sent.receipt);
    assert_eq!(faulty.len(), 1);
    assert_eq!((faulty[0].worker, faulty[0].taskid), (h.workers[3].address(), task));
    // (1000 + 300 seized) · 99 % = 1287, a third to each winner; the scheduler 1300 − 3 · 429.
    assert_eq!(gained(account_of(&h, h.workers[3].address()).await, b.workers[3]), (0, -300));
    for w in 0..3 {
        assert_eq!(gained(account_of(&h, h.workers[w].address()).await, b.workers[w]), (429 + 300, -300));
    }
    let (scheduler, _) = gained(account_of(&h, h.actors.scheduler.address()).await, b.scheduler);
    assert_eq!(scheduler, 1300 - 3 * 429 + 300, "its reward and its task stake back");
    assert_eq!(h.model.score(h.workers[3].address()), 0, "1 · 2 / 3 floors to 0");
    assert_eq!(h.model.score(h.workers[0].address()), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_winner_that_never_reveals_is_seized_at_a_finalize_after_the_reveal_deadline() {
    let (_net, mut h) = ready(DEPOSIT, 2, WORKER_DEPOSIT).await.unwrap();
    let deal = h.match_deal(&DealTerms { trust: 3, pool_price: 1_000, ..DealTerms::reference() }).await.unwrap();
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    let result = digest("result");
    assert!(h.contribute(0, task, result, None).await.unwrap().ok());
    assert!(h.contribute(1, task, result, None).await.unwrap().ok());
    assert!(h.reveal(0, task, result).await.unwrap().ok());
    // One of two winners revealed: not before the reveal deadline.
    assert_bare_revert(&h.finalize(task, results(), &[]).await.unwrap());
    h.wait(2 * 300);
    assert_bare_revert(&h.reveal(1, task, result).await.unwrap());
    let b = before(&h).await;
    assert!(h.finalize(task, results(), &[]).await.unwrap().ok());
    assert_eq!(gained(account_of(&h, h.workers[1].address()).await, b.workers[1]), (0, -300));
    assert_eq!(gained(account_of(&h, h.workers[0].address()).await, b.workers[0]), ((1_300 * 99 / 100) + 300, -300));
    // Replicated: the revealer gains a point; the silent one had none to lose.
    assert_eq!(h.model.score(h.workers[0].address()), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tee_broker_authorizes_enclave_contributions_instead_of_the_scheduler() {
    let (net, mut h) = ready(DEPOSIT, 2, WORKER_DEPOSIT).await.unwrap();
    let broker = enclave_key(7).unwrap();
    let owner = provider(net.addr, account(0).unwrap()).unwrap();
    let admin = IAdmin::new(h.hub, &owner);
    admin.setTeeBroker(broker.address()).send().await.unwrap().get_receipt().await.unwrap();
    let tag = B256::with_last_byte(TAG_TEE | TAG_SCONE);
    let deal = h.match_deal(&DealTerms { tag, trust: 1, volume: 2, ..DealTerms::reference() }).await.unwrap();
    let (task, _) = h.initialize(deal.id, 0).await.unwrap();
    let enclave = enclave_key(0).unwrap();
    let result = digest("tee result");
    let worker = h.workers[0].clone();
    let scheduler = h.actors.scheduler.clone();
    // The scheduler's signature no longer authorizes an enclave contribution; the broker's does.
    assert_bare_revert(&h.contribute_signed(&worker, task, result, Some(&enclave), &scheduler).await.unwrap());
    assert!(h.contribute_signed(&worker, task, result, Some(&enclave), &broker).await.unwrap().ok());
    assert!(h.reveal(0, task, result).await.unwrap().ok());
    assert!(h.finalize(task, results(), &[]).await.unwrap().ok());
    // The broker cannot authorize a TEE task's contribution without an enclave (and the
    // task needs one anyway).
    let (task, _) = h.initialize(deal.id, 1).await.unwrap();
    let worker = h.workers[1].clone();
    assert_bare_revert(&h.contribute_signed(&worker, task, result, None, &broker).await.unwrap());
}
