//! The `vm_hooks` imports of a Stylus program, executed against the devnet's journal.
//!
//! A program runs in its own wasmi `Store` whose data ([`HostState`]) *owns* the chain context
//! for the duration of the call (it is moved out of the calling revm frame and moved back
//! afterwards). Hostios that call or create contracts hand that same context to a nested revm
//! frame ([`crate::evm::run_frame`]), so Stylus and EVM frames share one journal and nest both
//! ways: a revert anywhere rolls back exactly that frame's checkpoint.
//!
//! Every hostio charges ink first (published nitro prices, see [`super::ink`]) and then the EVM
//! gas of the equivalent opcode where it touches the state (EIP-2929 warm/cold accesses,
//! EIP-2200/3529 storage writes, log gas, call and create costs with the 63/64 rule).

use std::collections::HashMap;
use std::fmt;

use alloy_primitives::{keccak256, Address, Bytes, Log, LogData, B256, U256};
use revm::{
    context::{ContextTr, JournalTr},
    handler::FrameResult,
    interpreter::{
        CallInput, CallInputs, CallScheme, CallValue, CreateInputs, CreateScheme, FrameInput,
    },
};
use wasmi::{errors::HostError, Caller, Engine, Linker, Memory, StoreLimits};
use wasmparser::{FuncType, ValType};

use super::ink::{
    ink_to_fuel, read_bytes_ink, write_bytes_ink, EVM_API_INK, HOSTIO_INK, INK_PER_FUEL, PTR_INK,
    SSTORE_SENTRY_GAS,
};
use super::params::StylusParams;
use crate::evm::{run_frame, DevCtx};

/// Fuel units per unit of gas.
pub(crate) const FUEL_PER_GAS: u64 = 10_000 / INK_PER_FUEL;

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
    /// Everything else: WASM opcodes and hostio ink, in gas.
    pub wasm: u64,
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
    }
}

/// A storage slot as the program's write-back cache sees it.
#[derive(Debug, Clone, Copy)]
struct CachedSlot {
    value: U256,
    dirty: bool,
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
    cache: HashMap<U256, CachedSlot>,
    /// SSTORE refunds (EIP-3529) earned by this frame and by successful sub-calls.
    pub(crate) refund: i64,
    pub(crate) memory: Option<Memory>,
    pub(crate) limits: StoreLimits,
    /// EVM-priced parts of the spending (the rest is WASM work).
    pub(crate) split: GasSplit,
}

impl HostState {
    pub(crate) fn new(ctx: DevCtx, frame: Frame, params: StylusParams, args: Bytes) -> Self {
        let limits = wasmi::StoreLimitsBuilder::new()
            .memory_size(usize::from(params.page_limit) * 65_536)
            .memories(1)
            .build();
        Self {
            ctx,
            frame,
            params,
            args,
            output: Vec::new(),
            return_data: Bytes::new(),
            cache: HashMap::new(),
            refund: 0,
            memory: None,
            limits,
            split: GasSplit::default(),
        }
    }

    /// Writes every dirty cached slot to the journal, paying EIP-2200/2929/3529 SSTORE gas.
    pub(crate) fn flush_storage(&mut self, fuel: &mut Fuel, clear: bool) -> Result<(), Halt> {
        let mut dirty: Vec<(U256, U256)> = self
            .cache
            .iter()
            .filter(|(_, s)| s.dirty)
            .map(|(k, s)| (*k, s.value))
            .collect();
        dirty.sort_by_key(|(k, _)| *k);
        if !dirty.is_empty() && self.frame.is_static {
            return Err(Halt::WriteProtection);
        }
        for (key, value) in dirty {
            if fuel.gas_left() <= SSTORE_SENTRY_GAS {
                return Err(Halt::OutOfInk);
            }
            let address = self.frame.address;
            let load = self
                .ctx
                .journal_mut()
                .sstore(address, key, value)
                .map_err(|e| Halt::Fatal(e.to_string()))?;
            let gas_params = &self.ctx.cfg.gas_params;
            let cost = gas_params.sstore_static_gas()
                + gas_params.sstore_dynamic_gas(true, &load.data, load.is_cold);
            self.refund += gas_params.sstore_refund(true, &load.data);
            fuel.charge_gas(cost)?;
            self.split.storage += cost;
            if let Some(slot) = self.cache.get_mut(&key) {
                slot.dirty = false;
            }
        }
        if clear {
            self.cache.clear();
        }
        Ok(())
    }

