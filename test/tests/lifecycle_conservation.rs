//! Fund conservation over whole task lifecycles, as a property over real transactions on the
//! devnet: random deals (prices, volume, trust, with or without dataset), tasks initialized,
//! contributions (honest, lying), reveals (or none), reopens, finalizes, fast-path
//! finalizations and claims, and PoCo Boost deals (matched by the requester or sponsored by a
//! worker) with their pushes and claims, at random times. After every step, Σ balances + Σ frozen ==
//! SRLC totalSupply == RLC held by the hub, and every account's balance and frozen funds,
//! every worker's score, the task and its contributions equal what the plain model of PoCo's
//! rules says ([`poco_e2e::model`]); each operation must succeed exactly when the model
//! accepts it ([`Harness`] checks all of it at each step).
//!
//! The number of cases is `POCO_PROPTEST_CASES` (default [`DEFAULT_CASES`], sized for CI: the
//! whole test in about two minutes on two cores); set it higher for long campaigns.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::{cell::RefCell, collections::BTreeMap};

use alloy::{
    primitives::{Address, B256},
    providers::Provider,
};
use anyhow::{ensure, Result};
use poco_core::status::{ContributionStatusEnum, TaskStatusEnum};
use poco_e2e::{
    account,
    lifecycle::{digest, ready, Harness, Sent, REFERENCE_RESULTS},
    market::DealTerms,
    provider,
};
use proptest::{prelude::*, test_runner::TestRunner};

/// Cases per run unless `POCO_PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 12;
/// Workers taking part (accounts 5–8).
const WORKERS: usize = 4;
/// SRLC each worker deposits: enough for a few stakes, not for every one, so that some
/// contributions are refused for want of funds.
const WORKER_DEPOSIT: u64 = 100;

#[derive(Clone, Debug)]
enum Op {
    Match { app_price: u64, dataset_price: u64, pool_price: u64, volume: u64, trust: u64, with_dataset: bool },
    Initialize { deal: usize, idx: u64 },
    /// `answer` 0 is the right result, others are lies.
    Contribute { task: usize, worker: usize, answer: u8 },
    /// The `worker`-th contributor of the task (any worker when there are fewer) reveals
    /// what it contributed (the right result if it did not).
    Reveal { task: usize, worker: usize },
    Reopen { task: usize, by_scheduler: bool },
    Finalize { task: usize, by_scheduler: bool },
    ContributeAndFinalize { task: usize, worker: usize },
    Claim { task: usize },
    /// Seconds before the next transaction: category 0's timeref is 300 s, so the reveal
    /// deadline is 600 s after consensus, the contribution deadline 2100 s and the final
    /// deadline 3000 s after the match.
    Wait { seconds: u64 },
    /// The next step of a lifecycle, chosen from the model's state by `pick` (which worker,
    /// lie or not, reveal or finalize or reopen): random operations are mostly refused once
    /// a task has moved on, this keeps lifecycles going to their end. The chain still
    /// decides the outcome; the harness compares it with the model's as for any operation.
    Progress { pick: usize },
    /// `matchOrdersBoost`, or `sponsorMatchOrdersBoost` paid by worker 0 when `sponsored`.
    MatchBoost { app_price: u64, dataset_price: u64, pool_price: u64, volume: u64, trust: u64, with_dataset: bool, sponsored: bool },
    /// `pushResultBoost` of task `index` (0-based) of a Boost deal, authorized by the
    /// scheduler or (refused) by the worker itself.
    PushBoost { deal: usize, index: u64, worker: usize, authorized: bool },
    /// `claimBoost` of task `index` of a Boost deal.
    ClaimBoost { deal: usize, index: u64 },
}

impl Op {
    fn kind(&self) -> usize {
        match self {
            Op::Match { .. } => 0,
            Op::Initialize { .. } => 1,
            Op::Contribute { .. } => 2,
            Op::Reveal { .. } => 3,
            Op::Reopen { .. } => 4,
            Op::Finalize { .. } => 5,
            Op::ContributeAndFinalize { .. } => 6,
            Op::Claim { .. } => 7,
            Op::Wait { .. } => 8,
            Op::Progress { .. } => 9,
            Op::MatchBoost { .. } => 10,
            Op::PushBoost { .. } => 11,
            Op::ClaimBoost { .. } => 12,
        }
    }
}

