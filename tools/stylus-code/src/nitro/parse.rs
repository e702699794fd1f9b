//! Nitro's module parser for user programs (nitro `arbitrator/prover/src/binary.rs`, `parse`):
//! validation with nitro's feature set, the sections it accepts, and its import/export checks.

use std::collections::{HashMap, HashSet};

use wasmparser::{
    ConstExpr, DataKind, ElementItems, ElementKind, ExternalKind, FuncType, KnownCustom, Name, Operator, Parser,
    Payload, RefType, TableType, TypeRef, ValType, Validator, WasmFeatures,
};

use super::error::{bail, NitroError};

/// Nitro's wasmparser features (nitro pins wasmparser 0.121): mutable globals, saturating
/// float-to-int, sign extension, multi-value, bulk memory and floats on; reference types, SIMD,
/// relaxed SIMD, threads, tail calls, multi-memory, exceptions, memory64, extended constants,
/// the component model, function references, memory control and GC off. Features wasmparser
/// added later (compact imports, wide arithmetic, custom page sizes, …) did not exist for that
/// parser and stay off.
pub fn features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

/// One imported function.
#[derive(Debug, Clone)]
pub(crate) struct Import<'a> {
    pub(crate) module: &'a str,
    pub(crate) name: &'a str,
    pub(crate) type_index: u32,
}

/// An active segment's placement, when its offset is the constant nitro requires.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placement {
    /// Passive or declared: nitro skips it.
    None,
    /// Active at this offset of memory or table `index`.
    Active { index: u32, offset: Option<i32> },
}

/// One data segment.
#[derive(Debug, Clone)]
pub(crate) struct Data {
    /// Bytes of the whole encoded segment (what nitro's cost model counts).
    pub(crate) encoded_len: u64,
    /// Bytes written to memory.
    pub(crate) len: u64,
    pub(crate) placement: Placement,
}

/// One element segment.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// Bytes of the whole encoded segment (nitro's cost model and entry limit count this).
    pub(crate) encoded_len: u64,
    /// Function indices, or `None` for expression initialisers.
    pub(crate) functions: Option<Vec<u32>>,
    pub(crate) placement: Placement,
}

/// One function body.
#[derive(Debug, Clone)]
pub(crate) struct Code<'a> {
    /// Declared locals (parameters excluded).
    pub(crate) locals: usize,
    pub(crate) ops: Vec<Operator<'a>>,
}

/// What nitro keeps of a parsed user module.
#[derive(Debug, Clone, Default)]
pub(crate) struct Binary<'a> {
    pub(crate) types: Vec<FuncType>,
    pub(crate) imports: Vec<Import<'a>>,
    /// Type index of each function defined by the module.
    pub(crate) functions: Vec<u32>,
    pub(crate) tables: Vec<TableType>,
    /// (initial pages, maximum pages) of each memory.
    pub(crate) memories: Vec<(u64, Option<u64>)>,
    pub(crate) globals: u32,
    pub(crate) exports: HashMap<String, (u32, ExternalKind)>,
    pub(crate) start: Option<u32>,
    pub(crate) elements: Vec<Element>,
    pub(crate) datas: Vec<Data>,
    pub(crate) codes: Vec<Code<'a>>,
    /// Module name of the `name` section; nitro names an unnamed user module "user".
    pub(crate) module_name: String,
}

impl Binary<'_> {
    /// The type of every function, imports first.
    pub(crate) fn function_types(&self) -> Vec<FuncType> {
        let of = |i: u32| self.types.get(i as usize).cloned().unwrap_or_else(|| FuncType::new([], []));
        self.imports.iter().map(|i| of(i.type_index)).chain(self.functions.iter().map(|&t| of(t))).collect()
    }
}

fn wasmparser_error(e: wasmparser::BinaryReaderError) -> NitroError {
    NitroError::new(e.to_string())
}

