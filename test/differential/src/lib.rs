//! # poco-differential
//!
//! PoCo's own compiled bytecode as the oracle of our Stylus hub. iExec's published artifacts
//! (npm `@iexec/poco`, fetched at test time into `target/poco-npm/`, never committed) are
//! deployed as Solidity PoCo on one devnet ([`solidity`]), our hub with `poco_client` on
//! another with the same accounts and clock ([`pair`]); every user action ([`actions`]) is
//! applied to both and compared — success, return and revert bytes, events — with our
//! addresses and hashes mapped to theirs ([`mapping`]), then every view ([`views`]) and fund
//! conservation on each side. The deliberate differences are a short named list
//! ([`exceptions`]).

pub mod actions;
pub mod exceptions;
pub mod mapping;
pub mod npm;
pub mod pair;
pub mod solidity;
pub mod views;

use alloy::{primitives::U256, sol_types::SolCall};
use anyhow::Result;
use poco_client::bindings::{IEscrow, IRlc};

use crate::{
    actions::{actor, Kind, Op, World},
    pair::Pair,
};

/// RLC (nRLC) each actor receives at the start: enough for a few deposits, not for all.
pub const ACTOR_RLC: u64 = 1_000;

/// Both deployments with the same starting market, saved as the base every case starts from:
/// RLC sent to every actor, an app, a dataset and a workerpool registered, and the
/// requester, the sponsor, the scheduler and the workers holding some SRLC. Each of these
/// steps is itself compared.
pub fn ready() -> Result<World> {
    let mut w = World::new(Pair::start()?)?;
    for i in 1..10 {
        let to = w.addr(i);
        let data = IRlc::transferCall { to, value: U256::from(ACTOR_RLC) }.abi_encode();
        let calls = [w.pair.sol.poco.rlc, w.pair.ours.poco.rlc].map(|rlc| pair::Call { from: w.addr(actor::OWNER), to: rlc, data: data.clone().into() });
        let [s, o] = calls;
        w.pair.send("RLC transfer", s, o)?;
    }
    let setup = [
        Op::CreateAsset { kind: Kind::App, owner: actor::APP_DEV, sender: actor::OWNER, name: 0 },
        Op::CreateAsset { kind: Kind::Dataset, owner: actor::DATASET_OWNER, sender: actor::OWNER, name: 0 },
        Op::CreateAsset { kind: Kind::Workerpool, owner: actor::SCHEDULER, sender: actor::OWNER, name: 0 },
        Op::DepositApproveAndCall { who: actor::REQUESTER, amount: 300 },
        Op::DepositApproveAndCall { who: actor::SPONSOR, amount: 300 },
        Op::DepositApproveAndCall { who: actor::SCHEDULER, amount: 100 },
    ];
    for op in &setup {
        w.apply(op)?;
    }
    for k in 0..actor::WORKERS {
        w.apply(&Op::DepositApproveAndCall { who: actor::FIRST_WORKER + k, amount: 100 })?;
    }
    // PoCo's own ERC-1271 wallet mock, funded by the sponsor with `depositFor`.
    let mock = npm::PocoPackage::fetch()?.artifact("ERC1271Mock")?.linked(|_| None)?;
    w.wallet = w.pair.create_each(w.addr(actor::OWNER), mock)?;
    w.pair.map.add_address("ERC-1271 wallet", w.wallet[0], w.wallet[1]);
    let sponsor = w.addr(actor::SPONSOR);
    let approve = [0, 1].map(|s| pair::Call {
        from: sponsor,
        to: if s == 0 { w.pair.sol.poco.rlc } else { w.pair.ours.poco.rlc },
        data: IRlc::approveCall { spender: w.hub(s), value: U256::from(200) }.abi_encode().into(),
    });
    let [a, b] = approve;
    w.pair.send("RLC approve", a, b)?;
    let deposit = [0, 1].map(|s| pair::Call {
        from: sponsor,
        to: w.hub(s),
        data: IEscrow::depositForCall { amount: U256::from(200), target: w.wallet[s] }.abi_encode().into(),
    });
    let [a, b] = deposit;
    w.pair.send("depositFor", a, b)?;
    w.check()?;
    w.save_base()?;
    Ok(w)
}
