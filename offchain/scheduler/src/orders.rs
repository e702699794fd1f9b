//! The workerpool order a scheduler publishes: signed by the pool owner (EIP-712, poco-core's
//! one definition) and broadcast on chain with `broadcastWorkerpoolOrder`, once per
//! configuration (a restart with the same terms does not broadcast again).

use alloy::{
    primitives::{B256, U256},
    signers::SignerSync,
    sol_types::SolCall,
};
use anyhow::{Context, Result};
use poco_core::{
    eip712::{domain_separator, PocoStructHash},
    orders::{broadcastWorkerpoolOrderCall, WorkerpoolOrder},
};
use tracing::{info, warn};

use crate::{chain::Sent, config::OrderConfig, engine::Engine, store::hex_of};

/// The signed order of `config` for the engine's pool. Its salt is derived from the terms,
/// so the same configuration is the same order (and is published once).
pub fn signed_order(engine: &Engine, signer: &alloy::signers::local::PrivateKeySigner, config: &OrderConfig) -> Result<(WorkerpoolOrder, B256)> {
    let salt = alloy::primitives::keccak256(
        format!("{}:{}:{}:{}:{}:{}", engine.config.workerpool, config.price, config.volume, config.category, config.trust, config.tag)
            .as_bytes(),
    );
    let mut order = WorkerpoolOrder {
        workerpool: engine.config.workerpool,
        workerpoolprice: U256::from(config.price),
        volume: U256::from(config.volume),
        tag: config.tag,
        category: U256::from(config.category),
        trust: U256::from(config.trust),
        salt,
        ..Default::default()
    };
    let hash = order.typed_data_hash(&domain_separator(engine.chain.chain_id, &engine.chain.hub));
    order.sign = signer.sign_hash_sync(&hash).context("signing the workerpool order")?.as_bytes().to_vec().into();
    Ok((order, hash))
}

/// Broadcasts the configured order unless a previous run already did.
pub async fn publish(engine: &Engine, config: &OrderConfig) -> Result<()> {
    let (order, hash) = signed_order(engine, engine.signer(), config)?;
    let subject = hex_of(hash);
    let already = engine.store.all_txs().await?.into_iter().any(|t| t.kind == "broadcast_order" && t.subjects == subject && t.status == "mined");
    if already {
        return Ok(());
    }
    let (_, now) = engine.chain.head().await?;
    let input = broadcastWorkerpoolOrderCall(order).abi_encode();
    match engine.chain.send(&engine.store, "broadcast_order", &[hash], input.into(), now).await? {
        Sent::Mined(_) => info!(order = %hash, price = config.price, volume = config.volume, "workerpool order published"),
        Sent::Pending(_) => {}
        Sent::Reverted(reason) | Sent::WouldRevert(reason) => warn!(%reason, "broadcastWorkerpoolOrder refused"),
    }
    Ok(())
}
