//! What the worker is doing, persisted: one row per task it was assigned, with the step it
//! reached, what it computed and the transactions it sent. SQLite by default, any database
//! sqlx's `Any` driver speaks (PostgreSQL) by URL — the scheduler's choice too.
//!
//! A row is written before each irreversible act (the transaction hash as soon as the
//! node accepted it), so that after a restart the worker knows what it may have done and
//! checks it on chain before doing anything again.

use std::str::FromStr;

use alloy::primitives::{Address, Bytes, B256};
use anyhow::{Context, Result};
use poco_client::pool_api::{Assignment, Mode};
use sqlx::{any::AnyPoolOptions, AnyPool, Row};

/// Where a task is for this worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Assigned; nothing computed yet.
    Assigned,
    /// Computed; its digest is known; not contributed (a recorded transaction may be
    /// pending).
    Computed,
    /// Its contribution is on chain; waiting for consensus.
    Contributed,
    /// Its reveal is on chain; it may be asked to upload.
    Revealed,
    /// Nothing left to do (finalized, or contributed-and-finalized).
    Done,
    /// Given up (see the message).
    Failed,
    /// The scheduler told it to stop.
    Aborted,
}

impl Step {
    fn as_str(self) -> &'static str {
        match self {
            Step::Assigned => "assigned",
            Step::Computed => "computed",
            Step::Contributed => "contributed",
            Step::Revealed => "revealed",
            Step::Done => "done",
            Step::Failed => "failed",
            Step::Aborted => "aborted",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "assigned" => Step::Assigned,
            "computed" => Step::Computed,
            "contributed" => Step::Contributed,
            "revealed" => Step::Revealed,
            "done" => Step::Done,
            "failed" => Step::Failed,
            "aborted" => Step::Aborted,
            other => anyhow::bail!("unknown task step {other:?} in the worker database"),
        })
    }

    /// Whether the task is over for this worker.
    pub fn is_final(self) -> bool {
        matches!(self, Step::Done | Step::Failed | Step::Aborted)
    }
}

/// One task of this worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRecord {
    /// The scheduler's assignment (with the authorization).
    pub assignment: Assignment,
    /// Its step.
    pub step: Step,
    /// The result digest, once computed.
    pub result_digest: Option<B256>,
    /// The hex-decoded callback data, once computed.
    pub callback_data: Bytes,
    /// `contribute` / `contributeAndFinalize` transaction, once sent.
    pub contribute_tx: Option<B256>,
    /// `reveal` transaction, once sent.
    pub reveal_tx: Option<B256>,
    /// Whether the result archive was uploaded.
    pub uploaded: bool,
    /// Why it failed or was aborted.
    pub message: String,
}

impl TaskRecord {
    /// A freshly assigned task.
    pub fn new(assignment: Assignment) -> Self {
        Self {
            assignment,
            step: Step::Assigned,
            result_digest: None,
            callback_data: Bytes::new(),
            contribute_tx: None,
            reveal_tx: None,
            uploaded: false,
            message: String::new(),
        }
    }
}

/// The worker's database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS worker_tasks (
    task_id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL,
    task_index BIGINT NOT NULL,
    worker TEXT NOT NULL,
    enclave_challenge TEXT NOT NULL,
    authorization_sign TEXT NOT NULL,
    mode TEXT NOT NULL,
    initialized_block BIGINT NOT NULL,
    step TEXT NOT NULL,
    result_digest TEXT,
    callback_data TEXT NOT NULL,
    contribute_tx TEXT,
    reveal_tx TEXT,
    uploaded BIGINT NOT NULL,
    message TEXT NOT NULL
)";

impl Store {
    /// Opens (creating it if needed) the database at `url`: `sqlite://path?mode=rwc`,
    /// `sqlite::memory:`, or `postgres://…`.
    pub async fn open(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(if url.contains(":memory:") { 1 } else { 4 })
            .connect(url)
            .await
            .with_context(|| format!("opening the worker database {url}"))?;
        sqlx::query(SCHEMA).execute(&pool).await.context("creating the worker's table")?;
        Ok(Self { pool })
    }

