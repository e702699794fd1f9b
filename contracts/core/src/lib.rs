//! # poco-core
//!
//! One definition of every on-chain type, hash and pure rule of iExec's Proof-of-Contribution
//! protocol (PoCo v6.2, reference `iExecBlockchainComputing/PoCo` at `fd0c823e`), shared by the
//! Stylus contracts (wasm32, where size is the scarcest resource) and by off-chain Rust code.
//!
//! The crate is `no_std` (with `alloc`), touches no host, and keeps the contract-side code
//! cheap: hashes are hand-written over fixed word buffers (cross-checked against alloy's generic
//! EIP-712 in tests), arithmetic is checked and returns [`PocoError`] where PoCo reverts.
//!
//! Size: a probe cdylib using an order's typed-data hash, the domain separator, signature
//! parsing and the reward split weighs ~3.3 KB brotli on wasm32 (with `native-keccak`).
//! Integer division goes through [`math`]'s small-divisor and long-division helpers rather
//! than ruint's generic `U256 / U256` (which alone costs ~4 KB brotli): avoid `/` on `U256`
//! in contract code and use [`math::div_small`] / [`math::mul_div`].
//!
//! Layout, one PoCo concern per module:
//! - data: [`orders`], [`deal`], [`task`], [`assets`], [`status`]; [`calldata`] decodes the
//!   order-taking functions' parameters by hand (small on wasm32)
//! - hashes and ids: [`eip712`], [`messages`], [`ids`], [`signature`]
//! - rules: [`matching`], [`stakes`], [`consensus`], [`rewards`], [`deadlines`], [`lifecycle`];
//!   [`boost`] for what PoCo Boost adds to them
//! - vocabulary: [`constants`], [`reasons`], [`error`], [`math`] (mulDiv, log2, percentages)
#![no_std]

extern crate alloc;

pub mod assets;
pub mod boost;
pub mod calldata;
pub mod consensus;
pub mod constants;
pub mod deadlines;
pub mod deal;
pub mod eip712;
pub mod error;
pub mod ids;
pub mod lifecycle;
pub mod matching;
pub mod math;
pub mod messages;
pub mod orders;
pub mod reasons;
pub mod rewards;
pub mod signature;
pub mod stakes;
pub mod status;
pub mod task;

pub use alloy_primitives::{Address, B256, U256};
pub use error::PocoError;
