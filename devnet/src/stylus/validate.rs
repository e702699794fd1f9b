//! Nitro's activation checks (spec/STYLUS.md §6.2), re-implemented with `wasmparser`.
//!
//! Nitro validates with a fixed feature set and a list of structural limits before it compiles
//! a program; a program that breaks one of them cannot be activated, so the devnet refuses it
//! the same way instead of running WASM that Arbitrum would never run.

use wasmparser::{
    ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

use crate::error::ActivationError;

/// Facts about a valid program that pricing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramInfo {
    /// Initial memory pages (the footprint every call pays for).
    pub footprint: u16,
    /// Imported hostios (`vm_hooks` / `console` names).
    pub imports: Vec<(String, String)>,
    /// The module's shape, from which nitro predicts its entry (init) cost.
    pub shape: ModuleShape,
}

/// What nitro's activation measures of a module to price its entry (`WasmBinary::instrument`):
/// the counts are those of the instrumented module, which has three more globals (ink left,
/// ink status, stack depth left) than the program as compiled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModuleShape {
    /// Uncompressed WASM bytes.
    pub wasm_len: u64,
    /// Functions defined by the module (imports excluded).
    pub funcs: u64,
    /// Σ (parameters + results) over the defined functions' types.
    pub type_len: u64,
    /// Globals, instrumentation's three included.
    pub globals: u64,
    /// Bytes of the data segments plus entries of the element segments.
    pub data_len: u64,
    /// Initial memory pages.
    pub footprint: u64,
}

/// Globals nitro's instrumentation adds: ink left and ink status (meter), depth left.
const INSTRUMENTATION_GLOBALS: u64 = 3;

/// Limits of nitro's `parse_user` (nitro v3.9).
mod limits {
    pub(super) const MAX_DATA_SEGMENTS: u32 = 128;
    pub(super) const MAX_ELEMENT_SEGMENTS: u32 = 128;
    pub(super) const MAX_EXPORTS: u32 = 1024;
    pub(super) const MAX_FUNCTIONS: u32 = 4096;
    pub(super) const MAX_GLOBALS: u32 = 32_768;
    pub(super) const MAX_LOCALS: u32 = 348;
    pub(super) const MAX_OPCODES_PER_FUNC: usize = 65_536;
    pub(super) const MAX_IMPORTS: u32 = 513;
    pub(super) const MAX_TABLE_ENTRIES: u64 = 4096;
    pub(super) const MAX_ELEMENT_ENTRIES: u32 = 4096;
    pub(super) const MAX_NAME_LEN: usize = 512;
}

/// Nitro's feature set: bulk-memory, sign-ext, multi-value and saturating float-to-int on;
/// SIMD, relaxed SIMD, threads, tail calls, multi-memory, exceptions, memory64, reference types
/// and GC off.
pub fn nitro_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

fn rule(msg: impl Into<String>) -> ActivationError {
    ActivationError::Rule(msg.into())
}

