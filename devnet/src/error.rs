//! Error types of the devnet.

use thiserror::Error;

/// Why a program could not be activated (mirrors nitro's activation failures; reported to the
/// caller of `ArbWasm.activateProgram` as a revert with this message).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ActivationError {
    /// The code does not carry the Stylus prefix.
    #[error("program is not wasm")]
    NotWasm,
    /// Unsupported dictionary byte.
    #[error("unknown brotli dictionary {0:#04x}")]
    UnknownDictionary(u8),
    /// Brotli stream is corrupt.
    #[error("failed to decompress wasm: {0}")]
    Decompress(String),
    /// A size limit was exceeded.
    #[error("{what} too large: {size} > {limit}")]
    TooLarge {
        /// What was measured.
        what: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// wasmparser rejected the module with nitro's feature set.
    #[error("invalid wasm: {0}")]
    Invalid(String),
    /// A structural rule of nitro's `parse_user` was broken.
    #[error("{0}")]
    Rule(String),
}

/// Errors of the devnet's own API (not EVM reverts: those are results).
#[derive(Debug, Error)]
pub enum DevnetError {
    /// The transaction was rejected before execution (nonce, funds, gas limit, ...).
    #[error("invalid transaction: {0}")]
    InvalidTransaction(String),
    /// The transaction is already in the chain or the pending block (geth's message).
    #[error("already known")]
    AlreadyKnown,
    /// The transaction's nonce is below the sender's next one (geth's message).
    #[error("nonce too low: address {address}, tx: {tx} state: {state}")]
    NonceTooLow {
        /// Sender.
        address: alloy_primitives::Address,
        /// The transaction's nonce.
        tx: u64,
        /// The sender's next nonce.
        state: u64,
    },
    /// The transaction's nonce is above the sender's next one: the devnet has no queue for
    /// future nonces (geth's message).
    #[error("nonce too high: address {address}, tx: {tx} state: {state}")]
    NonceTooHigh {
        /// Sender.
        address: alloy_primitives::Address,
        /// The transaction's nonce.
        tx: u64,
        /// The sender's next nonce.
        state: u64,
    },
    /// A raw transaction could not be decoded or its signature recovered.
    #[error("cannot decode transaction: {0}")]
    Decode(String),
    /// Unknown account for `eth_sendTransaction`.
    #[error("unknown account {0}")]
    UnknownAccount(alloy_primitives::Address),
    /// `activateProgram` answered `ProgramUpToDate`: the codehash is already active.
    #[error("program {0} is already activated")]
    AlreadyActivated(alloy_primitives::Address),
    /// Unknown block, transaction or snapshot.
    #[error("not found: {0}")]
    NotFound(String),
    /// The execution engine failed (a devnet bug, never a contract's fault).
    #[error("internal error: {0}")]
    Internal(String),
}