    /// Inserts or replaces `record`.
    pub async fn save(&self, record: &TaskRecord) -> Result<()> {
        let a = &record.assignment;
        let mode = match a.mode {
            Mode::Contribute => "contribute",
            Mode::ContributeAndFinalize => "contribute_and_finalize",
        };
        sqlx::query(
            "INSERT INTO worker_tasks (task_id, deal_id, task_index, worker, enclave_challenge, authorization_sign, mode,
                initialized_block, step, result_digest, callback_data, contribute_tx, reveal_tx, uploaded, message)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (task_id) DO UPDATE SET step = $9, result_digest = $10, callback_data = $11,
                contribute_tx = $12, reveal_tx = $13, uploaded = $14, message = $15",
        )
        .bind(a.task_id.to_string())
        .bind(a.deal_id.to_string())
        .bind(i64::try_from(a.task_index).context("task index over i64")?)
        .bind(a.worker.to_string())
        .bind(a.enclave_challenge.to_string())
        .bind(a.authorization.to_string())
        .bind(mode)
        .bind(i64::try_from(a.initialized_block).context("block over i64")?)
        .bind(record.step.as_str())
        .bind(record.result_digest.map(|d| d.to_string()))
        .bind(record.callback_data.to_string())
        .bind(record.contribute_tx.map(|t| t.to_string()))
        .bind(record.reveal_tx.map(|t| t.to_string()))
        .bind(i64::from(record.uploaded))
        .bind(record.message.clone())
        .execute(&self.pool)
        .await
        .with_context(|| format!("saving task {}", a.task_id))?;
        Ok(())
    }

    /// The task `task`, if this worker has it.
    pub async fn get(&self, task: B256) -> Result<Option<TaskRecord>> {
        let row = sqlx::query("SELECT * FROM worker_tasks WHERE task_id = $1")
            .bind(task.to_string())
            .fetch_optional(&self.pool)
            .await
            .context("reading the worker database")?;
        row.map(|r| decode(&r)).transpose()
    }

    /// Every task not over yet, oldest assignment first.
    pub async fn open_tasks(&self) -> Result<Vec<TaskRecord>> {
        let rows = sqlx::query("SELECT * FROM worker_tasks WHERE step NOT IN ('done', 'failed', 'aborted') ORDER BY initialized_block, task_id")
            .fetch_all(&self.pool)
            .await
            .context("reading the worker database")?;
        rows.iter().map(decode).collect()
    }

    /// Every task, in any step (for reports and tests).
    pub async fn all_tasks(&self) -> Result<Vec<TaskRecord>> {
        let rows = sqlx::query("SELECT * FROM worker_tasks ORDER BY initialized_block, task_id")
            .fetch_all(&self.pool)
            .await
            .context("reading the worker database")?;
        rows.iter().map(decode).collect()
    }
}

fn decode(row: &sqlx::any::AnyRow) -> Result<TaskRecord> {
    let text = |col: &str| -> Result<String> { row.try_get::<String, _>(col).with_context(|| format!("column {col}")) };
    let opt = |col: &str| -> Result<Option<String>> { row.try_get::<Option<String>, _>(col).with_context(|| format!("column {col}")) };
    let int = |col: &str| -> Result<i64> { row.try_get::<i64, _>(col).with_context(|| format!("column {col}")) };
    let b256 = |s: &str| B256::from_str(s).with_context(|| format!("{s:?} is not a 32-byte hex value"));
    let mode = match text("mode")?.as_str() {
        "contribute" => Mode::Contribute,
        "contribute_and_finalize" => Mode::ContributeAndFinalize,
        other => anyhow::bail!("unknown mode {other:?} in the worker database"),
    };
    let assignment = Assignment {
        task_id: b256(&text("task_id")?)?,
        deal_id: b256(&text("deal_id")?)?,
        task_index: u64::try_from(int("task_index")?)?,
        worker: Address::from_str(&text("worker")?)?,
        enclave_challenge: Address::from_str(&text("enclave_challenge")?)?,
        authorization: Bytes::from_str(&text("authorization_sign")?)?,
        mode,
        initialized_block: u64::try_from(int("initialized_block")?)?,
    };
    Ok(TaskRecord {
        assignment,
        step: Step::parse(&text("step")?)?,
        result_digest: opt("result_digest")?.map(|s| b256(&s)).transpose()?,
        callback_data: Bytes::from_str(&text("callback_data")?)?,
        contribute_tx: opt("contribute_tx")?.map(|s| b256(&s)).transpose()?,
        reveal_tx: opt("reveal_tx")?.map(|s| b256(&s)).transpose()?,
        uploaded: int("uploaded")? != 0,
        message: text("message")?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;

    fn assignment(i: u8) -> Assignment {
        Assignment {
            task_id: B256::repeat_byte(i),
            deal_id: B256::repeat_byte(0xd),
            task_index: u64::from(i),
            worker: Address::repeat_byte(5),
            enclave_challenge: Address::ZERO,
            authorization: Bytes::from(vec![i; 65]),
            mode: Mode::Contribute,
            initialized_block: 10 + u64::from(i),
        }
    }

    #[tokio::test]
    async fn records_survive_a_reopen_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("worker.db").display());
        let store = Store::open(&url).await.unwrap();
        let mut record = TaskRecord::new(assignment(1));
        store.save(&record).await.unwrap();
        record.step = Step::Computed;
        record.result_digest = Some(B256::repeat_byte(0xab));
        record.callback_data = Bytes::from_static(&[1, 2]);
        record.contribute_tx = Some(B256::repeat_byte(0xcc));
        store.save(&record).await.unwrap();
        let mut done = TaskRecord::new(Assignment { mode: Mode::ContributeAndFinalize, ..assignment(2) });
        done.step = Step::Done;
        done.uploaded = true;
        store.save(&done).await.unwrap();
        drop(store);

        let store = Store::open(&url).await.unwrap();
        assert_eq!(store.get(B256::repeat_byte(1)).await.unwrap(), Some(record.clone()));
        assert_eq!(store.open_tasks().await.unwrap(), vec![record]);
        assert_eq!(store.all_tasks().await.unwrap().len(), 2);
        assert_eq!(store.get(B256::repeat_byte(2)).await.unwrap(), Some(done));
        assert_eq!(store.get(B256::repeat_byte(3)).await.unwrap(), None);
    }
}
