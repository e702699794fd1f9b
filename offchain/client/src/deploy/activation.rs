//! Activation lifetime of the deployed programs: which expire soon, and renewing them.
//!
//! Nitro's rules (`arbos/programs/programs.go`, `precompiles/ArbWasm.go`): an activation
//! lasts `expiryDays` (365) from its time; after that, or after a Stylus version upgrade, the
//! program cannot be called until it is activated again. `codehashKeepalive(codehash)`
//! restarts the clock, refused (`ProgramKeepaliveTooSoon`) before `keepaliveDays` (31) have
//! passed and priced like an activation of `codehashAsmSize` bytes
//! (`ProgramInsufficientValue(have, want)` says how much). `programTimeLeft` gives the
//! seconds left, `programVersion` the version or why the program is not callable.

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, B256, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol,
    sol_types::{SolCall, SolError, SolInterface},
};
use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::record::DeploymentRecord;
use crate::stylus::ARB_WASM;

/// A program is reported when its activation ends within this many days.
pub const RENEWAL_WINDOW_DAYS: u64 = 30;

sol! {
    /// The part of `ArbWasm` that manages activations.
    #[sol(rpc)]
    interface IArbWasmPrograms {
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashKeepalive(bytes32 codehash) external payable;
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programTimeLeft(address program) external view returns (uint64 _secs);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
    }
}

/// Where a program's activation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", rename_all_fields = "kebab-case", tag = "state")]
pub enum ActivationState {
    /// Callable for `seconds_left` more seconds.
    Active {
        /// Seconds before it expires.
        seconds_left: u64,
        /// Its size for ArbWasm (what a keepalive pays for).
        asm_size: u32,
    },
    /// Expired: it must be activated again.
    Expired {
        /// Seconds since its activation.
        age: u64,
    },
    /// Activated for an older Stylus version: it must be activated again.
    NeedsUpgrade {
        /// Its version.
        version: u16,
        /// The chain's.
        stylus_version: u16,
    },
    /// Never activated.
    NotActivated,
}

/// One program's activation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProgramActivation {
    /// Its name in the record.
    pub name: String,
    /// Its address.
    pub address: Address,
    /// Its codehash.
    pub codehash: B256,
    /// Where it stands.
    pub activation: ActivationState,
}

impl ProgramActivation {
    /// Whether it needs attention: not callable, or expiring within [`RENEWAL_WINDOW_DAYS`].
    pub fn needs_renewal(&self) -> bool {
        match self.activation {
            ActivationState::Active { seconds_left, .. } => seconds_left <= RENEWAL_WINDOW_DAYS * 86_400,
            _ => true,
        }
    }
}

/// The activation of every program of `record`.
pub async fn activation_report<P: Provider>(provider: &P, record: &DeploymentRecord) -> Result<Vec<ProgramActivation>> {
    let arb_wasm = IArbWasmPrograms::new(ARB_WASM, provider);
    let mut report = Vec::new();
    for (name, program) in &record.programs {
        let activation = match arb_wasm.programVersion(program.address).call().await {
            Ok(_) => {
                let seconds_left = arb_wasm
                    .programTimeLeft(program.address)
                    .call()
                    .await
                    .with_context(|| format!("ArbWasm.programTimeLeft of {name}"))?;
                let asm_size = arb_wasm
                    .codehashAsmSize(program.codehash)
                    .call()
                    .await
                    .with_context(|| format!("ArbWasm.codehashAsmSize of {name}"))?;
                ActivationState::Active { seconds_left, asm_size }
            }
            Err(e) => refusal(name, &e)?,
        };
        report.push(ProgramActivation { name: name.clone(), address: program.address, codehash: program.codehash, activation });
    }
    Ok(report)
}

/// What `programVersion`'s revert says about the program.
fn refusal(name: &str, e: &alloy::contract::Error) -> Result<ActivationState> {
    use IArbWasmPrograms::IArbWasmProgramsErrors as E;
    let data = e.as_revert_data().with_context(|| format!("ArbWasm.programVersion of {name}: {e}"))?;
    Ok(match E::abi_decode(&data) {
        Ok(E::ProgramExpired(x)) => ActivationState::Expired { age: x.ageInSeconds },
        Ok(E::ProgramNeedsUpgrade(x)) => ActivationState::NeedsUpgrade { version: x.version, stylus_version: x.stylusVersion },
        Ok(E::ProgramNotActivated(_)) => ActivationState::NotActivated,
        _ => bail!("ArbWasm.programVersion of {name} reverted: {}", super::revert_text(&data)),
    })
}

