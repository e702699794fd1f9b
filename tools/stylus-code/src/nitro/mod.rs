//! Nitro's activation of a Stylus program, re-implemented rule by rule so that the build
//! (`cargo xtask wasm`) and the devnet refuse exactly what Arbitrum refuses, with nitro's
//! messages, and price a program's entry and its WASM work as nitro does.
//!
//! Mirrored: OffchainLabs/nitro **v3.9.5** (commit `66e42c44`), Stylus version 2:
//! `arbitrator/prover/src/binary.rs` (`parse`, `WasmBinary::instrument`, `parse_user`),
//! `programs/{start,meter,dynamic,depth,heap,mod}.rs`, `machine.rs` (`Module::from_binary`
//! for user programs, `Module::activate`'s activation gas), `host.rs` and
//! `wasm-libraries/forward` (what a program may import). Nitro's code is not copied; each rule
//! is written anew from its behaviour.
//!
//! [`activate`] runs the checks in nitro's order, so the first rule a module breaks is the
//! one reported, and returns what activation records ([`Activation`]). [`instrument`] returns
//! the module as nitro runs it (metered, depth-checked, paying for memory growth).

mod depth;
mod error;
pub mod imports;
mod instrument;
mod parse;
pub mod pricing;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasmparser::{ExternalKind, FuncType, ValType};

pub use error::NitroError;
pub use instrument::Globals;
pub use parse::features;

use error::bail;
use imports::Resolution;
use instrument::Context;

/// The nitro release whose activation rules this module mirrors.
pub const NITRO_VERSION: &str = "v3.9.5";

/// Name of the export every program must have: `user_entrypoint(i32) -> i32`.
pub const ENTRYPOINT: &str = "user_entrypoint";
/// Exports the instrumented module adds so that the host reaches the meter's globals.
pub const INK_LEFT_EXPORT: &str = "stylus_ink_left";
/// See [`INK_LEFT_EXPORT`].
pub const INK_STATUS_EXPORT: &str = "stylus_ink_status";
/// See [`INK_LEFT_EXPORT`].
pub const STACK_LEFT_EXPORT: &str = "stylus_stack_left";

/// Pages a program may start with, whatever the chain's page limit (`heap_bound`, 8 MiB).
pub const HEAP_BOUND_PAGES: u64 = 128;

/// Structural limits of `parse_user` ("not strictly necessary, but anti-DoS").
mod limits {
    pub(super) const DATAS: usize = 128;
    pub(super) const ELEMENTS: usize = 128;
    pub(super) const EXPORTS: usize = 1024;
    pub(super) const FUNCTIONS: usize = 4096;
    pub(super) const GLOBALS: usize = 32_768;
    pub(super) const LOCALS: usize = 348;
    pub(super) const OPCODES: usize = 65_536;
    /// Applies from ArbOS 32 (`ARBOS_VERSION_STYLUS_CHARGING_FIXES`).
    pub(super) const IMPORTS: usize = 513;
    pub(super) const TABLE_ENTRIES: u64 = 4096;
    pub(super) const ELEMENT_ENTRIES: u64 = 4096;
    pub(super) const NAME_LEN: usize = 512;
}

/// ArbOS version from which nitro limits imports and charges activation for WASM bytes.
pub const ARBOS_STYLUS_CHARGING_FIXES: u64 = 32;

/// The chain an activation happens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Pages the program may start with: the chain's page limit minus the pages already open
    /// in the transaction.
    pub page_limit: u16,
    /// Whether the chain runs in debug mode (links the `console` hostios).
    pub debug: bool,
    /// ArbOS version, for the rules that depend on it.
    pub arbos_version: u64,
}

impl Default for Config {
    /// Arbitrum One: 128 pages, no debug mode, ArbOS 40.
    fn default() -> Self {
        Self { page_limit: 128, debug: false, arbos_version: 40 }
    }
}

/// What activation records about a program (nitro's `StylusData`) and what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activation {
    /// Initial memory pages.
    pub footprint: u16,
    /// Entry cost of an uncached call, before scaling (`init_cost`).
    pub init_cost: u16,
    /// Entry cost every call pays (`cached_init_cost`).
    pub cached_init_cost: u16,
    /// Nitro's estimate of the compiled size in bytes (prices the data fee).
    pub asm_estimate: u32,
    /// Gas activation burns for compiling the module, on top of `ArbWasm`'s fixed cost.
    pub compile_gas: u64,
    /// Operators that activate but that nitro's meter cannot price (floating point): a
    /// basic block holding one always runs out of ink.
    pub unpriced_operators: usize,
    /// The imported functions (module, name).
    pub imports: Vec<(String, String)>,
}

