//! The `vm_hooks` imports of a Stylus program, executed against the devnet's journal.
//!
//! A program runs in its own wasmi `Store` whose data ([`HostState`]) *owns* the chain context
//! for the duration of the call (it is moved out of the calling revm frame and moved back
//! afterwards). Hostios that call or create contracts hand that same context to a nested revm
//! frame ([`crate::evm::run_frame`]), so Stylus and EVM frames share one journal and nest both
//! ways: a revert anywhere rolls back exactly that frame's checkpoint.
//!
//! Every hostio is priced as nitro v3.9.5 prices it (`arbitrator/wasm-libraries/user-host-trait`
//! for the ink and the order of checks, `arbos/programs/api.go` and go-ethereum's
//! `operations_acl_arbitrum.go` for the EVM gas): base ink first, per-byte copy ink, then the
//! EVM gas of the state access, call, create or log. See [`super::ink`] for the figures.

use std::fmt;

use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use revm::{
    context::{ContextTr, JournalTr},
    handler::FrameResult,
    interpreter::{CallInput, CallInputs, CallScheme, CallValue, CreateInputs, CreateScheme, FrameInput},
};
use wasmi::{errors::HostError, Caller, Engine, Linker, Memory, StoreLimits};

use super::ink::{self, hostio as base};
use super::meter::{Ink, MeterGlobals, OutOfInk};
use super::params::StylusParams;
use super::storage_cache::StorageCache;
use crate::evm::{run_frame, DevCtx};

/// Status a call hostio returns for any failure (nitro answers 2 whatever went wrong).
const CALL_FAILED: u8 = 2;
/// EVM call stipend of value transfers.
const CALL_STIPEND: u64 = 2_300;
/// EVM `CREATE` base gas.
const CREATE_GAS: u64 = 32_000;
/// EVM keccak gas per word (hashing CREATE2's init code).
const KECCAK_WORD_GAS: u64 = 6;
/// ArbOS version from which an empty code read is not remembered (`STYLUS_LAST_CODE_CACHE_FIX`).
const ARBOS_LAST_CODE_CACHE_FIX: u64 = 40;

/// Why a program stopped other than by returning from `user_entrypoint`.
#[derive(Debug)]
pub(crate) enum Halt {
    /// Ran out of ink (gas).
    OutOfInk,
    /// A state change was attempted inside a static call.
    WriteProtection,
    /// A pointer or length reached outside the program's memory.
    MemoryAccess,
    /// `exit_early(status)`.
    Exit(u32),
    /// Invalid hostio use (e.g. more than 4 log topics).
    Invalid(&'static str),
    /// The devnet itself failed.
    Fatal(String),
}

impl From<OutOfInk> for Halt {
    fn from(_: OutOfInk) -> Self {
        Halt::OutOfInk
    }
}

impl fmt::Display for Halt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Halt::OutOfInk => write!(f, "out of ink"),
            Halt::WriteProtection => write!(f, "write protection"),
            Halt::MemoryAccess => write!(f, "memory access out of bounds"),
            Halt::Exit(status) => write!(f, "exit_early({status})"),
            Halt::Invalid(why) => write!(f, "invalid hostio use: {why}"),
            Halt::Fatal(why) => write!(f, "devnet failure: {why}"),
        }
    }
}

impl HostError for Halt {}

/// The frame a program runs in (what `msg_*` and `contract_address` report).
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// Address whose storage and balance the program acts on.
    pub(crate) address: Address,
    /// `msg.sender`.
    pub(crate) caller: Address,
    /// `msg.value` (apparent value for delegate calls).
    pub(crate) value: U256,
    /// Inside a static call: no state changes.
    pub(crate) is_static: bool,
}

/// Gas a program spent, split by what it paid for (the benchmark reports it).
///
/// A transaction's split sums every Stylus frame it ran; for nested programs the caller's
/// `calls` part already includes what the callee spent, so `total()` then over-counts: read the
/// split of single-program transactions, or the parts rather than the total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GasSplit {
    /// Program entry: init gas plus initial memory pages.
    pub entry: u64,
    /// EVM-priced storage accesses (SLOAD/SSTORE equivalents).
    pub storage: u64,
    /// EVM-priced logs.
    pub logs: u64,
    /// EVM-priced call/create overhead plus the gas the callees used.
    pub calls: u64,
    /// Memory growth beyond the entry footprint.
    pub memory: u64,
    /// Everything else: WASM operators and hostio ink, in gas.
    pub wasm: u64,
    /// EVM-priced account accesses the programs made (EIP-2929 touches, a call's access,
    /// value and new-account charges, a create's base): already counted in `calls` and
    /// `wasm`, kept apart for the physical floor of a transaction. Not part of [`Self::total`].
    pub accesses: u64,
}

