//! `poco task show|claim`: one task (`viewTask`), its status as iExec names it (TIMEOUT
//! computed off chain), and the refund of a task past its final deadline (`claim`).

use alloy::{
    primitives::{B256, U256},
    sol_types::SolCall,
};
use anyhow::{bail, Result};
use clap::Subcommand;
use poco_client::{
    bindings::{IPoco2, ITaskViews},
    tasks::{chain_time, TaskStatus},
};
use serde_json::json;

use crate::{
    cli::Global,
    context::{explain_call, Session},
    output::Report,
};

/// `poco task ...`
#[derive(Debug, Subcommand)]
pub(crate) enum TaskCommand {
    /// Shows a task: status, deadlines, contributors, results.
    Show {
        /// Task id.
        taskid: B256,
    },
    /// Claims a task past its final deadline: the requester is refunded, the workerpool's
    /// stake seized (`claim`).
    Claim {
        /// Task id.
        taskid: B256,
    },
}

impl TaskCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let session = Session::open(global).await?;
        let hub = session.hub().await?;
        let views = ITaskViews::new(hub, &session.provider);
        match self {
            TaskCommand::Show { taskid } => {
                let task = views.viewTask(taskid).call().await.map_err(|e| explain_call("viewTask", &e))?;
                let now = chain_time(&session.provider).await?;
                let status = TaskStatus::of(task.status, task.finalDeadline, now);
                if task.status == 0 {
                    let report = json!({ "taskid": taskid, "status": status, "initialized": false });
                    return Ok(Report::new(
                        report,
                        format!("task {taskid}\nstatus   {status} (not initialized: the workerpool has not started it)"),
                    ));
                }
                let results = String::from_utf8_lossy(&task.results).into_owned();
                let json = json!({
                    "taskid": taskid,
                    "status": status,
                    "dealid": task.dealid,
                    "idx": task.idx.to_string(),
                    "timeref": task.timeref.to_string(),
                    "contributionDeadline": task.contributionDeadline.to_string(),
                    "revealDeadline": task.revealDeadline.to_string(),
                    "finalDeadline": task.finalDeadline.to_string(),
                    "consensusValue": task.consensusValue,
                    "revealCounter": task.revealCounter.to_string(),
                    "winnerCounter": task.winnerCounter.to_string(),
                    "contributors": task.contributors,
                    "resultDigest": task.resultDigest,
                    "results": results,
                    "resultsCallback": task.resultsCallback,
                });
                let human = format!(
                    "task {taskid}\nstatus   {status}\ndeal     {} (task {})\nfinal deadline  {} (chain time now {now})\ncontributors    {}\nresults  {}",
                    task.dealid,
                    task.idx,
                    task.finalDeadline,
                    task.contributors.len(),
                    if results.is_empty() { "-" } else { &results },
                );
                Ok(Report::new(json, human))
            }
            TaskCommand::Claim { taskid } => {
                let task = views.viewTask(taskid).call().await.map_err(|e| explain_call("viewTask", &e))?;
                let now = chain_time(&session.provider).await?;
                let status = TaskStatus::of(task.status, task.finalDeadline, now);
                match status {
                    TaskStatus::Unset => bail!(
                        "task {taskid} is not initialized: claim it with its deal (`poco deal claim DEALID`), \
                         which initializes and claims in one call"
                    ),
                    TaskStatus::Completed | TaskStatus::Failed => bail!("task {taskid} is {status}: nothing to claim"),
                    TaskStatus::Active | TaskStatus::Revealing => bail!(
                        "task {taskid} is {status} until its final deadline {} (chain time now {now}, {} s to go): claim after it",
                        task.finalDeadline,
                        task.finalDeadline.saturating_sub(now)
                    ),
                    TaskStatus::Timeout => {}
                }
                let receipt =
                    session.send(&format!("claiming task {taskid}"), hub, IPoco2::claimCall { taskId: taskid }.abi_encode(), U256::ZERO).await?;
                Ok(Report::new(
                    json!({ "taskid": taskid, "claimed": true, "tx": receipt.transaction_hash }),
                    format!("claimed task {taskid} (tx {})", receipt.transaction_hash),
                ))
            }
        }
    }
}