/// Validates `wasm` like nitro's activation. `hostio_sig` returns the expected signature of a
/// known import, `None` for an unknown one.
pub fn validate(
    wasm: &[u8],
    page_limit: u16,
    hostio_sig: impl Fn(&str, &str) -> Option<FuncType>,
) -> Result<ProgramInfo, ActivationError> {
    let mut validator = Validator::new_with_features(nitro_features());
    validator
        .validate_all(wasm)
        .map_err(|e| ActivationError::Invalid(e.to_string()))?;

    let mut types: Vec<FuncType> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imports = Vec::new();
    let mut memories = 0u32;
    let mut footprint: u64 = 0;
    let mut memory_exported = false;
    let mut entrypoint: Option<u32> = None;
    let mut imported_funcs = 0u32;
    let mut exports = 0u32;
    let mut globals = 0u64;
    let mut data_len = 0u64;

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| ActivationError::Invalid(e.to_string()))?;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    for ty in group.into_types() {
                        // Keep indices aligned: a non-function type (GC is off, so none
                        // validate) would still occupy an index.
                        match &ty.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => types.push(f.clone()),
                            _ => types.push(FuncType::new([], [])),
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                let count = reader.count();
                if count > limits::MAX_IMPORTS {
                    return Err(rule(format!("too many imports: {count}")));
                }
                for import in reader.into_imports() {
                    let import = import.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    if import.module.len() > limits::MAX_NAME_LEN
                        || import.name.len() > limits::MAX_NAME_LEN
                    {
                        return Err(rule("import name too long"));
                    }
                    let TypeRef::Func(index) = import.ty else {
                        return Err(rule(format!(
                            "non-function import {}.{}",
                            import.module, import.name
                        )));
                    };
                    let Some(expected) = hostio_sig(import.module, import.name) else {
                        return Err(rule(format!(
                            "unknown import {}.{}",
                            import.module, import.name
                        )));
                    };
                    let actual = types
                        .get(index as usize)
                        .ok_or_else(|| rule("bad import type"))?;
                    if *actual != expected {
                        return Err(rule(format!(
                            "import {}.{} has signature {actual:?}, expected {expected:?}",
                            import.module, import.name
                        )));
                    }
                    imported_funcs += 1;
                    imports.push((import.module.to_string(), import.name.to_string()));
                }
            }
            Payload::FunctionSection(reader) => {
                if reader.count() > limits::MAX_FUNCTIONS {
                    return Err(rule(format!("too many functions: {}", reader.count())));
                }
                for f in reader {
                    func_types.push(f.map_err(|e| ActivationError::Invalid(e.to_string()))?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    if table.ty.initial > limits::MAX_TABLE_ENTRIES {
                        return Err(rule("table too large"));
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    memories += 1;
                    footprint = memory.initial;
                }
            }
            Payload::GlobalSection(reader) => {
                if reader.count() > limits::MAX_GLOBALS {
                    return Err(rule("too many globals"));
                }
                globals = u64::from(reader.count());
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    exports += 1;
                    if export.name.len() > limits::MAX_NAME_LEN {
                        return Err(rule("export name too long"));
                    }
                    if export.name.starts_with("stylus") || export.name.starts_with("polyglot") {
                        return Err(rule(format!("reserved export name {}", export.name)));
                    }
                    match (export.kind, export.name) {
                        (ExternalKind::Memory, "memory") => memory_exported = true,
                        (ExternalKind::Memory, other) => {
                            return Err(rule(format!("memory exported as {other}, not `memory`")))
                        }
                        (ExternalKind::Func, "user_entrypoint") => entrypoint = Some(export.index),
                        _ => {}
                    }
                }
                if exports > limits::MAX_EXPORTS {
                    return Err(rule("too many exports"));
                }
            }
            Payload::StartSection { .. } => return Err(rule("start function not allowed")),
            Payload::ElementSection(reader) => {
                if reader.count() > limits::MAX_ELEMENT_SEGMENTS {
                    return Err(rule("too many element segments"));
                }
                for element in reader {
                    let element = element.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    let n = match element.items {
                        wasmparser::ElementItems::Functions(r) => r.count(),
                        wasmparser::ElementItems::Expressions(_, r) => r.count(),
                    };
                    if n > limits::MAX_ELEMENT_ENTRIES {
                        return Err(rule("too many element entries"));
                    }
                    data_len += u64::from(n);
                }
            }
            Payload::DataSection(reader) => {
                if reader.count() > limits::MAX_DATA_SEGMENTS {
                    return Err(rule("too many data segments"));
                }
                for data in reader {
                    let data = data.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    data_len += data.data.len() as u64;
                }
            }
            Payload::CodeSectionEntry(body) => {
                let locals = body
                    .get_locals_reader()
                    .map_err(|e| ActivationError::Invalid(e.to_string()))?;
                let mut count = 0u32;
                for local in locals {
                    let (n, _) = local.map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    count = count.saturating_add(n);
                }
                if count > limits::MAX_LOCALS {
                    return Err(rule(format!("too many locals: {count}")));
                }
                let ops = body
                    .get_operators_reader()
                    .map_err(|e| ActivationError::Invalid(e.to_string()))?;
                let mut opcodes = 0usize;
                let mut ops = ops;
                while !ops.eof() {
                    ops.read()
                        .map_err(|e| ActivationError::Invalid(e.to_string()))?;
                    opcodes += 1;
                    if opcodes > limits::MAX_OPCODES_PER_FUNC {
                        return Err(rule("function too long"));
                    }
                }
            }
            _ => {}
        }
    }

    if memories > 1 {
        return Err(rule("more than one memory"));
    }
    if memories == 1 && !memory_exported {
        return Err(rule("memory not exported as `memory`"));
    }
    if footprint > u64::from(page_limit) {
        return Err(rule(format!(
            "initial memory {footprint} pages exceeds page limit {page_limit}"
        )));
    }
    let Some(entry) = entrypoint else {
        return Err(rule("missing export user_entrypoint"));
    };
    let local_index = entry
        .checked_sub(imported_funcs)
        .ok_or_else(|| rule("user_entrypoint must not be an import"))?;
    let ty = func_types
        .get(local_index as usize)
        .and_then(|t| types.get(*t as usize))
        .ok_or_else(|| rule("bad user_entrypoint type"))?;
    if ty.params() != [ValType::I32] || ty.results() != [ValType::I32] {
        return Err(rule("user_entrypoint must be (i32) -> i32"));
    }
    let type_len = func_types
        .iter()
        .filter_map(|t| types.get(*t as usize))
        .map(|t| (t.params().len() + t.results().len()) as u64)
        .sum();
    Ok(ProgramInfo {
        footprint: footprint as u16,
        imports,
        shape: ModuleShape {
            wasm_len: wasm.len() as u64,
            funcs: func_types.len() as u64,
            type_len,
            globals: globals + INSTRUMENTATION_GLOBALS,
            data_len,
            footprint,
        },
    })
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Instruction, MemorySection, MemoryType, Module, StartSection, TypeSection,
        ValType as EncVal,
    };

    use super::*;
    use crate::stylus::hostio::hostio_signature;

    /// A module with `user_entrypoint` (returning 0) and the given tweaks.
    fn module(
        memory_export: Option<&str>,
        import: Option<(&str, &str)>,
        start: bool,
        simd: bool,
    ) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([EncVal::I32], [EncVal::I32]);
        types.ty().function([EncVal::I32], []);
        types.ty().function([], []);
        m.section(&types);
        let mut imported = 0;
        if let Some((module, name)) = import {
            let mut imports = ImportSection::new();
            imports.import(module, name, EntityType::Function(1));
            m.section(&imports);
            imported = 1;
        }
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        funcs.function(2);
        m.section(&funcs);
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        m.section(&memories);
        let mut exports = ExportSection::new();
        exports.export("user_entrypoint", ExportKind::Func, imported);
        if let Some(name) = memory_export {
            exports.export(name, ExportKind::Memory, 0);
        }
        m.section(&exports);
        if start {
            m.section(&StartSection {
                function_index: imported + 1,
            });
        }
        let mut code = CodeSection::new();
        let mut entry = Function::new([]);
        if simd {
            entry
                .instruction(&Instruction::V128Const(0))
                .instruction(&Instruction::Drop);
        }
        entry
            .instruction(&Instruction::I32Const(0))
            .instruction(&Instruction::End);
        code.function(&entry);
        let mut nop = Function::new([]);
        nop.instruction(&Instruction::End);
        code.function(&nop);
        m.section(&code);
        m.finish()
    }

    fn check(wasm: &[u8]) -> Result<ProgramInfo, ActivationError> {
        validate(wasm, 128, hostio_signature)
    }

    #[test]
    fn accepts_a_minimal_program() {
        let info = check(&module(
            Some("memory"),
            Some(("vm_hooks", "read_args")),
            false,
            false,
        ));
        assert_eq!(info.map(|i| i.footprint), Ok(1));
    }

    #[test]
    fn refuses_what_nitro_refuses() {
        let cases = [
            (
                module(Some("mem"), None, false, false),
                "memory exported as mem",
            ),
            (module(None, None, false, false), "memory not exported"),
            (
                module(Some("memory"), Some(("env", "abort")), false, false),
                "unknown import",
            ),
            (
                module(
                    Some("memory"),
                    Some(("vm_hooks", "write_result")),
                    false,
                    false,
                ),
                "signature",
            ),
            (module(Some("memory"), None, true, false), "start function"),
        ];
        for (wasm, expected) in cases {
            let err = check(&wasm).map(|_| ()).map_err(|e| e.to_string());
            assert!(
                matches!(&err, Err(msg) if msg.contains(expected)),
                "{expected}: {err:?}"
            );
        }
        // SIMD is off in nitro's feature set.
        assert!(matches!(
            check(&module(Some("memory"), None, false, true)),
            Err(ActivationError::Invalid(_))
        ));
    }
}
