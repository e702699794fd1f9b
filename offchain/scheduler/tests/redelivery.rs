//! An assignment lost on its way to the worker — the scheduler recorded it, then stopped
//! before its answer left — is given again when the worker says it does not hold it, and
//! only then: a worker that holds it, or does not say what it holds, gets no second copy,
//! and after one timeref nobody does.
//! (The restart that loses one is offchain/cli/tests/scheduler_kill.rs, which depends on
//! where the kill lands; this test takes the scheduler's side of it deterministically.)

mod support;

use anyhow::{ensure, Context, Result};
use poco_core::ids::task_id;
use poco_e2e::lifecycle::worker;
use poco_scheduler::engine::task_status;
use support::{terms, Behaviour, TestWorker, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_assignment_the_worker_does_not_hold_is_given_again() -> Result<()> {
    let world = World::new(1).await?;
    let scheduler = world.scheduler(world.config("redelivery.db")).await?;
    let w = TestWorker::register(&world, scheduler.addr, worker(0)?, Behaviour::Honest).await?;
    // Trust 3, one task: one worker never reaches consensus alone, so the task stays open.
    let deal = world.deal(&terms(3, 1)).await?;
    world.until_deal_status(deal, 1, task_status::ACTIVE, 60).await?;
    let task = task_id(&deal, &alloy::primitives::U256::ZERO);

    // The scheduler's round records the initialized task before it is offered.
    let mut first = None;
    for _ in 0..100 {
        first = w.ask(Some(Vec::new())).await?.assignment;
        if first.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let first = first.context("no assignment within 10 s")?;
    ensure!(first.task_id == task, "assigned {} instead of {task}", first.task_id);

    // Held: nothing else to do. Not telling: no second copy either.
    ensure!(w.ask(Some(vec![task])).await?.assignment.is_none(), "a held task was given again");
    ensure!(w.ask(None).await?.assignment.is_none(), "a worker that does not tell got a copy");
    // Not held (its answer was lost): the same assignment, the same authorization.
    let again = w.ask(Some(Vec::new())).await?.assignment.context("the lost assignment is given again")?;
    ensure!(again == first, "given again: {again:?}, first: {first:?}");
    // Within one timeref of the assignment only: later, a worker that dropped it without a
    // word is not offered it again (it would take no other task while offered this one).
    let timeref = u64::try_from(world.task(task).await?.timeref)?;
    world.travel(timeref).await?;
    ensure!(w.ask(Some(Vec::new())).await?.assignment.is_none(), "given again a timeref after its assignment");
    drop(scheduler);
    Ok(())
}
