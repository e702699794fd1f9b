//! Fund conservation of the SRLC escrow, as a property over real transactions on the devnet:
//! after any sequence of deposits (RLC `approveAndCall`), withdrawals, SRLC transfers and
//! `matchOrders` (the deployed WASM, real signatures), Σ balances + Σ frozen equals SRLC's
//! totalSupply equals the RLC the hub holds — and every account equals what a plain model of
//! PoCo's rules predicts, so each operation succeeds exactly when it should.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::cell::RefCell;

use alloy::{
    primitives::{B256, U256},
    providers::{DynProvider, Provider},
};
use anyhow::{ensure, Result};
use poco_e2e::{
    account,
    bindings::{IEscrow, IHub, IRlc},
    market::{confirm, deposit, match_orders, register_assets, signed_orders, Actors, Assets, DealTerms},
    network, provider, Network,
};
use proptest::{prelude::*, test_runner::TestRunner};

/// RLC (nano-RLC) each actor receives; it deposits [`START_DEPOSIT`] of it before any case.
const START_RLC: u64 = 1_000;
/// SRLC each actor holds when a case starts.
const START_DEPOSIT: u64 = 500;
/// PoCo's WORKERPOOL_STAKE_RATIO: the scheduler stakes 30 % of the workerpool price per task.
const STAKE_PERCENT: u64 = 30;

#[derive(Clone, Debug)]
enum Op {
    Deposit { who: usize, amount: u64 },
    Withdraw { who: usize, amount: u64 },
    Transfer { from: usize, to: usize, amount: u64 },
    Match { app_price: u64, dataset_price: u64, pool_price: u64, volume: u64, with_dataset: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..600u64).prop_map(|(who, amount)| Op::Deposit { who, amount }),
        (0..4usize, 0..600u64).prop_map(|(who, amount)| Op::Withdraw { who, amount }),
        (0..4usize, 0..4usize, 0..600u64).prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
        (0..30u64, 0..30u64, 0..60u64, 1..6u64, any::<bool>()).prop_map(
            |(app_price, dataset_price, pool_price, volume, with_dataset)| Op::Match {
                app_price,
                dataset_price,
                pool_price,
                volume,
                with_dataset
            }
        ),
    ]
}

/// What PoCo's rules say each actor holds: RLC in the wallet, SRLC balance, SRLC frozen.
#[derive(Clone, Debug, Default, PartialEq)]
struct Holdings {
    rlc: [u64; 4],
    balance: [u64; 4],
    frozen: [u64; 4],
}

/// Actor indices, in [`Actors::all`] order.
const REQUESTER: usize = 0;
const SCHEDULER: usize = 3;

impl Holdings {
    /// Applies `op` to the model; returns whether PoCo accepts it.
    fn apply(&mut self, op: &Op) -> bool {
        match *op {
            Op::Deposit { who, amount } => {
                let ok = self.rlc[who] >= amount;
                if ok {
                    self.rlc[who] -= amount;
                    self.balance[who] += amount;
                }
                ok
            }
            Op::Withdraw { who, amount } => {
                let ok = self.balance[who] >= amount;
                if ok {
                    self.balance[who] -= amount;
                    self.rlc[who] += amount;
                }
                ok
            }
            Op::Transfer { from, to, amount } => {
                let ok = self.balance[from] >= amount;
                if ok {
                    self.balance[from] -= amount;
                    self.balance[to] += amount;
                }
                ok
            }
            Op::Match { app_price, dataset_price, pool_price, volume, with_dataset } => {
                let dataset_price = if with_dataset { dataset_price } else { 0 };
                let cost = (app_price + dataset_price + pool_price) * volume;
                let stake = pool_price * STAKE_PERCENT / 100 * volume;
                let ok = self.balance[REQUESTER] >= cost && self.balance[SCHEDULER] >= stake;
                if ok {
                    self.balance[REQUESTER] -= cost;
                    self.frozen[REQUESTER] += cost;
                    self.balance[SCHEDULER] -= stake;
                    self.frozen[SCHEDULER] += stake;
                }
                ok
            }
        }
    }
}

/// The chain's side: every actor's holdings, and the two totals the invariant ties together.
async fn observe(net: &Network, p: &DynProvider, actors: &Actors) -> Result<(Holdings, U256, U256)> {
    let hub = IHub::new(net.poco.hub, p);
    let token = IRlc::new(net.poco.rlc, p);
    let mut seen = Holdings::default();
    for (i, who) in actors.all().into_iter().enumerate() {
        let small = |v: U256| u64::try_from(v).map_err(|_| anyhow::anyhow!("amount {v} out of range"));
        seen.rlc[i] = small(token.balanceOf(who.address()).call().await?)?;
        seen.balance[i] = small(hub.balanceOf(who.address()).call().await?)?;
        seen.frozen[i] = small(hub.frozenOf(who.address()).call().await?)?;
    }
    let supply = hub.totalSupply().call().await?;
    let held = token.balanceOf(net.poco.hub).call().await?;
    Ok((seen, supply, held))
}