/// Activates `wasm` like nitro's `Module::activate` for Stylus version 2, returning what
/// nitro would record, or nitro's reason for refusing it.
///
/// `gas` is what is left for activation after `ArbWasm`'s fixed cost: compiling is paid from
/// it once the module passed parsing (a failure there costs nothing here), and nitro's
/// "out of gas" failure leaves it at zero. Pass `u64::MAX` to check a module offline.
pub fn activate(wasm: &[u8], config: &Config, gas: &mut u64) -> Result<Activation, NitroError> {
    let checked = check(wasm, config).map_err(|e| e.context("failed to parse wasm"))?;
    let cost = checked.activation.compile_gas;
    if *gas < cost {
        *gas = 0;
        return bail("out of gas");
    }
    *gas -= cost;
    build_module(&checked.bin, config).map_err(|e| e.context("failed to build user module"))?;
    Ok(checked.activation)
}

/// A module that passed `parse_user`.
struct Checked<'a> {
    bin: parse::Binary<'a>,
    activation: Activation,
}

/// How instrumentation sees a parsed module.
struct Layout {
    functions: Vec<FuncType>,
    globals: Globals,
    pay_for_memory_grow: Option<u32>,
    initial_pages: u64,
}

/// The module-level half of `WasmBinary::instrument`: start function, memory and its growth
/// hook.
fn layout(bin: &parse::Binary<'_>) -> Result<Layout, NitroError> {
    if bin.start.is_some() {
        return bail("start functions not allowed");
    }
    // Nitro drops every export but these before instrumenting (non-debug builds).
    let memory_export = bin.exports.get("memory").copied();
    let (initial, maximum) = match bin.memories.as_slice() {
        [] => return bail("missing memory export with name memory"),
        [only] => *only,
        _ => return bail("only one memory is allowed"),
    };
    if memory_export != Some((0, ExternalKind::Memory)) {
        return bail("missing memory with export name memory");
    }
    if initial > HEAP_BOUND_PAGES {
        return bail(format!("memory size {initial} exceeds bound {HEAP_BOUND_PAGES}"));
    }
    let mut pay_for_memory_grow = None;
    if maximum != Some(initial) {
        let Some(index) = bin.imports.iter().position(|i| i.module == "vm_hooks" && i.name == "pay_for_memory_grow")
        else {
            return bail("missing import pay_for_memory_grow");
        };
        let ty = &bin.types[bin.imports[index].type_index as usize];
        if ty.params() != [ValType::I32] || !ty.results().is_empty() {
            return bail(format!("wrong type for pay_for_memory_grow: {}", signature(ty)));
        }
        pay_for_memory_grow = Some(index as u32);
    }
    Ok(Layout {
        functions: bin.function_types(),
        globals: Globals::after(bin.globals),
        pay_for_memory_grow,
        initial_pages: initial,
    })
}

/// Nitro's rendering of a function type (`λ(i32, i32) -> i64`).
fn signature(ty: &FuncType) -> String {
    let name = |v: &ValType| match v {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        ValType::V128 => "v128",
        ValType::Ref(_) => "func",
    };
    let params: Vec<&str> = ty.params().iter().map(name).collect();
    let results: Vec<&str> = ty.results().iter().map(name).collect();
    let mut out = format!("λ({})", params.join(", "));
    match results.len() {
        0 => {}
        1 | 2 => out += &format!(" -> {}", results.join(", ")),
        _ => out += &format!(" -> ({})", results.join(", ")),
    }
    out
}

