//! Cache bids for the deployed programs: a program in ArbOS' Stylus cache pays a smaller
//! entry cost on every call. Bids go to the chain's CacheManager (nitro-contracts
//! `src/chain/CacheManager.sol`, found through `ArbWasmCache.allCacheManagers()` at `0x72`),
//! what `cargo stylus cache bid` does: `placeBid(program)` with the bid as value, refused
//! below `getMinBid(program)`.

use alloy::{
    network::TransactionBuilder,
    primitives::{address, Address, B256, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol,
    sol_types::SolCall,
};
use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::record::DeploymentRecord;

/// ArbOS' `ArbWasmCache` precompile.
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");

sol! {
    /// The part of `ArbWasmCache` a bidder reads.
    #[sol(rpc)]
    interface IArbWasmCache {
        function allCacheManagers() external view returns (address[] managers);
        function codehashIsCached(bytes32 codehash) external view returns (bool);
    }

    /// The bid API of nitro-contracts' `CacheManager`.
    #[sol(rpc)]
    interface ICacheManager {
        function getMinBid(address program) external view returns (uint192 min);
        function placeBid(address program) external payable;
    }
}

/// What happened to one program's bid.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum CacheBid {
    /// Already in the cache: no bid.
    Cached {
        /// The program.
        name: String,
    },
    /// Bid placed.
    Placed {
        /// The program.
        name: String,
        /// Wei bid.
        bid: U256,
        /// The transaction.
        tx: B256,
    },
    /// The bid is below what the cache asks now.
    TooSmall {
        /// The program.
        name: String,
        /// The smallest bid that would place it.
        min: U256,
    },
}

/// Bids `bid` wei for each program of `record` that is not cached yet.
pub async fn place_bids<P: Provider>(provider: &P, record: &DeploymentRecord, bid: U256) -> Result<Vec<CacheBid>> {
    let cache = IArbWasmCache::new(ARB_WASM_CACHE, provider);
    let managers = cache.allCacheManagers().call().await.context("ArbWasmCache.allCacheManagers")?;
    let Some(&manager) = managers.first() else {
        bail!("this chain has no CacheManager (ArbWasmCache.allCacheManagers is empty): no cache bids");
    };
    let manager_api = ICacheManager::new(manager, provider);
    let mut bids = Vec::new();
    // One bid per codehash: the cache holds code, not addresses.
    let mut seen = std::collections::BTreeSet::new();
    for (name, program) in &record.programs {
        if !seen.insert(program.codehash) {
            continue;
        }
        if cache.codehashIsCached(program.codehash).call().await.with_context(|| format!("codehashIsCached of {name}"))? {
            bids.push(CacheBid::Cached { name: name.clone() });
            continue;
        }
        let min = U256::from(
            manager_api.getMinBid(program.address).call().await.with_context(|| format!("CacheManager.getMinBid of {name}"))?,
        );
        if bid < min {
            bids.push(CacheBid::TooSmall { name: name.clone(), min });
            continue;
        }
        let call = ICacheManager::placeBidCall { program: program.address };
        let tx = TransactionRequest::default().with_to(manager).with_input(call.abi_encode()).with_value(bid);
        let receipt = provider
            .send_transaction(tx)
            .await
            .map_err(|e| match super::revert_data(&e) {
                Some(data) => anyhow::anyhow!("cache bid for {name}: {}", super::revert_text(&data)),
                None => anyhow::anyhow!("cache bid for {name}: {e}"),
            })?
            .get_receipt()
            .await
            .with_context(|| format!("receipt of the cache bid for {name}"))?;
        if !receipt.status() {
            bail!("the cache bid for {name} reverted (tx {})", receipt.transaction_hash);
        }
        bids.push(CacheBid::Placed { name: name.clone(), bid, tx: receipt.transaction_hash });
    }
    Ok(bids)
}