/// Sends `op` on the chain; returns whether it succeeded.
async fn send(net: &Network, actors: &Actors, assets: &Assets, chain_id: u64, op: &Op, salt: u64) -> Result<bool> {
    let signer = |i: usize| actors.all()[i].clone();
    let outcome = match *op {
        Op::Deposit { who, amount } => deposit(net, &signer(who), U256::from(amount)).await.map(|_| ()),
        Op::Withdraw { who, amount } => {
            let p = provider(net.addr, signer(who))?;
            confirm("withdraw", IEscrow::new(net.poco.hub, &p).withdraw(U256::from(amount)).send().await).await.map(|_| ())
        }
        Op::Transfer { from, to, amount } => {
            let p = provider(net.addr, signer(from))?;
            let to = actors.all()[to].address();
            confirm("transfer", IEscrow::new(net.poco.hub, &p).transfer(to, U256::from(amount)).send().await).await.map(|_| ())
        }
        Op::Match { app_price, dataset_price, pool_price, volume, with_dataset } => {
            let terms = DealTerms {
                app_price,
                dataset_price,
                pool_price,
                volume,
                with_dataset,
                salt: B256::from(U256::from(salt)),
                ..DealTerms::reference()
            };
            let call = signed_orders(actors, assets, chain_id, net.poco.hub, &terms);
            let p = provider(net.addr, actors.requester.clone())?;
            match_orders(&p, net.poco.hub, &call).await.map(|_| ())
        }
    };
    Ok(outcome.is_ok())
}

/// Operations tried and accepted, per kind (deposit, withdraw, transfer, match): printed so a
/// run shows that every kind was exercised both ways.
type Tally = RefCell<[[u32; 2]; 4]>;

async fn run_case(
    net: &Network,
    actors: &Actors,
    assets: &Assets,
    snapshot: &RefCell<String>,
    tally: &Tally,
    ops: &[Op],
) -> Result<()> {
    let p = provider(net.addr, account(0)?)?;
    // Every case starts from the same funded market.
    let id = snapshot.borrow().clone();
    let reverted: bool = p.raw_request("evm_revert".into(), (id.clone(),)).await?;
    ensure!(reverted, "evm_revert {id} failed");
    *snapshot.borrow_mut() = p.raw_request("evm_snapshot".into(), ()).await?;
    let chain_id = p.get_chain_id().await?;

    let mut model = Holdings {
        rlc: [START_RLC - START_DEPOSIT; 4],
        balance: [START_DEPOSIT; 4],
        frozen: [0; 4],
    };
    for (step, op) in ops.iter().enumerate() {
        let expected = model.apply(op);
        let succeeded = send(net, actors, assets, chain_id, op, step as u64).await?;
        ensure!(succeeded == expected, "step {step} {op:?}: succeeded {succeeded}, PoCo's rules say {expected}");
        let kind = match op {
            Op::Deposit { .. } => 0,
            Op::Withdraw { .. } => 1,
            Op::Transfer { .. } => 2,
            Op::Match { .. } => 3,
        };
        tally.borrow_mut()[kind][usize::from(succeeded)] += 1;
        let (seen, supply, held) = observe(net, &p, actors).await?;
        ensure!(seen == model, "step {step} {op:?}: chain {seen:?} != model {model:?}");
        let total: u64 = seen.balance.iter().chain(&seen.frozen).sum();
        ensure!(U256::from(total) == supply, "step {step}: Σ balance + frozen {total} != totalSupply {supply}");
        ensure!(supply == held, "step {step}: totalSupply {supply} != RLC held by the hub {held}");
    }
    Ok(())
}

#[test]
fn srlc_is_conserved_through_deposits_withdrawals_transfers_and_matches() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (net, actors, assets, snapshot) = rt.block_on(async {
        let net = network().await.unwrap();
        let actors = Actors::new().unwrap();
        let assets = register_assets(&net, &actors, U256::from(START_RLC)).await.unwrap();
        for who in actors.all() {
            deposit(&net, who, U256::from(START_DEPOSIT)).await.unwrap();
        }
        let p = provider(net.addr, account(0).unwrap()).unwrap();
        let snapshot: String = p.raw_request("evm_snapshot".into(), ()).await.unwrap();
        (net, actors, assets, RefCell::new(snapshot))
    });
    let config = ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let tally = Tally::default();
    let result = runner.run(&proptest::collection::vec(op(), 1..10), |ops| {
        rt.block_on(run_case(&net, &actors, &assets, &snapshot, &tally, &ops))
            .map_err(|e| TestCaseError::fail(format!("{e:#}")))
    });
    for (kind, [refused, accepted]) in ["deposit", "withdraw", "transfer", "matchOrders"].iter().zip(*tally.borrow()) {
        println!("{kind:<12} accepted {accepted:>3}, refused {refused:>3}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
}
