//! Deploying a Stylus program over JSON-RPC the way cargo-stylus does: a creation
//! transaction whose runtime code is the program, then `ArbWasm.activateProgram` paying the
//! data fee (estimated with an `eth_call`, plus cargo-stylus' 20 % margin).

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol,
    sol_types::{abi::TokenSeq, SolType, SolValue},
};
use anyhow::{bail, Context, Result};

/// Arbitrum's ArbWasm precompile.
pub const ARB_WASM: Address = Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x71]);

sol! {
    /// The part of Arbitrum's `ArbWasm` precompile a deployer uses.
    #[sol(rpc)]
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
    }
}

/// Calldata of a stylus-sdk `#[constructor]`: selector `keccak256("stylus_constructor()")`
/// followed by the ABI-encoded arguments.
pub fn constructor_calldata<T>(args: &T) -> Bytes
where
    T: SolValue,
    for<'a> <T::SolType as SolType>::Token<'a>: TokenSeq<'a>,
{
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend_from_slice(&args.abi_encode_params());
    data.into()
}

/// Deploys `code` and activates it; returns the program address.
pub async fn deploy_program<P: Provider>(provider: &P, name: &str, code: &[u8]) -> Result<Address> {
    let tx = TransactionRequest::default().with_deploy_code(stylus_code::deploy_init_code(code));
    let receipt = provider
        .send_transaction(tx)
        .await
        .with_context(|| format!("deploying {name}"))?
        .get_receipt()
        .await
        .with_context(|| format!("receipt of the deployment of {name}"))?;
    if !receipt.status() {
        bail!("deployment of {name} reverted (tx {})", receipt.transaction_hash);
    }
    let address = receipt.contract_address.with_context(|| format!("no contract address for {name}"))?;
    activate(provider, name, address).await?;
    Ok(address)
}

/// Activates the program at `address`, paying the estimated data fee plus 20 %.
pub async fn activate<P: Provider>(provider: &P, name: &str, address: Address) -> Result<()> {
    let arb_wasm = IArbWasm::new(ARB_WASM, provider);
    let estimate = arb_wasm
        .activateProgram(address)
        .value(U256::from(10).pow(U256::from(18)))
        .call()
        .await
        .with_context(|| format!("estimating the activation fee of {name}"))?;
    let fee = estimate.dataFee + estimate.dataFee / U256::from(5);
    let receipt = arb_wasm
        .activateProgram(address)
        .value(fee)
        .send()
        .await
        .with_context(|| format!("activating {name}"))?
        .get_receipt()
        .await?;
    if !receipt.status() {
        bail!("activation of {name} reverted (tx {})", receipt.transaction_hash);
    }
    Ok(())
}

/// Calls `address` with `calldata` in a transaction and waits for success.
pub async fn transact<P: Provider>(provider: &P, what: &str, address: Address, calldata: Bytes) -> Result<()> {
    let tx = TransactionRequest::default().with_to(address).with_input(calldata);
    let receipt = provider
        .send_transaction(tx)
        .await
        .with_context(|| what.to_string())?
        .get_receipt()
        .await
        .with_context(|| format!("receipt of {what}"))?;
    if !receipt.status() {
        bail!("{what} reverted (tx {})", receipt.transaction_hash);
    }
    Ok(())
}
