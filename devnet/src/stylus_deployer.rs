//! The devnet's `StylusDeployer`: deploys a Stylus program, activates it and calls its
//! constructor in one transaction, at the address and with the ABI of Arbitrum's
//! (OffchainLabs/nitro-contracts `src/stylus/StylusDeployer.sol`, used by
//! `cargo stylus deploy` for programs with a constructor), so that deployment tools take on
//! the devnet the exact path they take on Arbitrum One and Sepolia.
//!
//! Why it matters: a Stylus constructor is an ordinary call of the deployed program; sent in
//! a transaction of its own, anyone watching the mempool could call it first with their own
//! arguments (owner, initial holder). The deployer makes creation, activation and
//! construction atomic.
//!
//! A devnet built-in (Rust, dispatched by `evm::DevPrecompiles` like the CacheManager, with a
//! placeholder `0xfe` code installed at genesis so `eth_getCode` shows a contract): Arbitrum's
//! is a Solidity contract present on the chain before anyone deploys, and nitro would let a
//! Stylus program do the same work (the `create2`, `account_codehash` and `call_contract`
//! hostios reach `ArbWasm` like any contract), but a program at genesis would have to be
//! activated before the first block, which the devnet's activation path (a transaction
//! through `ArbWasm`) cannot do. Its rules are the contract's, step by step:
//!
//! 1. a non-zero `salt` becomes `keccak256(salt ‖ initData)` and the program is created with
//!    CREATE2, else with CREATE (nonce of the deployer);
//! 2. empty `bytecode` reverts `EmptyBytecode()`; a failed creation bubbles its revert data,
//!    or reverts `ContractDeploymentError(bytecode)` without any;
//! 3. activation when `codehashVersion(codehash)` (0 if it reverts) differs from
//!    `stylusVersion()`, paying `msg.value − initValue`; ArbWasm returns what it did not take;
//! 4. `initData` non-empty: the program is called with it and `initValue`, a failure reverts
//!    `ContractInitializationError(program, data)`; empty `initData` with a non-zero
//!    `initValue` reverts `InitValueButNotInitData()`;
//! 5. `msg.value − dataFee − initValue` goes back to the caller (`RefundExcessValueError` if it
//!    cannot take it); an underflow in 3 or 5 is Solidity's `Panic(0x11)`;
//! 6. `ContractDeployed(program)` is logged and the address returned.
//!
//! Gas is not the Solidity contract's: a call pays what its nested frames (creation,
//! `ArbWasm`, constructor, refund) use, plus EVM's CREATE/CREATE2, keccak and call access
//! costs, plus a fixed overhead standing for the contract's own code.

use alloy_primitives::{address, keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, Panic, PanicKind, SolCall, SolError, SolEvent, SolInterface};
use revm::{
    bytecode::Bytecode,
    context::{ContextTr, JournalTr},
    handler::FrameResult,
    interpreter::{
        CallInput, CallInputs, CallScheme, CallValue, CreateInputs, CreateScheme, FrameInput, Gas,
        InstructionResult, InterpreterResult,
    },
    state::AccountInfo,
};

use crate::evm::{run_frame, ChainDb, DevCtx};
use crate::stylus::arbwasm::{ArbWasm, ARB_WASM};

/// Address of Arbitrum's StylusDeployer (the same on Arbitrum One, Sepolia and nitro's
/// devnode; cargo-stylus' `stylus-tools/src/core/deployment/deployer.rs`).
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

sol! {
    /// The ABI of nitro-contracts' `StylusDeployer`.
    #[allow(missing_docs)]
    interface StylusDeployer {
        event ContractDeployed(address deployedContract);

        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();

        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes initData) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);
    }
}

/// Gas standing for the Solidity contract's own execution (dispatch, ABI decoding, memory).
const OVERHEAD_GAS: u64 = 5_000;
/// EVM `CREATE` base gas.
const CREATE_GAS: u64 = 32_000;
/// EVM keccak gas: base and per word.
const KECCAK_GAS: u64 = 30;
const KECCAK_WORD_GAS: u64 = 6;
/// EVM call costs: cold account access, value transfer, new account.
const COLD_ACCOUNT_GAS: u64 = 2_600;
const VALUE_TRANSFER_GAS: u64 = 9_000;
/// EVM call stipend of value transfers.
const CALL_STIPEND: u64 = 2_300;

