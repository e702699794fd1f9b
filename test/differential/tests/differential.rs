//! Our hub against Solidity PoCo's own bytecode: random sequences of user actions (escrow,
//! asset creation and transfer, orders signed every way, presigned and cancelled, matches
//! and sponsored matches, then task lifecycles at random times) applied to both, compared
//! step by step (outcome, return and revert bytes, events, every view, conservation on each
//! side). The first difference fails with the shortest sequence proptest shrinks to.
//!
//! Cases: `POCO_DIFF_CASES` (default [`DEFAULT_CASES`], sized for CI); steps per case:
//! `POCO_DIFF_STEPS` (default [`DEFAULT_STEPS`]).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::{cell::RefCell, time::Instant};

use poco_differential::{
    actions::{actor, Kind, Op, Sig, Terms},
    ready,
};
use proptest::{prelude::*, test_runner::TestRunner};

/// Cases per run unless `POCO_DIFF_CASES` says otherwise.
const DEFAULT_CASES: u32 = 6;
/// Longest sequence unless `POCO_DIFF_STEPS` says otherwise.
const DEFAULT_STEPS: usize = 24;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn who() -> impl Strategy<Value = u32> {
    0..10u32
}

fn amount() -> impl Strategy<Value = u64> {
    prop_oneof![3 => 0..200u64, 1 => 200..2_000u64]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::App), Just(Kind::Dataset), Just(Kind::Workerpool)]
}

fn sig() -> impl Strategy<Value = Sig> {
    prop_oneof![
        12 => Just(Sig::Full),
        3 => Just(Sig::Compact),
        2 => Just(Sig::Presigned),
        1 => Just(Sig::WrongSigner),
        1 => Just(Sig::Garbage),
        1 => Just(Sig::Malleable),
    ]
}

/// Dataset tags avoid the TEE framework bits 1–3: 6.2.0 ignores them in dataset tags,
/// 6.1.0 (the oracle) does not (README, "Differential testing").
fn tag() -> impl Strategy<Value = u8> {
    prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(0x03u8), 1 => Just(0x10u8)]
}

