//! `poco order init|sign|show|cancel|publish|fill`: the four PoCo orders in a JSON file
//! (default `orders.json`, iExec's keys `apporder`, `datasetorder`, `workerpoolorder`,
//! `requestorder`) that users edit, sign with EIP-712 in the hub's domain, inspect against
//! the chain (`viewConsumed`), cancel (`manage*Order` CLOSE), publish (`broadcast*Order`) and
//! match (`matchOrders` / `sponsorMatchOrders`).

use std::path::PathBuf;

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::{TransactionReceipt, TransactionRequest},
    sol_types::{SolCall, SolEvent},
};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use poco_client::{
    bindings::{IApp, IHub},
    orders::{random_salt, sign_order, OrderKind, OrderSigner, OrdersFile, PocoOrder},
};
use poco_core::stakes;
use poco_core::orders::{
    computeDealVolumeCall, matchOrdersCall, sponsorMatchOrdersCall, AppOrder, DatasetOrder, RequestOrder,
    WorkerpoolOrder,
};
use poco_facet_matching::OrdersMatched;
use serde_json::{json, Value};

use crate::{
    amount::format_rlc,
    cli::Global,
    commands::account::account_of,
    context::{explain_call, explain_transport, Session},
    output::Report,
};

/// `poco order ...`
#[derive(Debug, Subcommand)]
pub(crate) enum OrderCommand {
    /// Writes order templates into the orders file (price 0, volume 1, no tag, no
    /// restriction) for the assets given, and a request order with --request.
    Init(InitArgs),
    /// Signs orders of the file with the key (a fresh salt each time), in place; without a
    /// kind flag, those the key may sign (its assets' orders, its request).
    Sign(Select),
    /// Shows orders of the file: hash, volume, consumed and remaining on chain.
    Show(Select),
    /// Cancels orders of the file on chain (`manage*Order` CLOSE): they can no longer match.
    Cancel(Select),
    /// Publishes orders of the file on chain (`broadcast*Order` events).
    Publish(Select),
    /// Matches the file's orders into a deal (`matchOrders`; `--sponsor`: the key pays).
    Fill(FillArgs),
}

/// Which orders of which file.
#[derive(Debug, Args)]
pub(crate) struct Select {
    /// The app order.
    #[arg(long)]
    app: bool,
    /// The dataset order.
    #[arg(long)]
    dataset: bool,
    /// The workerpool order.
    #[arg(long)]
    workerpool: bool,
    /// The request order.
    #[arg(long)]
    request: bool,
    /// Orders file.
    #[arg(long, default_value = "orders.json")]
    file: PathBuf,
}

impl Select {
    /// The kinds selected, or with no flag every kind the file holds.
    fn kinds(&self, file: &OrdersFile) -> Result<Vec<OrderKind>> {
        let flags = [self.app, self.dataset, self.workerpool, self.request];
        let chosen: Vec<OrderKind> = if flags.iter().any(|f| *f) {
            OrderKind::ALL.into_iter().zip(flags).filter(|(_, f)| *f).map(|(k, _)| k).collect()
        } else {
            OrderKind::ALL.into_iter().filter(|k| file.has(*k)).collect()
        };
        if chosen.is_empty() {
            bail!("{} holds no order: `poco order init` writes templates", self.file.display());
        }
        for kind in &chosen {
            if !file.has(*kind) {
                bail!("{} has no {kind} (`poco order init` writes one)", self.file.display());
            }
        }
        Ok(chosen)
    }
}

/// `poco order init`
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// App of an app order (and of the request).
    #[arg(long)]
    app: Option<Address>,
    /// Dataset of a dataset order (and of the request).
    #[arg(long)]
    dataset: Option<Address>,
    /// Workerpool of a workerpool order (and of the request).
    #[arg(long)]
    workerpool: Option<Address>,
    /// Also a request order (requester and beneficiary: the key).
    #[arg(long)]
    request: bool,
    /// The request's `params` (iExec's JSON: `{"iexec_args": "..."}`).
    #[arg(long, default_value = "")]
    params: String,
    /// Orders file (created, or completed).
    #[arg(long, default_value = "orders.json")]
    file: PathBuf,
}

/// `poco order fill`
#[derive(Debug, Args)]
pub(crate) struct FillArgs {
    /// Orders file (app, workerpool and request orders; dataset order optional).
    #[arg(long, default_value = "orders.json")]
    file: PathBuf,
    /// The key pays for the deal instead of the requester (`sponsorMatchOrders`).
    #[arg(long)]
    sponsor: bool,
}

