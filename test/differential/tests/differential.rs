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
const DEFAULT_CASES: u32 = 32;
/// Longest sequence unless `POCO_DIFF_STEPS` says otherwise.
const DEFAULT_STEPS: usize = 24;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn who() -> impl Strategy<Value = u32> {
    0..10u32
}

/// The accounts allowance operations use, few so that approvals and `transferFrom` meet.
fn few() -> impl Strategy<Value = u32> {
    prop_oneof![Just(actor::REQUESTER), Just(actor::SPONSOR)]
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

/// A tag byte: none, TEE (bit 0), TEE with a framework bit, or a plain bit.
fn tag() -> impl Strategy<Value = u8> {
    prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(0x03u8), 1 => Just(0x10u8)]
}

/// Tags of a deal that can match: the workerpool offers every bit the app, dataset and
/// request carry.
fn tags() -> impl Strategy<Value = [u8; 4]> {
    (tag(), prop_oneof![5 => Just(0u8), 1 => Just(1u8)], tag(), tag(), tag())
        .prop_map(|(app, dataset, request, extra, _)| {
            // A TEE deal (bit 0) needs a TEE app (PoCo's check 0x07).
            let app = app | ((dataset | request) & 0x01);
            [app, dataset, app | dataset | request | extra, request]
        })
}

/// One thing that makes a match fail (or changes how it is paid for): each maps to a
/// check of PoCo's `matchOrders`.
#[derive(Clone, Debug)]
enum Flaw {
    CategoryMismatch,
    UnknownCategory,
    PoolTrustTooLow,
    TagNotOffered(u8),
    PriceAboveMax(usize),
    ZeroVolume(usize),
    BadSignature(usize, Sig),
    RequesterRestricted(u32),
    PoolRestricted(usize),
    FreeRequesterRestriction,
}

fn flaw() -> impl Strategy<Value = Flaw> {
    prop_oneof![
        1 => Just(Flaw::CategoryMismatch),
        1 => Just(Flaw::UnknownCategory),
        1 => Just(Flaw::PoolTrustTooLow),
        1 => (0..4u8).prop_map(Flaw::TagNotOffered),
        1 => (0..3usize).prop_map(Flaw::PriceAboveMax),
        1 => (0..4usize).prop_map(Flaw::ZeroVolume),
        3 => (0..4usize, sig()).prop_map(|(i, s)| Flaw::BadSignature(i, s)),
        1 => who().prop_map(Flaw::RequesterRestricted),
        1 => (0..3usize).prop_map(Flaw::PoolRestricted),
        1 => Just(Flaw::FreeRequesterRestriction),
    ]
}