impl GasSplit {
    /// Sum of all parts.
    pub fn total(&self) -> u64 {
        self.entry + self.storage + self.logs + self.calls + self.memory + self.wasm
    }

    pub(crate) fn add(&mut self, other: &GasSplit) {
        self.entry += other.entry;
        self.storage += other.storage;
        self.logs += other.logs;
        self.calls += other.calls;
        self.memory += other.memory;
        self.wasm += other.wasm;
        self.accesses += other.accesses;
    }
}

/// The wasmi store data of one running program.
pub(crate) struct HostState {
    /// The chain context, owned while the program runs.
    pub(crate) ctx: DevCtx,
    pub(crate) frame: Frame,
    pub(crate) params: StylusParams,
    pub(crate) args: Bytes,
    pub(crate) output: Vec<u8>,
    pub(crate) return_data: Bytes,
    cache: StorageCache,
    /// The last account code read, which nitro serves again for free.
    last_code: Option<(Address, Bytes)>,
    /// SSTORE refunds (EIP-3529) earned by this frame and by successful sub-calls.
    pub(crate) refund: i64,
    pub(crate) memory: Option<Memory>,
    /// The ink meter's globals in the instance.
    pub(crate) meter: Option<MeterGlobals>,
    pub(crate) limits: StoreLimits,
    /// EVM-priced parts of the spending (the rest is WASM work).
    pub(crate) split: GasSplit,
}

impl HostState {
    pub(crate) fn new(ctx: DevCtx, frame: Frame, params: StylusParams, args: Bytes) -> Self {
        let limits =
            wasmi::StoreLimitsBuilder::new().memory_size(usize::from(params.page_limit) * 65_536).memories(1).build();
        Self {
            ctx,
            frame,
            params,
            args,
            output: Vec::new(),
            return_data: Bytes::new(),
            cache: StorageCache::default(),
            last_code: None,
            refund: 0,
            memory: None,
            meter: None,
            limits,
            split: GasSplit::default(),
        }
    }

    /// Writes every dirty cached slot to the journal at `SSTORE` prices (go-ethereum
    /// `WasmStateStoreCost`: EIP-2200/2929/3529), stopping when `gas_left` cannot pay.
    fn flush_storage(&mut self, ink: &mut Ink, clear: bool) -> Result<(), Halt> {
        ink.require_gas(ink::SSTORE_SENTRY_GAS)?;
        let dirty = self.cache.take_dirty(clear);
        if dirty.is_empty() {
            return Ok(());
        }
        if self.frame.is_static {
            return Err(Halt::WriteProtection);
        }
        // Nitro hands the EVM one gas more than is left, then buys what the writes cost.
        let mut gas_left = ink.gas_left() + 1;
        let mut cost = 0u64;
        for (key, value) in dirty {
            let address = self.frame.address;
            let load = self.ctx.journal_mut().sstore(address, key, value).map_err(|e| Halt::Fatal(e.to_string()))?;
            let gas_params = &self.ctx.cfg.gas_params;
            let slot_cost =
                gas_params.sstore_static_gas() + gas_params.sstore_dynamic_gas(true, &load.data, load.is_cold);
            if slot_cost > gas_left {
                return Err(Halt::OutOfInk);
            }
            gas_left -= slot_cost;
            cost += slot_cost;
            tracing::trace!(
                target: "devnet::storage",
                %address, %key, original = %load.data.original_value, new = %value, gas = slot_cost, cold = load.is_cold,
                "sstore"
            );
            self.refund += gas_params.sstore_refund(true, &load.data);
        }
        if gas_left == 0 {
            return Err(Halt::OutOfInk);
        }
        ink.buy_gas(cost)?;
        self.split.storage += cost;
        Ok(())
    }

    /// `storage_load_bytes32` after its base ink: the cache, else the state at `SLOAD` prices
    /// plus the EVM API's ink in gas.
    fn storage_load(&mut self, ink: &mut Ink, key: U256) -> Result<U256, Halt> {
        let evm_api_gas = ink.ink_to_gas(ink::EVM_API_INK);
        ink.require_gas(ink::COLD_SLOAD_GAS + ink::STORAGE_REQUIRED_ACCESS_GAS + evm_api_gas)?;
        let mut cost = self.cache.read_gas();
        let value = match self.cache.get(&key) {
            Some(value) => value,
            None => {
                let address = self.frame.address;
                let load = self.ctx.journal_mut().sload(address, key).map_err(|e| Halt::Fatal(e.to_string()))?;
                let gas_params = &self.ctx.cfg.gas_params;
                let sload = match load.is_cold {
                    true => gas_params.cold_storage_cost(),
                    false => gas_params.warm_storage_read_cost(),
                };
                self.split.storage += sload;
                tracing::trace!(target: "devnet::storage", %address, %key, value = %load.data, gas = sload, "sload");
                cost += sload + evm_api_gas;
                self.cache.loaded(key, load.data);
                load.data
            }
        };
        ink.buy_gas(cost)?;
        Ok(value)
    }