    /// Runs a nested call frame and returns (status, return data).
    fn call(
        &mut self,
        fuel: &mut Fuel,
        scheme: CallScheme,
        to: Address,
        calldata: Bytes,
        value: U256,
        gas_requested: u64,
    ) -> Result<u8, Halt> {
        if self.frame.is_static && !value.is_zero() {
            return Err(Halt::WriteProtection);
        }
        let account = self
            .ctx
            .journal_mut()
            .load_account_with_code(to)
            .map_err(|e| Halt::Fatal(e.to_string()))?;
        let is_cold = account.is_cold;
        let is_empty = account.data.is_empty();
        let code_hash = account.data.info.code_hash;
        let code = account.data.info.code.clone().unwrap_or_default();
        let gas_params = &self.ctx.cfg.gas_params;
        let transfers = !value.is_zero() && scheme == CallScheme::Call;
        let mut cost = if is_cold {
            gas_params.warm_storage_read_cost() + gas_params.cold_account_additional_cost()
        } else {
            gas_params.warm_storage_read_cost()
        };
        if transfers {
            cost += gas_params.transfer_value_cost();
            if is_empty {
                cost += gas_params.new_account_cost(true, true);
            }
        }
        let stipend = if transfers {
            gas_params.call_stipend()
        } else {
            0
        };
        fuel.charge_gas(cost)?;
        // EIP-150: all but one 64th of what is left.
        let left = fuel.gas_left();
        let forwarded = (left - left / 64).min(gas_requested);
        fuel.charge_gas(forwarded)?;
        let (target, caller, call_value) = match scheme {
            CallScheme::DelegateCall => (
                self.frame.address,
                self.frame.caller,
                CallValue::Apparent(self.frame.value),
            ),
            _ => (to, self.frame.address, CallValue::Transfer(value)),
        };
        let inputs = CallInputs {
            input: CallInput::Bytes(calldata),
            return_memory_offset: 0..0,
            gas_limit: forwarded + stipend,
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
        let result =
            run_frame(&mut self.ctx, FrameInput::Call(Box::new(inputs))).map_err(Halt::Fatal)?;
        let FrameResult::Call(outcome) = result else {
            return Err(Halt::Fatal("call frame returned a create outcome".into()));
        };
        let gas = outcome.result.gas;
        fuel.refund_gas(gas.remaining());
        self.split.calls += cost + (forwarded + stipend).saturating_sub(gas.remaining());
        let ok = outcome.result.result.is_ok();
        if ok {
            self.refund += gas.refunded();
        }
        self.return_data = outcome.result.output;
        Ok(if ok { 0 } else { 1 })
    }

    /// Runs a nested create frame; returns the new address (zero on failure).
    fn create(
        &mut self,
        fuel: &mut Fuel,
        code: Bytes,
        endowment: U256,
        salt: Option<U256>,
    ) -> Result<Address, Halt> {
        if self.frame.is_static {
            return Err(Halt::WriteProtection);
        }
        let gas_params = &self.ctx.cfg.gas_params;
        let mut cost = gas_params.create_cost() + gas_params.initcode_cost(code.len());
        let scheme = match salt {
            Some(salt) => {
                cost = gas_params.create2_cost(code.len()) + gas_params.initcode_cost(code.len());
                CreateScheme::Create2 { salt }
            }
            None => CreateScheme::Create,
        };
        fuel.charge_gas(cost)?;
        let left = fuel.gas_left();
        let forwarded = left - left / 64;
        fuel.charge_gas(forwarded)?;
        let inputs = CreateInputs::new(self.frame.address, scheme, endowment, code, forwarded, 0);
        let result =
            run_frame(&mut self.ctx, FrameInput::Create(Box::new(inputs))).map_err(Halt::Fatal)?;
        let FrameResult::Create(outcome) = result else {
            return Err(Halt::Fatal("create frame returned a call outcome".into()));
        };
        let gas = outcome.result.gas;
        fuel.refund_gas(gas.remaining());
        self.split.calls += cost + forwarded.saturating_sub(gas.remaining());
        match outcome.address {
            Some(address) if outcome.result.result.is_ok() => {
                self.refund += gas.refunded();
                self.return_data = Bytes::new();
                Ok(address)
            }
            _ => {
                self.return_data = if outcome.result.result.is_revert() {
                    outcome.result.output
                } else {
                    Bytes::new()
                };
                Ok(Address::ZERO)
            }
        }
    }

    /// EIP-2929 account access cost, loading the account.
    fn touch_account(&mut self, address: Address, fuel: &mut Fuel) -> Result<(), Halt> {
        let load = self
            .ctx
            .journal_mut()
            .load_account_with_code(address)
            .map_err(|e| Halt::Fatal(e.to_string()))?
            .is_cold;
        let gas_params = &self.ctx.cfg.gas_params;
        let cost = if load {
            gas_params.warm_storage_read_cost() + gas_params.cold_account_additional_cost()
        } else {
            gas_params.warm_storage_read_cost()
        };
        fuel.charge_gas(cost)
    }

    /// An account's code, paying its EIP-2929 access (`account_code`, `account_code_size`).
    fn account_code(&mut self, address: Address, fuel: &mut Fuel) -> Result<Bytes, Halt> {
        self.touch_account(address, fuel)?;
        Ok(self
            .ctx
            .journal_mut()
            .code(address)
            .map_err(|e| Halt::Fatal(e.to_string()))?
            .data)
    }
}

/// The remaining ink of a running program, in wasmi fuel units.
#[derive(Debug)]
pub(crate) struct Fuel(pub(crate) u64);

impl Fuel {
    pub(crate) fn charge_ink(&mut self, ink: u64) -> Result<(), Halt> {
        self.charge_fuel(ink_to_fuel(ink))
    }

