//! # poco-hub-base
//!
//! What every facet of the PoCo hub shares — PoCo's `FacetBase.sol`, `IexecEscrow.sol`,
//! `SignatureVerifier.sol` and `PocoStorageLib.sol`, as a library linked into each facet:
//!
//! - [`layout`]: the hub's storage, rooted at PoCo's ERC-7201 slot and packed tighter than
//!   PoCo's (the layout is ours; the ABI is PoCo's);
//! - [`callback`]: a deal's result callback (`receiveResult`) with PoCo's gas rule;
//! - [`calls`]: typed view calls to asset owners (IERC5313), registries and workerpools;
//! - [`diamond`]: the ERC-2535 selector table and owner, shared by the router and the facets;
//! - [`escrow`]: the SRLC ledger (mint, burn, transfer, lock, unlock, reward, seize) and its
//!   events;
//! - [`funding`]: RLC in (`transferFrom`, then mint) and out (burn, then `transfer`), for the
//!   router's deposits and withdrawals and the escrow facet's;
//! - [`signatures`]: EOA (65/64-byte ECDSA through the ecrecover precompile), ERC-1271 and
//!   presigned orders, and ERC-734 group restrictions;
//! - [`task`]: tasks, contributions and consensus tallies (packed), the task events, the
//!   deadlines derived from the deal, and the contribution authorization check;
//! - [`wide`]: `uint256` deal fields packed in a few bytes, spilling to a slot of their own
//!   only when they do not fit;
//! - [`log`]: hand-encoded events with static parameters (one encoder for all);
//! - [`revert`]: PoCo's revert shapes (`Error(string)`, `Panic(uint256)`, bare revert);
//! - `testing` (feature `testing`, host tests only): `MockHost`, a TestVM whose external calls
//!   each return their own mock.
//!
//! Every facet enables stylus-sdk's `reentrant` feature: PoCo has no reentrancy guard and
//! legitimately re-enters itself (`receiveApproval` delegatecalls `matchOrders` on the hub;
//! restriction and ERC-1271 checks call untrusted contracts that may call back views).
#![no_std]

extern crate alloc;

pub mod callback;
pub mod calls;
pub mod diamond;
pub mod escrow;
pub mod funding;
pub mod layout;
pub mod log;
pub mod revert;
pub mod signatures;
pub mod task;
pub mod wide;
#[cfg(all(feature = "testing", not(target_arch = "wasm32")))]
pub mod testing;

pub use layout::{category_count, poco_storage, PocoStorage};