impl OrderCommand {
    pub(crate) async fn run(self, global: &Global) -> Result<Report> {
        match self {
            OrderCommand::Init(args) => init(global, args).await,
            OrderCommand::Sign(select) => sign(global, select).await,
            OrderCommand::Show(select) => show(global, select).await,
            OrderCommand::Cancel(select) => on_chain(global, select, Action::Cancel).await,
            OrderCommand::Publish(select) => on_chain(global, select, Action::Publish).await,
            OrderCommand::Fill(args) => {
                let session = Session::open(global).await?;
                let file = OrdersFile::load(&args.file)?;
                let deal = fill(&session, &file, args.sponsor).await?;
                Ok(deal.report())
            }
        }
    }
}

async fn init(global: &Global, args: InitArgs) -> Result<Report> {
    let mut file = OrdersFile::load_or_default(&args.file)?;
    let mut written = Vec::new();
    let one = U256::from(1);
    if let Some(app) = args.app {
        file.apporder = Some(AppOrder { app, volume: one, ..Default::default() });
        written.push(OrderKind::App);
    }
    if let Some(dataset) = args.dataset {
        file.datasetorder = Some(DatasetOrder { dataset, volume: one, ..Default::default() });
        written.push(OrderKind::Dataset);
    }
    if let Some(workerpool) = args.workerpool {
        file.workerpoolorder = Some(WorkerpoolOrder { workerpool, volume: one, ..Default::default() });
        written.push(OrderKind::Workerpool);
    }
    if args.request {
        // The key is the requester when there is one (no chain access needed); else zero,
        // for the user to fill in.
        let requester = crate::context::key_source(global).resolve()?.map(|s| s.address()).unwrap_or_default();
        let pick = |given: Option<Address>, from_file: Option<Address>| given.or(from_file).unwrap_or_default();
        file.requestorder = Some(RequestOrder {
            app: pick(args.app, file.apporder.as_ref().map(|o| o.app)),
            dataset: pick(args.dataset, file.datasetorder.as_ref().map(|o| o.dataset)),
            workerpool: pick(args.workerpool, file.workerpoolorder.as_ref().map(|o| o.workerpool)),
            appmaxprice: file.apporder.as_ref().map(|o| o.appprice).unwrap_or_default(),
            datasetmaxprice: file.datasetorder.as_ref().map(|o| o.datasetprice).unwrap_or_default(),
            workerpoolmaxprice: file.workerpoolorder.as_ref().map(|o| o.workerpoolprice).unwrap_or_default(),
            requester,
            beneficiary: requester,
            volume: one,
            params: args.params,
            ..Default::default()
        });
        written.push(OrderKind::Request);
    }
    if written.is_empty() {
        bail!("nothing to initialise: give --app ADDR, --dataset ADDR, --workerpool ADDR and/or --request");
    }
    file.save(&args.file)?;
    let names: Vec<String> = written.iter().map(|k| k.to_string()).collect();
    Ok(Report::new(
        json!({ "file": args.file, "initialised": written.iter().map(|k| k.key()).collect::<Vec<_>>() }),
        format!("wrote {} to {} (edit prices, volume, tag and restrictions, then `poco order sign`)", names.join(", "), args.file.display()),
    ))
}

/// Checks that the key may sign `order` (the asset's owner, or the requester).
async fn check_signer<O: PocoOrder>(session: &Session, order: &O) -> Result<()> {
    let me = session.sender()?;
    match order.signer() {
        OrderSigner::Requester(requester) => {
            if requester != me {
                bail!("the {} names requester {requester}, but the key is {me}: set \"requester\" or use the requester's key", O::KIND);
            }
        }
        OrderSigner::OwnerOf(asset) => {
            if asset == Address::ZERO {
                bail!("the {} names no asset: set its address in the file", O::KIND);
            }
            // Every asset contract (app, dataset, workerpool) answers `owner()`.
            let owner = IApp::new(asset, &session.provider)
                .owner()
                .call()
                .await
                .map_err(|e| explain_call(&format!("reading the owner of {asset} (is it deployed on this chain?)"), &e))?;
            if owner != me {
                bail!("{asset} is owned by {owner}, not by the key {me}: sign the {} with its owner's key", O::KIND);
            }
        }
    }
    Ok(())
}