fn check<'a>(wasm: &'a [u8], config: &Config) -> Result<Checked<'a>, NitroError> {
    let bin = parse::parse(wasm)?;
    let layout = layout(&bin)?;

    // Instrument every body: the per-function rules and the instrumented opcode counts.
    let cx = Context {
        types: &bin.types,
        functions: &layout.functions,
        globals: layout.globals,
        pay_for_memory_grow: layout.pay_for_memory_grow,
    };
    let mut opcodes = Vec::with_capacity(bin.codes.len());
    let mut unpriced_operators = 0;
    for (index, code) in bin.codes.iter().enumerate() {
        unpriced_operators +=
            code.ops.iter().filter(|op| pricing::operator_ink(op, &bin.types) == pricing::UNPRICED).count();
        opcodes.push(instrument::instrument_function(&code.ops, code.locals, index, &cx)?.len());
    }

    // The entrypoint (`check_func`), among the exports nitro keeps.
    let footprint = layout.initial_pages as u16;
    match bin.exports.get(ENTRYPOINT) {
        Some(&(func, ExternalKind::Func)) => {
            let ty = &layout.functions[func as usize];
            if ty.params() != [ValType::I32] || ty.results() != [ValType::I32] {
                return bail(format!("wrong type for {ENTRYPOINT}: {}", signature(ty)));
            }
        }
        _ => return bail(format!("missing export with name {ENTRYPOINT}")),
    }

    // Nitro's linear models of compiled size and of instantiation work.
    let funcs = bin.codes.len() as u64;
    let globals = u64::from(bin.globals + Globals::COUNT);
    let wasm_len = wasm.len() as u64;
    let data_len: u64 =
        bin.datas.iter().map(|d| d.encoded_len).sum::<u64>() + bin.elements.iter().map(|e| e.encoded_len).sum::<u64>();
    let type_len: u64 = bin
        .functions
        .iter()
        .map(|&t| bin.types[t as usize].params().len() as u64 + bin.types[t as usize].results().len() as u64)
        .sum();
    let asm_estimate = 512_000u64
        .saturating_add(funcs.saturating_mul(996_829) / 1000)
        .saturating_add(type_len.saturating_mul(11_416) / 1000)
        .saturating_add(wasm_len.saturating_mul(62_628) / 10_000);
    let cached_init = (funcs.saturating_mul(13_420) / 100_000)
        .saturating_add(type_len.saturating_mul(89) / 100_000)
        .saturating_add(wasm_len.saturating_mul(122) / 100_000)
        .saturating_add(globals.saturating_mul(1_628) / 1000)
        .saturating_add(data_len.saturating_mul(75_244) / 100_000)
        .saturating_add(u64::from(footprint) * 5);
    // Stylus version 2: the cached part is paid on every call, apart from this.
    let init = (funcs.saturating_mul(8_252) / 1000)
        .saturating_add(type_len.saturating_mul(1_059) / 1000)
        .saturating_add(wasm_len.saturating_mul(1_286) / 10_000);
    let init_cost = u16::try_from(init).map_err(|_| NitroError::new("init cost too high"))?;
    let cached_init_cost = u16::try_from(cached_init).map_err(|_| NitroError::new("cached cost too high"))?;
    let asm_estimate = u32::try_from(asm_estimate).map_err(|_| NitroError::new("asm estimate too large"))?;

    // parse_user: page limit, then the anti-DoS limits, on the instrumented module.
    if layout.initial_pages > u64::from(config.page_limit) {
        return bail(format!("memory exceeds limit: {} > {}", layout.initial_pages, config.page_limit));
    }
    let too_many = |name: &str, count: u64, limit: u64| -> Result<(), NitroError> {
        match count > limit {
            true => bail(format!("too many wasm {name}: {count} > {limit}")),
            false => Ok(()),
        }
    };
    too_many("datas", bin.datas.len() as u64, limits::DATAS as u64)?;
    too_many("elements", bin.elements.len() as u64, limits::ELEMENTS as u64)?;
    // Nitro counts exports after dropping all but the entrypoint and memory, plus the four
    // globals instrumentation exports.
    let kept_exports = bin
        .exports
        .iter()
        .filter(|(name, (_, kind))| {
            matches!((name.as_str(), kind), (ENTRYPOINT, ExternalKind::Func) | ("memory", ExternalKind::Memory))
        })
        .count() as u64
        + u64::from(Globals::COUNT);
    too_many("exports", kept_exports, limits::EXPORTS as u64)?;
    too_many("functions", funcs, limits::FUNCTIONS as u64)?;
    too_many("globals", globals, limits::GLOBALS as u64)?;
    for (code, ops) in bin.codes.iter().zip(&opcodes) {
        too_many("locals", code.locals as u64, limits::LOCALS as u64)?;
        too_many("opcodes in func body", *ops as u64, limits::OPCODES as u64)?;
    }
    if config.arbos_version >= ARBOS_STYLUS_CHARGING_FIXES {
        too_many("imports", bin.imports.len() as u64, limits::IMPORTS as u64)?;
    }
    let table_entries = bin.tables.iter().fold(0u64, |n, t| n.saturating_add(t.initial));
    too_many("table entries", table_entries, limits::TABLE_ENTRIES)?;
    let element_entries = bin.elements.iter().fold(0u64, |n, e| n.saturating_add(e.encoded_len));
    too_many("element entries", element_entries, limits::ELEMENT_ENTRIES)?;
    if bin.module_name.len() > limits::NAME_LEN {
        return bail(format!("wasm module name too long: {} > {}", bin.module_name.len(), limits::NAME_LEN));
    }

    let compile_gas = compile_gas(wasm_len, &bin, &opcodes, layout.initial_pages, config);
    let imports = bin.imports.iter().map(|i| (i.module.to_string(), i.name.to_string())).collect();
    Ok(Checked {
        bin,
        activation: Activation {
            footprint,
            init_cost,
            cached_init_cost,
            asm_estimate,
            compile_gas,
            unpriced_operators,
            imports,
        },
    })
}