/// Installs the deployer's placeholder code at genesis (nonce 1, as a contract's, so that its
/// CREATE addresses are those of a deployed contract).
pub fn install_genesis(db: &mut ChainDb) {
    let code = Bytecode::new_legacy(Bytes::from_static(&[0xfe]));
    db.insert_account_info(
        STYLUS_DEPLOYER,
        AccountInfo { nonce: 1, code_hash: code.hash_slow(), code: Some(code), ..Default::default() },
    );
}

/// The salt the deployer uses for CREATE2 (its `initSalt`): `keccak256(salt ‖ initData)`.
pub fn init_salt(salt: B256, init_data: &[u8]) -> B256 {
    let mut packed = salt.to_vec();
    packed.extend_from_slice(init_data);
    keccak256(packed)
}

/// How a step of the deployer stops the call.
enum Stop {
    /// Revert with this data.
    Revert(Bytes),
    /// The devnet failed (a database error): revert with a reason naming it.
    Fatal(String),
}

/// Runs a call of the deployer.
pub(crate) fn run(ctx: &mut DevCtx, inputs: &CallInputs) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    if !gas.record_regular_cost(OVERHEAD_GAS) {
        return out_of_gas(inputs.gas_limit);
    }
    let input = inputs.input.bytes(ctx);
    // Its code runs only as itself: under DELEGATECALL/CALLCODE it would act for another
    // account, which the built-in does not model.
    let Ok(call) = StylusDeployer::StylusDeployerCalls::abi_decode(&input) else {
        return finish(gas, Err(Stop::Revert(Bytes::new())));
    };
    if inputs.target_address != STYLUS_DEPLOYER {
        return finish(gas, Err(Stop::Revert(Bytes::new())));
    }
    use StylusDeployer::StylusDeployerCalls as C;
    let value = inputs.value.get();
    if !value.is_zero() && !matches!(call, C::deploy(_)) {
        return finish(gas, Err(Stop::Revert(Bytes::new())));
    }
    let mut d = Deployer { ctx, gas: &mut gas, is_static: inputs.is_static };
    let result = match call {
        C::initSalt(c) => d
            .keccak(32 + c.initData.len())
            .map(|()| StylusDeployer::initSaltCall::abi_encode_returns(&init_salt(c.salt, &c.initData)).into()),
        C::requiresActivation(c) => {
            d.requires_activation(c.addr).map(|r| StylusDeployer::requiresActivationCall::abi_encode_returns(&r).into())
        }
        C::deploy(c) => d.deploy(inputs.caller, value, c).map(|a| StylusDeployer::deployCall::abi_encode_returns(&a).into()),
    };
    finish(gas, result)
}

/// One call of the deployer: the context and the gas it has left.
struct Deployer<'a> {
    ctx: &'a mut DevCtx,
    gas: &'a mut Gas,
    is_static: bool,
}

/// The outcome of a nested frame: success and its output.
struct Outcome {
    ok: bool,
    output: Bytes,
}