const KINDS: [&str; 13] = [
    "matchOrders",
    "initialize",
    "contribute",
    "reveal",
    "reopen",
    "finalize",
    "contributeAndFinalize",
    "claim",
    "wait",
    "progress",
    "matchOrdersBoost",
    "pushResultBoost",
    "claimBoost",
];

fn match_op() -> impl Strategy<Value = Op> {
    (0..4u64, 0..4u64, 0..40u64, 1..4u64, 0..4u64, any::<bool>()).prop_map(
        |(app_price, dataset_price, pool_price, volume, trust, with_dataset)| Op::Match {
            app_price,
            dataset_price,
            pool_price,
            volume,
            trust,
            with_dataset,
        },
    )
}

fn match_boost_op() -> impl Strategy<Value = Op> {
    (0..4u64, 0..4u64, 0..40u64, 1..4u64, prop_oneof![4 => 0..2u64, 1 => 2..4u64], any::<bool>(), prop::bool::weighted(0.3))
        .prop_map(|(app_price, dataset_price, pool_price, volume, trust, with_dataset, sponsored)| Op::MatchBoost {
            app_price,
            dataset_price,
            pool_price,
            volume,
            trust,
            with_dataset,
            sponsored,
        })
}

fn op() -> impl Strategy<Value = Op> {
    let task = 0..8usize;
    let worker = 0..WORKERS;
    prop_oneof![
        1 => match_op(),
        4 => (0..4usize, 0..3u64).prop_map(|(deal, idx)| Op::Initialize { deal, idx }),
        6 => (task.clone(), worker.clone(), prop_oneof![3 => Just(0u8), 1 => 1..3u8])
            .prop_map(|(task, worker, answer)| Op::Contribute { task, worker, answer }),
        5 => (task.clone(), 0..WORKERS + 1).prop_map(|(task, worker)| Op::Reveal { task, worker }),
        2 => (task.clone(), prop::bool::weighted(0.9)).prop_map(|(task, by_scheduler)| Op::Reopen { task, by_scheduler }),
        3 => (task.clone(), prop::bool::weighted(0.9)).prop_map(|(task, by_scheduler)| Op::Finalize { task, by_scheduler }),
        1 => (task.clone(), worker).prop_map(|(task, worker)| Op::ContributeAndFinalize { task, worker }),
        1 => task.prop_map(|task| Op::Claim { task }),
        2 => match_boost_op(),
        2 => (0..4usize, 0..3u64, 0..WORKERS, prop::bool::weighted(0.9))
            .prop_map(|(deal, index, worker, authorized)| Op::PushBoost { deal, index, worker, authorized }),
        1 => (0..4usize, 0..3u64).prop_map(|(deal, index)| Op::ClaimBoost { deal, index }),
        8 => any::<usize>().prop_map(|pick| Op::Progress { pick }),
        3 => prop_oneof![8 => 1..100u64, 3 => 550..700u64, 1 => 1400..1600u64, 1 => 2900..3100u64]
            .prop_map(|seconds| Op::Wait { seconds }),
    ]
}

/// One case's state beside the harness: the deals made and what each worker voted.
struct Case {
    h: Harness,
    /// The task the next [`Case::task`] returns, set by [`Case::progress`].
    pinned: std::cell::Cell<Option<B256>>,
    deals: Vec<B256>,
    /// Boost deals made, in order.
    boost_deals: Vec<B256>,
    voted: BTreeMap<(B256, Address), B256>,
}

impl Case {
    /// The `i`-th deal of the case (modulo their number), or one that does not exist.
    fn deal(&self, i: usize) -> B256 {
        if self.deals.is_empty() {
            B256::repeat_byte(0xde)
        } else {
            self.deals[i % self.deals.len()]
        }
    }

