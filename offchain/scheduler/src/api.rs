//! The worker API (`poco_client::pool_api`) served with axum: registration by EIP-191
//! challenge, pings, work requests, status reports, instructions and result uploads.
//!
//! Reports are checked against the chain (`viewContribution`, `viewTask`), never taken on
//! trust; the answers come from the database the engine keeps, so the API keeps answering
//! while the node is unreachable (a report that needs the chain then gets a 503 and is sent
//! again).

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use alloy::primitives::{Address, B256};
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query, State},
    http::{header::AUTHORIZATION, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use poco_client::{
    bindings::ITaskViews,
    pool_api::{
        challenge_signer, routes, AbortReason, Action, ApiError, AskForWork, AskReply, Challenge, Instruction,
        Instructions, PoolInfo, Pong, Register, Registered, ResultLink, StatusReport, MAX_RESULT_BYTES,
    },
};
use serde::Deserialize;
use tracing::{info, warn};

use crate::{
    engine::{action_json, contribution_status, parse_action, task_status, Engine},
    store::hex_of,
};

/// Seconds a registration challenge stays valid.
const CHALLENGE_TTL: u64 = 300;

/// State of the API handlers.
#[derive(Clone)]
pub struct ApiState {
    /// The engine (chain, store, config).
    pub engine: Arc<Engine>,
    /// What the pool is.
    pub pool: PoolInfo,
    /// Base URL of result links.
    pub public_url: String,
    /// Where results are stored.
    pub results_dir: PathBuf,
}

/// An error answer: status and a message saying what to do.
pub struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, Json(ApiError { error: self.1 })).into_response()
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        warn!(error = %format!("{e:#}"), "request failed");
        Failure(StatusCode::SERVICE_UNAVAILABLE, format!("the scheduler could not serve this now ({e:#}); retry later"))
    }
}

type Reply<T> = Result<Json<T>, Failure>;

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

/// The router of the worker API.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .route(routes::CHALLENGE, get(challenge))
        .route(routes::REGISTER, post(register))
        .route(routes::PING, post(ping))
        .route(routes::POOL, get(pool))
        .route(routes::ASK, post(ask))
        .route(routes::INSTRUCTIONS, get(instructions))
        .route(routes::STATUS_TEMPLATE, post(status))
        .route(routes::RESULT_TEMPLATE, get(download).put(upload))
        .layer(DefaultBodyLimit::max(MAX_RESULT_BYTES))
        .with_state(state)
}

/// Serves the API on `listen`; returns the bound address and the server's task.
pub async fn serve(listen: SocketAddr, state_of: impl FnOnce(SocketAddr) -> ApiState) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| anyhow::anyhow!("binding the worker API to {listen}: {e}"))?;
    let bound = listener.local_addr()?;
    let app = router(state_of(bound));
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            warn!(%e, "the worker API stopped");
        }
    });
    Ok((bound, handle))
}

#[derive(Deserialize)]
struct WalletQuery {
    wallet: Address,
}

async fn challenge(State(s): State<ApiState>, Query(q): Query<WalletQuery>) -> Reply<Challenge> {
    let challenge = B256::from(rand::random::<[u8; 32]>());
    let expires_at = unix_now() + CHALLENGE_TTL;
    s.engine.store.insert_challenge(&challenge, &q.wallet, i64::try_from(expires_at).unwrap_or(i64::MAX)).await?;
    Ok(Json(Challenge { challenge, expires_at }))
}