impl Deployer<'_> {
    fn charge(&mut self, cost: u64) -> Result<(), Stop> {
        match self.gas.record_regular_cost(cost) {
            true => Ok(()),
            false => Err(Stop::Revert(Bytes::new())),
        }
    }

    fn keccak(&mut self, bytes: usize) -> Result<(), Stop> {
        self.charge(KECCAK_GAS + KECCAK_WORD_GAS * (bytes as u64).div_ceil(32))
    }

    /// `deploy(bytecode, initData, initValue, salt)`.
    fn deploy(&mut self, caller: Address, value: U256, c: StylusDeployer::deployCall) -> Result<Address, Stop> {
        if self.is_static {
            return Err(Stop::Revert(alloy_sol_types::Revert::from("write protection").abi_encode().into()));
        }
        let salt = match c.salt.is_zero() {
            true => None,
            false => {
                self.keccak(32 + c.initData.len())?;
                Some(init_salt(c.salt, &c.initData))
            }
        };
        if c.bytecode.is_empty() {
            return Err(Stop::Revert(StylusDeployer::EmptyBytecode {}.abi_encode().into()));
        }
        let program = self.create(c.bytecode.clone(), salt)?;
        let mut data_fee = U256::ZERO;
        if self.requires_activation(program)? {
            let activation_value = value.checked_sub(c.initValue).ok_or_else(underflow)?;
            let calldata = ArbWasm::activateProgramCall { program }.abi_encode();
            let out = self.call(ARB_WASM, calldata.into(), activation_value, false)?;
            if !out.ok {
                return Err(Stop::Revert(out.output));
            }
            let ret = ArbWasm::activateProgramCall::abi_decode_returns(&out.output)
                .map_err(|e| Stop::Fatal(format!("ArbWasm answered activateProgram with {e}")))?;
            data_fee = ret.dataFee;
        }
        if !c.initData.is_empty() {
            let out = self.call(program, c.initData.clone(), c.initValue, false)?;
            if !out.ok {
                let e = StylusDeployer::ContractInitializationError { newContract: program, data: out.output };
                return Err(Stop::Revert(e.abi_encode().into()));
            }
        } else if !c.initValue.is_zero() {
            return Err(Stop::Revert(StylusDeployer::InitValueButNotInitData {}.abi_encode().into()));
        }
        let excess = value.checked_sub(data_fee).and_then(|v| v.checked_sub(c.initValue)).ok_or_else(underflow)?;
        if !excess.is_zero() {
            let out = self.call(caller, Bytes::new(), excess, false)?;
            if !out.ok {
                let e = StylusDeployer::RefundExcessValueError { excessValue: excess };
                return Err(Stop::Revert(e.abi_encode().into()));
            }
        }
        let event = StylusDeployer::ContractDeployed { deployedContract: program };
        self.charge(375 + 375 + 8 * 32)?;
        self.ctx.journal_mut().log(Log { address: STYLUS_DEPLOYER, data: event.encode_log_data() });
        Ok(program)
    }

    /// `requiresActivation(addr)`: `codehashVersion(addr.codehash)` (0 when ArbWasm refuses)
    /// differs from `stylusVersion()`.
    fn requires_activation(&mut self, program: Address) -> Result<bool, Stop> {
        let codehash = self.ctx.journal_mut().code_hash(program).map_err(|e| Stop::Fatal(e.to_string()))?.data;
        self.charge(COLD_ACCOUNT_GAS)?;
        let out = self.call(ARB_WASM, ArbWasm::codehashVersionCall { codehash }.abi_encode().into(), U256::ZERO, true)?;
        let version = match out.ok {
            true => ArbWasm::codehashVersionCall::abi_decode_returns(&out.output).unwrap_or(0),
            false => 0,
        };
        let out = self.call(ARB_WASM, ArbWasm::stylusVersionCall {}.abi_encode().into(), U256::ZERO, true)?;
        if !out.ok {
            return Err(Stop::Revert(out.output));
        }
        let current = ArbWasm::stylusVersionCall::abi_decode_returns(&out.output)
            .map_err(|e| Stop::Fatal(format!("ArbWasm answered stylusVersion with {e}")))?;
        Ok(version != current)
    }

    /// CREATE (no salt) or CREATE2 of `init_code` with no endowment; the new address, or the
    /// deployer's revert.
    fn create(&mut self, init_code: Bytes, salt: Option<B256>) -> Result<Address, Stop> {
        let scheme = match salt {
            Some(salt) => {
                self.charge(CREATE_GAS + KECCAK_WORD_GAS * (init_code.len() as u64).div_ceil(32))?;
                CreateScheme::Create2 { salt: salt.into() }
            }
            None => {
                self.charge(CREATE_GAS)?;
                CreateScheme::Create
            }
        };
        let gas = self.gas.remaining() - self.gas.remaining() / 64;
        let inputs = CreateInputs::new(STYLUS_DEPLOYER, scheme, U256::ZERO, init_code.clone(), gas, 0);
        let result = run_frame(self.ctx, FrameInput::Create(Box::new(inputs))).map_err(Stop::Fatal)?;
        let FrameResult::Create(outcome) = result else {
            return Err(Stop::Fatal("create frame returned a call outcome".into()));
        };
        self.charge(gas.saturating_sub(outcome.result.gas.remaining()))?;
        match outcome.address {
            Some(address) if outcome.result.result.is_ok() => Ok(address),
            _ if outcome.result.result.is_revert() && !outcome.result.output.is_empty() => {
                Err(Stop::Revert(outcome.result.output))
            }
            _ => Err(Stop::Revert(StylusDeployer::ContractDeploymentError { bytecode: init_code }.abi_encode().into())),
        }
    }

    /// A CALL (or STATICCALL) from the deployer, with EVM's access and transfer costs.
    fn call(&mut self, to: Address, calldata: Bytes, value: U256, is_static: bool) -> Result<Outcome, Stop> {
        let account = self.ctx.journal_mut().load_account_with_code(to).map_err(|e| Stop::Fatal(e.to_string()))?;
        let (is_cold, code_hash) = (account.is_cold, account.data.info.code_hash);
        let code = account.data.info.code.clone().unwrap_or_default();
        let mut base = if is_cold { COLD_ACCOUNT_GAS } else { 100 };
        if !value.is_zero() {
            base += VALUE_TRANSFER_GAS;
        }
        self.charge(base)?;
        let mut gas = self.gas.remaining() - self.gas.remaining() / 64;
        if !value.is_zero() {
            gas += CALL_STIPEND;
        }
        let inputs = CallInputs {
            input: CallInput::Bytes(calldata),
            return_memory_offset: 0..0,
            gas_limit: gas,
            reservoir: 0,
            bytecode_address: to,
            known_bytecode: (code_hash, code),
            target_address: to,
            caller: STYLUS_DEPLOYER,
            value: CallValue::Transfer(value),
            scheme: if is_static { CallScheme::StaticCall } else { CallScheme::Call },
            is_static,
            charged_new_account_state_gas: false,
        };
        let result = run_frame(self.ctx, FrameInput::Call(Box::new(inputs))).map_err(Stop::Fatal)?;
        let FrameResult::Call(outcome) = result else {
            return Err(Stop::Fatal("call frame returned a create outcome".into()));
        };
        let used = gas.saturating_sub(outcome.result.gas.remaining());
        let stipend = if value.is_zero() { 0 } else { CALL_STIPEND };
        self.charge(used.saturating_sub(stipend))?;
        Ok(Outcome { ok: outcome.result.result.is_ok(), output: outcome.result.output })
    }
}