    /// EIP-2929 cost of touching `address` (go-ethereum `WasmAccountTouchCost`), warming it.
    fn touch(&mut self, address: Address, with_code: bool) -> Result<u64, Halt> {
        let cold =
            self.ctx.journal_mut().load_account_with_code(address).map_err(|e| Halt::Fatal(e.to_string()))?.is_cold;
        let gas_params = &self.ctx.cfg.gas_params;
        let access = match cold {
            true => gas_params.warm_storage_read_cost() + gas_params.cold_account_additional_cost(),
            false => gas_params.warm_storage_read_cost(),
        };
        self.split.accesses += access;
        Ok(access + if with_code { ink::EXT_CODE_GAS } else { 0 })
    }

    /// An account's code for `account_code`/`account_code_size`: the last one read is free,
    /// otherwise the touch costs `EXTCODESIZE`'s gas.
    fn account_code(&mut self, ink: &mut Ink, address: Address) -> Result<Bytes, Halt> {
        ink.require_gas(ink::COLD_ACCOUNT_GAS)?;
        if let Some((last, code)) = &self.last_code {
            if *last == address {
                return Ok(code.clone());
            }
        }
        let gas = ink.gas_left();
        let cost = self.touch(address, true)?;
        let code = match gas < cost {
            true => Bytes::new(),
            false => self.ctx.journal_mut().code(address).map_err(|e| Halt::Fatal(e.to_string()))?.data,
        };
        ink.buy_gas(cost)?;
        if !code.is_empty() || self.params.arbos_version < ARBOS_LAST_CODE_CACHE_FIX {
            self.last_code = Some((address, code.clone()));
        }
        Ok(code)
    }

    /// Runs a nested call frame (nitro `doCall`); returns its status for the program.
    fn call(
        &mut self,
        ink: &mut Ink,
        scheme: CallScheme,
        to: Address,
        calldata: Bytes,
        value: U256,
        gas_requested: u64,
    ) -> Result<u8, Halt> {
        let gas_left = ink.gas_left();
        let gas_requested = gas_requested.min(gas_left);
        if self.frame.is_static && !value.is_zero() {
            return Ok(CALL_FAILED);
        }
        // go-ethereum `WasmCallCost`: account access, value transfer, new account.
        let account = self.ctx.journal_mut().load_account_with_code(to).map_err(|e| Halt::Fatal(e.to_string()))?;
        let (is_cold, is_empty) = (account.is_cold, account.data.is_empty());
        let code_hash = account.data.info.code_hash;
        let code = account.data.info.code.clone().unwrap_or_default();
        let gas_params = &self.ctx.cfg.gas_params;
        let transfers = !value.is_zero();
        let mut base_cost = gas_params.warm_storage_read_cost();
        if is_cold {
            base_cost += gas_params.cold_account_additional_cost();
        }
        if transfers && is_empty {
            base_cost += gas_params.new_account_cost(true, true);
        }
        if transfers {
            base_cost += gas_params.transfer_value_cost();
        }
        if base_cost > gas_left {
            ink.buy_gas(gas_left)?;
            self.return_data = Bytes::new();
            return Ok(CALL_FAILED);
        }
        // EIP-150 on what is left after the base cost, then the stipend of paying calls.
        let mut gas = ((gas_left - base_cost) * 63 / 64).min(gas_requested);
        if transfers {
            gas += CALL_STIPEND;
        }
        let (target, caller, call_value) = match scheme {
            CallScheme::DelegateCall => (self.frame.address, self.frame.caller, CallValue::Apparent(self.frame.value)),
            _ => (to, self.frame.address, CallValue::Transfer(value)),
        };
        let inputs = CallInputs {
            input: CallInput::Bytes(calldata),
            return_memory_offset: 0..0,
            gas_limit: gas,
            reservoir: 0,
            bytecode_address: to,
            known_bytecode: (code_hash, code),
            target_address: target,
            caller,
            value: call_value,
            scheme,
            is_static: self.frame.is_static || scheme == CallScheme::StaticCall,
            charged_new_account_state_gas: false,
        };
        let result = run_frame(&mut self.ctx, FrameInput::Call(Box::new(inputs))).map_err(Halt::Fatal)?;
        let FrameResult::Call(outcome) = result else {
            return Err(Halt::Fatal("call frame returned a create outcome".into()));
        };
        let returned = outcome.result.gas.remaining();
        let cost = base_cost + gas.saturating_sub(returned);
        self.split.calls += cost;
        self.split.accesses += base_cost;
        let ok = outcome.result.result.is_ok();
        if ok {
            self.refund += outcome.result.gas.refunded();
        }
        self.return_data = outcome.result.output;
        ink.buy_gas(cost)?;
        Ok(if ok { 0 } else { CALL_FAILED })
    }

