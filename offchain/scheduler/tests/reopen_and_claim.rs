//! What iexec-core does not do and this scheduler does (spec/OFFCHAIN.md §6): a task whose
//! winners never reveal is reopened after its reveal deadline and completes on a new
//! consensus; a deal nobody works on is claimed at its final deadline and its requester
//! refunded — on one deployment, the devnet's clock moved instead of waiting.
//! Figures: app 10, pool 100 nRLC a task, worker stake 30, pool stake 30, scheduler reward 1 %.

mod support;

use alloy::primitives::{Address, U256};
use anyhow::{ensure, Result};
use poco_client::bindings::ITaskViews;
use poco_core::ids::task_id;
use poco_e2e::lifecycle::worker;
use poco_scheduler::engine::{contribution_status, task_status};
use support::{accounts, delta, run_workers, terms, Behaviour, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_winners_are_reopened_and_dead_deals_claimed() -> Result<()> {
    let world = World::new(4).await?;
    let scheduler = world.scheduler(world.config("reopen.db")).await?;
    let api = scheduler.addr;
    let w: Vec<Address> = (0..4).map(|i| worker(i).unwrap().address()).collect();
    let requester = world.actors.requester.address();
    let pool_owner = world.actors.scheduler.address();

    // Nobody reveals: two winners go silent; after 2·timeref the scheduler reopens; two
    // new workers reach a new consensus and it completes. The silent winners' votes are
    // REJECTED and their stakes seized at finalize: reward pool 100 + 60 = 160, workers'
    // share 158, 79 to each new revealer, 2 to the scheduler.
    let before: Vec<_> = accounts(&world, &[requester, pool_owner, w[0], w[1], w[2], w[3]]).await?;
    let deal = world.deal(&terms(3, 1)).await?;
    let task = task_id(&deal, &U256::ZERO);
    let silent = run_workers(&world, api, &[0, 1], Behaviour::NoReveal).await?;
    world.until_deal_status(deal, 1, task_status::REVEALING, 60).await?;
    world.travel(2 * 300 + 1).await?;
    world.until_deal_status(deal, 1, task_status::ACTIVE, 60).await?;
    let views = ITaskViews::new(world.net.poco.hub, &world.owner);
    for &s in &w[..2] {
        ensure!(views.viewContribution(task, s).call().await?.status == contribution_status::REJECTED, "{s} not rejected");
    }
    let honest = run_workers(&world, api, &[2, 3], Behaviour::Honest).await?;
    world.until_deal_status(deal, 1, task_status::COMPLETED, 60).await?;
    silent.send(true)?;
    honest.send(true)?;
    let after = accounts(&world, &[requester, pool_owner, w[0], w[1], w[2], w[3]]).await?;
    let d: Vec<_> = before.iter().zip(&after).map(|(b, a)| delta(*b, *a)).collect();
    ensure!(d[0] == (-110, 0), "requester {:?}", d[0]);
    ensure!(d[1] == (2, 0), "scheduler {:?}", d[1]);
    ensure!(d[2] == (-30, 0) && d[3] == (-30, 0), "silent winners {:?} {:?}", d[2], d[3]);
    ensure!(d[4] == (79, 0) && d[5] == (79, 0), "new winners {:?} {:?}", d[4], d[5]);
    let txs = world.scheduler_txs().await?;
    ensure!(txs.get(&("reopen".into(), task)) == Some(&1), "reopen sent {:?} times", txs.get(&("reopen".into(), task)));

    // A dead workerpool (no worker): the scheduler initializes the two tasks, nobody
    // contributes, and at the final deadline (10·timeref) it claims them: the requester
    // gets its 220 back, the pool's 2·30 stake goes to the kitty.
    let before: Vec<_> = accounts(&world, &[requester, pool_owner]).await?;
    let deal = world.deal(&terms(3, 2)).await?;
    world.until_deal_status(deal, 2, task_status::ACTIVE, 60).await?;
    let matched: Vec<_> = accounts(&world, &[requester, pool_owner]).await?;
    ensure!(delta(before[0], matched[0]) == (-220, 220), "requester's funds locked at match: {:?}", delta(before[0], matched[0]));
    world.travel(10 * 300 + 1).await?;
    world.until_deal_status(deal, 2, task_status::FAILED, 60).await?;
    let after: Vec<_> = accounts(&world, &[requester, pool_owner]).await?;
    ensure!(delta(before[0], after[0]) == (0, 0), "requester refunded: {:?}", delta(before[0], after[0]));
    ensure!(delta(before[1], after[1]) == (-60, 0), "pool stake seized: {:?}", delta(before[1], after[1]));
    let txs = world.scheduler_txs().await?;
    for i in 0..2u64 {
        let id = task_id(&deal, &U256::from(i));
        ensure!(txs.get(&("claim".into(), id)) == Some(&1), "claim of task {i}: {:?}", txs.get(&("claim".into(), id)));
    }
    for ((kind, id), n) in &txs {
        ensure!(*n == 1, "{kind} of {id} sent {n} times");
    }
    Ok(())
}
