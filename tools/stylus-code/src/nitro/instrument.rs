//! Nitro's instrumentation of a user function body, operator for operator.
//!
//! Activation rewrites every function in this order (nitro `arbitrator/prover/src/binary.rs`,
//! `WasmBinary::instrument`, and `programs/{meter,dynamic,depth,heap}.rs`):
//!
//! 1. ink meter: before each basic block, check and deduct the block's price plus a header;
//! 2. dynamic meter: before `memory.fill`/`memory.copy`, deduct 100 ink per byte; the other
//!    bulk-memory operators are refused here ("opcode not supported");
//! 3. depth checker: on entry, check and deduct the frame's worst-case size from the stack
//!    budget, refund it before every `return` (an explicit one is added before the final
//!    `end`); a frame over the bounds is refused;
//! 4. heap bound: before `memory.grow`, call the `pay_for_memory_grow` hostio with the page
//!    count (when the memory may grow at all).
//!
//! The same stream serves twice: activation measures it (nitro's opcode limit counts the
//! instrumented body, and the depth checker sees the earlier stages' additions), and the devnet
//! runs it, so that programs are metered exactly where and by how much nitro meters them.

use wasmparser::{BlockType, FuncType, Operator};

use super::depth::{self, Signatures, MAX_FRAME_SIZE};
use super::error::{bail, NitroError};
use super::pricing::{self, BLOCK_HEADER_INK, MEMORY_COPY_BYTE_INK, MEMORY_FILL_BYTE_INK};

/// The globals instrumentation appends to the module, in nitro's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Globals {
    /// `stylus_ink_left` (i64): ink the program may still spend.
    pub ink_left: u32,
    /// `stylus_ink_status` (i32): 1 once the program ran out of ink.
    pub ink_status: u32,
    /// `stylus_scratch_global` (i32): scratch of the dynamic meter and heap bound.
    pub scratch: u32,
    /// `stylus_stack_left` (i32): stack words the program may still use.
    pub stack_left: u32,
}

impl Globals {
    /// Number of globals instrumentation adds.
    pub const COUNT: u32 = 4;

    /// The indices of the added globals in a module that defines `own` globals (a user
    /// program imports none).
    pub fn after(own: u32) -> Self {
        Self { ink_left: own, ink_status: own + 1, scratch: own + 2, stack_left: own + 3 }
    }
}

/// What instrumenting one function needs to know about its module.
pub(crate) struct Context<'t> {
    /// The type section.
    pub(crate) types: &'t [FuncType],
    /// The type of every function, imports first.
    pub(crate) functions: &'t [FuncType],
    /// The added globals.
    pub(crate) globals: Globals,
    /// Index of the imported `vm_hooks.pay_for_memory_grow`, when the memory may grow.
    pub(crate) pay_for_memory_grow: Option<u32>,
}

/// Instruments one function body (`code` ends with the body's final `end`); `locals` is the
/// number of declared locals and `local_index` the function's index among the module's own
/// functions (nitro names it in its messages).
pub(crate) fn instrument_function<'a>(
    code: &[Operator<'a>],
    locals: usize,
    local_index: usize,
    cx: &Context<'_>,
) -> Result<Vec<Operator<'a>>, NitroError> {
    let metered = meter(code, cx);
    let dynamic = dynamic_meter(metered, cx.globals).map_err(|e| e.context("dynamic ink meter failure"))?;
    let checked = depth_check(dynamic, locals, local_index, cx).map_err(|e| e.context("depth checker failure"))?;
    Ok(heap_bound(checked, cx))
}

/// Ink meter: a header before every basic block charging the block's price.
fn meter<'a>(code: &[Operator<'a>], cx: &Context<'_>) -> Vec<Operator<'a>> {
    let Globals { ink_left, ink_status, .. } = cx.globals;
    let mut out = Vec::with_capacity(code.len() * 2);
    let mut block: Vec<Operator<'a>> = Vec::new();
    let mut cost: u64 = 0;
    for op in code {
        cost = cost.saturating_add(pricing::operator_ink(op, cx.types));
        block.push(op.clone());
        if pricing::ends_basic_block(op) {
            // Saturated prices wrap to -1 here, which no ink balance can pay (as in nitro).
            let value = cost.saturating_add(BLOCK_HEADER_INK) as i64;
            out.extend([
                Operator::GlobalGet { global_index: ink_left },
                Operator::I64Const { value },
                Operator::I64LtU,
                Operator::If { blockty: BlockType::Empty },
                Operator::I32Const { value: 1 },
                Operator::GlobalSet { global_index: ink_status },
                Operator::Unreachable,
                Operator::End,
                Operator::GlobalGet { global_index: ink_left },
                Operator::I64Const { value },
                Operator::I64Sub,
                Operator::GlobalSet { global_index: ink_left },
            ]);
            out.append(&mut block);
            cost = 0;
        }
    }
    out
}

