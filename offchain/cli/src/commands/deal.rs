//! `poco deal show|claim`: a deal (`viewDeal`), its tasks and their status, and the refund
//! of every task of it past the final deadline (`claimArray` for initialized tasks,
//! `initializeAndClaimArray` for the others, as iExec's SDK).

use alloy::{
    primitives::{B256, U256},
    sol_types::SolCall,
};
use anyhow::{bail, Result};
use clap::Subcommand;
use poco_client::{
    bindings::{IPoco2, ITaskViews},
    tasks::{deal_tasks, view_deal, TaskStatus},
};
use serde_json::json;

use crate::{
    amount::format_rlc,
    cli::Global,
    context::{explain_call, Session},
    output::Report,
};

/// `poco deal ...`
#[derive(Debug, Subcommand)]
pub(crate) enum DealCommand {
    /// Shows a deal and its tasks.
    Show {
        /// Deal id.
        dealid: B256,
    },
    /// Claims every task of the deal that is past its final deadline and not finished.
    Claim {
        /// Deal id.
        dealid: B256,
    },
}

impl DealCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let session = Session::open(global).await?;
        let hub = session.hub().await?;
        match self {
            DealCommand::Show { dealid } => {
                let view = view_deal(&session.provider, hub, dealid).await?;
                let tasks = deal_tasks(&session.provider, hub, dealid, &view).await?;
                let d = &view.deal;
                let json = json!({
                    "dealid": dealid,
                    "app": { "pointer": d.app.pointer, "owner": d.app.owner, "price": d.app.price.to_string() },
                    "dataset": { "pointer": d.dataset.pointer, "owner": d.dataset.owner, "price": d.dataset.price.to_string() },
                    "workerpool": { "pointer": d.workerpool.pointer, "owner": d.workerpool.owner, "price": d.workerpool.price.to_string() },
                    "trust": d.trust.to_string(),
                    "category": d.category.to_string(),
                    "tag": d.tag,
                    "requester": d.requester,
                    "beneficiary": d.beneficiary,
                    "callback": d.callback,
                    "params": d.params,
                    "startTime": d.startTime.to_string(),
                    "finalDeadline": view.final_deadline.to_string(),
                    "botFirst": d.botFirst.to_string(),
                    "botSize": d.botSize.to_string(),
                    "workerStake": d.workerStake.to_string(),
                    "schedulerRewardRatio": d.schedulerRewardRatio.to_string(),
                    "sponsor": d.sponsor,
                    "tasks": tasks,
                });
                let mut human = vec![
                    format!("deal {dealid}"),
                    format!("app         {} ({} a task)", d.app.pointer, format_rlc(d.app.price)),
                    format!("dataset     {} ({} a task)", d.dataset.pointer, format_rlc(d.dataset.price)),
                    format!("workerpool  {} ({} a task)", d.workerpool.pointer, format_rlc(d.workerpool.price)),
                    format!("requester   {} (sponsor {})", d.requester, d.sponsor),
                    format!("category {}, trust {}, tag {}", d.category, d.trust, d.tag),
                    format!("start {}, final deadline {}", d.startTime, view.final_deadline),
                    format!("tasks ({}):", d.botSize),
                ];
                human.extend(tasks.iter().map(|t| format!("  #{} {} {}", t.idx, t.taskid, t.status)));
                Ok(Report::new(json, human.join("\n")))
            }
            DealCommand::Claim { dealid } => {
                let view = view_deal(&session.provider, hub, dealid).await?;
                let tasks = deal_tasks(&session.provider, hub, dealid, &view).await?;
                let timed_out: Vec<_> = tasks.iter().filter(|t| t.status == TaskStatus::Timeout).collect();
                if timed_out.is_empty() {
                    let statuses: Vec<String> = tasks.iter().map(|t| format!("#{} {}", t.idx, t.status)).collect();
                    bail!(
                        "nothing to claim in deal {dealid}: no task is past its final deadline {} unfinished ({})",
                        view.final_deadline,
                        statuses.join(", ")
                    );
                }
                let mut claimed = Vec::new();
                let mut txs = Vec::new();
                // Initialized tasks are claimed by id; the others are initialized on the way.
                let (mut ids, mut deals, mut idxs): (Vec<B256>, Vec<B256>, Vec<U256>) = (Vec::new(), Vec::new(), Vec::new());
                let views = ITaskViews::new(hub, &session.provider);
                for t in &timed_out {
                    let onchain = views.viewTask(t.taskid).call().await.map_err(|e| explain_call("viewTask", &e))?;
                    if onchain.status == 0 {
                        deals.push(dealid);
                        idxs.push(t.idx);
                    } else {
                        ids.push(t.taskid);
                    }
                    claimed.push(t.taskid);
                }
                if !ids.is_empty() {
                    let call = IPoco2::claimArrayCall { taskIds: ids };
                    txs.push(session.send("claimArray", hub, call.abi_encode(), U256::ZERO).await?.transaction_hash);
                }
                if !deals.is_empty() {
                    let call = IPoco2::initializeAndClaimArrayCall { dealIds: deals, indexes: idxs };
                    txs.push(session.send("initializeAndClaimArray", hub, call.abi_encode(), U256::ZERO).await?.transaction_hash);
                }
                Ok(Report::new(
                    json!({ "dealid": dealid, "claimed": claimed, "txs": txs }),
                    format!("claimed {} task(s) of deal {dealid}", claimed.len()),
                ))
            }
        }
    }
}