async fn register(State(s): State<ApiState>, Json(r): Json<Register>) -> Reply<Registered> {
    let refused = |why: &str| Failure(StatusCode::UNAUTHORIZED, format!("registration refused: {why}; ask for a new challenge"));
    let Some((wallet, expires_at)) = s.engine.store.take_challenge(&r.challenge).await? else {
        return Err(refused("unknown or already used challenge"));
    };
    if wallet != r.wallet || (expires_at.max(0) as u64) < unix_now() {
        return Err(refused("the challenge was issued to another wallet or expired"));
    }
    match challenge_signer(&r.challenge, &r.signature) {
        Ok(signer) if signer == r.wallet => {}
        _ => return Err(refused("the signature is not the wallet's EIP-191 signature of the challenge")),
    }
    let token = hex_of(B256::from(rand::random::<[u8; 32]>()));
    let caps = serde_json::to_string(&r.capabilities).unwrap_or_default();
    s.engine.store.upsert_worker(&r.wallet, &token, &caps, unix_now() as i64).await?;
    info!(worker = %r.wallet, "worker registered");
    let period = s.engine.config.poll_interval.as_secs().max(1);
    Ok(Json(Registered { token, pool: s.pool.clone(), ping_period_secs: 10, ask_period_secs: period }))
}

/// The worker a request's bearer token belongs to.
async fn worker(s: &ApiState, headers: &HeaderMap) -> Result<Address, Failure> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Failure(StatusCode::UNAUTHORIZED, "missing `Authorization: Bearer <token>`; register first".into()))?;
    s.engine
        .store
        .worker_by_token(token)
        .await?
        .ok_or_else(|| Failure(StatusCode::UNAUTHORIZED, "unknown token; register again".into()))
}

async fn ping(State(s): State<ApiState>, headers: HeaderMap) -> Reply<Pong> {
    let w = worker(&s, &headers).await?;
    s.engine.store.ping(&w, unix_now() as i64).await?;
    let (block_number, _) = s.engine.chain.head().await?;
    Ok(Json(Pong { block_number }))
}

async fn pool(State(s): State<ApiState>) -> Json<PoolInfo> {
    Json(s.pool.clone())
}

async fn ask(State(s): State<ApiState>, headers: HeaderMap, Json(ask): Json<AskForWork>) -> Reply<AskReply> {
    let w = worker(&s, &headers).await?;
    Ok(Json(AskReply { assignment: s.engine.assign(w, ask.held.as_deref()).await? }))
}

fn is_final(a: &Action) -> bool {
    matches!(a, Action::Abort { .. } | Action::Complete)
}

async fn instructions(State(s): State<ApiState>, headers: HeaderMap) -> Reply<Instructions> {
    let w = worker(&s, &headers).await?;
    let _guard = s.engine.lock_state().await;
    let mut out = Vec::new();
    for mut r in s.engine.store.undelivered_of(&w).await? {
        if r.delivered != 0 {
            continue;
        }
        let action = parse_action(&r.action);
        if is_final(&action) {
            r.delivered = 1;
            s.engine.store.save_replicate(&r).await?;
        }
        out.push(Instruction { task_id: crate::store::b256(&r.task_id)?, action });
    }
    Ok(Json(Instructions { instructions: out }))
}