/// Signs one order in place with a fresh salt; returns its hash, or `None` when the key may
/// not sign it and `only_own` says to skip such orders.
async fn sign_one<O: PocoOrder>(session: &Session, order: &mut O, separator: &B256, only_own: bool) -> Result<Option<B256>> {
    if let Err(e) = check_signer(session, order).await {
        if only_own {
            tracing::info!("skipping the {}: {e:#}", O::KIND);
            return Ok(None);
        }
        return Err(e);
    }
    *order.salt_mut() = random_salt();
    sign_order(order, session.signer()?, separator).map(Some)
}

async fn sign(global: &Global, select: Select) -> Result<Report> {
    let session = Session::open(global).await?;
    let mut file = OrdersFile::load(&select.file)?;
    let kinds = select.kinds(&file)?;
    // Without a kind flag, sign what the key may sign (each party signs its own orders).
    let only_own = !(select.app || select.dataset || select.workerpool || select.request);
    let separator = session.domain_separator().await?;
    let mut signed = Vec::new();
    for kind in kinds {
        let hash = match kind {
            OrderKind::App => sign_one(&session, file.apporder.as_mut().context("app order")?, &separator, only_own).await?,
            OrderKind::Dataset => {
                sign_one(&session, file.datasetorder.as_mut().context("dataset order")?, &separator, only_own).await?
            }
            OrderKind::Workerpool => {
                sign_one(&session, file.workerpoolorder.as_mut().context("workerpool order")?, &separator, only_own).await?
            }
            OrderKind::Request => {
                sign_one(&session, file.requestorder.as_mut().context("request order")?, &separator, only_own).await?
            }
        };
        if let Some(hash) = hash {
            signed.push((kind, hash));
        }
    }
    if signed.is_empty() {
        bail!(
            "the key {} may sign no order of {} (each is its asset owner's, or its requester's)",
            session.sender()?,
            select.file.display()
        );
    }
    file.save(&select.file)?;
    Ok(Report::new(
        json!({ "file": select.file, "signed": signed.iter().map(|(k, h)| json!({ "kind": k.key(), "hash": h })).collect::<Vec<_>>() }),
        signed.iter().map(|(k, h)| format!("signed {k} {h}")).collect::<Vec<_>>().join("\n"),
    ))
}

/// An order's state on chain.
struct OrderState {
    kind: OrderKind,
    hash: B256,
    volume: U256,
    consumed: U256,
    signed: bool,
}

impl OrderState {
    fn remaining(&self) -> U256 {
        self.volume.saturating_sub(self.consumed)
    }

    fn json(&self) -> Value {
        json!({
            "kind": self.kind.key(),
            "hash": self.hash,
            "volume": self.volume.to_string(),
            "consumed": self.consumed.to_string(),
            "remaining": self.remaining().to_string(),
            "signed": self.signed,
            "status": if self.remaining().is_zero() { "consumed or cancelled" } else { "open" },
        })
    }

    fn human(&self) -> String {
        format!(
            "{} {}\n  volume {}, consumed {}, remaining {}{}",
            self.kind,
            self.hash,
            self.volume,
            self.consumed,
            self.remaining(),
            if self.signed { "" } else { " (not signed)" }
        )
    }
}

/// Reads `viewConsumed` of an order.
async fn state_of<O: PocoOrder>(session: &Session, hub: Address, separator: &B256, order: &O) -> Result<OrderState> {
    let hash = order.typed_data_hash(separator);
    let consumed = IHub::new(hub, &session.provider)
        .viewConsumed(hash)
        .call()
        .await
        .map_err(|e| explain_call("viewConsumed", &e))?;
    Ok(OrderState { kind: O::KIND, hash, volume: order.volume(), consumed, signed: !order.signature().is_empty() })
}

async fn states(session: &Session, file: &OrdersFile, kinds: &[OrderKind]) -> Result<Vec<OrderState>> {
    let hub = session.hub().await?;
    let separator = session.domain_separator().await?;
    let mut out = Vec::new();
    for kind in kinds {
        out.push(match kind {
            OrderKind::App => state_of(session, hub, &separator, file.apporder.as_ref().context("app order")?).await?,
            OrderKind::Dataset => state_of(session, hub, &separator, file.datasetorder.as_ref().context("dataset order")?).await?,
            OrderKind::Workerpool => {
                state_of(session, hub, &separator, file.workerpoolorder.as_ref().context("workerpool order")?).await?
            }
            OrderKind::Request => state_of(session, hub, &separator, file.requestorder.as_ref().context("request order")?).await?,
        });
    }
    Ok(out)
}

