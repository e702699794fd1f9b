//! The scheduler's database: deals, tasks, replicates (a worker's part in a task), workers,
//! registration challenges, the watcher's block cursor, and every transaction it signed.
//!
//! One SQL dialect for SQLite (a file, the default) and PostgreSQL (by URL), through sqlx's
//! `any` driver; the schema is `migrations/`, applied on connect. Hashes and addresses are
//! stored as lowercase `0x` hex, so rows read the same in both databases.

use std::str::FromStr;

use alloy::primitives::{Address, B256};
use anyhow::{Context, Result};
use sqlx::{
    any::{install_default_drivers, AnyPoolOptions},
    AnyPool, FromRow,
};

/// Lowercase `0x` hex of a hash or address, the database's form.
pub fn hex_of(bytes: impl AsRef<[u8]>) -> String {
    format!("0x{}", alloy::primitives::hex::encode(bytes))
}

/// A hash read back from the database.
pub fn b256(text: &str) -> Result<B256> {
    B256::from_str(text).with_context(|| format!("a 32-byte hash in the database: {text}"))
}

/// An address read back from the database.
pub fn address(text: &str) -> Result<Address> {
    Address::from_str(text).with_context(|| format!("an address in the database: {text}"))
}

/// A deal of the workerpool.
#[derive(Clone, Debug, FromRow)]
pub struct DealRow {
    /// The deal id.
    pub deal_id: String,
    /// First task index.
    pub bot_first: i64,
    /// Number of tasks.
    pub bot_size: i64,
    /// `max(trust, 1)`.
    pub trust: i64,
    /// Callback contract (zero address: none).
    pub callback: String,
    /// Deal start (matchOrders' block time).
    pub start_time: i64,
    /// The category's `workClockTimeRef`.
    pub timeref: i64,
    /// Block of its `SchedulerNotice`.
    pub notice_block: i64,
}

/// A task and what the scheduler knows of it.
#[derive(Clone, Debug, FromRow)]
pub struct TaskRow {
    /// The task id.
    pub task_id: String,
    /// Its deal.
    pub deal_id: String,
    /// Its index.
    pub idx: i64,
    /// `pending`, `active`, `done` or `skipped` (see the migration).
    pub phase: String,
    /// The on-chain status last read (`TaskStatusEnum` as a number).
    pub chain_status: i64,
    /// Block of its initialization, once known.
    pub initialized_block: Option<i64>,
    /// Consensus value, once reached.
    pub consensus_value: Option<String>,
    /// Block of `TaskConsensus`.
    pub consensus_block: Option<i64>,
    /// The revealer asked to upload.
    pub uploader: Option<String>,
    /// When it was asked (unix time, chain clock).
    pub upload_asked_at: Option<i64>,
    /// The uploaded result's link JSON (`pool_api::ResultLink`).
    pub result_link: Option<String>,
    /// The uploader's callback data, hex.
    pub callback_data: Option<String>,
    /// Transactions of this task that failed (estimation or revert), to stop retrying.
    pub failures: i64,
    /// Last notable event, for the operator.
    pub note: Option<String>,
}

/// A worker's part in a task.
#[derive(Clone, Debug, FromRow)]
pub struct ReplicateRow {
    /// The task.
    pub task_id: String,
    /// The worker.
    pub worker: String,
    /// `contribute` or `contribute_and_finalize`.
    pub mode: String,
    /// `assigned`, `computed`, `contributed`, `revealed`, `uploaded`, `completed`,
    /// `failed`, `aborted`.
    pub status: String,
    /// The worker's weight when assigned (`worker_weight(viewScore)`).
    pub weight: i64,
    /// Its vote, once contributed.
    pub result_hash: Option<String>,
    /// When it was assigned (chain clock).
    pub assigned_at: i64,
    /// Assignment order.
    pub seq: i64,
    /// What it is told to do (`pool_api::Action` JSON).
    pub action: String,
    /// 1 once a final action was read by the worker.
    pub delivered: i64,
}

/// A transaction the scheduler signed.
#[derive(Clone, Debug, FromRow)]
pub struct TxRow {
    /// Its hash.
    pub tx_hash: String,
    /// What it does.
    pub kind: String,
    /// Task ids it acts on, comma-separated.
    pub subjects: String,
    /// Its signed bytes (hex), to re-broadcast.
    pub raw: String,
    /// `pending`, `mined` or `reverted`.
    pub status: String,
    /// Its block once mined.
    pub block: Option<i64>,
    /// Its decoded revert reason.
    pub reason: Option<String>,
}

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
}