    /// Runs a nested create frame (nitro's `create` closure); returns the new address (zero
    /// on failure).
    fn create(&mut self, ink: &mut Ink, code: Bytes, endowment: U256, salt: Option<U256>) -> Result<Address, Halt> {
        if self.frame.is_static {
            return Err(Halt::WriteProtection);
        }
        let start_gas = ink.gas_left();
        // gasCreate / gasCreate2: the base and CREATE2's hashing of the init code (nitro does
        // not charge EIP-3860's init-code words here).
        let mut base_cost = CREATE_GAS;
        let scheme = match salt {
            Some(salt) => {
                base_cost += KECCAK_WORD_GAS * (code.len() as u64).div_ceil(32);
                CreateScheme::Create2 { salt }
            }
            None => CreateScheme::Create,
        };
        if start_gas < base_cost {
            return Err(Halt::Invalid("out of gas for create"));
        }
        let mut gas = start_gas - base_cost;
        let one_64th = gas / 64;
        gas -= one_64th;
        let inputs = CreateInputs::new(self.frame.address, scheme, endowment, code, gas, 0);
        let result = run_frame(&mut self.ctx, FrameInput::Create(Box::new(inputs))).map_err(Halt::Fatal)?;
        let FrameResult::Create(outcome) = result else {
            return Err(Halt::Fatal("create frame returned a call outcome".into()));
        };
        let returned = outcome.result.gas.remaining();
        let cost = start_gas.saturating_sub(returned + one_64th);
        self.split.calls += cost;
        self.split.accesses += base_cost;
        let address = match outcome.address {
            Some(address) if outcome.result.result.is_ok() => {
                self.refund += outcome.result.gas.refunded();
                self.return_data = Bytes::new();
                address
            }
            _ => {
                self.return_data = if outcome.result.result.is_revert() { outcome.result.output } else { Bytes::new() };
                Address::ZERO
            }
        };
        ink.buy_gas(cost)?;
        Ok(address)
    }
}

type Ctx<'a> = Caller<'a, HostState>;

/// Runs a hostio: reads the program's ink, charges `base_ink`, runs `f` with the meter, and
/// writes the ink back (exhausted if anything could not be paid).
fn metered<R>(
    caller: &mut Ctx<'_>,
    base_ink: u64,
    f: impl FnOnce(&mut Ctx<'_>, &mut Ink) -> Result<R, Halt>,
) -> Result<R, wasmi::Error> {
    let Some(meter) = caller.data().meter else {
        return Err(wasmi::Error::host(Halt::Fatal("ink meter not bound".into())));
    };
    let price = u64::from(caller.data().params.ink_price);
    let left = meter.read(&*caller).map_err(|_| wasmi::Error::host(Halt::OutOfInk))?;
    let mut ink = Ink::new(left, price);
    let result = ink.buy(base_ink).map_err(Halt::from).and_then(|()| f(caller, &mut ink));
    let state = match &result {
        Err(Halt::OutOfInk) => Err(OutOfInk),
        _ => Ok(ink.left()),
    };
    meter.write(&mut *caller, state);
    result.map_err(wasmi::Error::host)
}

fn memory(caller: &Ctx<'_>) -> Result<Memory, Halt> {
    caller.data().memory.ok_or(Halt::MemoryAccess)
}

fn read(caller: &Ctx<'_>, ptr: i32, len: usize) -> Result<Vec<u8>, Halt> {
    let mem = memory(caller)?;
    let start = ptr as u32 as usize;
    if start.checked_add(len).is_none_or(|end| end > mem.data_size(caller)) {
        return Err(Halt::MemoryAccess);
    }
    let mut buf = vec![0u8; len];
    mem.read(caller, start, &mut buf).map_err(|_| Halt::MemoryAccess)?;
    Ok(buf)
}

fn read_word(caller: &Ctx<'_>, ptr: i32) -> Result<[u8; 32], Halt> {
    let mut word = [0u8; 32];
    word.copy_from_slice(&read(caller, ptr, 32)?);
    Ok(word)
}

fn read_u256(caller: &Ctx<'_>, ptr: i32) -> Result<U256, Halt> {
    Ok(U256::from_be_bytes(read_word(caller, ptr)?))
}

fn read_address(caller: &Ctx<'_>, ptr: i32) -> Result<Address, Halt> {
    Ok(Address::from_slice(&read(caller, ptr, 20)?))
}

fn write(caller: &mut Ctx<'_>, ptr: i32, data: &[u8]) -> Result<(), Halt> {
    let mem = memory(caller)?;
    mem.write(caller, ptr as u32 as usize, data).map_err(|_| Halt::MemoryAccess)
}

fn write_u32(caller: &mut Ctx<'_>, ptr: i32, value: u32) -> Result<(), Halt> {
    write(caller, ptr, &value.to_le_bytes())
}

/// `data[offset..offset + size]`, cut at the end of `data` (nitro `slice_with_runoff`).
fn slice_with_runoff(data: &[u8], offset: usize, size: usize) -> &[u8] {
    let start = offset.min(data.len());
    let end = offset.saturating_add(size).min(data.len());
    &data[start..end.max(start)]
}

/// Builds the linker with every hostio nitro links (the 42 `vm_hooks`, see
/// `stylus_code::nitro::imports`) plus the debug `console` functions, which activation
/// admits on debug chains only.
pub(crate) fn linker(engine: &Engine) -> Result<Linker<HostState>, wasmi::Error> {
    let mut l = Linker::<HostState>::new(engine);
    link_io(&mut l)?;
    link_storage(&mut l)?;
    link_calls(&mut l)?;
    link_logs_and_accounts(&mut l)?;
    link_environment(&mut l)?;
    link_math(&mut l)?;
    link_console(&mut l)?;
    Ok(l)
}

const M: &str = "vm_hooks";

fn link_io(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    l.func_wrap(M, "read_args", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::PLAIN, |c, ink| {
            let args = c.data().args.clone();
            ink.buy(ink::write_price(args.len()))?;
            write(c, dest, &args)
        })
    })?;
    l.func_wrap(M, "write_result", |mut c: Ctx<'_>, data: i32, len: i32| {
        metered(&mut c, base::PLAIN, |c, ink| {
            let len = len as u32 as usize;
            // Read from the program, then read again by the EVM: paid twice.
            ink.buy(ink::read_price(len))?;
            ink.buy(ink::read_price(len))?;
            let out = read(c, data, len)?;
            c.data_mut().output = out;
            Ok(())
        })
    })?;
    // Free: the program pays for the call operator only.
    l.func_wrap(M, "exit_early", |_: Ctx<'_>, status: i32| -> Result<(), wasmi::Error> {
        Err(wasmi::Error::host(Halt::Exit(status as u32)))
    })?;
    Ok(())
}