async fn show(global: &Global, select: Select) -> Result<Report> {
    let session = Session::open(global).await?;
    let file = OrdersFile::load(&select.file)?;
    let kinds = select.kinds(&file)?;
    let states = states(&session, &file, &kinds).await?;
    Ok(Report::new(
        json!({ "orders": states.iter().map(OrderState::json).collect::<Vec<_>>() }),
        states.iter().map(OrderState::human).collect::<Vec<_>>().join("\n"),
    ))
}

/// What `cancel` and `publish` send.
#[derive(Clone, Copy)]
enum Action {
    Cancel,
    Publish,
}

async fn on_chain(global: &Global, select: Select, action: Action) -> Result<Report> {
    let session = Session::open(global).await?;
    let file = OrdersFile::load(&select.file)?;
    let kinds = select.kinds(&file)?;
    let hub = session.hub().await?;
    let states = states(&session, &file, &kinds).await?;
    let mut done = Vec::new();
    for state in states {
        let (calldata, verb) = match (state.kind, action) {
            (OrderKind::App, Action::Cancel) => (file.apporder.as_ref().map(|o| o.close_calldata()), "cancelled"),
            (OrderKind::Dataset, Action::Cancel) => (file.datasetorder.as_ref().map(|o| o.close_calldata()), "cancelled"),
            (OrderKind::Workerpool, Action::Cancel) => (file.workerpoolorder.as_ref().map(|o| o.close_calldata()), "cancelled"),
            (OrderKind::Request, Action::Cancel) => (file.requestorder.as_ref().map(|o| o.close_calldata()), "cancelled"),
            (OrderKind::App, Action::Publish) => (file.apporder.as_ref().map(|o| o.broadcast_calldata()), "published"),
            (OrderKind::Dataset, Action::Publish) => (file.datasetorder.as_ref().map(|o| o.broadcast_calldata()), "published"),
            (OrderKind::Workerpool, Action::Publish) => {
                (file.workerpoolorder.as_ref().map(|o| o.broadcast_calldata()), "published")
            }
            (OrderKind::Request, Action::Publish) => (file.requestorder.as_ref().map(|o| o.broadcast_calldata()), "published"),
        };
        let calldata = calldata.with_context(|| format!("no {} in the file", state.kind))?;
        if matches!(action, Action::Cancel) && state.remaining().is_zero() {
            bail!("the {} {} is already cancelled or fully consumed", state.kind, state.hash);
        }
        if matches!(action, Action::Publish) && !state.signed {
            bail!("the {} is not signed: `poco order sign` first", state.kind);
        }
        let what = format!("{} the {} {}", if verb == "cancelled" { "cancelling" } else { "publishing" }, state.kind, state.hash);
        let receipt = session.send(&what, hub, calldata, U256::ZERO).await?;
        done.push((state.kind, state.hash, receipt.transaction_hash, verb));
    }
    Ok(Report::new(
        json!(done.iter().map(|(k, h, tx, verb)| json!({ "kind": k.key(), "hash": h, "tx": tx, "action": verb })).collect::<Vec<_>>()),
        done.iter().map(|(k, h, tx, verb)| format!("{verb} {k} {h} (tx {tx})")).collect::<Vec<_>>().join("\n"),
    ))
}

/// A deal just made.
pub(crate) struct NewDeal {
    /// Deal id.
    pub(crate) deal: B256,
    /// Tasks in it.
    pub(crate) volume: U256,
    /// The match transaction.
    pub(crate) receipt: TransactionReceipt,
}

impl NewDeal {
    fn report(&self) -> Report {
        Report::new(
            json!({ "dealid": self.deal, "volume": self.volume.to_string(), "tx": self.receipt.transaction_hash }),
            format!("deal {} ({} task(s), tx {})", self.deal, self.volume, self.receipt.transaction_hash),
        )
    }
}

