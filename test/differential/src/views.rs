//! The state both deployments must agree on after every step, read through PoCo's views, and
//! fund conservation on each side.

use alloy::{
    primitives::{Address, Bytes, U256},
    sol_types::SolCall,
};
use anyhow::{ensure, Result};
use poco_client::bindings::{IAppRegistry, IHub, IRlc};
use poco_core::constants::KITTY_ADDRESS;
use poco_e2e::bindings::{IBoostPush, ITaskViews};

use crate::{
    actions::{actor, Kind, World, OURS, SOL},
    pair::{word_u256, Call},
};

/// Accounts whose SRLC is compared and summed: the actors and the kitty.
fn holders(w: &World) -> Vec<Address> {
    let mut all: Vec<Address> = actor::ALL.iter().map(|&i| w.addr(i)).collect();
    all.push(KITTY_ADDRESS);
    all
}

/// Compares one view: `to` and `data` per side.
fn view(w: &mut World, what: &str, to: [Address; 2], data: [Bytes; 2]) -> Result<Bytes> {
    let [ds, dours] = data;
    let from = w.addr(actor::OWNER);
    w.pair.view(what, Call { from, to: to[SOL], data: ds }, Call { from, to: to[OURS], data: dours })
}

fn same(data: Vec<u8>) -> [Bytes; 2] {
    let b: Bytes = data.into();
    [b.clone(), b]
}

/// See [`World::check`].
pub fn check(w: &mut World) -> Result<()> {
    if w.diverged.is_some() {
        return Ok(());
    }
    let hubs = [w.hub(SOL), w.hub(OURS)];
    let rlcs = [w.pair.sol.poco.rlc, w.pair.ours.poco.rlc];
    let mut sums = [U256::ZERO; 2];
    for who in holders(w) {
        let b = view(w, &format!("balanceOf({who})"), hubs, same(IHub::balanceOfCall { account: who }.abi_encode()))?;
        let f = view(w, &format!("frozenOf({who})"), hubs, same(IHub::frozenOfCall { account: who }.abi_encode()))?;
        view(w, &format!("RLC balanceOf({who})"), rlcs, same(IRlc::balanceOfCall { account: who }.abi_encode()))?;
        sums[SOL] += word_u256(&b)? + word_u256(&f)?;
    }
    for (owner, spender) in [(actor::REQUESTER, actor::SPONSOR), (actor::SPONSOR, actor::REQUESTER), (actor::APP_DEV, actor::DATASET_OWNER)] {
        let (o, s) = (w.addr(owner), w.addr(spender));
        view(w, &format!("allowance({o}, {s})"), hubs, same(IHub::allowanceCall { account: o, spender: s }.abi_encode()))?;
    }
    let wallet = w.wallet;
    let b = view(w, "balanceOf(wallet)", hubs, wallet.map(|a| IHub::balanceOfCall { account: a }.abi_encode().into()))?;
    let f = view(w, "frozenOf(wallet)", hubs, wallet.map(|a| IHub::frozenOfCall { account: a }.abi_encode().into()))?;
    sums[SOL] += word_u256(&b)? + word_u256(&f)?;
    let supply = view(w, "totalSupply", hubs, same(IHub::totalSupplyCall {}.abi_encode()))?;
    // Conservation on each side: the views were equal, but each side must also hold.
    for s in [SOL, OURS] {
        let (hub, rlc) = (hubs[s], rlcs[s]);
        let chain = if s == SOL { &w.pair.sol } else { &w.pair.ours };
        let read = |to: Address, data: Vec<u8>| -> Result<U256> {
            let out = chain.devnet.run_blocking(move |d| {
                d.call(&poco_devnet::TxRequest { to: Some(to), data: data.into(), ..Default::default() })
            })??;
            word_u256(&out.output)
        };
        let mut sum = U256::ZERO;
        let mut accounts = holders(w);
        accounts.push(w.wallet[s]);
        for who in accounts {
            sum += read(hub, IHub::balanceOfCall { account: who }.abi_encode())?;
            sum += read(hub, IHub::frozenOfCall { account: who }.abi_encode())?;
        }
        let total = read(hub, IHub::totalSupplyCall {}.abi_encode())?;
        let held = read(rlc, IRlc::balanceOfCall { account: hub }.abi_encode())?;
        let side = if s == SOL { "Solidity" } else { "ours" };
        ensure!(sum == total && total == held, "conservation broken on {side}: Σ balances + Σ frozen = {sum}, totalSupply = {total}, RLC held = {held}");
    }
    ensure!(sums[SOL] == word_u256(&supply)?, "conservation: Σ = {} but totalSupply = {}", sums[SOL], word_u256(&supply)?);

    for kind in [Kind::App, Kind::Dataset, Kind::Workerpool] {
        let regs = [w.registry(SOL, kind), w.registry(OURS, kind)];
        for i in [actor::APP_DEV, actor::DATASET_OWNER, actor::SCHEDULER, actor::SPONSOR] {
            let who = w.addr(i);
            view(w, &format!("{kind:?} registry balanceOf({who})"), regs, same(IAppRegistry::balanceOfCall { owner: who }.abi_encode()))?;
        }
    }
    for a in w.assets.clone() {
        let regs = [w.registry(SOL, a.kind), w.registry(OURS, a.kind)];
        let data = a.at.map(|at| IAppRegistry::ownerOfCall { token_id: U256::from_be_bytes(at.into_word().0) }.abi_encode().into());
        view(w, &format!("ownerOf({:?} {})", a.kind, a.at[SOL]), regs, data)?;
    }
    for h in w.order_hashes.clone() {
        view(w, &format!("viewConsumed({})", h[SOL]), hubs, h.map(|id| IHub::viewConsumedCall { id }.abi_encode().into()))?;
        view(w, &format!("viewPresigned({})", h[SOL]), hubs, h.map(|id| IHub::viewPresignedCall { id }.abi_encode().into()))?;
    }
    for (i, d) in w.deals.clone().iter().enumerate() {
        view(w, &format!("viewDeal(deal {i})"), hubs, d.id.map(|id| IHub::viewDealCall { id }.abi_encode().into()))?;
    }
    for (i, t) in w.tasks.clone().iter().enumerate() {
        view(w, &format!("viewTask(task {i})"), hubs, t.id.map(|id| ITaskViews::viewTaskCall { id }.abi_encode().into()))?;
        view(w, &format!("resultFor(task {i})"), hubs, t.id.map(|id| ITaskViews::resultForCall { id }.abi_encode().into()))?;
        for k in 0..actor::WORKERS {
            let worker = w.addr(actor::FIRST_WORKER + k);
            let data = t.id.map(|id| ITaskViews::viewContributionCall { _taskid: id, _worker: worker }.abi_encode().into());
            view(w, &format!("viewContribution(task {i}, worker {k})"), hubs, data)?;
        }
    }
    for (i, d) in w.boost_deals.clone().iter().enumerate() {
        view(w, &format!("viewDealBoost(Boost deal {i})"), hubs, d.id.map(|id| IBoostPush::viewDealBoostCall { id }.abi_encode().into()))?;
    }
    for k in 0..actor::WORKERS {
        let worker = w.addr(actor::FIRST_WORKER + k);
        view(w, &format!("viewScore(worker {k})"), hubs, same(IHub::viewScoreCall { worker }.abi_encode()))?;
    }
    Ok(())
}
