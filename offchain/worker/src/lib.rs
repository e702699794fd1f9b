//! # poco-worker
//!
//! A worker of a PoCo workerpool, what iExec's `iexec-worker` is to iExec: it registers
//! with its scheduler, takes tasks, runs their app sandboxed, computes the result digest
//! exactly as iExec's worker does, and settles it on chain through the hub's ABI
//! (`contribute`, `reveal`, `contributeAndFinalize`), persisting what it does so that a
//! restart never sends a transaction twice.
//!
//! - [`sandbox`]: runs WebAssembly (WASI) apps in wasmi with fuel, memory and wall-time
//!   limits and only the task's folders; `DOCKER` apps through the docker CLI;
//! - [`fetch`]: the app's module and the dataset, checked against their registry checksums;
//! - [`digest`]: `computed.json`, the result digest, the callback data, the result archive;
//! - [`worker`]: the loop ([`Worker`]), over [`chain`] (views and transactions with
//!   retries and decoded reverts), [`pool`] (the scheduler's HTTP API) and [`store`] (its
//!   SQLite state);
//! - [`apps`]: builds the example apps of `examples/` to WASI.

pub mod apps;
pub mod chain;
pub mod digest;
pub mod fetch;
pub mod params;
pub mod pool;
pub mod sandbox;
pub mod store;
pub mod worker;

pub use worker::{Worker, WorkerConfig};
