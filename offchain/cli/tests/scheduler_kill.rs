//! `poco scheduler run` killed with SIGKILL mid-deal and started again on its database: the
//! real binary, a trust-3 deal of four tasks with two workers. Every task completes, and the
//! chain shows one initialize and one finalize per task from the scheduler — nothing sent
//! twice. (The scheduler's own crate tests the same in process, with an RPC outage:
//! offchain/scheduler/tests/faults.rs; this file shares its test support.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../scheduler/tests/support/mod.rs"]
mod support;

use alloy::primitives::U256;
use anyhow::{ensure, Result};
use poco_core::ids::task_id;
use poco_scheduler::engine::task_status;
use support::{run_workers, terms, Behaviour, World};

/// `poco scheduler run` as a child process on `db`, serving on `listen`, logging at info level
/// to `log` in the test's directory (shown when the test fails).
fn spawn_cli_scheduler(world: &World, db: &str, listen: std::net::SocketAddr, log: &str) -> Result<std::process::Child> {
    let log = std::fs::File::create(world.dir.path().join(log))?;
    let key = alloy::primitives::hex::encode(world.actors.scheduler.to_bytes());
    // A chain file of its own: no deployment record of the tree's `deploy/` is read.
    let chain_file = world.dir.path().join("chains.toml");
    std::fs::write(&chain_file, format!("[devnet]\nrpc = \"{}\"\nchain-id = {}\n", world.rpc_url(), world.chain_id))?;
    Ok(std::process::Command::new(env!("CARGO_BIN_EXE_poco"))
        .env("POCO_PRIVATE_KEY", key)
        .env("POCO_LOG", "info")
        .arg("--chain-file")
        .arg(chain_file)
        .args(["--rpc", &world.rpc_url(), "--hub", &world.net.poco.hub.to_string(), "scheduler", "run"])
        .args(["--workerpool", &world.assets.pool.to_string(), "--database"])
        .arg(format!("sqlite://{}", world.dir.path().join(db).display()))
        .args(["--listen", &listen.to_string(), "--poll-ms", "150", "--init-batch", "2", "--results-dir"])
        .arg(world.dir.path().join("cli-results"))
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_poco_scheduler_run_restarts_without_duplicate_transactions() -> Result<()> {
    let world = World::new(2).await?;
    let listen = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut child = spawn_cli_scheduler(&world, "cli.db", listen, "first.log")?;
    world
        .until("the scheduler's API", 60, || async { Ok(tokio::net::TcpStream::connect(listen).await.is_ok()) })
        .await?;
    let stop = run_workers(&world, listen, &[0, 1], Behaviour::Honest).await?;
    let deal = world.deal(&terms(3, 4)).await?;
    world
        .until("a first completed task", 90, || async {
            for i in 0..4u64 {
                if world.task(task_id(&deal, &U256::from(i))).await?.status == task_status::COMPLETED {
                    return Ok(true);
                }
            }
            Ok(false)
        })
        .await?;
    child.kill()?; // SIGKILL
    child.wait()?;
    let mut child = spawn_cli_scheduler(&world, "cli.db", listen, "restarted.log")?;
    let done = world.until_deal_status(deal, 4, task_status::COMPLETED, 120).await;
    stop.send(true)?;
    child.kill()?;
    child.wait()?;
    if let Err(e) = done {
        let mut statuses = Vec::new();
        for i in 0..4u64 {
            statuses.push(world.task(task_id(&deal, &U256::from(i))).await?.status);
        }
        let tail = |name: &str| {
            let text = std::fs::read_to_string(world.dir.path().join(name)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(40)..].join("\n")
        };
        anyhow::bail!(
            "{e}; task statuses {statuses:?}\n--- first scheduler (tail) ---\n{}\n--- restarted scheduler (tail) ---\n{}",
            tail("first.log"),
            tail("restarted.log")
        );
    }
    let txs = world.scheduler_txs().await?;
    for ((kind, id), n) in &txs {
        ensure!(*n == 1, "{kind} of {id} sent {n} times");
    }
    for i in 0..4u64 {
        let id = task_id(&deal, &U256::from(i));
        for kind in ["initialize", "finalize"] {
            ensure!(txs.get(&(kind.to_owned(), id)) == Some(&1), "{kind} of task {i}: {:?}", txs.get(&(kind.to_owned(), id)));
        }
    }
    Ok(())
}