/// Gas `Module::activate` charges for compiling: microseconds of a calibrated linear model,
/// converted at 28 gas per microsecond (fudge 2 × 7 Mgas/s at a half-second sync rate).
fn compile_gas(wasm_len: u64, bin: &parse::Binary<'_>, opcodes: &[usize], pages: u64, config: &Config) -> u64 {
    let us_to_gas = |us: u64| us.saturating_mul(2 * 7_000_000) / 500_000;
    let mut gas = 0u64;
    if config.arbos_version >= ARBOS_STYLUS_CHARGING_FIXES {
        gas = gas.saturating_add(us_to_gas(wasm_len.saturating_mul(31_733) / 100_000));
    }
    let funcs = bin.functions.len() as u64;
    let data: u64 = bin.datas.iter().map(|d| d.len).sum();
    let elems: u64 = bin.elements.iter().map(|e| e.encoded_len).sum();
    let code: u64 = opcodes.iter().map(|&n| n as u64).sum();
    for us in [
        funcs.saturating_mul(17_263) / 100_000,
        data.saturating_mul(17_376) / 100_000,
        elems.saturating_mul(17_376) / 100_000,
        pages.saturating_mul(2_217),
        code.saturating_mul(535) / 1_000,
    ] {
        gas = gas.saturating_add(us_to_gas(us));
    }
    gas
}

/// The checks of `Module::from_binary` for a user program: imports resolved against the
/// hostios, memory and segment bounds, tables.
fn build_module(bin: &parse::Binary<'_>, config: &Config) -> Result<(), NitroError> {
    for import in &bin.imports {
        let have = &bin.types[import.type_index as usize];
        let expected = match imports::resolve(import.module, import.name, config.debug) {
            Resolution::Linked(ty) => ty,
            Resolution::NotEnabled { debug } => {
                return bail(format!(
                    "Host func {} in {} not enabled debug_funcs={} hostapi=false debug={debug}",
                    import.name, import.module, config.debug
                ))
            }
            Resolution::Unknown => {
                return bail(format!("No such import {} in {} for {}", import.name, import.module, bin.module_name))
            }
        };
        if *have != expected {
            return bail(format!(
                "Import {} for {} has different function signature than export.\nexpected {} in {}\nbut have {}",
                import.name,
                bin.module_name,
                signature(&expected),
                import.module,
                signature(have)
            ));
        }
    }

    // Memory: at most 2^32 - 1 pages' worth of bytes, and data inside the initial memory.
    let page_size: u64 = 65_536;
    let mut memory_size = 0u64;
    if let Some(&(initial, maximum)) = bin.memories.first() {
        let allowed = u64::from(u32::MAX) / page_size - 1;
        let max = maximum.map_or(allowed, |m| m.min(allowed));
        if initial > max {
            return bail(format!("Memory inits to a size larger than its max: {initial} vs {max}"));
        }
        memory_size = initial * page_size;
    }
    for data in &bin.datas {
        let parse::Placement::Active { index, offset } = data.placement else {
            continue;
        };
        if index != 0 {
            return bail("Attempted to write to nonexistant memory");
        }
        let Some(offset) = offset else {
            return bail("Non-constant element segment offset expression");
        };
        let offset = offset as u32 as u64;
        if offset.checked_add(data.len).is_none_or(|end| end > memory_size) {
            return bail(format!("Out-of-bounds data memory init with offset {offset} and size {}", data.len));
        }
    }
    for table in &bin.tables {
        if table.element_type != wasmparser::RefType::FUNCREF {
            return bail("unsupported table type");
        }
    }
    for element in &bin.elements {
        let parse::Placement::Active { index, offset } = element.placement else {
            continue;
        };
        let Some(offset) = offset else {
            return bail("Non-constant element segment offset expression");
        };
        let Some(table) = bin.tables.get(index as usize) else {
            return bail(format!("Element segment for non-exsistent table {index}"));
        };
        let Some(functions) = &element.functions else {
            return bail("Non-constant element initializers are not supported");
        };
        let (offset, len) = (offset as u32 as u64, functions.len() as u64);
        if offset.saturating_add(len) > table.initial {
            return bail(format!(
                "Out of bounds element segment at offset {offset} and length {len} for table of length {}",
                table.initial
            ));
        }
    }
    Ok(())
}