    /// The `i`-th Boost deal of the case (modulo their number), or one that does not exist.
    fn boost_deal(&self, i: usize) -> B256 {
        if self.boost_deals.is_empty() {
            B256::repeat_byte(0xb0)
        } else {
            self.boost_deals[i % self.boost_deals.len()]
        }
    }

    /// A Boost task still UNSET, chosen by `pick`: its deal's position and its index.
    fn unsettled_boost_task(&self, pick: usize) -> Option<(usize, u64, u64)> {
        let m = &self.h.model;
        let open: Vec<(usize, u64, u64)> = self
            .boost_deals
            .iter()
            .enumerate()
            .flat_map(|(d, id)| {
                let deal = &m.boost_deals[id];
                (0..deal.volume)
                    .filter(|i| !m.boost_tasks.contains_key(&poco_core::ids::task_id(id, &alloy::primitives::U256::from(*i))))
                    .map(move |i| (d, i, deal.contribution_deadline()))
            })
            .collect();
        open.get(pick % open.len().max(1)).copied()
    }

    /// A task the model knows, chosen by `i`: three times in four among those still ACTIVE
    /// or REVEALING (where an operation can do something), otherwise among all (where most
    /// are refused); an uninitialized task when there is none.
    fn task(&self, i: usize) -> B256 {
        if let Some(pinned) = self.pinned.take() {
            return pinned;
        }
        let all: Vec<B256> = self.h.model.tasks.keys().copied().collect();
        let live: Vec<B256> = self
            .h
            .model
            .tasks
            .iter()
            .filter(|(_, t)| matches!(t.status, TaskStatusEnum::ACTIVE | TaskStatusEnum::REVEALING))
            .map(|(id, _)| *id)
            .collect();
        match (i % 4, live.is_empty(), all.is_empty()) {
            (0..=2, false, _) => live[i % live.len()],
            (_, _, false) => all[i % all.len()],
            _ => B256::repeat_byte(0x7a),
        }
    }

    /// The operation [`Op::Progress`] stands for in the model's current state.
    fn progress(&self, pick: usize) -> Op {
        let m = &self.h.model;
        // One step in three settles a Boost task: mostly pushed before its deadline, else
        // left to its deadline and claimed.
        if pick % 3 == 1 {
            if let Some((deal, index, deadline)) = self.unsettled_boost_task(pick / 3) {
                return match (self.h.now < deadline, pick % 16 < 9) {
                    (true, true) => Op::PushBoost { deal, index, worker: pick % WORKERS, authorized: true },
                    (true, false) => Op::Wait { seconds: deadline - self.h.now },
                    (false, _) => Op::ClaimBoost { deal, index },
                };
            }
        }
        let live: Vec<(usize, &poco_e2e::model::TaskModel)> = m
            .tasks
            .values()
            .enumerate()
            .filter(|(_, t)| matches!(t.status, TaskStatusEnum::ACTIVE | TaskStatusEnum::REVEALING))
            .collect();
        let Some(&(index, t)) = live.get(pick % live.len().max(1)) else {
            // No live task: start the next task of a deal, or claim an old one.
            let uninitialized = self.deals.iter().enumerate().find_map(|(d, id)| {
                let deal = &m.deals[id];
                (deal.bot_first..deal.bot_first + deal.volume)
                    .find(|i| !m.tasks.contains_key(&poco_core::ids::task_id(id, &alloy::primitives::U256::from(*i))))
                    .map(|idx| Op::Initialize { deal: d, idx })
            });
            return uninitialized.unwrap_or(Op::Claim { task: pick });
        };
        // The operation is aimed at this task (`Case::task` returns it next).
        let id = *m.tasks.keys().nth(index).unwrap_or(&B256::ZERO);
        self.pinned.set(Some(id));
        let task = 0;
        let worker_address = |w: usize| self.h.workers[w].address();
        let newcomer = (0..WORKERS).map(|k| (pick / 7 + k) % WORKERS).find(|w| !t.contributions.contains_key(&worker_address(*w)));
        let deal = &m.deals[&t.deal];
        let now = self.h.now;
        // Time moves on when nothing else can happen to the task before a deadline.
        let wait_until = |deadline: u64| Op::Wait { seconds: deadline.saturating_sub(now).max(1) };
        match t.status {
            TaskStatusEnum::ACTIVE => match newcomer {
                Some(worker) if deal.trust == 1 && t.contributors.is_empty() && pick.is_multiple_of(3) => {
                    Op::ContributeAndFinalize { task, worker }
                }
                Some(worker) if now < deal.contribution_deadline() => {
                    Op::Contribute { task, worker, answer: u8::from(pick % 4 == 3) }
                }
                _ if now < deal.final_deadline() => wait_until(deal.final_deadline()),
                _ => Op::Claim { task },
            },
            _ => {
                let unrevealed = t
                    .contributors
                    .iter()
                    .position(|w| {
                        let c = &t.contributions[w];
                        c.status == ContributionStatusEnum::CONTRIBUTED && c.result_hash == t.consensus_value
                    });
                match unrevealed {
                    Some(i) if !pick.is_multiple_of(5) && now < t.reveal_deadline => Op::Reveal { task, worker: i },
                    _ if t.reveal_counter > 0 && (unrevealed.is_none() || now >= t.reveal_deadline) => {
                        Op::Finalize { task, by_scheduler: true }
                    }
                    _ if now < t.reveal_deadline => wait_until(t.reveal_deadline),
                    _ if t.reveal_counter == 0 && now < deal.final_deadline() => Op::Reopen { task, by_scheduler: true },
                    _ => Op::Claim { task },
                }
            }
        }
    }