/// Dynamic meter: per-byte ink of `memory.fill` and `memory.copy`.
fn dynamic_meter(code: Vec<Operator<'_>>, globals: Globals) -> Result<Vec<Operator<'_>>, NitroError> {
    let Globals { ink_left, ink_status, scratch, .. } = globals;
    let linear = |coefficient: u64| {
        [
            Operator::GlobalSet { global_index: scratch },
            Operator::GlobalGet { global_index: ink_left },
            Operator::GlobalGet { global_index: ink_left },
            Operator::GlobalGet { global_index: scratch },
            Operator::I64ExtendI32U,
            Operator::I64Const { value: coefficient as i64 },
            Operator::I64Mul,
            Operator::I64Sub,
            Operator::GlobalSet { global_index: ink_left },
            Operator::GlobalGet { global_index: ink_left },
            Operator::I64LtU,
            Operator::If { blockty: BlockType::Empty },
            Operator::I32Const { value: 1 },
            Operator::GlobalSet { global_index: ink_status },
            Operator::Unreachable,
            Operator::End,
            Operator::GlobalGet { global_index: scratch },
        ]
    };
    let mut out = Vec::with_capacity(code.len());
    for op in code {
        use Operator as O;
        match op {
            O::MemoryFill { .. } => out.extend(linear(MEMORY_FILL_BYTE_INK)),
            O::MemoryCopy { .. } => out.extend(linear(MEMORY_COPY_BYTE_INK)),
            O::MemoryInit { .. }
            | O::DataDrop { .. }
            | O::ElemDrop { .. }
            | O::TableInit { .. }
            | O::TableCopy { .. }
            | O::TableFill { .. }
            | O::TableGet { .. }
            | O::TableSet { .. }
            | O::TableGrow { .. }
            | O::TableSize { .. } => return bail("opcode not supported"),
            _ => {}
        }
        out.push(op);
    }
    Ok(out)
}

/// Depth checker: charge the frame on entry, give it back before every return.
fn depth_check<'a>(
    code: Vec<Operator<'a>>,
    locals: usize,
    local_index: usize,
    cx: &Context<'_>,
) -> Result<Vec<Operator<'a>>, NitroError> {
    // The body is one scope closed by its final `end`; anything else is malformed.
    let mut scopes: isize = 1;
    for (i, op) in code.iter().enumerate() {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => scopes += 1,
            Operator::End => scopes -= 1,
            _ => {}
        }
        if scopes < 0 {
            return bail("malformed scoping detected");
        }
        if scopes == 0 && i + 1 != code.len() {
            return bail("finalized too soon");
        }
    }
    let sigs = Signatures { functions: cx.functions, types: cx.types };
    let worst = depth::worst_case_depth(&code, &sigs, local_index)?;
    let size = worst + locals as u32 + 4;
    if size > MAX_FRAME_SIZE {
        return bail(format!("frame too large: {size} > {MAX_FRAME_SIZE}-word limit"));
    }
    let global_index = cx.globals.stack_left;
    let size = size as i32;
    let mut out = Vec::with_capacity(code.len() + 16);
    out.extend([
        Operator::GlobalGet { global_index },
        Operator::I32Const { value: size },
        Operator::I32LeU,
        Operator::If { blockty: BlockType::Empty },
        Operator::I32Const { value: 0 },
        Operator::GlobalSet { global_index },
        Operator::Unreachable,
        Operator::End,
        Operator::GlobalGet { global_index },
        Operator::I32Const { value: size },
        Operator::I32Sub,
        Operator::GlobalSet { global_index },
    ]);
    let mut code = code;
    let last = code.pop();
    code.push(Operator::Return);
    code.extend(last);
    for op in code {
        if matches!(op, Operator::Return) {
            out.extend([
                Operator::GlobalGet { global_index },
                Operator::I32Const { value: size },
                Operator::I32Add,
                Operator::GlobalSet { global_index },
            ]);
        }
        out.push(op);
    }
    Ok(out)
}

/// Heap bound: pay for new pages before `memory.grow` grows the memory.
fn heap_bound<'a>(code: Vec<Operator<'a>>, cx: &Context<'_>) -> Vec<Operator<'a>> {
    let Some(function_index) = cx.pay_for_memory_grow else {
        return code;
    };
    let global_index = cx.globals.scratch;
    let mut out = Vec::with_capacity(code.len());
    for op in code {
        if matches!(op, Operator::MemoryGrow { .. }) {
            out.extend([
                Operator::GlobalSet { global_index },
                Operator::GlobalGet { global_index },
                Operator::GlobalGet { global_index },
                Operator::Call { function_index },
            ]);
        }
        out.push(op);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::ValType;

    fn context<'t>(types: &'t [FuncType], functions: &'t [FuncType]) -> Context<'t> {
        Context { types, functions, globals: Globals::after(0), pay_for_memory_grow: Some(0) }
    }

    #[test]
    fn one_block_gets_a_header_a_frame_check_and_a_paid_grow() {
        let types = [FuncType::new([ValType::I32], [])];
        let functions = [types[0].clone()];
        let code = [Operator::I32Const { value: 1 }, Operator::MemoryGrow { mem: 0 }, Operator::Drop, Operator::End];
        let out = instrument_function(&code, 0, 0, &context(&types, &functions)).unwrap();
        // 12 depth prologue + 12 meter header + 4 paid grow + 4 original + return + its refund (4).
        assert_eq!(out.len(), 12 + 12 + 4 + 4 + 1 + 4);
        // The block costs 1 + 8,050 + 9 + 1 ink plus the header.
        let cost = 1 + 8_050 + 9 + 1 + BLOCK_HEADER_INK as i64;
        assert_eq!(out[13], Operator::I64Const { value: cost });
        assert_eq!(out[28], Operator::Call { function_index: 0 });
    }

    #[test]
    fn refuses_segment_operators_and_huge_frames() {
        let types = [FuncType::new([], [])];
        let functions = [types[0].clone()];
        let code = [Operator::DataDrop { data_index: 0 }, Operator::End];
        let err = instrument_function(&code, 0, 0, &context(&types, &functions)).unwrap_err();
        assert_eq!(err.to_string(), "dynamic ink meter failure: opcode not supported");
        // The meter's header alone puts two values on the stack: 2 + 10,235 locals + 4.
        let err = instrument_function(&[Operator::End], 10_235, 0, &context(&types, &functions)).unwrap_err();
        assert_eq!(err.to_string(), "depth checker failure: frame too large: 10241 > 10240-word limit");
    }
}
