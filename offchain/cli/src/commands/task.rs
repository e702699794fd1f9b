//! `poco task show|claim`: one task (`viewTask`), its status as iExec names it (TIMEOUT
//! computed off chain), and the refund of a task past its final deadline (`claim`).

use alloy::{
    primitives::{B256, U256},
    sol_types::SolCall,
};
use anyhow::{bail, Context, Result};
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
        /// Also download the result archive its result link points at (a completed task
        /// whose results are an http(s) location, as a workerpool's store gives) to FILE.
        #[arg(long, value_name = "FILE")]
        download: Option<std::path::PathBuf>,
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
            TaskCommand::Show { taskid, download } => {
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
                let mut json = json;
                let mut saved = String::new();
                if let Some(path) = download {
                    let bytes = download_result(&task.results).await?;
                    std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
                    json["downloaded"] = json!(path.display().to_string());
                    saved = format!("\nresult archive saved to {} ({} bytes)", path.display(), bytes.len());
                }
                let human = format!(
                    "task {taskid}\nstatus   {status}\ndeal     {} (task {})\nfinal deadline  {} (chain time now {now})\ncontributors    {}\nresults  {}{saved}",
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

/// The bytes at the location of a task's result link (`{ "storage": …, "location": URL }`).
async fn download_result(results: &[u8]) -> Result<Vec<u8>> {
    if results.is_empty() {
        bail!("the task has no results yet: download it once it is COMPLETED");
    }
    let link: poco_client::pool_api::ResultLink = serde_json::from_slice(results)
        .context("the task's results are not a result link (`{ \"storage\", \"location\" }`): nothing to download")?;
    let url = link.location;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        bail!("the result is in `{}` storage at {url}: only http(s) locations can be downloaded", link.storage);
    }
    let response = reqwest::get(&url).await.with_context(|| format!("downloading {url}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("downloading {url}: the store answered {status}");
    }
    Ok(response.bytes().await.with_context(|| format!("reading {url}"))?.to_vec())
}