/// The constant offset of an active segment (nitro accepts `i32.const` only).
fn const_offset(expr: &ConstExpr<'_>) -> Option<i32> {
    let mut reader = expr.get_operators_reader();
    match (reader.read().ok()?, reader.read().ok()?, reader.eof()) {
        (Operator::I32Const { value }, Operator::End, true) => Some(value),
        _ => None,
    }
}

/// wasmparser 0.121's `Debug` of an import, which nitro prints when it refuses one.
fn describe_import(import: &wasmparser::Import<'_>) -> String {
    let ty = match import.ty {
        TypeRef::Func(i) => format!("Func({i})"),
        TypeRef::Table(t) => format!(
            "Table(TableType {{ element_type: {}, initial: {}, maximum: {:?} }})",
            describe_ref(t.element_type),
            t.initial,
            t.maximum
        ),
        TypeRef::Memory(m) => format!(
            "Memory(MemoryType {{ memory64: {}, shared: {}, initial: {}, maximum: {:?} }})",
            m.memory64, m.shared, m.initial, m.maximum
        ),
        TypeRef::Global(g) => {
            format!("Global(GlobalType {{ content_type: {}, mutable: {} }})", describe_val(g.content_type), g.mutable)
        }
        TypeRef::Tag(t) => format!("Tag({t:?})"),
        #[allow(unreachable_patterns)] // newer wasmparser kinds (e.g. exact function types)
        other => format!("{other:?}"),
    };
    format!("Import {{ module: {:?}, name: {:?}, ty: {ty} }}", import.module, import.name)
}

fn describe_ref(r: RefType) -> &'static str {
    if r == RefType::FUNCREF {
        "funcref"
    } else if r == RefType::EXTERNREF {
        "externref"
    } else {
        "ref"
    }
}

fn describe_val(v: ValType) -> String {
    match v {
        ValType::I32 => "I32".into(),
        ValType::I64 => "I64".into(),
        ValType::F32 => "F32".into(),
        ValType::F64 => "F64".into(),
        ValType::V128 => "V128".into(),
        ValType::Ref(r) => describe_ref(r).into(),
    }
}