fn terms() -> impl Strategy<Value = Terms> {
    (
        (0..3usize, prop::option::weighted(0.6, 0..3usize), 0..3usize),
        (prop::array::uniform3(0..4u64), prop::array::uniform3(prop_oneof![4 => Just(0u64), 1 => 1..3u64])),
        prop_oneof![4 => Just([3u64, 3, 3, 3]), 1 => prop::array::uniform4(0..4u64)],
        (0..4u64, prop_oneof![3 => Just(None), 1 => (0..4u64).prop_map(Some)]),
        prop_oneof![6 => Just([0u64, 0]), 1 => Just([1, 1]), 1 => Just([0, 1]), 1 => Just([7, 7])],
        (tag(), prop_oneof![5 => Just(0u8), 1 => Just(1u8)], tag(), tag()),
        (prop_oneof![4 => Just(actor::REQUESTER), 1 => Just(actor::SPONSOR)], prop::option::weighted(0.15, who())),
        (prop::option::weighted(0.15, 0..3usize), 0..3u8, prop::array::uniform4(sig())),
    )
        .prop_map(|((app, dataset, pool), (prices, slack), volumes, (trust, pool_trust), categories, tags, who, rest)| {
            let (app_tag, dataset_tag, pool_tag, request_tag) = tags;
            let (requester, requester_restrict) = who;
            let (pool_restrict, salt, sigs) = rest;
            Terms {
                app,
                dataset,
                pool,
                prices,
                slack,
                volumes,
                trust,
                pool_trust: pool_trust.unwrap_or(trust),
                categories,
                tags: [app_tag, dataset_tag & !0x0e, pool_tag | request_tag, request_tag],
                requester,
                requester_restrict,
                pool_restrict,
                salt,
                sigs,
            }
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (who(), amount()).prop_map(|(who, amount)| Op::DepositApproveAndCall { who, amount }),
        1 => (who(), amount(), amount(), prop::option::weighted(0.3, who())).prop_map(|(who, amount, approve, target)| Op::Deposit { who, amount, approve, target }),
        2 => (who(), amount(), prop::option::weighted(0.3, who())).prop_map(|(who, amount, target)| Op::Withdraw { who, amount, target }),
        2 => (who(), who(), amount()).prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
        1 => (who(), who(), amount()).prop_map(|(owner, spender, amount)| Op::Approve { owner, spender, amount }),
        1 => (who(), who(), who(), amount()).prop_map(|(spender, from, to, amount)| Op::TransferFrom { spender, from, to, amount }),
        1 => (who(), who(), amount(), any::<bool>()).prop_map(|(owner, spender, amount, increase)| Op::ChangeAllowance { owner, spender, amount, increase }),
        1 => (kind(), who(), who(), 0..4u8).prop_map(|(kind, owner, sender, name)| Op::CreateAsset { kind, owner, sender, name }),
        1 => (kind(), 0..3usize, who(), prop::bool::weighted(0.8)).prop_map(|(kind, pick, to, by_owner)| Op::TransferAsset { kind, pick, to, by_owner }),
        8 => (terms(), who(), prop::bool::weighted(0.25)).prop_map(|(terms, sender, sponsored)| Op::Match { terms: Box::new(terms), sender, sponsored }),
        2 => (0..8usize, who(), prop::bool::weighted(0.25)).prop_map(|(pick, sender, sponsored)| Op::Rematch { pick, sender, sponsored }),
        3 => (0..8usize, 0..4u8, any::<bool>(), prop::bool::weighted(0.7), any::<bool>())
            .prop_map(|(pick, which, close, by_owner, signed)| Op::Manage { pick, which, close, by_owner, signed }),
        6 => (0..8usize, 0..4u64, who()).prop_map(|(deal, idx, sender)| Op::Initialize { deal, idx, sender }),
        8 => (0..8usize, 0..4u32, prop_oneof![4 => Just(0u8), 1 => 1..3u8], prop::bool::weighted(0.9))
            .prop_map(|(task, worker, answer, authorized)| Op::Contribute { task, worker, answer, authorized }),
        5 => (0..8usize, 0..4u32).prop_map(|(task, worker)| Op::Reveal { task, worker }),
        1 => (0..8usize, prop::bool::weighted(0.8)).prop_map(|(task, by_scheduler)| Op::Reopen { task, by_scheduler }),
        4 => (0..8usize, prop::bool::weighted(0.8)).prop_map(|(task, by_scheduler)| Op::Finalize { task, by_scheduler }),
        2 => (0..8usize, 0..4u32, prop_oneof![4 => Just(0u8), 1 => Just(1u8)]).prop_map(|(task, worker, answer)| Op::ContributeAndFinalize { task, worker, answer }),
        2 => (0..8usize).prop_map(|task| Op::Claim { task }),
        3 => prop_oneof![3 => 1..700u64, 1 => 700..4_000u64].prop_map(|seconds| Op::Wait { seconds }),
    ]
}

#[test]
fn our_hub_behaves_as_solidity_poco() {
    let cases = env_or("POCO_DIFF_CASES", DEFAULT_CASES);
    let steps = env_or("POCO_DIFF_STEPS", DEFAULT_STEPS);
    let started = Instant::now();
    let world = RefCell::new(ready().expect("deploying both protocols"));
    let setup = started.elapsed();
    let mut runner = TestRunner::new(ProptestConfig { cases, max_shrink_iters: 2_000, ..ProptestConfig::default() });
    let (sequences, applied) = (RefCell::new(0u64), RefCell::new(0u64));
    let result = runner.run(&prop::collection::vec(op(), 1..=steps), |ops| {
        let mut w = world.borrow_mut();
        w.reset().map_err(|e| TestCaseError::fail(format!("reset: {e:#}")))?;
        *sequences.borrow_mut() += 1;
        for (i, op) in ops.iter().enumerate() {
            w.apply(op).and_then(|()| w.check()).map_err(|e| TestCaseError::fail(format!("step {i} {op:?}: {e:#}")))?;
            *applied.borrow_mut() += 1;
        }
        Ok(())
    });
    let w = world.borrow();
    eprintln!(
        "differential: {} sequences, {} steps applied in {:.0?} (setup {setup:.0?}); {} views compared",
        sequences.borrow(),
        applied.borrow(),
        started.elapsed(),
        w.pair.tally.views
    );
    for (action, (ok, refused)) in &w.pair.tally.actions {
        eprintln!("  {action:<24} {ok:>5} succeeded on both, {refused:>5} refused on both");
    }
    for (name, n) in &w.pair.tally.excused {
        eprintln!("  excused by {name}: {n}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}