impl Store {
    /// Opens the database at `url` (`sqlite://path` — created if missing — or
    /// `postgres://…`) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        install_default_drivers();
        let url = if url.starts_with("sqlite:") && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_owned()
        };
        // SQLite serialises writers: one connection avoids "database is locked" between the
        // engine and the API; PostgreSQL takes a few.
        let max = if url.starts_with("sqlite:") { 1 } else { 5 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .connect(&url)
            .await
            .with_context(|| format!("opening the scheduler database {url} (a sqlite:// file or a postgres:// URL)"))?;
        sqlx::migrate!("./migrations").run(&pool).await.context("applying the scheduler's migrations")?;
        Ok(Self { pool })
    }

    /// The next block the watcher reads (`None`: never ran).
    pub async fn cursor(&self) -> Result<Option<u64>> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT next_block FROM watch_cursor WHERE id = 1").fetch_optional(&self.pool).await?;
        Ok(row.map(|(b,)| b.max(0) as u64))
    }

    /// Records the watcher's next block.
    pub async fn set_cursor(&self, next_block: u64) -> Result<()> {
        let n = i64::try_from(next_block)?;
        sqlx::query(
            "INSERT INTO watch_cursor (id, next_block) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET next_block = $1",
        )
        .bind(n)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a deal and its tasks (phase `phase`) unless already known; returns whether it
    /// was new.
    pub async fn insert_deal(&self, deal: &DealRow, tasks: &[(B256, u64)], phase: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO deals (deal_id, bot_first, bot_size, trust, callback, start_time, timeref, notice_block) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (deal_id) DO NOTHING",
        )
        .bind(&deal.deal_id)
        .bind(deal.bot_first)
        .bind(deal.bot_size)
        .bind(deal.trust)
        .bind(&deal.callback)
        .bind(deal.start_time)
        .bind(deal.timeref)
        .bind(deal.notice_block)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if inserted {
            for (id, idx) in tasks {
                sqlx::query(
                    "INSERT INTO tasks (task_id, deal_id, idx, phase, chain_status, failures) VALUES ($1, $2, $3, $4, 0, 0) \
                     ON CONFLICT (task_id) DO NOTHING",
                )
                .bind(hex_of(id))
                .bind(&deal.deal_id)
                .bind(i64::try_from(*idx)?)
                .bind(phase)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// A deal.
    pub async fn deal(&self, deal_id: &str) -> Result<DealRow> {
        sqlx::query_as("SELECT * FROM deals WHERE deal_id = $1")
            .bind(deal_id)
            .fetch_one(&self.pool)
            .await
            .with_context(|| format!("deal {deal_id} in the database"))
    }

    /// Tasks in `phase`, oldest deal first.
    pub async fn tasks_in_phase(&self, phase: &str) -> Result<Vec<TaskRow>> {
        Ok(sqlx::query_as("SELECT * FROM tasks WHERE phase = $1 ORDER BY deal_id, idx")
            .bind(phase)
            .fetch_all(&self.pool)
            .await?)
    }

    /// A task, if known.
    pub async fn task(&self, task_id: &B256) -> Result<Option<TaskRow>> {
        Ok(sqlx::query_as("SELECT * FROM tasks WHERE task_id = $1").bind(hex_of(task_id)).fetch_optional(&self.pool).await?)
    }

    /// Every task (for reports and tests).
    pub async fn all_tasks(&self) -> Result<Vec<TaskRow>> {
        Ok(sqlx::query_as("SELECT * FROM tasks ORDER BY deal_id, idx").fetch_all(&self.pool).await?)
    }

    /// Writes back a task's mutable fields.
    pub async fn save_task(&self, t: &TaskRow) -> Result<()> {
        sqlx::query(
            "UPDATE tasks SET phase = $2, chain_status = $3, initialized_block = $4, consensus_value = $5, \
             consensus_block = $6, uploader = $7, upload_asked_at = $8, result_link = $9, callback_data = $10, \
             failures = $11, note = $12 WHERE task_id = $1",
        )
        .bind(&t.task_id)
        .bind(&t.phase)
        .bind(t.chain_status)
        .bind(t.initialized_block)
        .bind(&t.consensus_value)
        .bind(t.consensus_block)
        .bind(&t.uploader)
        .bind(t.upload_asked_at)
        .bind(&t.result_link)
        .bind(&t.callback_data)
        .bind(t.failures)
        .bind(&t.note)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The replicates of a task, in assignment order.
    pub async fn replicates(&self, task_id: &str) -> Result<Vec<ReplicateRow>> {
        Ok(sqlx::query_as("SELECT * FROM replicates WHERE task_id = $1 ORDER BY seq")
            .bind(task_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The replicates of every task in phase `active`, by task, in assignment order: one
    /// query for a whole round or assignment, however many tasks are open.
    pub async fn active_replicates(&self) -> Result<std::collections::HashMap<String, Vec<ReplicateRow>>> {
        let rows: Vec<ReplicateRow> = sqlx::query_as(
            "SELECT r.* FROM replicates r JOIN tasks t ON t.task_id = r.task_id WHERE t.phase = 'active' ORDER BY r.task_id, r.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_task: std::collections::HashMap<String, Vec<ReplicateRow>> = std::collections::HashMap::new();
        for r in rows {
            by_task.entry(r.task_id.clone()).or_default().push(r);
        }
        Ok(by_task)
    }

    /// A worker's replicates, in assignment order.
    pub async fn replicates_of(&self, worker: &Address) -> Result<Vec<ReplicateRow>> {
        Ok(sqlx::query_as("SELECT * FROM replicates WHERE worker = $1 ORDER BY seq")
            .bind(hex_of(worker))
            .fetch_all(&self.pool)
            .await?)
    }

    /// A worker's replicates whose last instruction it has not been given, in assignment
    /// order (what its instructions poll reads; a worker's history is not).
    pub async fn undelivered_of(&self, worker: &Address) -> Result<Vec<ReplicateRow>> {
        Ok(sqlx::query_as("SELECT * FROM replicates WHERE worker = $1 AND delivered = 0 ORDER BY seq")
            .bind(hex_of(worker))
            .fetch_all(&self.pool)
            .await?)
    }

    /// One replicate.
    pub async fn replicate(&self, task_id: &B256, worker: &Address) -> Result<Option<ReplicateRow>> {
        Ok(sqlx::query_as("SELECT * FROM replicates WHERE task_id = $1 AND worker = $2")
            .bind(hex_of(task_id))
            .bind(hex_of(worker))
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Records a new replicate (fails if the worker already has one on the task).
    pub async fn insert_replicate(&self, r: &ReplicateRow) -> Result<()> {
        let (seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM replicates").fetch_one(&self.pool).await?;
        sqlx::query(
            "INSERT INTO replicates (task_id, worker, mode, status, weight, result_hash, assigned_at, seq, action, delivered) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
        )
        .bind(&r.task_id)
        .bind(&r.worker)
        .bind(&r.mode)
        .bind(&r.status)
        .bind(r.weight)
        .bind(&r.result_hash)
        .bind(r.assigned_at)
        .bind(seq)
        .bind(&r.action)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Writes back a replicate's status, vote and action.
    pub async fn save_replicate(&self, r: &ReplicateRow) -> Result<()> {
        sqlx::query(
            "UPDATE replicates SET status = $3, result_hash = $4, action = $5, delivered = $6 WHERE task_id = $1 AND worker = $2",
        )
        .bind(&r.task_id)
        .bind(&r.worker)
        .bind(&r.status)
        .bind(&r.result_hash)
        .bind(&r.action)
        .bind(r.delivered)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Registers (or re-registers) a worker with a new token.
    pub async fn upsert_worker(&self, wallet: &Address, token: &str, capabilities: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO workers (wallet, token, capabilities, last_ping) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (wallet) DO UPDATE SET token = $2, capabilities = $3, last_ping = $4",
        )
        .bind(hex_of(wallet))
        .bind(token)
        .bind(capabilities)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The worker a bearer token belongs to.
    pub async fn worker_by_token(&self, token: &str) -> Result<Option<Address>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT wallet FROM workers WHERE token = $1").bind(token).fetch_optional(&self.pool).await?;
        row.map(|(w,)| address(&w)).transpose()
    }

    /// Records a ping.
    pub async fn ping(&self, wallet: &Address, now: i64) -> Result<()> {
        sqlx::query("UPDATE workers SET last_ping = $2 WHERE wallet = $1").bind(hex_of(wallet)).bind(now).execute(&self.pool).await?;
        Ok(())
    }

    /// Stores a registration challenge.
    pub async fn insert_challenge(&self, challenge: &B256, wallet: &Address, expires_at: i64) -> Result<()> {
        sqlx::query("INSERT INTO challenges (challenge, wallet, expires_at) VALUES ($1, $2, $3)")
            .bind(hex_of(challenge))
            .bind(hex_of(wallet))
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Consumes a challenge: its wallet and expiry, if it existed (it is deleted either way).
    pub async fn take_challenge(&self, challenge: &B256) -> Result<Option<(Address, i64)>> {
        let key = hex_of(challenge);
        let row: Option<(String, i64)> = sqlx::query_as("SELECT wallet, expires_at FROM challenges WHERE challenge = $1")
            .bind(&key)
            .fetch_optional(&self.pool)
            .await?;
        sqlx::query("DELETE FROM challenges WHERE challenge = $1").bind(&key).execute(&self.pool).await?;
        row.map(|(w, e)| Ok((address(&w)?, e))).transpose()
    }

    /// Records a signed transaction before it is sent.
    pub async fn insert_tx(&self, hash: &B256, kind: &str, subjects: &str, raw: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO transactions (tx_hash, kind, subjects, raw, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)",
        )
        .bind(hex_of(hash))
        .bind(kind)
        .bind(subjects)
        .bind(raw)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks a transaction mined or reverted.
    pub async fn settle_tx(&self, hash: &str, status: &str, block: Option<i64>, reason: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE transactions SET status = $2, block = $3, reason = $4 WHERE tx_hash = $1")
            .bind(hash)
            .bind(status)
            .bind(block)
            .bind(reason)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Transactions in `status`.
    pub async fn txs(&self, status: &str) -> Result<Vec<TxRow>> {
        Ok(sqlx::query_as(
            "SELECT tx_hash, kind, subjects, raw, status, block, reason FROM transactions WHERE status = $1 ORDER BY created_at",
        )
        .bind(status)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every transaction, oldest first.
    pub async fn all_txs(&self) -> Result<Vec<TxRow>> {
        Ok(sqlx::query_as("SELECT tx_hash, kind, subjects, raw, status, block, reason FROM transactions ORDER BY created_at")
            .fetch_all(&self.pool)
            .await?)
    }
}
