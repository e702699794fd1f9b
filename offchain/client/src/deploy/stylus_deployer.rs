//! Deploying a program through Arbitrum's `StylusDeployer`: creation, activation and the
//! constructor in one transaction (nitro-contracts `src/stylus/StylusDeployer.sol`, the path
//! `cargo stylus deploy` takes for programs with a constructor), so nobody can call a
//! constructor before its deployer does.
//!
//! Every program is created with CREATE2 under a salt derived from the deployment's
//! namespace and the program's name; the deployer mixes the constructor calldata into it.
//! The address of a program is therefore known before its transaction is sent
//! ([`predict`]), which is what makes a deployment resumable: a program whose transaction was
//! mined but not recorded is found at its address, not deployed twice.

use alloy::{
    network::TransactionBuilder,
    primitives::{address, keccak256, Address, Bytes, B256, U256},
    providers::Provider,
    rpc::types::{
        state::{AccountOverride, StateOverride},
        TransactionReceipt, TransactionRequest,
    },
    sol,
    sol_types::{SolCall, SolError, SolEvent, SolInterface},
};
use anyhow::{bail, Context, Result};

use super::activation::IArbWasmPrograms;
use crate::stylus::ARB_WASM;

/// Address of `StylusDeployer` on Arbitrum One, Arbitrum Sepolia, nitro's devnode and this
/// repository's devnet.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

sol! {
    /// nitro-contracts' `StylusDeployer`.
    interface IStylusDeployer {
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
    }
}

/// The CREATE2 salt of program `name` in the deployment namespace `namespace`.
pub fn program_salt(namespace: B256, name: &str) -> B256 {
    let mut packed = namespace.to_vec();
    packed.extend_from_slice(name.as_bytes());
    keccak256(packed)
}

/// The address the deployer gives a program of `code` (on-chain code, `EF F0 00 00` +
/// brotli) constructed with `init_data`, under `salt`.
pub fn predict(salt: B256, init_data: &[u8], code: &[u8]) -> Address {
    let mut packed = salt.to_vec();
    packed.extend_from_slice(init_data);
    let init_salt = keccak256(packed);
    STYLUS_DEPLOYER.create2(init_salt, keccak256(stylus_code::deploy_init_code(code)))
}

/// What one deployment transaction did.
#[derive(Debug, Clone)]
pub struct Deployed {
    /// The program.
    pub address: Address,
    /// The transaction.
    pub tx: B256,
    /// Its block.
    pub block: Option<u64>,
    /// Activation data fee (zero when the code was already active).
    pub data_fee: U256,
    /// Stylus version of the activation (`None`: no activation in this transaction).
    pub version: Option<u16>,
}

/// The activation data fee of `code`, estimated as cargo-stylus does: `activateProgram` in
/// an `eth_call` with the code overridden onto a scratch address. Zero when code with this
/// hash is already active (ArbWasm answers `ProgramUpToDate`).
pub async fn estimate_activation_fee<P: Provider>(provider: &P, name: &str, code: &[u8]) -> Result<U256> {
    let scratch = address!("0000000000000000000000000000000000005c0d");
    let mut overrides = StateOverride::default();
    overrides.insert(scratch, AccountOverride { code: Some(Bytes::copy_from_slice(code)), ..Default::default() });
    let call = IArbWasmPrograms::activateProgramCall { program: scratch };
    let tx = TransactionRequest::default()
        .with_to(ARB_WASM)
        .with_input(call.abi_encode())
        .with_value(U256::from(10).pow(U256::from(18)));
    match provider.call(tx).overrides(overrides).await {
        Ok(out) => Ok(IArbWasmPrograms::activateProgramCall::abi_decode_returns(&out)
            .with_context(|| format!("decoding the activation estimate of {name}"))?
            .dataFee),
        Err(e) => match super::revert_data(&e) {
            Some(data) if data.starts_with(&IArbWasmPrograms::ProgramUpToDate::SELECTOR) => Ok(U256::ZERO),
            _ => Err(anyhow::anyhow!("estimating the activation fee of {name}: {e}")),
        },
    }
}

/// Deploys `code` through the StylusDeployer, constructed with `init_data`, under `salt`;
/// pays the estimated activation fee plus cargo-stylus' 20 % (the deployer returns what
/// activation did not take).
pub async fn deploy<P: Provider>(provider: &P, name: &str, code: &[u8], init_data: Bytes, salt: B256) -> Result<Deployed> {
    let expected = predict(salt, &init_data, code);
    let fee = estimate_activation_fee(provider, name, code).await?;
    let call = IStylusDeployer::deployCall {
        bytecode: stylus_code::deploy_init_code(code).into(),
        initData: init_data,
        initValue: U256::ZERO,
        salt,
    };
    let tx = TransactionRequest::default()
        .with_to(STYLUS_DEPLOYER)
        .with_input(call.abi_encode())
        .with_value(fee + fee / U256::from(5));
    let receipt = provider
        .send_transaction(tx)
        .await
        .map_err(|e| match super::revert_data(&e) {
            Some(data) => anyhow::anyhow!("deploying {name} through the StylusDeployer: {}", deployer_revert(&data)),
            None => anyhow::anyhow!("deploying {name} through the StylusDeployer: {e}"),
        })?
        .get_receipt()
        .await
        .with_context(|| format!("receipt of the deployment of {name}"))?;
    if !receipt.status() {
        bail!("the deployment of {name} reverted (tx {})", receipt.transaction_hash);
    }
    let deployed = read_receipt(&receipt)?;
    if deployed.address != expected {
        bail!("{name} was deployed at {}, not at its predicted address {expected}", deployed.address);
    }
    Ok(deployed)
}