    pub(crate) fn charge_gas(&mut self, gas: u64) -> Result<(), Halt> {
        self.charge_fuel(gas.saturating_mul(FUEL_PER_GAS))
    }

    fn charge_fuel(&mut self, fuel: u64) -> Result<(), Halt> {
        if fuel > self.0 {
            self.0 = 0;
            return Err(Halt::OutOfInk);
        }
        self.0 -= fuel;
        Ok(())
    }

    pub(crate) fn refund_gas(&mut self, gas: u64) {
        self.0 = self.0.saturating_add(gas.saturating_mul(FUEL_PER_GAS));
    }

    pub(crate) fn gas_left(&self) -> u64 {
        self.0 / FUEL_PER_GAS
    }

    pub(crate) fn ink_left(&self) -> u64 {
        self.0.saturating_mul(INK_PER_FUEL)
    }
}

type Ctx<'a> = Caller<'a, HostState>;

/// Runs `f` with the program's fuel as an explicit meter, writing it back afterwards.
fn metered<R>(
    caller: &mut Ctx<'_>,
    base_ink: u64,
    f: impl FnOnce(&mut Ctx<'_>, &mut Fuel) -> Result<R, Halt>,
) -> Result<R, wasmi::Error> {
    let mut fuel = Fuel(caller.get_fuel()?);
    let result = fuel
        .charge_ink(base_ink)
        .and_then(|()| f(caller, &mut fuel));
    caller.set_fuel(fuel.0)?;
    result.map_err(wasmi::Error::host)
}

fn memory(caller: &Ctx<'_>) -> Result<Memory, Halt> {
    caller.data().memory.ok_or(Halt::MemoryAccess)
}

fn read(caller: &Ctx<'_>, ptr: i32, len: usize) -> Result<Vec<u8>, Halt> {
    let mem = memory(caller)?;
    let start = ptr as u32 as usize;
    if start
        .checked_add(len)
        .is_none_or(|end| end > mem.data_size(caller))
    {
        return Err(Halt::MemoryAccess);
    }
    let mut buf = vec![0u8; len];
    mem.read(caller, start, &mut buf)
        .map_err(|_| Halt::MemoryAccess)?;
    Ok(buf)
}

fn read_word(caller: &Ctx<'_>, ptr: i32) -> Result<B256, Halt> {
    Ok(B256::from_slice(&read(caller, ptr, 32)?))
}

fn read_address(caller: &Ctx<'_>, ptr: i32) -> Result<Address, Halt> {
    Ok(Address::from_slice(&read(caller, ptr, 20)?))
}

fn write(caller: &mut Ctx<'_>, ptr: i32, data: &[u8]) -> Result<(), Halt> {
    let mem = memory(caller)?;
    mem.write(caller, ptr as u32 as usize, data)
        .map_err(|_| Halt::MemoryAccess)
}

fn write_u32(caller: &mut Ctx<'_>, ptr: i32, value: u32) -> Result<(), Halt> {
    write(caller, ptr, &value.to_le_bytes())
}

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;

/// Signatures of every hostio the devnet links, for activation's import check.
pub(crate) fn hostio_signature(module: &str, name: &str) -> Option<FuncType> {
    let sig = |params: &[ValType], results: &[ValType]| {
        Some(FuncType::new(
            params.iter().copied(),
            results.iter().copied(),
        ))
    };
    match (module, name) {
        ("vm_hooks", name) => match name {
            "read_args" | "contract_address" | "msg_sender" | "msg_value" | "tx_origin"
            | "tx_gas_price" | "block_basefee" | "block_coinbase" => sig(&[I32], &[]),
            "write_result"
            | "storage_load_bytes32"
            | "storage_cache_bytes32"
            | "account_balance"
            | "account_codehash"
            | "transient_load_bytes32"
            | "transient_store_bytes32" => sig(&[I32, I32], &[]),
            "storage_flush_cache" | "pay_for_memory_grow" | "exit_early" => sig(&[I32], &[]),
            "account_code" => sig(&[I32, I32, I32, I32], &[I32]),
            "account_code_size" => sig(&[I32], &[I32]),
            "chainid" | "block_gas_limit" | "block_number" | "block_timestamp" | "evm_gas_left"
            | "evm_ink_left" => sig(&[], &[I64]),
            "call_contract" => sig(&[I32, I32, I32, I32, I64, I32], &[I32]),
            "delegate_call_contract" | "static_call_contract" => {
                sig(&[I32, I32, I32, I64, I32], &[I32])
            }
            "read_return_data" => sig(&[I32, I32, I32], &[I32]),
            "return_data_size" | "msg_reentrant" | "tx_ink_price" => sig(&[], &[I32]),
            "create1" => sig(&[I32, I32, I32, I32, I32], &[]),
            "create2" => sig(&[I32, I32, I32, I32, I32, I32], &[]),
            "emit_log" | "native_keccak256" => sig(&[I32, I32, I32], &[]),
            _ => None,
        },
        ("console", name) => match name {
            "log_txt" => sig(&[I32, I32], &[]),
            "log_i32" => sig(&[I32], &[]),
            "log_i64" => sig(&[I64], &[]),
            "log_f32" => sig(&[ValType::F32], &[]),
            "log_f64" => sig(&[ValType::F64], &[]),
            _ => None,
        },
        _ => None,
    }
}

/// Builds the linker with every hostio (34 `vm_hooks` of stylus-sdk 0.10, plus nitro's
/// `exit_early` and transient storage, plus the debug `console` module).
pub(crate) fn linker(engine: &Engine) -> Result<Linker<HostState>, wasmi::Error> {
    let mut l = Linker::<HostState>::new(engine);
    const M: &str = "vm_hooks";

    // --- entry I/O ---
    l.func_wrap(M, "read_args", |mut c: Ctx<'_>, dest: i32| {
        let len = c.data().args.len();
        metered(&mut c, HOSTIO_INK + read_bytes_ink(len), |c, _| {
            let args = c.data().args.clone();
            write(c, dest, &args)
        })
    })?;
    l.func_wrap(M, "write_result", |mut c: Ctx<'_>, data: i32, len: i32| {
        metered(
            &mut c,
            HOSTIO_INK + write_bytes_ink(len as u32 as usize),
            |c, _| {
                let out = read(c, data, len as u32 as usize)?;
                c.data_mut().output = out;
                Ok(())
            },
        )
    })?;
    l.func_wrap(M, "exit_early", |mut c: Ctx<'_>, status: i32| {
        metered(&mut c, HOSTIO_INK, |_, _| {
            Err::<(), _>(Halt::Exit(status as u32))
        })
    })?;

    // --- storage ---
    l.func_wrap(
        M,
        "storage_load_bytes32",
        |mut c: Ctx<'_>, key: i32, dest: i32| {
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK, |c, fuel| {
                let key = U256::from_be_bytes(read_word(c, key)?.0);
                let state = c.data_mut();
                let value = if let Some(slot) = state.cache.get(&key) {
                    let cost = state.ctx.cfg.gas_params.warm_storage_read_cost();
                    fuel.charge_gas(cost)?;
                    state.split.storage += cost;
                    slot.value
                } else {
                    let address = state.frame.address;
                    let load = state
                        .ctx
                        .journal_mut()
                        .sload(address, key)
                        .map_err(|e| Halt::Fatal(e.to_string()))?;
                    let gas_params = &state.ctx.cfg.gas_params;
                    let cost = if load.is_cold {
                        gas_params.cold_storage_cost()
                    } else {
                        gas_params.warm_storage_read_cost()
                    };
                    fuel.charge_gas(cost)?;
                    state.split.storage += cost;
                    state.cache.insert(
                        key,
                        CachedSlot {
                            value: load.data,
                            dirty: false,
                        },
                    );
                    load.data
                };
                write(c, dest, &value.to_be_bytes::<32>())
            })
        },
    )?;
    l.func_wrap(
        M,
        "storage_cache_bytes32",
        |mut c: Ctx<'_>, key: i32, value: i32| {
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK, |c, fuel| {
                if fuel.gas_left() <= SSTORE_SENTRY_GAS {
                    return Err(Halt::OutOfInk);
                }
                let key = U256::from_be_bytes(read_word(c, key)?.0);
                let value = U256::from_be_bytes(read_word(c, value)?.0);
                c.data_mut()
                    .cache
                    .insert(key, CachedSlot { value, dirty: true });
                Ok(())
            })
        },
    )?;
    l.func_wrap(M, "storage_flush_cache", |mut c: Ctx<'_>, clear: i32| {
        metered(&mut c, HOSTIO_INK + EVM_API_INK, |c, fuel| {
            c.data_mut().flush_storage(fuel, clear != 0)
        })
    })?;
    l.func_wrap(
        M,
        "transient_load_bytes32",
        |mut c: Ctx<'_>, key: i32, dest: i32| {
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK, |c, fuel| {
                let key = U256::from_be_bytes(read_word(c, key)?.0);
                let state = c.data_mut();
                let address = state.frame.address;
                let value = state.ctx.journal_mut().tload(address, key);
                fuel.charge_gas(state.ctx.cfg.gas_params.warm_storage_read_cost())?;
                write(c, dest, &value.to_be_bytes::<32>())
            })
        },
    )?;
    l.func_wrap(
        M,
        "transient_store_bytes32",
        |mut c: Ctx<'_>, key: i32, value: i32| {
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK, |c, fuel| {
                let key = U256::from_be_bytes(read_word(c, key)?.0);
                let value = U256::from_be_bytes(read_word(c, value)?.0);
                let state = c.data_mut();
                if state.frame.is_static {
                    return Err(Halt::WriteProtection);
                }
                fuel.charge_gas(state.ctx.cfg.gas_params.warm_storage_read_cost())?;
                let address = state.frame.address;
                state.ctx.journal_mut().tstore(address, key, value);
                Ok(())
            })
        },
    )?;

    // --- calls ---
    l.func_wrap(
        M,
        "call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, value: i32, gas: i64, ret_len: i32| {
            call_hostio(
                &mut c,
                CallScheme::Call,
                to,
                data,
                len,
                Some(value),
                gas,
                ret_len,
            )
        },
    )?;
    l.func_wrap(
        M,
        "delegate_call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, gas: i64, ret_len: i32| {
            call_hostio(
                &mut c,
                CallScheme::DelegateCall,
                to,
                data,
                len,
                None,
                gas,
                ret_len,
            )
        },
    )?;
    l.func_wrap(
        M,
        "static_call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, gas: i64, ret_len: i32| {
            call_hostio(
                &mut c,
                CallScheme::StaticCall,
                to,
                data,
                len,
                None,
                gas,
                ret_len,
            )
        },
    )?;
    l.func_wrap(
        M,
        "read_return_data",
        |mut c: Ctx<'_>, dest: i32, offset: i32, size: i32| {
            let total = c.data().return_data.len();
            let offset = (offset as u32 as usize).min(total);
            let size = (size as u32 as usize).min(total - offset);
            metered(&mut c, HOSTIO_INK + read_bytes_ink(size), |c, _| {
                let data = c.data().return_data.slice(offset..offset + size);
                write(c, dest, &data)?;
                Ok(size as i32)
            })
        },
    )?;
    l.func_wrap(M, "return_data_size", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            Ok(c.data().return_data.len() as i32)
        })
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
        |mut c: Ctx<'_>,
         code: i32,
         len: i32,
         endowment: i32,
         salt: i32,
         contract: i32,
         revert_len: i32| {
            create_hostio(
                &mut c,
                code,
                len,
                endowment,
                Some(salt),
                contract,
                revert_len,
            )
        },
    )?;

    // --- logs and hashing ---
    l.func_wrap(
        M,
        "emit_log",
        |mut c: Ctx<'_>, data: i32, len: i32, topics: i32| {
            let len = len as u32 as usize;
            metered(
                &mut c,
                HOSTIO_INK + EVM_API_INK + write_bytes_ink(len),
                |c, fuel| {
                    let topics = topics as u32 as usize;
                    if topics > 4 || topics * 32 > len {
                        return Err(Halt::Invalid(
                            "log with more than 4 topics or topics past the data",
                        ));
                    }
                    if c.data().frame.is_static {
                        return Err(Halt::WriteProtection);
                    }
                    let bytes = read(c, data, len)?;
                    let state = c.data_mut();
                    let cost = state
                        .ctx
                        .cfg
                        .gas_params
                        .log_cost(topics as u8, (len - topics * 32) as u64);
                    fuel.charge_gas(cost)?;
                    state.split.logs += cost;
                    let topic_list: Vec<B256> = bytes[..topics * 32]
                        .chunks(32)
                        .map(B256::from_slice)
                        .collect();
                    let log = Log {
                        address: state.frame.address,
                        data: LogData::new_unchecked(
                            topic_list,
                            Bytes::copy_from_slice(&bytes[topics * 32..]),
                        ),
                    };
                    state.ctx.journal_mut().log(log);
                    Ok(())
                },
            )
        },
    )?;
    l.func_wrap(
        M,
        "native_keccak256",
        |mut c: Ctx<'_>, data: i32, len: i32, out: i32| {
            let len = len as u32 as usize;
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK, |c, fuel| {
                fuel.charge_gas(c.data().ctx.cfg.gas_params.keccak256_cost(len))?;
                let bytes = read(c, data, len)?;
                write(c, out, keccak256(bytes).as_slice())
            })
        },
    )?;

    // --- accounts ---
    l.func_wrap(
        M,
        "account_balance",
        |mut c: Ctx<'_>, address: i32, dest: i32| {
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK, |c, fuel| {
                let address = read_address(c, address)?;
                let state = c.data_mut();
                state.touch_account(address, fuel)?;
                let balance = state
                    .ctx
                    .journal_mut()
                    .load_account(address)
                    .map_err(|e| Halt::Fatal(e.to_string()))?
                    .data
                    .info
                    .balance;
                write(c, dest, &balance.to_be_bytes::<32>())
            })
        },
    )?;
    l.func_wrap(
        M,
        "account_code",
        |mut c: Ctx<'_>, address: i32, offset: i32, size: i32, dest: i32| {
            metered(&mut c, HOSTIO_INK + EVM_API_INK, |c, fuel| {
                let address = read_address(c, address)?;
                let state = c.data_mut();
                let code = state.account_code(address, fuel)?;
                let offset = (offset as u32 as usize).min(code.len());
                let size = (size as u32 as usize).min(code.len() - offset);
                fuel.charge_ink(read_bytes_ink(size))?;
                fuel.charge_gas(state.ctx.cfg.gas_params.copy_cost(size))?;
                write(c, dest, &code[offset..offset + size])?;
                Ok(size as i32)
            })
        },
    )?;
    l.func_wrap(M, "account_code_size", |mut c: Ctx<'_>, address: i32| {
        metered(&mut c, HOSTIO_INK + EVM_API_INK, |c, fuel| {
            let address = read_address(c, address)?;
            let code = c.data_mut().account_code(address, fuel)?;
            Ok(code.len() as i32)
        })
    })?;
    l.func_wrap(
        M,
        "account_codehash",
        |mut c: Ctx<'_>, address: i32, dest: i32| {
            metered(&mut c, HOSTIO_INK + 2 * PTR_INK + EVM_API_INK, |c, fuel| {
                let address = read_address(c, address)?;
                let state = c.data_mut();
                state.touch_account(address, fuel)?;
                let hash = state
                    .ctx
                    .journal_mut()
                    .code_hash(address)
                    .map_err(|e| Halt::Fatal(e.to_string()))?
                    .data;
                write(c, dest, hash.as_slice())
            })
        },
    )?;
    l.func_wrap(M, "contract_address", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let address = c.data().frame.address;
            write(c, dest, address.as_slice())
        })
    })?;

    // --- block, chain, transaction, message ---
    l.func_wrap(M, "block_basefee", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let fee = U256::from(c.data().ctx.block.basefee);
            write(c, dest, &fee.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "block_coinbase", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let coinbase = c.data().ctx.block.beneficiary;
            write(c, dest, coinbase.as_slice())
        })
    })?;
    l.func_wrap(M, "chainid", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            Ok(c.data().ctx.cfg.chain_id as i64)
        })
    })?;
    l.func_wrap(M, "block_gas_limit", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            Ok(c.data().ctx.block.gas_limit as i64)
        })
    })?;
    l.func_wrap(M, "block_number", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            Ok(c.data().ctx.block.number.saturating_to::<u64>() as i64)
        })
    })?;
    l.func_wrap(M, "block_timestamp", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            Ok(c.data().ctx.block.timestamp.saturating_to::<u64>() as i64)
        })
    })?;
    l.func_wrap(M, "evm_gas_left", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |_, fuel| Ok(fuel.gas_left() as i64))
    })?;
    l.func_wrap(M, "evm_ink_left", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |_, fuel| Ok(fuel.ink_left() as i64))
    })?;
    l.func_wrap(M, "pay_for_memory_grow", |mut c: Ctx<'_>, pages: i32| {
        metered(&mut c, HOSTIO_INK, |c, fuel| {
            let pages = pages as u32 as u16;
            if pages == 0 {
                return Ok(());
            }
            let state = c.data_mut();
            let p = state.params;
            let chain = &mut state.ctx.chain;
            let cost = super::ink::memory_gas(
                pages,
                chain.open_pages,
                chain.ever_pages,
                p.free_pages,
                p.page_gas,
                p.page_ramp,
            );
            fuel.charge_gas(cost)?;
            chain.open_pages = chain.open_pages.saturating_add(pages);
            chain.ever_pages = chain.ever_pages.max(chain.open_pages);
            state.split.memory += cost;
            Ok(())
        })
    })?;
    l.func_wrap(M, "msg_reentrant", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            let state = c.data();
            let open = state
                .ctx
                .chain
                .active
                .get(&state.frame.address)
                .copied()
                .unwrap_or(0);
            Ok(i32::from(open > 1))
        })
    })?;
    l.func_wrap(M, "msg_sender", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let sender = c.data().frame.caller;
            write(c, dest, sender.as_slice())
        })
    })?;
    l.func_wrap(M, "msg_value", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let value = c.data().frame.value;
            write(c, dest, &value.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "tx_gas_price", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let ctx = &c.data().ctx;
            let price = U256::from(revm::context::Transaction::effective_gas_price(
                &ctx.tx,
                u128::from(ctx.block.basefee),
            ));
            write(c, dest, &price.to_be_bytes::<32>())
        })
    })?;
    l.func_wrap(M, "tx_ink_price", |mut c: Ctx<'_>| {
        metered(&mut c, HOSTIO_INK, |c, _| {
            Ok(c.data().params.ink_price as i32)
        })
    })?;
    l.func_wrap(M, "tx_origin", |mut c: Ctx<'_>, dest: i32| {
        metered(&mut c, HOSTIO_INK + PTR_INK, |c, _| {
            let origin = c.data().ctx.tx.caller;
            write(c, dest, origin.as_slice())
        })
    })?;

    // --- debug console (stylus-sdk `debug` feature): free, logged through tracing ---
    l.func_wrap("console", "log_txt", |c: Ctx<'_>, text: i32, len: i32| {
        if let Ok(bytes) = read(&c, text, (len as u32 as usize).min(4096)) {
            tracing::debug!(target: "stylus::console", "{}", String::from_utf8_lossy(&bytes));
        }
    })?;
    l.func_wrap(
        "console",
        "log_i32",
        |_: Ctx<'_>, v: i32| tracing::debug!(target: "stylus::console", "{v}"),
    )?;
    l.func_wrap(
        "console",
        "log_i64",
        |_: Ctx<'_>, v: i64| tracing::debug!(target: "stylus::console", "{v}"),
    )?;
    l.func_wrap(
        "console",
        "log_f32",
        |_: Ctx<'_>, v: f32| tracing::debug!(target: "stylus::console", "{v}"),
    )?;
    l.func_wrap(
        "console",
        "log_f64",
        |_: Ctx<'_>, v: f64| tracing::debug!(target: "stylus::console", "{v}"),
    )?;
    Ok(l)
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
    metered(
        c,
        HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + write_bytes_ink(len),
        |c, fuel| {
            let to = read_address(c, to)?;
            let calldata = Bytes::from(read(c, data, len)?);
            let value = match value {
                Some(ptr) => U256::from_be_bytes(read_word(c, ptr)?.0),
                None => U256::ZERO,
            };
            let status = c
                .data_mut()
                .call(fuel, scheme, to, calldata, value, gas as u64)?;
            let n = c.data().return_data.len() as u32;
            write_u32(c, ret_len, n)?;
            Ok(i32::from(status))
        },
    )
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
    metered(
        c,
        HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + write_bytes_ink(len),
        |c, fuel| {
            let code = Bytes::from(read(c, code, len)?);
            let endowment = U256::from_be_bytes(read_word(c, endowment)?.0);
            let salt = match salt {
                Some(ptr) => Some(U256::from_be_bytes(read_word(c, ptr)?.0)),
                None => None,
            };
            let address = c.data_mut().create(fuel, code, endowment, salt)?;
            write(c, contract, address.as_slice())?;
            let n = c.data().return_data.len() as u32;
            write_u32(c, revert_len, n)
        },
    )
}
