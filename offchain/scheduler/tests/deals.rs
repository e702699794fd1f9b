//! A workerpool at work on the devnet: the scheduler under test and in-process workers over
//! HTTP. Four deals on one deployment, one after the other — a trust-1 deal on the
//! `contributeAndFinalize` fast path, a trust-3 deal, a trust-3 deal with a liar, and a
//! trust-3 deal whose second winner never reveals — and after each, everyone's SRLC moved
//! exactly as PoCo's rules say (figures derived in the comments, PoCo's
//! `IexecPoco2Facet` successWork / distributeRewards: app 10, pool 100 nRLC a task, worker
//! stake 30 %, scheduler reward 1 %, fresh workers of weight 2 and log-weight 1).

mod support;

use alloy::primitives::{Address, U256};
use anyhow::{ensure, Result};
use poco_client::{bindings::ITaskViews, pool_api::ResultLink};
use poco_core::ids::task_id;
use poco_e2e::lifecycle::worker;
use poco_scheduler::engine::{contribution_status, task_status};
use support::{accounts, delta, run_workers, terms, Behaviour, World};

async fn contribution(world: &World, task: alloy::primitives::B256, w: Address) -> Result<u8> {
    Ok(ITaskViews::new(world.net.poco.hub, &world.owner).viewContribution(task, w).call().await?.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_1_and_trust_3_deals_complete_liars_and_silent_winners_are_seized() -> Result<()> {
    let world = World::new(5).await?;
    let scheduler = world.scheduler(world.config("deals.db")).await?;
    let api = scheduler.addr;
    let requester = world.actors.requester.address();
    let app_dev = world.actors.app_dev.address();
    let pool_owner = world.actors.scheduler.address();
    let w: Vec<Address> = (0..5).map(|i| worker(i).unwrap().address()).collect();
    let everyone: Vec<Address> = [requester, app_dev, pool_owner].into_iter().chain(w.iter().copied()).collect();

    // 1. Trust 1, two tasks, one worker: the fast path, no stake, no scheduler finalize.
    // Per task: requester -110, app +10, worker 100·99% = 99, scheduler 100 - 99 = 1.
    let before = accounts(&world, &everyone).await?;
    let deal = world.deal(&terms(1, 2)).await?;
    let stop = run_workers(&world, api, &[0], Behaviour::Honest).await?;
    world.until_deal_status(deal, 2, task_status::COMPLETED, 90).await?;
    stop.send(true)?;
    let after = accounts(&world, &everyone).await?;
    let d: Vec<_> = before.iter().zip(&after).map(|(b, a)| delta(*b, *a)).collect();
    ensure!(d[0] == (-220, 0), "requester {:?}", d[0]);
    ensure!(d[1] == (20, 0), "app owner {:?}", d[1]);
    ensure!(d[2] == (2, 0), "scheduler {:?}", d[2]);
    ensure!(d[3] == (198, 0), "worker 0 {:?}", d[3]);
    for i in 0..2u64 {
        let id = task_id(&deal, &U256::from(i));
        let t = world.task(id).await?;
        let link = ResultLink::pool(&format!("http://{api}"), &id);
        ensure!(t.results == link.to_results(), "results {:?}", String::from_utf8_lossy(&t.results));
    }

    // 2. Trust 3, one task, two honest workers: consensus at 2 votes (4·3 > 5·2).
    // Workers' reward 100·99% = 99, 49 each; scheduler 100 - 98 = 2.
    let before = accounts(&world, &everyone).await?;
    let deal = world.deal(&terms(3, 1)).await?;
    let stop = run_workers(&world, api, &[0, 1], Behaviour::Honest).await?;
    world.until_deal_status(deal, 1, task_status::COMPLETED, 90).await?;
    stop.send(true)?;
    let after = accounts(&world, &everyone).await?;
    let d: Vec<_> = before.iter().zip(&after).map(|(b, a)| delta(*b, *a)).collect();
    ensure!(d[0] == (-110, 0) && d[1] == (10, 0), "requester {:?}, app {:?}", d[0], d[1]);
    ensure!(d[2] == (2, 0), "scheduler {:?}", d[2]);
    ensure!(d[3] == (49, 0) && d[4] == (49, 0), "workers {:?} {:?}", d[3], d[4]);
    let t = world.task(task_id(&deal, &U256::ZERO)).await?;
    ensure!(t.revealCounter == U256::from(2) && t.winnerCounter == U256::from(2), "reveals {}/{}", t.revealCounter, t.winnerCounter);

    // 3. Trust 3 with a liar first: the scheduler adds workers until three honest votes
    // outweigh it (8·3 > 11·2). Reward pool 100 + the liar's stake 30 = 130, workers'
    // share 128, 42 each; scheduler 130 - 126 = 4; the liar loses its 30.
    let before = accounts(&world, &everyone).await?;
    let deal = world.deal(&terms(3, 1)).await?;
    let task = task_id(&deal, &U256::ZERO);
    let liar = run_workers(&world, api, &[4], Behaviour::Liar).await?;
    world.until("the liar's contribution", 60, || async { Ok(contribution(&world, task, w[4]).await? == contribution_status::CONTRIBUTED) }).await?;
    let honest = run_workers(&world, api, &[0, 1, 2], Behaviour::Honest).await?;
    world.until_deal_status(deal, 1, task_status::COMPLETED, 90).await?;
    liar.send(true)?;
    honest.send(true)?;
    let after = accounts(&world, &everyone).await?;
    let d: Vec<_> = before.iter().zip(&after).map(|(b, a)| delta(*b, *a)).collect();
    ensure!(d[2] == (4, 0), "scheduler {:?}", d[2]);
    ensure!(d[3] == (42, 0) && d[4] == (42, 0) && d[5] == (42, 0), "honest workers {:?}", &d[3..6]);
    ensure!(d[7] == (-30, 0), "liar {:?}", d[7]);
    ensure!(contribution(&world, task, w[4]).await? == contribution_status::CONTRIBUTED, "the liar's vote stays unproved");

    // 4. Trust 3, the first winner never reveals: after the reveal deadline (2·timeref)
    // the scheduler finalizes with one reveal. Pool 100 + its stake 30 = 130, workers'
    // share 128 all to the revealer; scheduler 2; the silent winner loses 30.
    let before = accounts(&world, &everyone).await?;
    let deal = world.deal(&terms(3, 1)).await?;
    let task = task_id(&deal, &U256::ZERO);
    let silent = run_workers(&world, api, &[3], Behaviour::NoReveal).await?;
    world.until("the silent worker's contribution", 60, || async { Ok(contribution(&world, task, w[3]).await? == contribution_status::CONTRIBUTED) }).await?;
    let honest = run_workers(&world, api, &[2], Behaviour::Honest).await?;
    world.until("the honest reveal", 60, || async { Ok(contribution(&world, task, w[2]).await? == contribution_status::PROVED) }).await?;
    ensure!(world.task(task).await?.status == task_status::REVEALING, "finalized before the reveal deadline");
    world.travel(2 * 300 + 1).await?;
    world.until_deal_status(deal, 1, task_status::COMPLETED, 60).await?;
    silent.send(true)?;
    honest.send(true)?;
    let after = accounts(&world, &everyone).await?;
    let d: Vec<_> = before.iter().zip(&after).map(|(b, a)| delta(*b, *a)).collect();
    ensure!(d[2] == (2, 0), "scheduler {:?}", d[2]);
    ensure!(d[5] == (128, 0), "revealer {:?}", d[5]);
    ensure!(d[6] == (-30, 0), "silent winner {:?}", d[6]);

    // The scheduler sent one initialize per task and one finalize per non-fast task.
    let txs = world.scheduler_txs().await?;
    for ((kind, id), n) in &txs {
        ensure!(*n == 1, "{kind} of {id} sent {n} times");
        ensure!(kind == "initialize" || kind == "finalize", "unexpected scheduler transaction {kind} on {id}");
    }
    let finalizes = txs.keys().filter(|(k, _)| k == "finalize").count();
    let inits = txs.keys().filter(|(k, _)| k == "initialize").count();
    ensure!(inits == 5 && finalizes == 3, "{inits} initialized, {finalizes} finalized");
    Ok(())
}