/// Matches the file's orders: checks first that none is consumed or cancelled and that the
/// payer's stake covers the deal, then sends `matchOrders` (or `sponsorMatchOrders`) and reads
/// `OrdersMatched`.
pub(crate) async fn fill(session: &Session, file: &OrdersFile, sponsor: bool) -> Result<NewDeal> {
    let missing = |kind: OrderKind| format!("the orders file has no {kind}: `poco order init` writes one");
    let app = file.apporder.clone().with_context(|| missing(OrderKind::App))?;
    let pool = file.workerpoolorder.clone().with_context(|| missing(OrderKind::Workerpool))?;
    let request = file.requestorder.clone().with_context(|| missing(OrderKind::Request))?;
    let dataset = file.datasetorder.clone().unwrap_or_default();
    let mut kinds = vec![OrderKind::App, OrderKind::Workerpool, OrderKind::Request];
    if file.datasetorder.is_some() {
        kinds.insert(1, OrderKind::Dataset);
    }
    for state in states(session, file, &kinds).await? {
        if !state.signed {
            bail!("the {} is not signed: `poco order sign --{}`", state.kind, kind_flag(state.kind));
        }
        if state.remaining().is_zero() {
            bail!(
                "the {} {} is cancelled or fully consumed ({} of {} used): it cannot be filled; sign a new one \
                 (`poco order sign --{}`)",
                state.kind,
                state.hash,
                state.consumed,
                state.volume,
                kind_flag(state.kind)
            );
        }
    }
    let hub = session.hub().await?;
    let volume_call = computeDealVolumeCall {
        appOrder: app.clone(),
        datasetOrder: dataset.clone(),
        workerpoolOrder: pool.clone(),
        requestOrder: request.clone(),
    };
    let volume = view(session, hub, "computeDealVolume", volume_call.abi_encode()).await?;
    let volume = computeDealVolumeCall::abi_decode_returns(&volume).context("decoding computeDealVolume")?;
    // What the match locks (poco-core's rules): the payer's price of the deal, and the
    // workerpool owner's stake on it.
    let rule = |e| anyhow::anyhow!("the orders' prices overflow: {e:?}");
    let price = stakes::task_price(&app.appprice, &dataset.datasetprice, &pool.workerpoolprice).map_err(rule)?;
    let cost =
        stakes::deal_sponsor_lock(&app.appprice, &dataset.datasetprice, &pool.workerpoolprice, &volume).map_err(rule)?;
    let payer = if sponsor { session.sender()? } else { request.requester };
    let (stake, _) = account_of(session, payer).await?;
    if stake < cost {
        bail!(
            "not enough stake: the deal costs {} ({} a task × {volume}) and {payer} has {} free; \
             `poco account deposit` the difference first",
            format_rlc(cost),
            format_rlc(price),
            format_rlc(stake)
        );
    }
    let pool_lock = stakes::deal_workerpool_lock(&pool.workerpoolprice, &volume).map_err(rule)?;
    if !pool_lock.is_zero() {
        let pool_owner = IApp::new(pool.workerpool, &session.provider)
            .owner()
            .call()
            .await
            .map_err(|e| explain_call("reading the workerpool's owner", &e))?;
        let (pool_stake, _) = account_of(session, pool_owner).await?;
        if pool_stake < pool_lock {
            bail!(
                "not enough stake on the workerpool's side: the match locks {} of its owner {pool_owner}, who has {} free; \
                 the workerpool owner must `poco account deposit` first",
                format_rlc(pool_lock),
                format_rlc(pool_stake)
            );
        }
    }
    let calldata = if sponsor {
        sponsorMatchOrdersCall { _0: app, _1: dataset, _2: pool, _3: request }.abi_encode()
    } else {
        matchOrdersCall { _0: app, _1: dataset, _2: pool, _3: request }.abi_encode()
    };
    let what = if sponsor { "sponsorMatchOrders" } else { "matchOrders" };
    let receipt = session.send(what, hub, calldata, U256::ZERO).await?;
    let matched = receipt
        .inner
        .logs()
        .iter()
        .filter(|log| log.address() == hub)
        .find_map(|log| OrdersMatched::decode_log_data(log.data()).ok())
        .with_context(|| format!("{what} emitted no OrdersMatched (tx {})", receipt.transaction_hash))?;
    Ok(NewDeal { deal: matched.dealid, volume: matched.volume, receipt })
}

/// An `eth_call` to the hub, reverts explained.
async fn view(session: &Session, hub: Address, what: &str, data: Vec<u8>) -> Result<Bytes> {
    let tx = TransactionRequest::default().with_to(hub).with_input(Bytes::from(data));
    session.provider.call(tx).await.map_err(|e| explain_transport(what, &e))
}

fn kind_flag(kind: OrderKind) -> &'static str {
    match kind {
        OrderKind::App => "app",
        OrderKind::Dataset => "dataset",
        OrderKind::Workerpool => "workerpool",
        OrderKind::Request => "request",
    }
}