/// Orders that match unless a flaw is drawn (a third of the time).
fn terms() -> impl Strategy<Value = Terms> {
    (
        (0..3usize, prop::option::weighted(0.6, 0..3usize), 0..3usize),
        (prop::array::uniform3(0..4u64), prop::array::uniform3(prop_oneof![4 => Just(0u64), 1 => 1..3u64])),
        prop_oneof![4 => Just([3u64, 3, 3, 3]), 1 => prop::array::uniform4(1..4u64)],
        (0..4u64, prop_oneof![6 => Just(0u64), 1 => Just(1u64)]),
        tags(),
        (prop_oneof![6 => Just(actor::REQUESTER), 2 => Just(actor::SPONSOR), 1 => Just(actor::WALLET)], 0..3u8),
        prop::array::uniform4(prop_oneof![4 => Just(Sig::Full), 1 => Just(Sig::Compact)]),
        prop::option::weighted(0.35, flaw()),
    )
        .prop_map(|((app, dataset, pool), (prices, slack), volumes, (trust, category), tags, (requester, salt), sigs, flaw)| {
            let mut t = Terms {
                app,
                dataset,
                pool,
                prices,
                slack,
                volumes,
                trust,
                pool_trust: trust,
                categories: [category, category],
                tags,
                requester,
                requester_restrict: None,
                pool_restrict: None,
                salt,
                sigs,
            };
            match flaw {
                None => {}
                Some(Flaw::CategoryMismatch) => t.categories[1] = 1 - category,
                Some(Flaw::UnknownCategory) => t.categories = [5, 5],
                Some(Flaw::PoolTrustTooLow) => {
                    t.trust = t.trust.max(1);
                    t.pool_trust = t.trust - 1;
                }
                Some(Flaw::TagNotOffered(i)) => {
                    let bit = [0x01u8, 0x02, 0x10, 0x20][usize::from(i)];
                    t.tags[3] |= bit;
                    t.tags[2] &= !bit;
                }
                Some(Flaw::PriceAboveMax(i)) => t.prices[i] += 1 + t.slack[i],
                Some(Flaw::ZeroVolume(i)) => t.volumes[i] = 0,
                Some(Flaw::BadSignature(i, s)) => t.sigs[i] = s,
                Some(Flaw::RequesterRestricted(who)) => t.requester_restrict = Some(who),
                Some(Flaw::PoolRestricted(p)) => t.pool_restrict = Some(p),
                Some(Flaw::FreeRequesterRestriction) => t.requester_restrict = Some(requester),
            }
            // Dataset tags never carry the TEE framework bits 1-3: 6.2.0 ignores them there,
            // 6.1.0 (the oracle) does not (README, "Differential testing").
            t.tags[1] &= !0x0e;
            t
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (who(), amount()).prop_map(|(who, amount)| Op::DepositApproveAndCall { who, amount }),
        1 => (who(), amount(), amount(), prop::option::weighted(0.3, who())).prop_map(|(who, amount, approve, target)| Op::Deposit { who, amount, approve, target }),
        2 => (who(), amount(), prop::option::weighted(0.3, who())).prop_map(|(who, amount, target)| Op::Withdraw { who, amount, target }),
        2 => (who(), who(), amount()).prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
        1 => (few(), few(), amount()).prop_map(|(owner, spender, amount)| Op::Approve { owner, spender, amount }),
        1 => (few(), few(), who(), 0..60u64).prop_map(|(spender, from, to, amount)| Op::TransferFrom { spender, from, to, amount }),
        1 => (few(), few(), amount(), any::<bool>()).prop_map(|(owner, spender, amount, increase)| Op::ChangeAllowance { owner, spender, amount, increase }),
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
        1 => (0..8usize, prop::collection::vec(0..4u64, 0..4), any::<bool>()).prop_map(|(deal, idxs, claim)| Op::InitializeArray { deal, idxs, claim }),
        1 => prop::collection::vec(0..8usize, 0..4).prop_map(|tasks| Op::ClaimArray { tasks }),
        3 => prop_oneof![3 => 1..700u64, 1 => 700..4_000u64].prop_map(|seconds| Op::Wait { seconds }),
        14 => (0..64usize).prop_map(|pick| Op::Progress { pick }),
        3 => (terms(), prop::bool::weighted(0.3), prop::bool::weighted(0.85)).prop_map(|(mut terms, sponsored, boost_trust)| {
            // Boost takes trust 0 or 1 only ("PocoBoost: Bad trust level" otherwise).
            if boost_trust {
                terms.trust %= 2;
                terms.pool_trust = terms.pool_trust.max(terms.trust);
            }
            Op::MatchBoost { terms: Box::new(terms), sponsored }
        }),
        4 => (0..8usize, 0..4u64, 0..4u32, prop::bool::weighted(0.85))
            .prop_map(|(deal, index, worker, authorized)| Op::PushBoost { deal, index, worker, authorized }),
        2 => (0..8usize, 0..4u64).prop_map(|(deal, index)| Op::ClaimBoost { deal, index }),
    ]
}

#[test]
fn our_hub_behaves_as_solidity_poco() {
    let cases = env_or("POCO_DIFF_CASES", DEFAULT_CASES);
    let steps = env_or("POCO_DIFF_STEPS", DEFAULT_STEPS);
    let started = Instant::now();
    let world = RefCell::new(ready().expect("deploying both protocols"));
    let setup = started.elapsed();
    let mut runner = TestRunner::new(ProptestConfig { cases, max_shrink_iters: 2_000, failure_persistence: None, ..ProptestConfig::default() });
    let (sequences, applied, diverged) = (RefCell::new(0u64), RefCell::new(0u64), RefCell::new(0u64));
    let result = runner.run(&prop::collection::vec(op(), 1..=steps), |ops| {
        let mut w = world.borrow_mut();
        w.reset().map_err(|e| TestCaseError::fail(format!("reset: {e:#}")))?;
        *sequences.borrow_mut() += 1;
        for (i, op) in ops.iter().enumerate() {
            w.apply(op).and_then(|()| w.check()).map_err(|e| TestCaseError::fail(format!("step {i} {op:?}: {e:#}")))?;
            *applied.borrow_mut() += 1;
            if w.diverged.is_some() {
                *diverged.borrow_mut() += 1;
                break;
            }
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
    for (why, n) in &w.pair.tally.refusals {
        eprintln!("  refused: {why:<60} {n:>5}");
    }
    eprintln!("  cases ended by a deliberate deviation: {}", diverged.borrow());
    for (name, n) in &w.pair.tally.excused {
        let readme = poco_differential::exceptions::EXCEPTIONS.iter().find(|e| e.name == *name).map_or("", |e| e.readme);
        eprintln!("  excused by {name} ({readme}): {n}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}