fn link_storage(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    l.func_wrap(M, "storage_load_bytes32", |mut c: Ctx<'_>, key: i32, dest: i32| {
        metered(&mut c, base::STORAGE_ACCESS, |c, ink| {
            let key = read_u256(c, key)?;
            let value = c.data_mut().storage_load(ink, key)?;
            write(c, dest, &value.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "storage_cache_bytes32", |mut c: Ctx<'_>, key: i32, value: i32| {
        metered(&mut c, base::STORAGE_ACCESS, |c, ink| {
            ink.require_gas(ink::SSTORE_SENTRY_GAS + ink::STORAGE_REQUIRED_ACCESS_GAS)?;
            let key = read_u256(c, key)?;
            let value = read_u256(c, value)?;
            let state = c.data_mut();
            let cost = state.cache.write_gas();
            state.cache.write(key, value);
            Ok(ink.buy_gas(cost)?)
        })
    })?;
    l.func_wrap(M, "storage_flush_cache", |mut c: Ctx<'_>, clear: i32| {
        metered(&mut c, base::EVM_API, |c, ink| c.data_mut().flush_storage(ink, clear != 0))
    })?;
    l.func_wrap(M, "transient_load_bytes32", |mut c: Ctx<'_>, key: i32, dest: i32| {
        metered(&mut c, base::EVM_API_TWO_POINTERS, |c, ink| {
            ink.buy_gas(ink::TRANSIENT_GAS)?;
            let key = read_u256(c, key)?;
            let state = c.data_mut();
            let address = state.frame.address;
            let value = state.ctx.journal_mut().tload(address, key);
            write(c, dest, &value.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "transient_store_bytes32", |mut c: Ctx<'_>, key: i32, value: i32| {
        metered(&mut c, base::EVM_API_TWO_POINTERS, |c, ink| {
            ink.buy_gas(ink::TRANSIENT_GAS)?;
            let key = read_u256(c, key)?;
            let value = read_u256(c, value)?;
            let state = c.data_mut();
            if state.frame.is_static {
                return Err(Halt::WriteProtection);
            }
            let address = state.frame.address;
            state.ctx.journal_mut().tstore(address, key, value);
            Ok(())
        })
    })?;
    Ok(())
}

fn link_calls(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    l.func_wrap(
        M,
        "call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, value: i32, gas: i64, ret_len: i32| {
            call_hostio(&mut c, CallScheme::Call, to, data, len, Some(value), gas, ret_len)
        },
    )?;
    l.func_wrap(
        M,
        "delegate_call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, gas: i64, ret_len: i32| {
            call_hostio(&mut c, CallScheme::DelegateCall, to, data, len, None, gas, ret_len)
        },
    )?;
    l.func_wrap(M, "static_call_contract", |mut c: Ctx<'_>, to: i32, data: i32, len: i32, gas: i64, ret_len: i32| {
        call_hostio(&mut c, CallScheme::StaticCall, to, data, len, None, gas, ret_len)
    })?;
    l.func_wrap(M, "read_return_data", |mut c: Ctx<'_>, dest: i32, offset: i32, size: i32| {
        metered(&mut c, base::EVM_API, |c, ink| {
            let (offset, size) = (offset as u32 as usize, size as u32 as usize);
            let data = c.data().return_data.clone();
            let max = data.len().saturating_sub(offset);
            ink.buy(ink::write_price(size.min(max)))?;
            if max == 0 {
                return Ok(0);
            }
            let out = slice_with_runoff(&data, offset, size);
            if !out.is_empty() {
                write(c, dest, out)?;
            }
            Ok(out.len() as i32)
        })
    })?;
    l.func_wrap(M, "return_data_size", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| Ok(c.data().return_data.len() as i32))
    })?;
    l.func_wrap(
        M,
        "create1",
        |mut c: Ctx<'_>, code: i32, len: i32, endowment: i32, contract: i32, revert_len: i32| {
            create_hostio(&mut c, code, len, endowment, None, contract, revert_len)
        },
    )?;
    l.func_wrap(
        M,
        "create2",
        |mut c: Ctx<'_>, code: i32, len: i32, endowment: i32, salt: i32, contract: i32, revert_len: i32| {
            create_hostio(&mut c, code, len, endowment, Some(salt), contract, revert_len)
        },
    )?;
    Ok(())
}