    /// Sends `op` through the harness (which checks it); whether it succeeded.
    async fn step(&mut self, op: &Op) -> Result<bool> {
        let answer = |a: u8| digest(&format!("answer {a}"));
        let results = REFERENCE_RESULTS.as_bytes();
        let sent: Sent = match *op {
            Op::Match { app_price, dataset_price, pool_price, volume, trust, with_dataset } => {
                let terms = DealTerms { app_price, dataset_price, pool_price, volume, trust, with_dataset, ..DealTerms::reference() };
                let (deal, sent) = self.h.try_match_deal(&terms).await?;
                if let Some(deal) = deal {
                    self.deals.push(deal.id);
                }
                sent
            }
            Op::Initialize { deal, idx } => self.h.initialize(self.deal(deal), idx).await?.1,
            Op::Contribute { task, worker, answer: a } => {
                let task = self.task(task);
                let sent = self.h.contribute(worker, task, answer(a), None).await?;
                if sent.ok() {
                    self.voted.insert((task, self.h.workers[worker].address()), answer(a));
                }
                sent
            }
            Op::Reveal { task, worker } => {
                let task = self.task(task);
                // A contributor of the task, most of the time: others are refused anyway.
                let contributors = self.h.model.tasks.get(&task).map(|t| t.contributors.clone()).unwrap_or_default();
                let worker = match contributors.get(worker) {
                    Some(c) => self.h.workers.iter().position(|w| w.address() == *c).unwrap_or(worker),
                    None => worker % WORKERS,
                };
                let voted = self.voted.get(&(task, self.h.workers[worker].address())).copied().unwrap_or(answer(0));
                self.h.reveal(worker, task, voted).await?
            }
            Op::Reopen { task, by_scheduler } => {
                let from = if by_scheduler { self.h.scheduler().clone() } else { self.h.actors.requester.clone() };
                self.h.reopen(&from, self.task(task)).await?
            }
            Op::Finalize { task, by_scheduler } => {
                let from = if by_scheduler { self.h.scheduler().clone() } else { self.h.actors.requester.clone() };
                self.h.finalize_as(&from, self.task(task), results, &[], poco_e2e::lifecycle::TX_GAS).await?
            }
            Op::ContributeAndFinalize { task, worker } => {
                self.h.contribute_and_finalize(worker, self.task(task), answer(0), results, &[], None).await?
            }
            Op::Claim { task } => self.h.claim(self.task(task)).await?,
            Op::Wait { seconds } => {
                self.h.wait(seconds);
                return Ok(true);
            }
            Op::MatchBoost { app_price, dataset_price, pool_price, volume, trust, with_dataset, sponsored } => {
                let terms = DealTerms { app_price, dataset_price, pool_price, volume, trust, with_dataset, ..DealTerms::reference() };
                let sponsor = sponsored.then(|| self.h.workers[0].clone());
                let (deal, sent) = self.h.try_match_boost(&terms, sponsor.as_ref()).await?;
                self.boost_deals.extend(deal);
                sent
            }
            Op::PushBoost { deal, index, worker, authorized } => {
                self.h.push_boost(worker, self.boost_deal(deal), index, authorized).await?
            }
            Op::ClaimBoost { deal, index } => self.h.claim_boost(self.boost_deal(deal), index).await?,
            // `run_case` resolves it first (`Case::progress`).
            Op::Progress { .. } => return Ok(false),
        };
        Ok(sent.ok())
    }
}

