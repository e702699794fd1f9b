//! The HTTP protocol between a workerpool's scheduler and its workers: route paths and the
//! JSON bodies both sides exchange, one definition shared by `poco-scheduler` (the server)
//! and `poco-worker` (the client).
//!
//! It is modelled on what iexec-core serves its workers (spec/OFFCHAIN.md §2.6), simplified
//! to plain request/response polling (no STOMP push): a worker asks for work, then polls the
//! instructions of the tasks it holds, and every status report is answered with the task's
//! next instruction, so a worker that restarts or misses a reply recovers by polling again.
//!
//! # The conversation
//!
//! 1. **Registration.** `GET` [`routes::CHALLENGE`]`?wallet=0x…` → [`Challenge`]; the worker
//!    signs it with [`sign_challenge`] (EIP-191 `personal_sign` of the 32 challenge bytes)
//!    and `POST`s a [`Register`] to [`routes::REGISTER`] → [`Registered`], whose bearer
//!    token authenticates every later call (`Authorization: Bearer <token>`, see
//!    [`bearer`]). A challenge is good for one registration; registering again (e.g. after
//!    a restart) issues a new token and keeps the worker's tasks.
//! 2. **Liveness.** `POST` [`routes::PING`] (empty body) → [`Pong`], every few seconds. A
//!    worker that stops pinging gets no new work; its tasks are not taken from it (the chain
//!    decides: a contribution never sent is simply missing from the consensus).
//! 3. **Work.** `POST` [`routes::ASK`] with an [`AskForWork`] → [`AskReply`]: at most one
//!    [`Assignment`] — the task and the scheduler's `WorkerpoolAuthorization` signature
//!    (EIP-191 over poco-core's `messages::worker_authorization_hash(worker, taskid,
//!    enclaveChallenge)`, signed by the workerpool owner). The worker reads the deal, app and
//!    dataset from the chain itself, as iExec's worker does. The assignment's [`Mode`] says
//!    whether it calls `contribute` or, on a trust-1 task, `contributeAndFinalize`.
//! 4. **Reports.** `POST` [`routes::status`]`(taskid)` with a [`StatusReport`] after each
//!    step (`Contributed`, `Revealed`, `Uploaded`, `ContributedAndFinalized`, or `Failed`
//!    with a [`FailureReason`]) → [`Instruction`], the next thing to do. Transactions the
//!    report names are checked on the chain by the scheduler (`viewContribution`), never
//!    trusted as such.
//! 5. **Instructions.** `GET` [`routes::INSTRUCTIONS`] → [`Instructions`]: for every task
//!    the worker holds and the scheduler still drives, what to do now ([`Action`]: wait,
//!    reveal after a block, upload, abort, done). This is how a worker learns that
//!    consensus was reached or that it should upload; it is also its recovery after a
//!    restart (iexec-core's `/replicates/interrupted`).
//! 6. **Results.** `PUT` [`routes::result`]`(taskid)` with the raw result archive (the zip of
//!    the task's output folder, `application/octet-stream`, at most
//!    [`MAX_RESULT_BYTES`]) → [`ResultLink`]. Accepted from a worker asked to upload
//!    ([`Action::Upload`]) or holding a [`Mode::ContributeAndFinalize`] assignment (it needs
//!    the link for `results` before it sends the transaction). Anyone may `GET` it back from
//!    the same path. A callback deal uploads nothing: its link is
//!    [`ResultLink::ethereum`] of the callback.
//!
//! Errors are an HTTP status with an [`ApiError`] body (what went wrong and what to do).
//!
//! # Changes
//!
//! This module only grows: fields are added as `Option`/`#[serde(default)]`, enum variants
//! are added at the end. A change a worker must know about is listed here.

use alloy::{
    primitives::{Address, Bytes, B256},
    signers::{local::PrivateKeySigner, SignerSync},
};
use anyhow::{Context, Result};
use poco_core::messages::eth_signed_message_hash;
use serde::{Deserialize, Serialize};

/// Route paths the scheduler serves.
pub mod routes {
    use alloy::primitives::B256;

    /// `GET ?wallet=0x…` → [`super::Challenge`].
    pub const CHALLENGE: &str = "/v1/workers/challenge";
    /// `POST` [`super::Register`] → [`super::Registered`].
    pub const REGISTER: &str = "/v1/workers/register";
    /// `POST` (authenticated, empty body) → [`super::Pong`].
    pub const PING: &str = "/v1/workers/ping";
    /// `GET` (public) → [`super::PoolInfo`].
    pub const POOL: &str = "/v1/pool";
    /// `POST` (authenticated) [`super::AskForWork`] → [`super::AskReply`].
    pub const ASK: &str = "/v1/work/ask";
    /// `GET` (authenticated) → [`super::Instructions`].
    pub const INSTRUCTIONS: &str = "/v1/work/instructions";
    /// Axum-style template of [`status`].
    pub const STATUS_TEMPLATE: &str = "/v1/work/{task}/status";
    /// Axum-style template of [`result`].
    pub const RESULT_TEMPLATE: &str = "/v1/results/{task}";

