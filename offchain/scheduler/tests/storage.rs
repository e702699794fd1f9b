//! The scheduler's storage, the same checks on both databases it speaks: a SQLite file and
//! a PostgreSQL cluster this test starts for itself (initdb + postgres from PostgreSQL's
//! binaries: `POCO_PG_BIN`, the `initdb` on PATH, or /usr/lib/postgresql/*/bin; as root
//! they run as `nobody`, since PostgreSQL refuses root).

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use alloy::primitives::{Address, B256};
use anyhow::{bail, ensure, Context, Result};
use poco_scheduler::store::{hex_of, DealRow, ReplicateRow, Store};

/// Everything the scheduler stores, written and read back, with the idempotence its
/// restarts rely on.
async fn exercise(store: &Store) -> Result<()> {
    ensure!(store.cursor().await?.is_none(), "fresh cursor");
    store.set_cursor(42).await?;
    store.set_cursor(43).await?;
    ensure!(store.cursor().await? == Some(43), "cursor");

    let deal = DealRow {
        deal_id: hex_of(B256::repeat_byte(1)),
        bot_first: 0,
        bot_size: 2,
        trust: 3,
        callback: hex_of(Address::ZERO),
        start_time: 1_700_000_000,
        timeref: 300,
        notice_block: 7,
    };
    let tasks = [(B256::repeat_byte(0xa), 0u64), (B256::repeat_byte(0xb), 1)];
    ensure!(store.insert_deal(&deal, &tasks, "pending").await?, "new deal");
    ensure!(!store.insert_deal(&deal, &tasks, "pending").await?, "a deal seen twice (reorg margin) is recorded once");
    let pending = store.tasks_in_phase("pending").await?;
    ensure!(pending.len() == 2 && pending[0].idx == 0 && pending[1].idx == 1, "tasks {pending:?}");
    let mut t = pending[0].clone();
    t.phase = "active".into();
    t.initialized_block = Some(9);
    t.result_link = Some(r#"{"storage":"poco-pool","location":"x"}"#.into());
    store.save_task(&t).await?;
    let back = store.task(&B256::repeat_byte(0xa)).await?.context("task")?;
    ensure!(back.phase == "active" && back.initialized_block == Some(9) && back.result_link == t.result_link, "{back:?}");
    ensure!(store.deal(&deal.deal_id).await?.timeref == 300, "deal");

    let worker = Address::repeat_byte(5);
    let r = ReplicateRow {
        task_id: t.task_id.clone(),
        worker: hex_of(worker),
        mode: "contribute".into(),
        status: "assigned".into(),
        weight: 2,
        result_hash: None,
        assigned_at: 100,
        seq: 0,
        action: r#"{"action":"continue"}"#.into(),
        delivered: 0,
    };
    store.insert_replicate(&r).await?;
    ensure!(store.insert_replicate(&r).await.is_err(), "one replicate per worker and task");
    let mut r = store.replicate(&B256::repeat_byte(0xa), &worker).await?.context("replicate")?;
    r.status = "contributed".into();
    r.result_hash = Some(hex_of(B256::repeat_byte(9)));
    store.save_replicate(&r).await?;
    let mine = store.replicates_of(&worker).await?;
    ensure!(mine.len() == 1 && mine[0].status == "contributed" && mine[0].seq == 1, "{mine:?}");

    store.upsert_worker(&worker, "t1", "{}", 1).await?;
    store.upsert_worker(&worker, "t2", "{}", 2).await?;
    ensure!(store.worker_by_token("t1").await?.is_none(), "re-registering replaces the token");
    ensure!(store.worker_by_token("t2").await? == Some(worker), "token");

    let c = B256::repeat_byte(3);
    store.insert_challenge(&c, &worker, 99).await?;
    ensure!(store.take_challenge(&c).await? == Some((worker, 99)), "challenge");
    ensure!(store.take_challenge(&c).await?.is_none(), "a challenge is used once");

    let h = B256::repeat_byte(4);
    store.insert_tx(&h, "finalize", &t.task_id, "0x02", 5).await?;
    ensure!(store.insert_tx(&h, "finalize", &t.task_id, "0x02", 5).await.is_err(), "a transaction is recorded once");
    ensure!(store.txs("pending").await?.len() == 1, "pending");
    store.settle_tx(&hex_of(h), "reverted", Some(11), Some("reverted: iExecV5-finalize")).await?;
    let all = store.all_txs().await?;
    ensure!(all.len() == 1 && all[0].status == "reverted" && all[0].reason.as_deref() == Some("reverted: iExecV5-finalize"), "{all:?}");
    ensure!(store.txs("pending").await?.is_empty(), "settled");
    Ok(())
}

#[tokio::test]
async fn storage_on_sqlite() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    exercise(&Store::connect(&url).await?).await?;
    // Reopening applies no migration twice and keeps the rows.
    let again = Store::connect(&url).await?;
    ensure!(again.cursor().await? == Some(43), "state survives a reconnect");
    Ok(())
}

/// PostgreSQL's binaries directory.
fn pg_bin() -> Result<PathBuf> {
    if let Ok(dir) = std::env::var("POCO_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("postgres").is_file() {
                return Ok(dir);
            }
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").is_file()).collect())
        .unwrap_or_default();
    found.sort();
    found.pop().context("PostgreSQL not found: install it (apt-get install postgresql) or set POCO_PG_BIN to its bin directory")
}

/// A command, run as `nobody` when this process is root.
fn as_user(bin: &Path, program: &str) -> Command {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(bin.join(program));
        c
    } else {
        Command::new(bin.join(program))
    }
}

/// A throw-away PostgreSQL cluster on 127.0.0.1.
struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    server: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn start() -> Result<Self> {
        let bin = pg_bin()?;
        let dir = tempfile::tempdir()?;
        // The cluster's user (nobody, as root) must own its directory.
        Command::new("chmod").arg("0777").arg(dir.path()).status()?;
        let data = dir.path().join("data");
        let out = as_user(&bin, "initdb")
            .args(["-D"])
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"])
            .stdout(Stdio::null())
            .output()
            .context("running initdb")?;
        ensure!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let server = as_user(&bin, "postgres")
            .arg("-D")
            .arg(&data)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-F", "-k"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting postgres")?;
        Ok(Self { bin, data, server, port, _dir: dir })
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_user(&self.bin, "pg_ctl").arg("-D").arg(&self.data).args(["stop", "-m", "immediate"]).stdout(Stdio::null()).status();
        let _ = self.server.wait();
    }
}

#[tokio::test]
async fn storage_on_postgresql() -> Result<()> {
    let cluster = Cluster::start()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let store = loop {
        match Store::connect(&cluster.url()).await {
            Ok(s) => break s,
            Err(e) if std::time::Instant::now() < deadline => {
                tracing::debug!("postgres not up yet: {e:#}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => bail!("PostgreSQL did not come up: {e:#}"),
        }
    };
    exercise(&store).await?;
    let again = Store::connect(&cluster.url()).await?;
    ensure!(again.cursor().await? == Some(43), "state survives a reconnect");
    Ok(())
}
