//! The functions a user program may import, and their signatures.
//!
//! Nitro links a user program against its "forward" stub, which exports one `vm_hooks__<name>`
//! function per hostio (nitro `arbitrator/wasm-libraries/forward`, list `HOSTIOS`). Any other
//! import is looked up among the prover's own host functions (`arbitrator/prover/src/host.rs`):
//! the `console` ones are allowed on debug chains only, the `env`/`hostio` ones never in a user
//! program, and anything else is refused.

use wasmparser::{FuncType, ValType};

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;
const F32: ValType = ValType::F32;
const F64: ValType = ValType::F64;

/// The hostios of module `vm_hooks`, in nitro's order, with (parameters, results).
pub const VM_HOOKS: [(&str, &[ValType], &[ValType]); 42] = [
    ("read_args", &[I32], &[]),
    ("write_result", &[I32, I32], &[]),
    ("exit_early", &[I32], &[]),
    ("storage_load_bytes32", &[I32, I32], &[]),
    ("storage_cache_bytes32", &[I32, I32], &[]),
    ("storage_flush_cache", &[I32], &[]),
    ("transient_load_bytes32", &[I32, I32], &[]),
    ("transient_store_bytes32", &[I32, I32], &[]),
    ("call_contract", &[I32, I32, I32, I32, I64, I32], &[I32]),
    ("delegate_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    ("static_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    ("create1", &[I32, I32, I32, I32, I32], &[]),
    ("create2", &[I32, I32, I32, I32, I32, I32], &[]),
    ("read_return_data", &[I32, I32, I32], &[I32]),
    ("return_data_size", &[], &[I32]),
    ("emit_log", &[I32, I32, I32], &[]),
    ("account_balance", &[I32, I32], &[]),
    ("account_code", &[I32, I32, I32, I32], &[I32]),
    ("account_code_size", &[I32], &[I32]),
    ("account_codehash", &[I32, I32], &[]),
    ("evm_gas_left", &[], &[I64]),
    ("evm_ink_left", &[], &[I64]),
    ("block_basefee", &[I32], &[]),
    ("chainid", &[], &[I64]),
    ("block_coinbase", &[I32], &[]),
    ("block_gas_limit", &[], &[I64]),
    ("block_number", &[], &[I64]),
    ("block_timestamp", &[], &[I64]),
    ("contract_address", &[I32], &[]),
    ("math_div", &[I32, I32], &[]),
    ("math_mod", &[I32, I32], &[]),
    ("math_pow", &[I32, I32], &[]),
    ("math_add_mod", &[I32, I32, I32], &[]),
    ("math_mul_mod", &[I32, I32, I32], &[]),
    ("msg_reentrant", &[], &[I32]),
    ("msg_sender", &[I32], &[]),
    ("msg_value", &[I32], &[]),
    ("native_keccak256", &[I32, I32, I32], &[]),
    ("tx_gas_price", &[I32], &[]),
    ("tx_ink_price", &[], &[I32]),
    ("tx_origin", &[I32], &[]),
    ("pay_for_memory_grow", &[I32], &[]),
];

/// The debug hostios of module `console`, linked only on chains in debug mode.
pub const CONSOLE: [(&str, &[ValType], &[ValType]); 9] = [
    ("log_txt", &[I32, I32], &[]),
    ("log_i32", &[I32], &[]),
    ("log_i64", &[I64], &[]),
    ("log_f32", &[F32], &[]),
    ("log_f64", &[F64], &[]),
    ("tee_i32", &[I32], &[I32]),
    ("tee_i64", &[I64], &[I64]),
    ("tee_f32", &[F32], &[F32]),
    ("tee_f64", &[F64], &[F64]),
];

/// Host functions of the prover that exist but are never linked into a user program.
const PROVER_ONLY: [(&str, &str); 30] = [
    ("env", "wavm_caller_load8"),
    ("env", "wavm_caller_load32"),
    ("env", "wavm_caller_store8"),
    ("env", "wavm_caller_store32"),
    ("env", "wavm_get_globalstate_bytes32"),
    ("env", "wavm_set_globalstate_bytes32"),
    ("env", "wavm_get_globalstate_u64"),
    ("env", "wavm_set_globalstate_u64"),
    ("env", "wavm_validate_certificate"),
    ("env", "wavm_read_keccak_256_preimage"),
    ("env", "wavm_read_sha2_256_preimage"),
    ("env", "wavm_read_eth_versioned_hash_preimage"),
    ("env", "wavm_read_dacertificate_preimage"),
    ("env", "wavm_read_inbox_message"),
    ("env", "wavm_read_delayed_inbox_message"),
    ("env", "wavm_halt_and_set_finished"),
    ("hostio", "wavm_link_module"),
    ("hostio", "wavm_unlink_module"),
    ("hostio", "program_ink_left"),
    ("hostio", "program_ink_status"),
    ("hostio", "program_set_ink"),
    ("hostio", "program_stack_left"),
    ("hostio", "program_set_stack"),
    ("hostio", "program_memory_size"),
    ("hostio", "program_call_main"),
    ("hostio", "program_request"),
    ("hostio", "program_continue"),
    ("hostio", "user_ink_left"),
    ("hostio", "user_ink_status"),
    ("hostio", "user_set_ink"),
];

/// How nitro resolves one import of a user program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A hostio (or, on a debug chain, a console function) with this signature.
    Linked(FuncType),
    /// A host function that exists but is not enabled here (`debug` tells whether it is one
    /// of the debug functions).
    NotEnabled {
        /// Whether the function is a debug (`console`) function.
        debug: bool,
    },
    /// No such function.
    Unknown,
}

fn func_type(params: &[ValType], results: &[ValType]) -> FuncType {
    FuncType::new(params.iter().copied(), results.iter().copied())
}

/// Resolves `module.name` like nitro's `Module::from_binary` for a user program on a chain
/// with or without debug mode.
pub fn resolve(module: &str, name: &str, debug_chain: bool) -> Resolution {
    if module == "vm_hooks" {
        if let Some((_, params, results)) = VM_HOOKS.iter().find(|(n, ..)| *n == name) {
            return Resolution::Linked(func_type(params, results));
        }
    }
    if module == "console" {
        if let Some((_, params, results)) = CONSOLE.iter().find(|(n, ..)| *n == name) {
            return match debug_chain {
                true => Resolution::Linked(func_type(params, results)),
                false => Resolution::NotEnabled { debug: true },
            };
        }
    }
    if PROVER_ONLY.contains(&(module, name)) {
        return Resolution::NotEnabled { debug: false };
    }
    Resolution::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostios_resolve_with_their_signatures() {
        assert_eq!(resolve("vm_hooks", "read_args", false), Resolution::Linked(func_type(&[I32], &[])));
        assert_eq!(resolve("vm_hooks", "math_pow", false), Resolution::Linked(func_type(&[I32, I32], &[])));
        assert_eq!(resolve("console", "log_i32", true), Resolution::Linked(func_type(&[I32], &[])));
        assert_eq!(resolve("console", "log_i32", false), Resolution::NotEnabled { debug: true });
        assert_eq!(resolve("env", "wavm_halt_and_set_finished", true), Resolution::NotEnabled { debug: false });
        assert_eq!(resolve("env", "abort", false), Resolution::Unknown);
        assert_eq!(resolve("vm_hooks", "log_i32", true), Resolution::Unknown);
    }
}
