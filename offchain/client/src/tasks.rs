//! Deals and their tasks as iExec's SDK shows them: the deal (`viewDeal`), its task ids
//! (`keccak256(dealid ‖ idx)`), each task's state (`viewTask`) and status name, with
//! `TIMEOUT` computed off chain once the final deadline has passed on an unfinished task.

use alloy::{
    primitives::{Address, B256, U256},
    providers::Provider,
};
use anyhow::{Context, Result};
use poco_core::{deadlines::final_deadline, ids::task_id, status::TaskStatusEnum};
use serde::Serialize;

use crate::bindings::{IHub, ITaskViews};

/// A task's status as iExec shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TaskStatus {
    /// Not initialized yet.
    #[serde(rename = "UNSET")]
    Unset,
    /// Initialized, accepting contributions.
    #[serde(rename = "ACTIVE")]
    Active,
    /// Consensus reached, accepting reveals.
    #[serde(rename = "REVEALING")]
    Revealing,
    /// Finalized: results available.
    #[serde(rename = "COMPLETED")]
    Completed,
    /// Claimed after its final deadline.
    #[serde(rename = "FAILED")]
    Failed,
    /// Not finished and past its final deadline: claimable (off chain only).
    #[serde(rename = "TIMEOUT")]
    Timeout,
}

impl TaskStatus {
    /// The status of a task whose on-chain status is `status`, whose final deadline is
    /// `deadline` (for a task never initialized, its deal's), at chain time `now`.
    ///
    /// iExec: iexec-sdk `src/common/execution/task.js`, `show` (TIMEOUT when status < 3 and
    /// now ≥ finalDeadline).
    pub fn of(status: u8, deadline: U256, now: U256) -> TaskStatus {
        let finished = matches!(
            TaskStatusEnum::from_u8(status),
            Some(TaskStatusEnum::COMPLETED | TaskStatusEnum::FAILED)
        );
        if !finished && !deadline.is_zero() && now >= deadline {
            return TaskStatus::Timeout;
        }
        match TaskStatusEnum::from_u8(status) {
            Some(TaskStatusEnum::ACTIVE) => TaskStatus::Active,
            Some(TaskStatusEnum::REVEALING) => TaskStatus::Revealing,
            Some(TaskStatusEnum::COMPLETED) => TaskStatus::Completed,
            Some(TaskStatusEnum::FAILED) => TaskStatus::Failed,
            _ => TaskStatus::Unset,
        }
    }

    /// Whether the task will not change any more (completed or failed), or only by a claim.
    pub fn is_final(self) -> bool {
        matches!(self, TaskStatus::Completed | TaskStatus::Failed | TaskStatus::Timeout)
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TaskStatus::Unset => "UNSET",
            TaskStatus::Active => "ACTIVE",
            TaskStatus::Revealing => "REVEALING",
            TaskStatus::Completed => "COMPLETED",
            TaskStatus::Failed => "FAILED",
            TaskStatus::Timeout => "TIMEOUT",
        })
    }
}

/// One task of a deal, as read now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskSummary {
    /// Index in the deal's bag of tasks.
    pub idx: U256,
    /// Task id.
    pub taskid: B256,
    /// Status (TIMEOUT computed).
    pub status: TaskStatus,
    /// Final deadline (the deal's for a task not initialized).
    pub final_deadline: U256,
    /// `results` bytes, as text when UTF-8 (empty until completed).
    pub results: String,
}

/// The chain's time: the latest block's timestamp.
pub async fn chain_time<P: Provider>(provider: &P) -> Result<U256> {
    let block = provider
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await
        .context("eth_getBlockByNumber(latest)")?
        .context("the node has no latest block")?;
    Ok(U256::from(block.header.timestamp))
}

/// A deal and the final deadline of its tasks.
pub struct DealView {
    /// `viewDeal`.
    pub deal: crate::bindings::IAccessorsFacet::Deal,
    /// `startTime + final_deadline_ratio × workClockTimeRef` of the deal's category.
    pub final_deadline: U256,
}

/// Reads deal `id`; an error if the hub has no such deal.
pub async fn view_deal<P: Provider>(provider: &P, hub: Address, id: B256) -> Result<DealView> {
    let hub = IHub::new(hub, provider);
    let deal = hub.viewDeal(id).call().await.context("viewDeal")?;
    anyhow::ensure!(!deal.botSize.is_zero(), "no deal {id} on this hub (check the id and --chain)");
    let category = hub.viewCategory(deal.category).call().await.context("viewCategory")?;
    let final_deadline =
        final_deadline(&deal.startTime, &category.workClockTimeRef).map_err(|e| anyhow::anyhow!("final deadline: {e:?}"))?;
    Ok(DealView { deal, final_deadline })
}

/// Every task of a deal, in index order.
pub async fn deal_tasks<P: Provider>(provider: &P, hub: Address, id: B256, view: &DealView) -> Result<Vec<TaskSummary>> {
    let now = chain_time(provider).await?;
    let first = view.deal.botFirst;
    let mut out = Vec::new();
    let mut idx = first;
    while idx < first + view.deal.botSize {
        out.push(summary(provider, hub, task_id(&id, &idx), idx, view, now).await?);
        idx += U256::from(1);
    }
    Ok(out)
}

