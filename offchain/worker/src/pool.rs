//! The worker's HTTP client of its scheduler (poco-client's `pool_api`): registration by
//! EIP-191 challenge, then authenticated asks, polls, reports and uploads. A scheduler that
//! forgot the worker (restarted with a fresh token table) answers 401: the worker
//! registers again and carries on.

use alloy::{
    primitives::{Bytes, B256},
    signers::local::PrivateKeySigner,
};
use anyhow::{bail, Context, Result};
use poco_client::pool_api::{
    bearer, routes, sign_challenge, ApiError, AskForWork, AskReply, Capabilities, Challenge, Instruction, Instructions,
    Pong, Register, Registered, ResultLink, StatusReport,
};
use reqwest::{Method, StatusCode};
use serde::{de::DeserializeOwned, Serialize};

/// A failed call to the scheduler.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// The token is no longer valid: register again.
    #[error("the scheduler does not know this worker's token (it restarted?): registering again")]
    Unauthorized,
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A session with the scheduler at `base_url`.
pub struct PoolClient {
    http: reqwest::Client,
    base_url: String,
    token: Option<String>,
}

impl PoolClient {
    /// A client of the scheduler at `base_url` (e.g. `http://127.0.0.1:7070`), not yet
    /// registered.
    pub fn new(base_url: &str) -> Self {
        Self { http: reqwest::Client::new(), base_url: base_url.trim_end_matches('/').to_string(), token: None }
    }

    /// The scheduler's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether it holds a token.
    pub fn is_registered(&self) -> bool {
        self.token.is_some()
    }

    /// Forgets the token (the next call must register).
    pub fn forget(&mut self) {
        self.token = None;
    }

    /// Registers `wallet`: fetches a challenge, signs it, and keeps the token.
    pub async fn register(&mut self, wallet: &PrivateKeySigner, capabilities: Capabilities) -> Result<Registered> {
        let url = format!("{}{}?wallet={}", self.base_url, routes::CHALLENGE, wallet.address());
        let challenge: Challenge = decode(self.http.get(&url).send().await.with_context(|| format!("GET {url}"))?).await?;
        let signature = sign_challenge(wallet, &challenge.challenge)?;
        let body = Register { wallet: wallet.address(), challenge: challenge.challenge, signature, capabilities };
        let url = format!("{}{}", self.base_url, routes::REGISTER);
        let registered: Registered = decode(self.http.post(&url).json(&body).send().await.with_context(|| format!("POST {url}"))?).await?;
        self.token = Some(registered.token.clone());
        Ok(registered)
    }

    async fn call<B: Serialize, R: DeserializeOwned>(&self, method: Method, path: &str, body: Option<&B>) -> Result<R, PoolError> {
        let token = self.token.as_deref().ok_or(PoolError::Unauthorized)?;
        let url = format!("{}{path}", self.base_url);
        let mut request = self.http.request(method.clone(), &url).header("Authorization", bearer(token));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.with_context(|| format!("{method} {url}"))?;
        if response.status() == StatusCode::UNAUTHORIZED {
            return Err(PoolError::Unauthorized);
        }
        Ok(decode(response).await.with_context(|| format!("{method} {url}"))?)
    }

    /// Pings.
    pub async fn ping(&self) -> Result<Pong, PoolError> {
        self.call::<(), _>(Method::POST, routes::PING, None).await
    }

    /// Asks for a task.
    pub async fn ask(&self, ask: &AskForWork) -> Result<AskReply, PoolError> {
        self.call(Method::POST, routes::ASK, Some(ask)).await
    }

    /// What to do on each task it holds.
    pub async fn instructions(&self) -> Result<Instructions, PoolError> {
        self.call::<(), _>(Method::GET, routes::INSTRUCTIONS, None).await
    }

    /// Reports on `task`; returns the next instruction.
    pub async fn report(&self, task: &B256, report: &StatusReport) -> Result<Instruction, PoolError> {
        self.call(Method::POST, &routes::status(task), Some(report)).await
    }

    /// Uploads the result archive of `task`.
    pub async fn upload(&self, task: &B256, archive: Vec<u8>) -> Result<ResultLink, PoolError> {
        let token = self.token.as_deref().ok_or(PoolError::Unauthorized)?;
        let url = format!("{}{}", self.base_url, routes::result(task));
        let response = self
            .http
            .put(&url)
            .header("Authorization", bearer(token))
            .header("Content-Type", "application/octet-stream")
            .body(Bytes::from(archive).to_vec())
            .send()
            .await
            .with_context(|| format!("PUT {url}"))?;
        if response.status() == StatusCode::UNAUTHORIZED {
            return Err(PoolError::Unauthorized);
        }
        Ok(decode(response).await.with_context(|| format!("PUT {url}"))?)
    }
}

/// The JSON body of a 2xx answer, or the scheduler's error.
async fn decode<R: DeserializeOwned>(response: reqwest::Response) -> Result<R> {
    let status = response.status();
    let bytes = response.bytes().await.context("reading the scheduler's answer")?;
    if !status.is_success() {
        let message = serde_json::from_slice::<ApiError>(&bytes)
            .map(|e| e.error)
            .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
        bail!("the scheduler answered {status}: {message}");
    }
    serde_json::from_slice(&bytes).with_context(|| format!("the scheduler's answer is not the expected JSON: {}", String::from_utf8_lossy(&bytes)))
}