fn link_logs_and_accounts(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    l.func_wrap(M, "emit_log", |mut c: Ctx<'_>, data: i32, len: i32, topics: i32| {
        metered(&mut c, base::EVM_API, |c, ink| {
            let (len, topics) = (len as u32 as usize, topics as u32 as usize);
            if topics > 4 || len < topics * 32 {
                return Err(Halt::Invalid("bad topic data"));
            }
            ink.buy(ink::read_price(len))?;
            let data_len = (len - topics * 32) as u64;
            let gas = (1 + topics as u64) * ink::LOG_TOPIC_GAS + data_len * ink::LOG_DATA_GAS;
            ink.buy_gas(gas)?;
            let bytes = read(c, data, len)?;
            let state = c.data_mut();
            if state.frame.is_static {
                return Err(Halt::WriteProtection);
            }
            state.split.logs += gas;
            let topic_list: Vec<B256> = bytes[..topics * 32].chunks(32).map(B256::from_slice).collect();
            let log = Log {
                address: state.frame.address,
                data: LogData::new_unchecked(topic_list, Bytes::copy_from_slice(&bytes[topics * 32..])),
            };
            state.ctx.journal_mut().log(log);
            Ok(())
        })
    })?;
    l.func_wrap(M, "native_keccak256", |mut c: Ctx<'_>, data: i32, len: i32, out: i32| {
        let len = len as u32 as usize;
        metered(&mut c, ink::keccak_price(len), |c, _| {
            let bytes = read(c, data, len)?;
            write(c, out, keccak256(bytes).as_slice())
        })
    })?;
    l.func_wrap(M, "account_balance", |mut c: Ctx<'_>, address: i32, dest: i32| {
        metered(&mut c, base::EVM_API_TWO_POINTERS, |c, ink| {
            ink.require_gas(ink::COLD_ACCOUNT_GAS)?;
            let address = read_address(c, address)?;
            let state = c.data_mut();
            let cost = state.touch(address, false)?;
            let balance = state
                .ctx
                .journal_mut()
                .load_account(address)
                .map_err(|e| Halt::Fatal(e.to_string()))?
                .data
                .info
                .balance;
            ink.buy_gas(cost)?;
            write(c, dest, &balance.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "account_code", |mut c: Ctx<'_>, address: i32, offset: i32, size: i32, dest: i32| {
        metered(&mut c, base::EVM_API, |c, ink| {
            let address = read_address(c, address)?;
            let code = c.data_mut().account_code(ink, address)?;
            ink.buy(ink::write_price(code.len()))?;
            let out = slice_with_runoff(&code, offset as u32 as usize, size as u32 as usize);
            write(c, dest, out)?;
            Ok(out.len() as i32)
        })
    })?;
    l.func_wrap(M, "account_code_size", |mut c: Ctx<'_>, address: i32| {
        metered(&mut c, base::EVM_API, |c, ink| {
            let address = read_address(c, address)?;
            Ok(c.data_mut().account_code(ink, address)?.len() as i32)
        })
    })?;
    l.func_wrap(M, "account_codehash", |mut c: Ctx<'_>, address: i32, dest: i32| {
        metered(&mut c, base::EVM_API_TWO_POINTERS, |c, ink| {
            ink.require_gas(ink::COLD_ACCOUNT_GAS)?;
            let address = read_address(c, address)?;
            let state = c.data_mut();
            let cost = state.touch(address, false)?;
            let hash = state.ctx.journal_mut().code_hash(address).map_err(|e| Halt::Fatal(e.to_string()))?.data;
            ink.buy_gas(cost)?;
            write(c, dest, hash.as_slice())
        })
    })?;
    Ok(())
}