    /// `POST` (authenticated) [`super::StatusReport`] → [`super::Instruction`]: the status
    /// of `task` on the reporting worker.
    pub fn status(task: &B256) -> String {
        format!("/v1/work/{task}/status")
    }

    /// `PUT` (authenticated) the result archive of `task` → [`super::ResultLink`];
    /// `GET` (public) → the archive.
    pub fn result(task: &B256) -> String {
        format!("/v1/results/{task}")
    }
}

/// Largest result archive the scheduler accepts (64 MiB).
pub const MAX_RESULT_BYTES: usize = 64 * 1024 * 1024;

/// The `storage` of a result link to the scheduler's own result store (iExec's providers
/// are `ipfs`, `dropbox` and `ethereum`; this workerpool serves results itself, at
/// [`routes::result`], instead of pinning them on IPFS).
pub const STORAGE_POOL: &str = "poco-pool";

/// The `storage` of a callback deal's result link.
pub const STORAGE_ETHEREUM: &str = "ethereum";

/// A registration challenge: 32 random bytes to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The bytes to sign with [`sign_challenge`].
    pub challenge: B256,
    /// Unix time after which the scheduler refuses it.
    pub expires_at: u64,
}

/// `personal_sign` of `challenge` by `signer`: an EIP-191 signature over
/// `keccak256("\x19Ethereum Signed Message:\n32" ‖ challenge)`, 65 bytes `r ‖ s ‖ v`.
/// Why EIP-191: a wallet can sign it without knowing this protocol, and it cannot be
/// replayed as a transaction or an order.
pub fn sign_challenge(signer: &PrivateKeySigner, challenge: &B256) -> Result<Bytes> {
    let sig = signer.sign_hash_sync(&eth_signed_message_hash(challenge)).context("signing the challenge")?;
    Ok(Bytes::from(sig.as_bytes().to_vec()))
}

/// The address that signed `challenge` with `signature` ([`sign_challenge`]).
pub fn challenge_signer(challenge: &B256, signature: &[u8]) -> Result<Address> {
    let sig = alloy::primitives::Signature::try_from(signature).context("a 65-byte signature r ‖ s ‖ v")?;
    sig.recover_address_from_prehash(&eth_signed_message_hash(challenge)).context("recovering the challenge's signer")
}

/// What a worker runs, sent at registration (informational: the scheduler only assigns
/// tasks the worker says it can run).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Runs WebAssembly (WASI) apps.
    #[serde(default)]
    pub wasm: bool,
    /// Runs `DOCKER` apps (a docker CLI is present).
    #[serde(default)]
    pub docker: bool,
    /// Runs TEE tasks.
    #[serde(default)]
    pub tee: bool,
    /// Tasks it runs at once.
    #[serde(default)]
    pub slots: u32,
    /// Its software, e.g. `poco-worker 0.1.0`.
    #[serde(default)]
    pub version: String,
}

/// `POST` [`routes::REGISTER`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// The worker's wallet (the address that contributes).
    pub wallet: Address,
    /// The challenge from [`routes::CHALLENGE`].
    pub challenge: B256,
    /// [`sign_challenge`] of it by `wallet`.
    pub signature: Bytes,
    /// What it runs.
    #[serde(default)]
    pub capabilities: Capabilities,
}

/// Answer to [`Register`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    /// Bearer token of the later calls.
    pub token: String,
    /// The pool the worker joined.
    pub pool: PoolInfo,
    /// Seconds between pings the scheduler expects.
    pub ping_period_secs: u64,
    /// Seconds between asks for work (and instruction polls) the scheduler expects.
    pub ask_period_secs: u64,
}

/// The workerpool a scheduler serves (`GET` [`routes::POOL`]): what a worker checks an
/// authorization against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolInfo {
    /// Chain id.
    pub chain_id: u64,
    /// The PoCo hub.
    pub hub: Address,
    /// The workerpool contract.
    pub workerpool: Address,
    /// Its owner: the scheduler's wallet, signer of the authorizations.
    pub owner: Address,
}

/// Answer to a ping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pong {
    /// The scheduler's latest block.
    pub block_number: u64,
}

/// `POST` [`routes::ASK`]: a worker with a free slot asks for a task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskForWork {
    /// The latest block of the worker's node (0: unknown). The scheduler assigns nothing to
    /// a worker whose node lags behind the task's initialization.
    #[serde(default)]
    pub block_number: u64,
    /// Its free slots.
    #[serde(default)]
    pub free_slots: u32,
    /// The tasks it holds (assigned and not finished), when it tells. An assignment the
    /// scheduler recorded but the worker does not hold was lost on the way (the scheduler
    /// stopped before its answer left, or the worker dropped it): the scheduler gives it
    /// again before any new task. `None` (a worker that does not tell): nothing is given twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<Vec<B256>>,
}