/// Follows a deal's tasks from the hub's task events — `TaskInitialize`, `TaskConsensus`,
/// `TaskReopen`, `TaskFinalize`, `TaskClaimed` — with one `eth_getLogs` per poll however
/// many tasks the deal has, instead of a `viewTask` per task (a deal of a thousand tasks
/// read task by task every second would load the node more than the workerpool does).
pub struct DealWatch {
    ids: std::collections::HashMap<B256, usize>,
    codes: Vec<u8>,
    /// The tasks as last seen, in index order.
    pub tasks: Vec<TaskSummary>,
    next_block: u64,
}

/// Blocks per `eth_getLogs` (public endpoints limit the range).
const LOG_RANGE: u64 = 5_000;

impl DealWatch {
    /// A watch of deal `id` (read as `view`) from `from_block`, the block it was matched in.
    pub fn new(id: B256, view: &DealView, from_block: u64) -> Self {
        let first = view.deal.botFirst;
        let size = view.deal.botSize.to::<u64>();
        let mut ids = std::collections::HashMap::new();
        let mut tasks = Vec::new();
        for i in 0..size {
            let idx = first + U256::from(i);
            let taskid = task_id(&id, &idx);
            ids.insert(taskid, tasks.len());
            tasks.push(TaskSummary { idx, taskid, status: TaskStatus::Unset, final_deadline: view.final_deadline, results: String::new() });
        }
        let codes = vec![0; tasks.len()];
        Self { ids, codes, tasks, next_block: from_block }
    }

    /// Reads the events since the last poll and the chain's time, and updates `tasks`.
    pub async fn poll<P: Provider>(&mut self, provider: &P, hub: Address) -> Result<()> {
        use alloy::{rpc::types::Filter, sol_types::SolEvent};
        use crate::bindings::IPoco2::{TaskClaimed, TaskConsensus, TaskFinalize, TaskInitialize, TaskReopen};
        let latest = provider.get_block_number().await.context("eth_blockNumber")?;
        while self.next_block <= latest {
            let to = latest.min(self.next_block + LOG_RANGE - 1);
            let filter = Filter::new()
                .address(hub)
                .event_signature(vec![
                    TaskInitialize::SIGNATURE_HASH,
                    TaskConsensus::SIGNATURE_HASH,
                    TaskReopen::SIGNATURE_HASH,
                    TaskFinalize::SIGNATURE_HASH,
                    TaskClaimed::SIGNATURE_HASH,
                ])
                .from_block(self.next_block)
                .to_block(to);
            for log in provider.get_logs(&filter).await.context("eth_getLogs of the deal's task events")? {
                let (Some(topic0), Some(taskid)) = (log.topics().first(), log.topics().get(1)) else { continue };
                let Some(&i) = self.ids.get(taskid) else { continue };
                if matches!(TaskStatusEnum::from_u8(self.codes[i]), Some(TaskStatusEnum::COMPLETED | TaskStatusEnum::FAILED)) {
                    continue;
                }
                self.codes[i] = match *topic0 {
                    t if t == TaskInitialize::SIGNATURE_HASH || t == TaskReopen::SIGNATURE_HASH => TaskStatusEnum::ACTIVE as u8,
                    t if t == TaskConsensus::SIGNATURE_HASH => TaskStatusEnum::REVEALING as u8,
                    t if t == TaskFinalize::SIGNATURE_HASH => {
                        if let Ok(e) = TaskFinalize::decode_log_data(log.data()) {
                            self.tasks[i].results = String::from_utf8_lossy(&e.results).into_owned();
                        }
                        TaskStatusEnum::COMPLETED as u8
                    }
                    _ => TaskStatusEnum::FAILED as u8,
                };
            }
            self.next_block = to + 1;
        }
        let now = chain_time(provider).await?;
        for (t, code) in self.tasks.iter_mut().zip(&self.codes) {
            t.status = TaskStatus::of(*code, t.final_deadline, now);
        }
        Ok(())
    }
}

/// One task of a deal, its status as of chain time `now`.
async fn summary<P: Provider>(provider: &P, hub: Address, taskid: B256, idx: U256, view: &DealView, now: U256) -> Result<TaskSummary> {
    let task = ITaskViews::new(hub, provider).viewTask(taskid).call().await.context("viewTask")?;
    let deadline = if task.finalDeadline.is_zero() { view.final_deadline } else { task.finalDeadline };
    Ok(TaskSummary {
        idx,
        taskid,
        status: TaskStatus::of(task.status, deadline, now),
        final_deadline: deadline,
        results: String::from_utf8_lossy(&task.results).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_is_an_unfinished_task_past_its_final_deadline() {
        let (deadline, before, after) = (U256::from(100), U256::from(99), U256::from(100));
        assert_eq!(TaskStatus::of(1, deadline, before), TaskStatus::Active);
        assert_eq!(TaskStatus::of(1, deadline, after), TaskStatus::Timeout);
        assert_eq!(TaskStatus::of(2, deadline, after), TaskStatus::Timeout);
        assert_eq!(TaskStatus::of(0, deadline, after), TaskStatus::Timeout);
        assert_eq!(TaskStatus::of(3, deadline, after), TaskStatus::Completed);
        assert_eq!(TaskStatus::of(4, deadline, after), TaskStatus::Failed);
        assert_eq!(TaskStatus::of(0, U256::ZERO, after), TaskStatus::Unset, "no deadline known: not a timeout");
        assert_eq!(serde_json::to_value(TaskStatus::Timeout).ok(), Some(serde_json::json!("TIMEOUT")));
    }
}