fn link_environment(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    l.func_wrap(M, "contract_address", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let address = c.data().frame.address;
            write(c, dest, address.as_slice())
        })
    })?;
    l.func_wrap(M, "block_basefee", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let fee = U256::from(c.data().ctx.block.basefee);
            write(c, dest, &fee.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "block_coinbase", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let coinbase = c.data().ctx.block.beneficiary;
            write(c, dest, coinbase.as_slice())
        })
    })?;
    l.func_wrap(M, "chainid", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| Ok(c.data().ctx.cfg.chain_id as i64))
    })?;
    l.func_wrap(M, "block_gas_limit", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| Ok(c.data().ctx.block.gas_limit as i64))
    })?;
    l.func_wrap(M, "block_number", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| Ok(c.data().ctx.block.number.saturating_to::<u64>() as i64))
    })?;
    l.func_wrap(M, "block_timestamp", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| Ok(c.data().ctx.block.timestamp.saturating_to::<u64>() as i64))
    })?;
    l.func_wrap(M, "evm_gas_left", |mut c: Ctx<'_>| metered(&mut c, base::PLAIN, |_, ink| Ok(ink.gas_left() as i64)))?;
    l.func_wrap(M, "evm_ink_left", |mut c: Ctx<'_>| metered(&mut c, base::PLAIN, |_, ink| Ok(ink.left() as i64)))?;
    l.func_wrap(M, "pay_for_memory_grow", |mut c: Ctx<'_>, pages: i32| {
        // Nitro takes the page count as a u16; zero pages (the SDK's call that keeps the import
        // alive) pays the base ink only, growth pays the memory model's gas only.
        let pages = pages as u32 as u16;
        let base_ink = if pages == 0 { base::PLAIN } else { 0 };
        metered(&mut c, base_ink, |c, ink| {
            if pages == 0 {
                return Ok(());
            }
            let state = c.data_mut();
            let p = state.params;
            let chain = &mut state.ctx.chain;
            let cost = ink::memory_gas(pages, chain.open_pages, chain.ever_pages, p.free_pages, p.page_gas);
            chain.open_pages = chain.open_pages.saturating_add(pages);
            chain.ever_pages = chain.ever_pages.max(chain.open_pages);
            state.split.memory += cost;
            Ok(ink.buy_gas(cost)?)
        })
    })?;
    l.func_wrap(M, "msg_reentrant", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| {
            let state = c.data();
            let open = state.ctx.chain.active.get(&state.frame.address).copied().unwrap_or(0);
            Ok(i32::from(open > 1))
        })
    })?;
    l.func_wrap(M, "msg_sender", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let sender = c.data().frame.caller;
            write(c, dest, sender.as_slice())
        })
    })?;
    l.func_wrap(M, "msg_value", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let value = c.data().frame.value;
            write(c, dest, &value.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "tx_gas_price", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let ctx = &c.data().ctx;
            let price =
                U256::from(revm::context::Transaction::effective_gas_price(&ctx.tx, u128::from(ctx.block.basefee)));
            write(c, dest, &price.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "tx_ink_price", |mut c: Ctx<'_>| {
        metered(&mut c, base::PLAIN, |c, _| Ok(c.data().params.ink_price as i32))
    })?;
    l.func_wrap(M, "tx_origin", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, base::ONE_POINTER, |c, _| {
            let origin = c.data().ctx.tx.caller;
            write(c, dest, origin.as_slice())
        })
    })?;
    Ok(())
}

/// One of nitro's 256-bit math hostios: reads the operands, writes the result over the first.
fn math(
    c: &mut Ctx<'_>,
    base_ink: u64,
    ptrs: &[i32],
    op: impl FnOnce(&[U256], &mut Ink) -> Result<U256, Halt>,
) -> Result<(), wasmi::Error> {
    metered(c, base_ink, |c, ink| {
        let operands = ptrs.iter().map(|p| read_u256(c, *p)).collect::<Result<Vec<U256>, Halt>>()?;
        let result = op(&operands, ink)?;
        write(c, ptrs[0], &result.to_be_bytes::<32>())
    })
}

