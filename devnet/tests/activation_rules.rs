//! `ArbWasm.activateProgram` refuses, with nitro v3.9.5's messages, each kind of module nitro
//! refuses, and burns the whole gas limit doing so, as nitro does; one rule per test module.
//!
//! The modules are written in the WebAssembly text format; each is a valid, activatable
//! program ([`PROGRAM`]) with one thing changed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
use poco_devnet::stylus::code::{compress_wasm, deploy_init_code};
use poco_devnet::{Devnet, DevnetConfig, TxRequest};

/// The smallest program nitro activates: memory exported as `memory`, the growth hook
/// imported, `user_entrypoint(i32) -> i32`.
const PROGRAM: &str = r#"(module
  (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

/// `PROGRAM` with `from` replaced by `to`.
fn variant(from: &str, to: &str) -> Vec<u8> {
    assert!(PROGRAM.contains(from), "{from}");
    wat::parse_str(PROGRAM.replacen(from, to, 1)).expect("valid wat")
}

/// Deploys `wasm` verbatim (no re-encoding) and sends `activateProgram`; returns the
/// outcome's error text, or `None` when activation succeeded.
fn activation_error(wasm: &[u8]) -> Option<String> {
    let mut dev = Devnet::new(DevnetConfig::default()).expect("devnet");
    let alice = dev.accounts()[0];
    let deployed = dev
        .send(TxRequest { from: alice, data: deploy_init_code(&compress_wasm(wasm)), ..Default::default() })
        .expect("deploy");
    let program: Address = deployed.outcome.contract_address.expect("program address");
    let gas = 5_000_000;
    let sent = dev
        .send(TxRequest {
            from: alice,
            to: Some(ARB_WASM),
            data: ArbWasm::activateProgramCall { program }.abi_encode().into(),
            value: U256::from(10u64).pow(U256::from(18u64)),
            gas: Some(gas),
            ..Default::default()
        })
        .expect("send activateProgram");
    if sent.outcome.success {
        return None;
    }
    // Nitro's activation failures take all the gas.
    assert_eq!(sent.outcome.gas_used, gas, "{:?}", sent.outcome.halt);
    sent.outcome.halt
}

fn assert_refused(wasm: &[u8], message: &str) {
    let error = activation_error(wasm).expect("activation must fail");
    assert_eq!(error, format!("program activation failed: {message}"));
}

#[test]
fn the_reference_program_activates() {
    assert_eq!(activation_error(&wat::parse_str(PROGRAM).unwrap()), None);
}

#[test]
fn data_count_section() {
    // What `wasm-opt --enable-bulk-memory` writes: a DataCount section before the code.
    let wasm = variant("(memory (export \"memory\") 1)", "(memory (export \"memory\") 1) (data \"x\")");
    let mut with_count = wasm[..8].to_vec();
    // Re-emit the module with a DataCount section (id 12, count 1) before the code section.
    let sections = sections(&wasm);
    for (id, bytes) in &sections {
        if *id == 10 {
            with_count.extend_from_slice(&[12, 1, 1]);
        }
        with_count.extend_from_slice(bytes);
    }
    let error = activation_error(&with_count).expect("refused");
    assert!(
        error.starts_with("program activation failed: failed to parse wasm: unsupported section type DataCountSection { count: 1, range: "),
        "{error}"
    );
}

#[test]
fn memory_init_needs_the_refused_data_count() {
    // memory.init only validates with a DataCount section, which nitro refuses first.
    let wasm = wat::parse_str(
        r#"(module
          (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
          (memory (export "memory") 1)
          (data "abc")
          (func (export "user_entrypoint") (param i32) (result i32)
            i32.const 0 i32.const 0 i32.const 3 memory.init 0 i32.const 0))"#,
    )
    .unwrap();
    let error = activation_error(&wasm).expect("refused");
    assert!(error.contains("unsupported section type DataCountSection"), "{error}");
}

#[test]
fn table_and_segment_operators() {
    // Bulk memory is on, but of its operators nitro's meter takes only memory.copy/fill.
    let wasm = variant(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (table 1 funcref) (elem func 0) (func elem.drop 0)",
    );
    assert_refused(&wasm, "failed to parse wasm: dynamic ink meter failure: opcode not supported");
    let wasm = variant(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (table 2 funcref) (func i32.const 0 i32.const 1 i32.const 1 table.copy)",
    );
    assert_refused(&wasm, "failed to parse wasm: dynamic ink meter failure: opcode not supported");
}

#[test]
fn reference_types() {
    let error = activation_error(&variant(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (table 1 externref)",
    ))
    .expect("refused");
    assert!(error.starts_with("program activation failed: failed to parse wasm: failed to validate user: "), "{error}");
    assert!(error.contains("reference types support is not enabled"), "{error}");
    let table_size = variant(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (table 1 funcref) (func (result i32) table.size 0)",
    );
    let error = activation_error(&table_size).expect("refused");
    assert!(error.contains("failed to validate user") && error.contains("reference types"), "{error}");
}

#[test]
fn simd() {
    let wasm = variant("i32.const 0))", "v128.const i64x2 0 0 drop i32.const 0))");
    let error = activation_error(&wasm).expect("refused");
    assert!(error.contains("failed to validate user") && error.contains("SIMD support is not enabled"), "{error}");
}

#[test]
fn start_section() {
    let wasm = variant("(memory (export \"memory\") 1)", "(memory (export \"memory\") 1) (func $s) (start $s)");
    assert_refused(&wasm, "failed to parse wasm: start functions not allowed");
}

#[test]
fn imports_nitro_does_not_link() {
    let wasm = variant("(memory", "(import \"env\" \"abort\" (func)) (memory");
    assert_refused(&wasm, "failed to build user module: No such import abort in env for user");
    // The debug console exists only on chains in debug mode, which Arbitrum One is not.
    let wasm = variant("(memory", "(import \"console\" \"log_i32\" (func (param i32))) (memory");
    assert_refused(
        &wasm,
        "failed to build user module: Host func log_i32 in console not enabled debug_funcs=false hostapi=false debug=true",
    );
    let wasm = variant("(memory", "(import \"vm_hooks\" \"read_args\" (func (param i64))) (memory");
    assert_refused(
        &wasm,
        "failed to build user module: Import read_args for user has different function signature than export.\nexpected λ(i32) in vm_hooks\nbut have λ(i64)",
    );
    let wasm = variant("(memory (export \"memory\") 1)", "(import \"env\" \"memory\" (memory 1))");
    let error = activation_error(&wasm).expect("refused");
    assert!(
        error.starts_with("program activation failed: failed to parse wasm: unsupported import kind Import {"),
        "{error}"
    );
}

#[test]
fn memory_rules() {
    let wasm = variant("(memory (export \"memory\") 1)", "(memory (export \"memory\") 129)");
    assert_refused(&wasm, "failed to parse wasm: memory size 129 exceeds bound 128");
    let wasm = variant("(memory (export \"memory\") 1)", "(memory (export \"mem\") 1)");
    assert_refused(&wasm, "failed to parse wasm: missing memory with export name memory");
    let wasm = variant("(import \"vm_hooks\" \"pay_for_memory_grow\" (func (param i32)))", "");
    assert_refused(&wasm, "failed to parse wasm: missing import pay_for_memory_grow");
    // A memory that cannot grow needs no growth hook.
    let wasm = wat::parse_str(
        r#"(module (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    assert_eq!(activation_error(&wasm), None);
    let wasm =
        variant("(memory (export \"memory\") 1)", "(memory (export \"memory\") 1) (data (i32.const 65535) \"ab\")");
    assert_refused(&wasm, "failed to build user module: Out-of-bounds data memory init with offset 65535 and size 2");
}

#[test]
fn entrypoint_rules() {
    let wasm = variant("(export \"user_entrypoint\")", "(export \"main\")");
    assert_refused(&wasm, "failed to parse wasm: missing export with name user_entrypoint");
    let wasm = variant("(param i32) (result i32) i32.const 0", "(param i32) (result i64) i64.const 0");
    assert_refused(&wasm, "failed to parse wasm: wrong type for user_entrypoint: λ(i32) -> i64");
}

#[test]
fn reserved_and_shadowing_exports() {
    let wasm = variant("(memory", "(global (export \"stylus_ink_left\") i32 (i32.const 0)) (memory");
    assert_refused(&wasm, "failed to parse wasm: binary exports reserved symbol stylus_ink_left");
    let wasm = variant("(memory", "(func (export \"pay_for_memory_grow\")) (memory");
    assert_refused(&wasm, "failed to parse wasm: binary exports an import with the same name pay_for_memory_grow");
}

#[test]
fn structural_limits() {
    let datas: String = (0..129).map(|i| format!("(data (i32.const {i}) \"x\")")).collect();
    let wasm = variant("(memory (export \"memory\") 1)", &format!("(memory (export \"memory\") 1) {datas}"));
    assert_refused(&wasm, "failed to parse wasm: too many wasm datas: 129 > 128");
    let locals = "(local".to_string() + &" i32".repeat(349) + ")";
    let wasm =
        variant("(param i32) (result i32) i32.const 0", &format!("(param i32) (result i32) {locals} i32.const 0"));
    assert_refused(&wasm, "failed to parse wasm: too many wasm locals: 349 > 348");
}

/// The top-level sections of `wasm` after its header: (id, whole encoded section).
fn sections(wasm: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (mut size, mut shift, mut i) = (0usize, 0, at + 1);
        loop {
            let byte = wasm[i];
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            i += 1;
            if byte & 0x80 == 0 {
                break;
            }
        }
        out.push((id, wasm[at..i + size].to_vec()));
        at = i + size;
    }
    out
}
