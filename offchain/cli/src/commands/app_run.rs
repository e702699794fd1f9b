//! `poco app run`: requests executions of an app as iExec's `iexec app run` does — take the
//! providers' orders (the latest open ones published on chain with `broadcast*Order`, or
//! those of an orders file), sign a matching request order, match them, then follow the
//! deal's tasks until each is completed or failed, with a progress bar.
//!
//! There is no market API here: published orders are the hub's `Broadcast*Order` events.

use std::{path::PathBuf, time::Duration};

use alloy::{
    primitives::{Address, B256, U256},
    providers::Provider,
    rpc::types::Filter,
    sol_types::SolEvent,
};
use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use poco_client::{
    bindings::IHub,
    orders::{random_salt, sign_order, OrdersFile},
    tasks::{view_deal, DealWatch, TaskStatus, TaskSummary},
};
use poco_core::{
    eip712::PocoStructHash,
    orders::{
        AppOrder, BroadcastAppOrder, BroadcastDatasetOrder, BroadcastWorkerpoolOrder, DatasetOrder, RequestOrder,
        WorkerpoolOrder,
    },
};
use serde_json::json;

use crate::{
    cli::Global,
    commands::order::fill,
    context::{explain_call, Session},
    output::Report,
};

/// `poco app run`
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The app to run.
    app: Address,
    /// Dataset to use (its latest open order is taken).
    #[arg(long)]
    dataset: Option<Address>,
    /// Workerpool to use (default: the latest open workerpool order of any).
    #[arg(long)]
    workerpool: Option<Address>,
    /// Take the app, dataset and workerpool orders from this orders file instead of the
    /// published ones.
    #[arg(long)]
    orders: Option<PathBuf>,
    /// The request's `params` (iExec's JSON: `{"iexec_args": "..."}`).
    #[arg(long, default_value = "")]
    params: String,
    /// The request's trust (at most the workerpool order's).
    #[arg(long, default_value_t = 0)]
    trust: u64,
    /// Tasks to request.
    #[arg(long, default_value_t = 1)]
    volume: u64,
    /// Match only: do not follow the tasks.
    #[arg(long)]
    no_watch: bool,
    /// Stop following after this many seconds (default: until every task is final).
    #[arg(long)]
    timeout: Option<u64>,
    /// First block to search for published orders (public endpoints limit log ranges).
    #[arg(long, default_value_t = 0)]
    from_block: u64,
    /// Seconds between two reads of the tasks.
    #[arg(long, default_value_t = 2)]
    poll: u64,
}

