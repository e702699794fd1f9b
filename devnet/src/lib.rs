//! poco-devnet: a docker-free local chain that runs EVM bytecode (revm) and Arbitrum Stylus
//! WASM programs (wasmi) the way Arbitrum does, in-process or over JSON-RPC.
//!
//! - [`Devnet`]: the chain (state, blocks, receipts, time, snapshots) and its library API;
//! - [`rpc`]: the JSON-RPC server (`poco-devnet` binary);
//! - [`stylus`]: activation (`ArbWasm`), pricing (ink) and the `vm_hooks` hostios;
//! - `evm`: how Stylus frames and EVM frames nest through one revm journal.
//!
//! The design and the gas model, with their known gaps, are described in `devnet/README.md`.

pub mod chain;
pub mod config;
pub mod error;
pub mod evm;
pub mod rpc;
pub mod stylus;
pub mod stylus_deployer;

pub use chain::{revert_text, BlockRecord, Devnet, ExecOutcome, TxRecord, TxRequest};
pub use config::{DevnetConfig, DEVNODE_CHAIN_ID, DEV_MNEMONIC};
pub use error::{ActivationError, DevnetError};
pub use stylus::GasSplit;