/// A StylusDeployer revert in words: its custom errors, else the bubbled revert.
fn deployer_revert(data: &[u8]) -> String {
    use IStylusDeployer::IStylusDeployerErrors as E;
    match E::abi_decode(data) {
        Ok(E::ContractInitializationError(e)) => {
            format!("the constructor of {} reverted: {}", e.newContract, super::revert_text(&e.data))
        }
        Ok(E::ContractDeploymentError(_)) => "the creation failed (is the program already at its CREATE2 address?)".into(),
        Ok(E::RefundExcessValueError(e)) => format!("the refund of {} wei to the sender failed", e.excessValue),
        Ok(E::EmptyBytecode(_)) => "empty bytecode".into(),
        Ok(E::InitValueButNotInitData(_)) => "value for a constructor without calldata".into(),
        Err(_) => super::revert_text(data),
    }
}

/// The program, fee and version a deployment transaction's receipt shows (its
/// `ContractDeployed` and, when it activated, ArbWasm's `ProgramActivated`).
pub fn read_receipt(receipt: &TransactionReceipt) -> Result<Deployed> {
    let mut deployed = None;
    let (mut data_fee, mut version) = (U256::ZERO, None);
    for log in receipt.inner.logs() {
        if log.address() == STYLUS_DEPLOYER {
            if let Ok(event) = IStylusDeployer::ContractDeployed::decode_log_data(log.data()) {
                deployed = Some(event.deployedContract);
            }
        } else if log.address() == ARB_WASM {
            if let Ok(event) = IArbWasmPrograms::ProgramActivated::decode_log_data(log.data()) {
                data_fee = event.dataFee;
                version = Some(event.version);
            }
        }
    }
    let Some(address) = deployed else {
        bail!("transaction {} has no StylusDeployer ContractDeployed event", receipt.transaction_hash);
    };
    Ok(Deployed { address, tx: receipt.transaction_hash, block: receipt.block_number, data_fee, version })
}

/// The transaction that deployed `program` through the StylusDeployer, searched from
/// `from_block` on (for a program found on chain that the record does not know).
pub async fn find_deployment<P: Provider>(provider: &P, program: Address, from_block: u64) -> Result<Option<Deployed>> {
    let filter = alloy::rpc::types::Filter::new()
        .address(STYLUS_DEPLOYER)
        .event_signature(IStylusDeployer::ContractDeployed::SIGNATURE_HASH)
        .from_block(from_block);
    let logs = provider.get_logs(&filter).await.context("eth_getLogs of the StylusDeployer")?;
    for log in logs {
        let Ok(event) = IStylusDeployer::ContractDeployed::decode_log_data(log.data()) else { continue };
        if event.deployedContract != program {
            continue;
        }
        let Some(hash) = log.transaction_hash else { continue };
        let receipt = provider
            .get_transaction_receipt(hash)
            .await
            .with_context(|| format!("receipt of {hash}"))?
            .with_context(|| format!("the node has no receipt for {hash}"))?;
        return read_receipt(&receipt).map(Some);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prediction_is_create2_of_the_deployer_with_the_init_data_in_the_salt() {
        let code = [0xef, 0xf0, 0x00, 0x00, 1, 2, 3];
        let salt = program_salt(B256::ZERO, "rlc");
        let a = predict(salt, b"ctor", &code);
        assert_ne!(a, predict(salt, b"other", &code), "the constructor data is part of the address");
        assert_ne!(a, predict(program_salt(B256::ZERO, "app"), b"ctor", &code));
        let mut packed = salt.to_vec();
        packed.extend_from_slice(b"ctor");
        let by_hand = STYLUS_DEPLOYER.create2(keccak256(packed), keccak256(stylus_code::deploy_init_code(&code)));
        assert_eq!(a, by_hand);
    }

    #[test]
    fn the_abi_is_nitro_contracts_one() {
        assert_eq!(IStylusDeployer::deployCall::SIGNATURE, "deploy(bytes,bytes,uint256,bytes32)");
        assert_eq!(IStylusDeployer::ContractDeployed::SIGNATURE, "ContractDeployed(address)");
    }
}