async fn status(
    State(s): State<ApiState>,
    headers: HeaderMap,
    Path(task): Path<B256>,
    Json(report): Json<StatusReport>,
) -> Reply<Instruction> {
    let w = worker(&s, &headers).await?;
    let _guard = s.engine.lock_state().await;
    let Some(mut r) = s.engine.store.replicate(&task, &w).await? else {
        return Ok(Json(Instruction { task_id: task, action: Action::Abort { reason: AbortReason::UnknownTask } }));
    };
    let chain = &s.engine.chain;
    match &report {
        StatusReport::Computed { .. } => {
            if r.status == "assigned" {
                r.status = "computed".into();
            }
        }
        StatusReport::Contributed { .. } | StatusReport::Revealed { .. } => {
            let c = chain.view(ITaskViews::viewContributionCall { _taskid: task, _worker: w }).await?;
            let (wanted, next): (&[u8], &str) = match report {
                StatusReport::Contributed { .. } => (&[contribution_status::CONTRIBUTED, contribution_status::PROVED], "contributed"),
                _ => (&[contribution_status::PROVED], "revealed"),
            };
            if !wanted.contains(&c.status) {
                return Err(Failure(
                    StatusCode::CONFLICT,
                    format!("the chain shows contribution status {} for {w} on {task}; report once the transaction is mined", c.status),
                ));
            }
            r.result_hash = Some(hex_of(c.resultHash));
            if !matches!(r.status.as_str(), "revealed" | "uploaded") || next == "revealed" {
                r.status = next.into();
            }
            if matches!(parse_action(&r.action), Action::Continue | Action::Reveal { .. }) {
                r.action = action_json(&Action::Wait);
            }
        }
        StatusReport::Uploaded { link, callback_data } => {
            let Some(mut t) = s.engine.store.task(&task).await? else {
                return Err(Failure(StatusCode::NOT_FOUND, format!("unknown task {task}")));
            };
            if t.uploader.as_deref() != Some(hex_of(w).as_str()) {
                return Err(Failure(StatusCode::CONFLICT, "this worker was not asked to upload".into()));
            }
            t.result_link = Some(serde_json::to_string(link).map_err(|e| Failure(StatusCode::BAD_REQUEST, e.to_string()))?);
            t.callback_data = Some(hex_of(callback_data));
            s.engine.store.save_task(&t).await?;
            r.status = "uploaded".into();
            r.action = action_json(&Action::Wait);
        }
        StatusReport::ContributedAndFinalized { .. } => {
            let t = chain.view(ITaskViews::viewTaskCall { id: task }).await?;
            if t.status != task_status::COMPLETED {
                return Err(Failure(StatusCode::CONFLICT, format!("the chain shows task {task} in status {}, not completed", t.status)));
            }
            r.status = "completed".into();
            r.action = action_json(&Action::Complete);
        }
        StatusReport::Failed { reason, message } => {
            warn!(task = %task, worker = %w, ?reason, %message, "worker failed");
            r.status = "failed".into();
            r.action = action_json(&Action::Abort { reason: AbortReason::WorkerFailed });
        }
    }
    let action = parse_action(&r.action);
    if is_final(&action) {
        r.delivered = 1;
    }
    s.engine.store.save_replicate(&r).await?;
    Ok(Json(Instruction { task_id: task, action }))
}

fn result_path(dir: &std::path::Path, task: &B256) -> PathBuf {
    dir.join(format!("{task}.zip"))
}

async fn upload(State(s): State<ApiState>, headers: HeaderMap, Path(task): Path<B256>, body: Bytes) -> Reply<ResultLink> {
    let w = worker(&s, &headers).await?;
    let allowed = match s.engine.store.replicate(&task, &w).await? {
        Some(r) => r.mode == "contribute_and_finalize" || matches!(parse_action(&r.action), Action::Upload) || is_uploader(&s, &task, &w).await?,
        None => false,
    };
    if !allowed {
        return Err(Failure(StatusCode::FORBIDDEN, format!("{w} was not asked to upload the result of {task}")));
    }
    tokio::fs::create_dir_all(&s.results_dir).await.map_err(|e| anyhow::anyhow!("creating {}: {e}", s.results_dir.display()))?;
    let path = result_path(&s.results_dir, &task);
    tokio::fs::write(&path, &body).await.map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    info!(task = %task, worker = %w, bytes = body.len(), "result uploaded");
    Ok(Json(ResultLink::pool(&s.public_url, &task)))
}

async fn is_uploader(s: &ApiState, task: &B256, w: &Address) -> anyhow::Result<bool> {
    Ok(s.engine.store.task(task).await?.and_then(|t| t.uploader).as_deref() == Some(hex_of(w).as_str()))
}

async fn download(State(s): State<ApiState>, Path(task): Path<B256>) -> Result<Vec<u8>, Failure> {
    tokio::fs::read(result_path(&s.results_dir, &task))
        .await
        .map_err(|_| Failure(StatusCode::NOT_FOUND, format!("no result uploaded for {task}")))
}
