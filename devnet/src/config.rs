//! Devnet configuration and its Arbitrum-like defaults.

use alloy_primitives::{Address, U256};

use crate::stylus::params::StylusParams;

/// The mnemonic of the prefunded development accounts (Hardhat/Anvil's, so tools know it).
pub const DEV_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// Chain id of Arbitrum's nitro devnode, so that tools configured for it work unchanged.
pub const DEVNODE_CHAIN_ID: u64 = 412_346;

/// Configuration of a [`crate::Devnet`].
#[derive(Debug, Clone)]
pub struct DevnetConfig {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Gas limit of a block (and so of a transaction): Arbitrum's 32M.
    pub block_gas_limit: u64,
    /// Base fee in wei: nitro devnode's 0.1 gwei.
    pub base_fee: u64,
    /// Balance of each development account.
    pub dev_balance: U256,
    /// Number of development accounts derived from the mnemonic.
    pub dev_accounts: u32,
    /// Mnemonic of the development accounts.
    pub mnemonic: String,
    /// Timestamp of the genesis block (`None`: wall clock).
    pub genesis_timestamp: Option<u64>,
    /// Stylus parameters, ArbOS version included (`StylusParams::for_arbos`).
    pub stylus: StylusParams,
    /// The chain owner (may cache and evict programs through `ArbWasmCache` and run the
    /// CacheManager's owner functions); `None`: the first dev account.
    pub chain_owner: Option<Address>,
    /// Interval mining: transactions wait in a pending block sealed every `block_time`
    /// (`None`: one block per transaction, sealed at once). Driven by the JSON-RPC server's
    /// timer (`rpc::serve`), or by [`crate::Devnet::seal_pending`] in-process.
    pub block_time: Option<std::time::Duration>,
}

impl Default for DevnetConfig {
    fn default() -> Self {
        Self {
            chain_id: DEVNODE_CHAIN_ID,
            block_gas_limit: 32_000_000,
            base_fee: 100_000_000,
            // 10,000 ETH.
            dev_balance: U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18u64)),
            dev_accounts: 10,
            mnemonic: DEV_MNEMONIC.to_string(),
            genesis_timestamp: None,
            stylus: StylusParams::default(),
            chain_owner: None,
            block_time: None,
        }
    }
}