/// Answer to [`AskForWork`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskReply {
    /// A task to run, or none now (ask again after `ask_period_secs`).
    pub assignment: Option<Assignment>,
}

/// How the worker settles its result on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// `contribute(taskid, resultHash, resultSeal, enclaveChallenge, enclaveSign,
    /// authorizationSign)` (needs `deal.workerStake` deposited), then report
    /// [`StatusReport::Contributed`] and wait for [`Action::Reveal`].
    Contribute,
    /// Trust-1 fast path: upload the result ([`routes::result`]; a callback deal skips it
    /// and uses [`ResultLink::ethereum`]), then send `contributeAndFinalize(taskid,
    /// resultDigest, link.to_results(), resultsCallback, enclaveChallenge, enclaveSign,
    /// authorizationSign)` and report [`StatusReport::ContributedAndFinalized`]. No stake is
    /// locked, no reveal follows.
    ContributeAndFinalize,
}

/// A task for a worker, with the scheduler's authorization (iExec's
/// `WorkerpoolAuthorization`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// `taskid = keccak256(dealid ‖ uint256(idx))`.
    pub task_id: B256,
    /// The deal.
    pub deal_id: B256,
    /// The task's index in the deal.
    pub task_index: u64,
    /// The worker it authorizes.
    pub worker: Address,
    /// `address(0)` for a standard task.
    pub enclave_challenge: Address,
    /// EIP-191 signature of `worker_authorization_hash(worker, task_id, enclave_challenge)`
    /// by the workerpool owner: `authorizationSign` of the transaction.
    pub authorization: Bytes,
    /// Which transaction the worker sends.
    pub mode: Mode,
    /// Block of the task's `TaskInitialize`: the worker's node must have reached it before
    /// it reads the task.
    pub initialized_block: u64,
}

/// A worker's report on a task (`POST` [`routes::status`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StatusReport {
    /// Computed; about to send its transaction (optional, informational).
    Computed {
        /// The result digest it will contribute.
        result_digest: B256,
    },
    /// `contribute` mined.
    Contributed {
        /// Its transaction.
        tx: B256,
    },
    /// `reveal` mined.
    Revealed {
        /// Its transaction.
        tx: B256,
    },
    /// The result archive was uploaded ([`routes::result`]).
    Uploaded {
        /// The link the upload returned.
        link: ResultLink,
        /// The hex-decoded callback data (`computed.json` `callback-data`), empty without.
        #[serde(default)]
        callback_data: Bytes,
    },
    /// `contributeAndFinalize` mined (the task is completed on chain).
    ContributedAndFinalized {
        /// Its transaction.
        tx: B256,
    },
    /// The worker gave up on the task.
    Failed {
        /// Why, in a word.
        reason: FailureReason,
        /// Details for the operator (error chain, revert reason).
        #[serde(default)]
        message: String,
    },
}

/// Why a worker gave up on a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The app or dataset could not be fetched.
    DownloadFailed,
    /// The app's or dataset's checksum differs from the registry's.
    ChecksumMismatch,
    /// The app type cannot run here (e.g. `DOCKER` without a docker CLI).
    UnsupportedApp,
    /// The app failed or exceeded its limits and no deterministic error result was made.
    ComputeFailed,
    /// The worker's free stake is below `deal.workerStake`.
    StakeTooLow,
    /// The task is no longer contributable (deadline, status, already contributed).
    CannotContribute,
    /// Its `contribute`/`contributeAndFinalize` reverted.
    ContributeReverted,
    /// It cannot reveal (deadline passed, its vote is not the consensus).
    CannotReveal,
    /// Its `reveal` reverted.
    RevealReverted,
    /// The result upload failed.
    UploadFailed,
    /// Anything else (see the message).
    Other,
}

/// What a worker does next on a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Nothing yet: ask again later (after contributing, until consensus).
    Wait,
    /// Go on with what it was doing (compute and contribute per the assignment).
    Continue,
    /// Consensus was reached on the worker's vote: `reveal(taskid, resultDigest)` once its
    /// node has reached `consensus_block`.
    Reveal {
        /// Block of the `TaskConsensus` event.
        consensus_block: u64,
    },
    /// Upload the result archive ([`routes::result`]), then report
    /// [`StatusReport::Uploaded`].
    Upload,
    /// Stop working on the task (consensus reached without it, deadline, reopened).
    Abort {
        /// Why.
        reason: AbortReason,
    },
    /// The task is finalized: drop its files.
    Complete,
}