impl RunArgs {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        let session = Session::open(global).await?;
        let hub = session.hub().await?;
        let (app, dataset, pool) = match &self.orders {
            Some(path) => {
                let file = OrdersFile::load(path)?;
                let app = file.apporder.with_context(|| format!("{} has no app order", path.display()))?;
                if app.app != self.app {
                    bail!("the app order of {} is for {}, not {}", path.display(), app.app, self.app);
                }
                let pool = file.workerpoolorder.with_context(|| format!("{} has no workerpool order", path.display()))?;
                (app, file.datasetorder, pool)
            }
            None => self.pick(&session, hub).await?,
        };
        let me = session.sender()?;
        let mut request = RequestOrder {
            app: app.app,
            appmaxprice: app.appprice,
            dataset: dataset.as_ref().map(|d| d.dataset).unwrap_or_default(),
            datasetmaxprice: dataset.as_ref().map(|d| d.datasetprice).unwrap_or_default(),
            workerpool: pool.workerpool,
            workerpoolmaxprice: pool.workerpoolprice,
            requester: me,
            volume: U256::from(self.volume),
            tag: app.tag | dataset.as_ref().map(|d| d.tag).unwrap_or_default(),
            category: pool.category,
            trust: U256::from(self.trust),
            beneficiary: me,
            params: self.params.clone(),
            salt: random_salt(),
            ..Default::default()
        };
        let separator = session.domain_separator().await?;
        sign_order(&mut request, session.signer()?, &separator)?;
        let file = OrdersFile {
            apporder: Some(app),
            datasetorder: dataset,
            workerpoolorder: Some(pool),
            requestorder: Some(request),
        };
        let deal = fill(&session, &file, false).await?;
        if !global.json {
            eprintln!("deal {} matched ({} task(s), tx {})", deal.deal, deal.volume, deal.receipt.transaction_hash);
        }
        if self.no_watch {
            return Ok(Report::new(
                json!({ "dealid": deal.deal, "volume": deal.volume.to_string(), "tx": deal.receipt.transaction_hash }),
                format!("deal {} ({} task(s)); follow it with `poco deal show {0}`", deal.deal, deal.volume),
            ));
        }
        let tasks = self.follow(&session, hub, deal.deal, deal.receipt.block_number.unwrap_or_default(), global.json).await?;
        let unfinished: Vec<&TaskSummary> = tasks.iter().filter(|t| t.status != TaskStatus::Completed).collect();
        if let Some(first) = unfinished.first() {
            let list: Vec<String> = unfinished.iter().map(|t| format!("{} {}", t.taskid, t.status)).collect();
            bail!(
                "deal {}: {} of {} task(s) did not complete ({}){}",
                deal.deal,
                unfinished.len(),
                tasks.len(),
                list.join(", "),
                if first.status == TaskStatus::Timeout { "; `poco deal claim` refunds them" } else { "" }
            );
        }
        let human: Vec<String> = std::iter::once(format!("deal {} completed", deal.deal))
            .chain(tasks.iter().map(|t| format!("  task {} {}: {}", t.taskid, t.status, t.results)))
            .collect();
        Ok(Report::new(json!({ "dealid": deal.deal, "tasks": tasks }), human.join("\n")))
    }

    /// The latest open published orders for the app (and dataset, workerpool).
    async fn pick(&self, session: &Session, hub: Address) -> Result<(AppOrder, Option<DatasetOrder>, WorkerpoolOrder)> {
        let separator = session.domain_separator().await?;
        let apps: Vec<AppOrder> = published::<BroadcastAppOrder>(session, hub, self.from_block).await?.into_iter().map(|e| e.apporder).collect();
        let app = open(session, hub, &separator, apps.into_iter().filter(|o| o.app == self.app))
            .await?
            .with_context(|| format!("no open app order of {} is published: its owner publishes one with `poco order publish --app`", self.app))?;
        let dataset = match self.dataset {
            None => None,
            Some(wanted) => {
                let all = published::<BroadcastDatasetOrder>(session, hub, self.from_block).await?.into_iter().map(|e| e.datasetorder);
                Some(open(session, hub, &separator, all.filter(|o| o.dataset == wanted)).await?.with_context(|| {
                    format!("no open dataset order of {wanted} is published (`poco order publish --dataset`)")
                })?)
            }
        };
        let pools = published::<BroadcastWorkerpoolOrder>(session, hub, self.from_block).await?.into_iter().map(|e| e.workerpoolorder);
        let wanted = self.workerpool;
        let trust = U256::from(self.trust);
        let pool = open(session, hub, &separator, pools.filter(|o| wanted.is_none_or(|w| o.workerpool == w) && o.trust >= trust))
            .await?
            .context("no open workerpool order fits (published, with remaining volume and enough trust): a scheduler publishes them")?;
        Ok((app, dataset, pool))
    }

    /// Follows the tasks of `deal` (matched in `from_block`) from the hub's task events until
    /// all are final or the timeout passes.
    async fn follow(&self, session: &Session, hub: Address, deal: B256, from_block: u64, quiet: bool) -> Result<Vec<TaskSummary>> {
        let view = view_deal(&session.provider, hub, deal).await?;
        let total = view.deal.botSize.to::<u64>();
        let bar = if quiet { ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden()) } else { ProgressBar::new(total) };
        bar.set_style(
            ProgressStyle::with_template("{spinner} deal {prefix} [{bar:30}] {pos}/{len} tasks final  {msg}")
                .context("progress bar template")?
                .progress_chars("=> "),
        );
        bar.set_prefix(format!("{deal:.10}"));
        let started = std::time::Instant::now();
        let mut watch = DealWatch::new(deal, &view, from_block);
        loop {
            watch.poll(&session.provider, hub).await?;
            let tasks = &watch.tasks;
            let finals = tasks.iter().filter(|t| t.status.is_final()).count() as u64;
            bar.set_position(finals);
            bar.set_message(summary(tasks));
            if finals == total {
                bar.finish();
                return Ok(tasks.clone());
            }
            if let Some(limit) = self.timeout {
                if started.elapsed() >= Duration::from_secs(limit) {
                    bar.abandon();
                    bail!(
                        "stopped following deal {deal} after {limit} s ({}); `poco deal show {deal}` shows it later",
                        summary(tasks)
                    );
                }
            }
            tokio::time::sleep(Duration::from_secs(self.poll.max(1))).await;
        }
    }
}

/// "1 COMPLETED, 2 ACTIVE".
fn summary(tasks: &[TaskSummary]) -> String {
    let mut counts: Vec<(TaskStatus, usize)> = Vec::new();
    for t in tasks {
        match counts.iter_mut().find(|(s, _)| *s == t.status) {
            Some((_, n)) => *n += 1,
            None => counts.push((t.status, 1)),
        }
    }
    counts.iter().map(|(s, n)| format!("{n} {s}")).collect::<Vec<_>>().join(", ")
}

/// Every `E` event the hub emitted since `from_block`, oldest first.
async fn published<E: SolEvent>(session: &Session, hub: Address, from_block: u64) -> Result<Vec<E>> {
    let filter = Filter::new().address(hub).event_signature(E::SIGNATURE_HASH).from_block(from_block);
    let logs = session.provider.get_logs(&filter).await.context("eth_getLogs of published orders")?;
    Ok(logs.iter().filter_map(|log| E::decode_log_data(log.data()).ok()).collect())
}

/// The newest order of `candidates` with remaining volume.
async fn open<O: PocoStructHash + poco_client::orders::PocoOrder>(
    session: &Session,
    hub: Address,
    separator: &B256,
    candidates: impl DoubleEndedIterator<Item = O>,
) -> Result<Option<O>> {
    let views = IHub::new(hub, &session.provider);
    for order in candidates.rev() {
        let consumed =
            views.viewConsumed(order.typed_data_hash(separator)).call().await.map_err(|e| explain_call("viewConsumed", &e))?;
        if consumed < order.volume() {
            return Ok(Some(order));
        }
    }
    Ok(None)
}