/// Operations tried and accepted per kind, and why the refused ones were, printed so that a
/// run shows each was exercised both ways.
#[derive(Default)]
struct Counts {
    per_kind: [[u32; 2]; 13],
    refusals: BTreeMap<(usize, &'static str), u32>,
}
type Tally = RefCell<Counts>;

async fn run_case(base: &Harness, snapshot: &RefCell<String>, tally: &Tally, ops: &[Op]) -> Result<()> {
    let p = provider(base.addr, account(0)?)?;
    // Every case starts from the same funded market, and the model from its state then.
    let id = snapshot.borrow().clone();
    let reverted: bool = p.raw_request("evm_revert".into(), (id.clone(),)).await?;
    ensure!(reverted, "evm_revert {id} failed");
    *snapshot.borrow_mut() = p.raw_request("evm_snapshot".into(), ()).await?;
    let mut case =
        Case { h: base.clone(), pinned: Default::default(), deals: Vec::new(), boost_deals: Vec::new(), voted: BTreeMap::new() };
    for (i, op) in ops.iter().enumerate() {
        let resolved;
        let op = match *op {
            Op::Progress { pick } => {
                resolved = case.progress(pick);
                &resolved
            }
            _ => op,
        };
        let ok = case.step(op).await.map_err(|e| e.context(format!("step {i}: {op:?}")))?;
        let mut t = tally.borrow_mut();
        t.per_kind[op.kind()][usize::from(ok)] += 1;
        if let (false, Some(why)) = (ok, case.h.last_refusal) {
            *t.refusals.entry((op.kind(), why)).or_default() += 1;
        }
    }
    Ok(())
}

#[test]
fn srlc_is_conserved_and_every_account_follows_pocos_rules_through_whole_lifecycles() {
    let cases = std::env::var("POCO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (_net, base, snapshot) = rt.block_on(async {
        let (net, h) = ready(10_000, WORKERS as u32, WORKER_DEPOSIT).await.unwrap();
        let p = provider(net.addr, account(0).unwrap()).unwrap();
        let snapshot: String = p.raw_request("evm_snapshot".into(), ()).await.unwrap();
        (net, h, RefCell::new(snapshot))
    });
    let config = ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 64, ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let tally = Tally::default();
    // Every case starts with a match (classic or Boost), so that its other operations have a
    // deal to work on.
    let first = prop_oneof![2 => match_op(), 1 => match_boost_op()];
    let lifecycle = (first, proptest::collection::vec(op(), 10..30)).prop_map(|(first, mut ops)| {
        ops.insert(0, first);
        ops
    });
    let result = runner.run(&lifecycle, |ops| {
        rt.block_on(run_case(&base, &snapshot, &tally, &ops)).map_err(|e| TestCaseError::fail(format!("{e:#}")))
    });
    let t = tally.borrow();
    // (Progress steps are counted as the operations they resolved to.)
    for (kind, [refused, accepted]) in KINDS.iter().zip(t.per_kind).filter(|(_, n)| n[0] + n[1] > 0) {
        println!("{kind:<22} accepted {accepted:>4}, refused {refused:>4}");
    }
    for ((kind, why), n) in &t.refusals {
        println!("  {:<20} refused {n:>4}: {why}", KINDS[*kind]);
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}