/// Why the scheduler aborts a worker's task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbortReason {
    /// Consensus was reached on another vote (or without this worker).
    ConsensusReached,
    /// The contribution deadline passed.
    ContributionTimeout,
    /// The reveal deadline passed before it revealed.
    RevealTimeout,
    /// The final deadline passed; the task is claimed.
    FinalDeadlineReached,
    /// The task was reopened: its earlier contribution no longer counts.
    Reopened,
    /// The scheduler does not know this task for this worker.
    UnknownTask,
    /// The worker reported a failure: the scheduler no longer counts on it for the task.
    WorkerFailed,
}

/// The next action on one task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    /// The task.
    pub task_id: B256,
    /// What to do.
    #[serde(flatten)]
    pub action: Action,
}

/// Answer to `GET` [`routes::INSTRUCTIONS`]: one per task the worker holds and the
/// scheduler has not closed for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instructions {
    /// In the order the tasks were assigned.
    pub instructions: Vec<Instruction>,
}

/// iExec's result link: where a task's result is, the JSON the scheduler finalizes with
/// (`results` of `finalize` / `contributeAndFinalize`, spec/OFFCHAIN.md §3.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLink {
    /// `ipfs`, `dropbox`, `ethereum` in iExec; [`STORAGE_POOL`] for this pool's store.
    pub storage: String,
    /// Where, in the storage's terms (a URL for [`STORAGE_POOL`], the callback address for
    /// `ethereum`).
    pub location: String,
}

impl ResultLink {
    /// The link of a callback deal: `{ "storage": "ethereum", "location": "<callback>" }`.
    pub fn ethereum(callback: Address) -> Self {
        Self { storage: STORAGE_ETHEREUM.into(), location: callback.to_checksum(None) }
    }

    /// The link to a result in a scheduler's store at `base_url` (e.g.
    /// `http://127.0.0.1:7070`).
    pub fn pool(base_url: &str, task: &B256) -> Self {
        Self { storage: STORAGE_POOL.into(), location: format!("{}{}", base_url.trim_end_matches('/'), routes::result(task)) }
    }

    /// The UTF-8 JSON iExec's worker builds, with its exact spacing:
    /// `{ "storage": "…", "location": "…" }` — the `results` bytes of the transaction.
    pub fn to_results(&self) -> Bytes {
        // serde_json escapes the strings; the frame is iExec's (ResultService.buildResultLink).
        let s = |v: &str| serde_json::Value::String(v.to_owned()).to_string();
        Bytes::from(format!("{{ \"storage\": {}, \"location\": {} }}", s(&self.storage), s(&self.location)).into_bytes())
    }
}

/// The error body of every non-2xx answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong and what to do about it.
    pub error: String,
}

/// The `Authorization` header value of a call made with `token`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use super::*;

    #[test]
    fn a_signed_challenge_recovers_to_its_signer_and_not_for_another_challenge() {
        let signer = PrivateKeySigner::random();
        let challenge = B256::repeat_byte(7);
        let sig = sign_challenge(&signer, &challenge).unwrap();
        assert_eq!(sig.len(), 65);
        assert_eq!(challenge_signer(&challenge, &sig).unwrap(), signer.address());
        assert_ne!(challenge_signer(&B256::repeat_byte(8), &sig).unwrap(), signer.address());
        assert!(challenge_signer(&challenge, &sig[..64]).is_err());
    }

    #[test]
    fn result_link_bytes_have_iexecs_spacing() {
        let link = ResultLink { storage: "ipfs".into(), location: "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG".into() };
        assert_eq!(
            link.to_results().as_ref(),
            br#"{ "storage": "ipfs", "location": "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" }"#
        );
        let back: ResultLink = serde_json::from_slice(&link.to_results()).unwrap();
        assert_eq!(back, link);
        let quoted = ResultLink { storage: "x".into(), location: "a\"b".into() };
        let back: ResultLink = serde_json::from_slice(&quoted.to_results()).unwrap();
        assert_eq!(back, quoted);
    }

    #[test]
    fn reports_and_instructions_are_tagged_json() {
        let r = StatusReport::Failed { reason: FailureReason::StakeTooLow, message: "deposit 5 RLC".into() };
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["status"], "failed");
        assert_eq!(j["reason"], "stake_too_low");
        assert_eq!(serde_json::from_value::<StatusReport>(j).unwrap(), r);
        let i = Instruction { task_id: B256::repeat_byte(1), action: Action::Reveal { consensus_block: 9 } };
        let j = serde_json::to_value(&i).unwrap();
        assert_eq!(j["action"], "reveal");
        assert_eq!(j["consensus_block"], 9);
        assert_eq!(serde_json::from_value::<Instruction>(j).unwrap(), i);
        assert_eq!(routes::status(&B256::ZERO), format!("/v1/work/{}/status", B256::ZERO));
    }
}