fn link_math(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    l.func_wrap(M, "math_div", |mut c: Ctx<'_>, value: i32, divisor: i32| {
        math(&mut c, base::MATH_DIV, &[value, divisor], |v, _| Ok(v[0].checked_div(v[1]).unwrap_or_default()))
    })?;
    l.func_wrap(M, "math_mod", |mut c: Ctx<'_>, value: i32, modulus: i32| {
        math(&mut c, base::MATH_DIV, &[value, modulus], |v, _| Ok(v[0].checked_rem(v[1]).unwrap_or_default()))
    })?;
    l.func_wrap(M, "math_pow", |mut c: Ctx<'_>, value: i32, exponent: i32| {
        math(&mut c, base::MATH_POW, &[value, exponent], |v, ink| {
            ink.buy(ink::pow_price(&v[1].to_be_bytes::<32>()))?;
            Ok(v[0].wrapping_pow(v[1]))
        })
    })?;
    l.func_wrap(M, "math_add_mod", |mut c: Ctx<'_>, value: i32, addend: i32, modulus: i32| {
        math(&mut c, base::MATH_ADD_MOD, &[value, addend, modulus], |v, _| Ok(v[0].add_mod(v[1], v[2])))
    })?;
    l.func_wrap(M, "math_mul_mod", |mut c: Ctx<'_>, value: i32, multiplier: i32, modulus: i32| {
        math(&mut c, base::MATH_MUL_MOD, &[value, multiplier, modulus], |v, _| Ok(v[0].mul_mod(v[1], v[2])))
    })?;
    Ok(())
}

/// The debug `console` functions: free, logged through tracing.
fn link_console(l: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    const C: &str = "console";
    l.func_wrap(C, "log_txt", |c: Ctx<'_>, text: i32, len: i32| {
        if let Ok(bytes) = read(&c, text, (len as u32 as usize).min(4096)) {
            tracing::debug!(target: "stylus::console", "{}", String::from_utf8_lossy(&bytes));
        }
    })?;
    l.func_wrap(C, "log_i32", |_: Ctx<'_>, v: i32| tracing::debug!(target: "stylus::console", "{v}"))?;
    l.func_wrap(C, "log_i64", |_: Ctx<'_>, v: i64| tracing::debug!(target: "stylus::console", "{v}"))?;
    l.func_wrap(C, "log_f32", |_: Ctx<'_>, v: f32| tracing::debug!(target: "stylus::console", "{v}"))?;
    l.func_wrap(C, "log_f64", |_: Ctx<'_>, v: f64| tracing::debug!(target: "stylus::console", "{v}"))?;
    l.func_wrap(C, "tee_i32", |_: Ctx<'_>, v: i32| v)?;
    l.func_wrap(C, "tee_i64", |_: Ctx<'_>, v: i64| v)?;
    l.func_wrap(C, "tee_f32", |_: Ctx<'_>, v: f32| v)?;
    l.func_wrap(C, "tee_f64", |_: Ctx<'_>, v: f64| v)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn call_hostio(
    c: &mut Ctx<'_>,
    scheme: CallScheme,
    to: i32,
    data: i32,
    len: i32,
    value: Option<i32>,
    gas: i64,
    ret_len: i32,
) -> Result<i32, wasmi::Error> {
    let len = len as u32 as usize;
    metered(c, base::CALL, |c, ink| {
        // Read from the program, then read again by the EVM: paid twice.
        ink.buy(ink::read_price(len))?;
        ink.buy(ink::read_price(len))?;
        let to = read_address(c, to)?;
        let calldata = Bytes::from(read(c, data, len)?);
        let value = match value {
            Some(ptr) => read_u256(c, ptr)?,
            None => U256::ZERO,
        };
        let status = c.data_mut().call(ink, scheme, to, calldata, value, gas as u64)?;
        let n = c.data().return_data.len() as u32;
        write_u32(c, ret_len, n)?;
        Ok(i32::from(status))
    })
}

fn create_hostio(
    c: &mut Ctx<'_>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: Option<i32>,
    contract: i32,
    revert_len: i32,
) -> Result<(), wasmi::Error> {
    let len = len as u32 as usize;
    let base_ink = if salt.is_some() { base::CREATE2 } else { base::CALL };
    metered(c, base_ink, |c, ink| {
        ink.buy(ink::read_price(len))?;
        ink.buy(ink::read_price(len))?;
        let code = Bytes::from(read(c, code, len)?);
        let endowment = read_u256(c, endowment)?;
        let salt = match salt {
            Some(ptr) => Some(read_u256(c, ptr)?),
            None => None,
        };
        let address = c.data_mut().create(ink, code, endowment, salt)?;
        let n = c.data().return_data.len() as u32;
        write_u32(c, revert_len, n)?;
        write(c, contract, address.as_slice())
    })
}