/// Parses `wasm` like nitro's `binary::parse` for the module path "user".
pub(crate) fn parse(wasm: &[u8]) -> Result<Binary<'_>, NitroError> {
    Validator::new_with_features(features())
        .validate_all(wasm)
        .map_err(|e| wasmparser_error(e).context("failed to validate user"))?;

    let mut bin = Binary::default();
    let payloads: Vec<Payload<'_>> =
        Parser::new(0).parse_all(wasm).collect::<Result<_, _>>().map_err(wasmparser_error)?;
    for payload in payloads {
        match payload {
            Payload::Version { num, .. } => {
                if num != 1 {
                    return bail(format!("wasm format version not supported {num}"));
                }
            }
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    bin.types.push(ty.map_err(wasmparser_error)?);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(wasmparser_error)?;
                    let TypeRef::Func(type_index) = import.ty else {
                        return bail(format!("unsupported import kind {}", describe_import(&import)));
                    };
                    bin.imports.push(Import { module: import.module, name: import.name, type_index });
                }
            }
            Payload::FunctionSection(reader) => {
                for f in reader {
                    bin.functions.push(f.map_err(wasmparser_error)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    bin.tables.push(table.map_err(wasmparser_error)?.ty);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(wasmparser_error)?;
                    bin.memories.push((memory.initial, memory.maximum));
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(wasmparser_error)?;
                    let mut init = global.init_expr.get_operators_reader();
                    let first = init.read().map_err(wasmparser_error)?;
                    let second = init.read().map_err(wasmparser_error)?;
                    match (first, second, init.eof()) {
                        (
                            Operator::I32Const { .. }
                            | Operator::I64Const { .. }
                            | Operator::F32Const { .. }
                            | Operator::F64Const { .. },
                            Operator::End,
                            true,
                        ) => {}
                        (_, Operator::End, true) => return bail("Opcode is not a constant"),
                        _ => return bail("Non-constant global initializer"),
                    }
                    bin.globals += 1;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(wasmparser_error)?;
                    bin.exports.insert(export.name.to_string(), (export.index, export.kind));
                }
            }
            Payload::StartSection { func, .. } => bin.start = Some(func),
            Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element.map_err(wasmparser_error)?;
                    let functions = match element.items {
                        ElementItems::Functions(r) => {
                            Some(r.into_iter().collect::<Result<Vec<u32>, _>>().map_err(wasmparser_error)?)
                        }
                        ElementItems::Expressions(..) => None,
                    };
                    let placement = match element.kind {
                        ElementKind::Active { table_index, offset_expr } => Placement::Active {
                            index: table_index.unwrap_or_default(),
                            offset: const_offset(&offset_expr),
                        },
                        _ => Placement::None,
                    };
                    let encoded_len = element.range.end - element.range.start;
                    bin.elements.push(Element { encoded_len, functions, placement });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(wasmparser_error)?;
                    let placement = match data.kind {
                        DataKind::Active { memory_index, offset_expr } => {
                            Placement::Active { index: memory_index, offset: const_offset(&offset_expr) }
                        }
                        DataKind::Passive => Placement::None,
                    };
                    bin.datas.push(Data {
                        encoded_len: data.range.end - data.range.start,
                        len: data.data.len() as u64,
                        placement,
                    });
                }
            }
            Payload::CodeSectionStart { .. } | Payload::End(_) => {}
            Payload::CodeSectionEntry(body) => {
                let mut locals = 0usize;
                for local in body.get_locals_reader().map_err(wasmparser_error)? {
                    let (count, _) = local.map_err(wasmparser_error)?;
                    locals += count as usize;
                }
                let mut ops = Vec::new();
                let mut reader = body.get_operators_reader().map_err(wasmparser_error)?;
                while !reader.eof() {
                    ops.push(reader.read().map_err(wasmparser_error)?);
                }
                bin.codes.push(Code { locals, ops });
            }
            Payload::CustomSection(reader) => {
                if reader.name() != "name" {
                    continue;
                }
                let KnownCustom::Name(names) = reader.as_known() else {
                    continue;
                };
                for name in names {
                    match name.map_err(wasmparser_error)? {
                        Name::Module { name, .. } => bin.module_name = name.to_string(),
                        Name::Function(map) => {
                            for naming in map {
                                naming.map_err(wasmparser_error)?;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Payload::DataCountSection { count, range } => {
                return bail(format!(
                    "unsupported section type DataCountSection {{ count: {count}, range: {}..{} }}",
                    range.start, range.end
                ))
            }
            Payload::UnknownSection { id, .. } => return bail(format!("unsupported unknown section type {id}")),
            other => return bail(format!("unsupported section type {other:?}")),
        }
    }

    // The same function imported twice must have one signature.
    let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
    for import in &bin.imports {
        if let Some(prior) = seen.insert((import.module, import.name), import.type_index) {
            if prior != import.type_index {
                return bail(format!("inconsistent imports for {} {:?}", import.module, import.name));
            }
        }
    }

    // Nitro compares the part of each export name after its last "__" with the import names.
    let exported: HashSet<&str> = bin.exports.keys().filter_map(|name| name.rsplit("__").next()).collect();
    if let Some(import) = bin.imports.iter().find(|i| exported.contains(i.name)) {
        return bail(format!("binary exports an import with the same name {}", import.name));
    }
    let reserved = |name: &&str| name.starts_with("stylus");
    let mut reserved_exports: Vec<&str> = exported.iter().copied().filter(reserved).collect();
    reserved_exports.sort_unstable();
    if let Some(name) = reserved_exports.first() {
        return bail(format!("binary exports reserved symbol {name}"));
    }
    if let Some(import) = bin.imports.iter().find(|i| reserved(&i.name)) {
        return bail(format!("binary imports reserved symbol {}", import.name));
    }
    if bin.module_name.is_empty() {
        bin.module_name = "user".into();
    }
    Ok(bin)
}
