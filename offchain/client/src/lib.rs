//! # poco-client
//!
//! Drives the PoCo-on-Stylus contracts through ordinary ABI calls over JSON-RPC, as any
//! integrator would:
//! - [`bindings`]: typed bindings of every deployed contract, from the committed `abi/`;
//! - [`artifacts`]: the built programs (`target/stylus/*.code`, from `cargo xtask wasm`) and
//!   the exported ABIs (`abi/*.json`, from `cargo xtask abi`);
//! - [`stylus`]: deploying and activating a Stylus program, calling its constructor;
//! - [`deploy`]: the whole protocol — RLC, registries and their entry programs, the hub
//!   router and its facets, the diamond cut, `configure` and the default categories;
//! - [`pool_api`]: the HTTP protocol between a workerpool's scheduler and its workers;
//! - [`chains`], [`keys`]: chain files and deployment records, signing keys;
//! - [`orders`], [`assets`], [`tasks`]: orders off chain (JSON file, EIP-712 signing), assets
//!   in their registries, deals and tasks with iExec's status names;
//! - [`revert`]: revert data decoded to PoCo's reasons and custom errors.

pub mod artifacts;
pub mod assets;
pub mod bindings;
pub mod chains;
pub mod deploy;
pub mod keys;
pub mod orders;
pub mod revert;
pub mod pool_api;
pub mod stylus;
pub mod tasks;

pub use artifacts::Artifacts;
pub use deploy::{deploy_foundation, deploy_hub, deploy_poco, PocoDeployment};