/// What a renewal did for one program.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Renewal {
    /// The program.
    pub name: String,
    /// `keepalive` or `reactivation`.
    pub kind: &'static str,
    /// The transaction.
    pub tx: B256,
    /// Data fee paid (what ArbWasm asked, plus 20 %).
    pub paid: U256,
}

/// Renews every program of `report` that [needs it](ProgramActivation::needs_renewal):
/// `codehashKeepalive` for an active one, `activateProgram` again for an expired or outdated
/// one. A codehash shared by several programs is renewed once.
pub async fn renew<P: Provider>(provider: &P, report: &[ProgramActivation]) -> Result<Vec<Renewal>> {
    let mut done = Vec::new();
    let mut renewed = std::collections::BTreeSet::new();
    for program in report.iter().filter(|p| p.needs_renewal()) {
        if !renewed.insert(program.codehash) {
            continue;
        }
        let (kind, calldata) = match program.activation {
            ActivationState::Active { .. } => {
                ("keepalive", IArbWasmPrograms::codehashKeepaliveCall { codehash: program.codehash }.abi_encode())
            }
            _ => ("reactivation", IArbWasmPrograms::activateProgramCall { program: program.address }.abi_encode()),
        };
        let fee = asked_fee(provider, &program.name, kind, &calldata).await?;
        let paid = fee + fee / U256::from(5);
        let tx = TransactionRequest::default().with_to(ARB_WASM).with_input(calldata).with_value(paid);
        let receipt = provider
            .send_transaction(tx)
            .await
            .with_context(|| format!("{kind} of {}", program.name))?
            .get_receipt()
            .await
            .with_context(|| format!("receipt of the {kind} of {}", program.name))?;
        if !receipt.status() {
            bail!("the {kind} of {} reverted (tx {})", program.name, receipt.transaction_hash);
        }
        done.push(Renewal { name: program.name.clone(), kind, tx: receipt.transaction_hash, paid });
    }
    Ok(done)
}

/// The data fee ArbWasm asks for `calldata`: sent without value in an `eth_call`, it answers
/// `ProgramInsufficientValue(have, want)` (or succeeds when there is nothing to pay).
async fn asked_fee<P: Provider>(provider: &P, name: &str, kind: &str, calldata: &[u8]) -> Result<U256> {
    let tx = TransactionRequest::default().with_to(ARB_WASM).with_input(calldata.to_vec());
    match provider.call(tx).await {
        Ok(_) => Ok(U256::ZERO),
        Err(e) => {
            let data = super::revert_data(&e).with_context(|| format!("{kind} of {name}: {e}"))?;
            if let Ok(asked) = IArbWasmPrograms::ProgramInsufficientValue::abi_decode(&data) {
                return Ok(asked.want);
            }
            if let Ok(soon) = IArbWasmPrograms::ProgramKeepaliveTooSoon::abi_decode(&data) {
                bail!(
                    "the {kind} of {name} is refused: its activation is only {} days old (ArbWasm allows one after keepaliveDays)",
                    soon.ageInSeconds / 86_400
                );
            }
            bail!("the {kind} of {name} is refused: {}", super::revert_text(&data))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_needs_renewal_within_thirty_days_or_when_not_callable() {
        let at = |activation| ProgramActivation {
            name: "p".into(),
            address: Address::ZERO,
            codehash: B256::ZERO,
            activation,
        };
        assert!(!at(ActivationState::Active { seconds_left: 31 * 86_400, asm_size: 1 }).needs_renewal());
        assert!(at(ActivationState::Active { seconds_left: 30 * 86_400, asm_size: 1 }).needs_renewal());
        assert!(at(ActivationState::Expired { age: 1 }).needs_renewal());
        assert!(at(ActivationState::NotActivated).needs_renewal());
    }
}