/// The module as nitro runs it: every body instrumented ([`instrument`]'s module doc), the
/// four instrumentation globals appended (see [`Globals`]) and exported as
/// [`INK_LEFT_EXPORT`], [`INK_STATUS_EXPORT`] and [`STACK_LEFT_EXPORT`]. `wasm` must have
/// passed [`activate`].
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>, NitroError> {
    let bin = parse::parse(wasm)?;
    let layout = layout(&bin)?;
    let mut bodies = Vec::with_capacity(bin.codes.len());
    let cx = Context {
        types: &bin.types,
        functions: &layout.functions,
        globals: layout.globals,
        pay_for_memory_grow: layout.pay_for_memory_grow,
    };
    for (index, code) in bin.codes.iter().enumerate() {
        bodies.push(instrument::instrument_function(&code.ops, code.locals, index, &cx)?);
    }
    let mut encoder =
        Instrumenter { bodies, next_body: 0, globals: layout.globals, saw_globals: false, saw_exports: false };
    let mut module = wasm_encoder::Module::new();
    encoder
        .parse_core_module(&mut module, wasmparser::Parser::new(0), wasm)
        .map_err(|e| NitroError::new(format!("re-encoding the instrumented module: {e}")))?;
    Ok(module.finish())
}

/// Re-encodes a module with instrumented bodies and the instrumentation globals.
struct Instrumenter<'a> {
    bodies: Vec<Vec<wasmparser::Operator<'a>>>,
    next_body: usize,
    globals: Globals,
    saw_globals: bool,
    saw_exports: bool,
}

impl Instrumenter<'_> {
    fn append_globals(&self, globals: &mut wasm_encoder::GlobalSection) {
        use wasm_encoder::{ConstExpr, GlobalType, ValType as V};
        let mutable = |ty| GlobalType { val_type: ty, mutable: true, shared: false };
        globals.global(mutable(V::I64), &ConstExpr::i64_const(0));
        globals.global(mutable(V::I32), &ConstExpr::i32_const(0));
        globals.global(mutable(V::I32), &ConstExpr::i32_const(0));
        globals.global(mutable(V::I32), &ConstExpr::i32_const(0));
    }

    fn append_exports(&self, exports: &mut wasm_encoder::ExportSection) {
        use wasm_encoder::ExportKind;
        exports.export(INK_LEFT_EXPORT, ExportKind::Global, self.globals.ink_left);
        exports.export(INK_STATUS_EXPORT, ExportKind::Global, self.globals.ink_status);
        exports.export(STACK_LEFT_EXPORT, ExportKind::Global, self.globals.stack_left);
    }
}

impl Reencode for Instrumenter<'_> {
    type Error = std::convert::Infallible;

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
        wasm_encoder::reencode::utils::parse_global_section(self, globals, section)?;
        self.append_globals(globals);
        self.saw_globals = true;
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
        wasm_encoder::reencode::utils::parse_export_section(self, exports, section)?;
        self.append_exports(exports);
        self.saw_exports = true;
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<wasm_encoder::SectionId>,
        before: Option<wasm_encoder::SectionId>,
    ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
        use wasm_encoder::SectionId as S;
        // A module without a global (or export) section gets one where it belongs.
        let past = |id: S| before.is_none_or(|b| section_order(b) > section_order(id));
        if !self.saw_globals && past(S::Global) {
            let mut globals = wasm_encoder::GlobalSection::new();
            self.append_globals(&mut globals);
            module.section(&globals);
            self.saw_globals = true;
        }
        if !self.saw_exports && past(S::Export) {
            let mut exports = wasm_encoder::ExportSection::new();
            self.append_exports(&mut exports);
            module.section(&exports);
            self.saw_exports = true;
        }
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), wasm_encoder::reencode::Error<Self::Error>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let body = std::mem::take(&mut self.bodies[self.next_body]);
        self.next_body += 1;
        for op in body {
            f.instruction(&RoundtripReencoder.instruction(op)?);
        }
        code.function(&f);
        Ok(())
    }
}

/// Where a section goes in a module (ids are not in binary order: tags and data counts).
fn section_order(id: wasm_encoder::SectionId) -> u8 {
    use wasm_encoder::SectionId as S;
    match id {
        S::Custom => 0,
        S::Type => 1,
        S::Import => 2,
        S::Function => 3,
        S::Table => 4,
        S::Memory => 5,
        S::Tag => 6,
        S::Global => 7,
        S::Export => 8,
        S::Start => 9,
        S::Element => 10,
        S::DataCount => 11,
        S::Code => 12,
        S::Data => 13,
    }
}