/// Solidity 0.8's checked-arithmetic failure.
fn underflow() -> Stop {
    Stop::Revert(Panic::from(PanicKind::UnderOverflow).abi_encode().into())
}

fn finish(gas: Gas, result: Result<Bytes, Stop>) -> InterpreterResult {
    match result {
        Ok(out) => InterpreterResult::new(InstructionResult::Return, out, gas),
        Err(Stop::Revert(out)) => InterpreterResult::new(InstructionResult::Revert, out, gas),
        Err(Stop::Fatal(why)) => {
            tracing::warn!(%why, "StylusDeployer failed");
            let reason = alloy_sol_types::Revert::from(format!("StylusDeployer: {why}")).abi_encode();
            InterpreterResult::new(InstructionResult::Revert, reason.into(), gas)
        }
    }
}

fn out_of_gas(limit: u64) -> InterpreterResult {
    let mut gas = Gas::new(limit);
    gas.spend_all();
    InterpreterResult::new(InstructionResult::OutOfGas, Bytes::new(), gas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_salt_hashes_the_salt_then_the_init_data() {
        let salt = B256::repeat_byte(7);
        let mut packed = vec![7u8; 32];
        packed.extend_from_slice(b"ctor");
        assert_eq!(init_salt(salt, b"ctor"), keccak256(&packed));
        assert_ne!(init_salt(salt, b"ctor"), init_salt(salt, b"other"));
    }

    #[test]
    fn the_abi_is_nitro_contracts_one() {
        assert_eq!(StylusDeployer::deployCall::SIGNATURE, "deploy(bytes,bytes,uint256,bytes32)");
        assert_eq!(StylusDeployer::ContractDeployed::SIGNATURE, "ContractDeployed(address)");
    }
}
