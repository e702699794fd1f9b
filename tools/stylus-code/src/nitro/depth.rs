//! The worst-case operand-stack height of a function body, as nitro's depth checker counts it
//! (nitro `arbitrator/prover/src/programs/depth.rs`, `worst_case_depth`).
//!
//! Nitro charges each call its frame (this height, plus the declared locals, plus 4 words)
//! against the program's stack budget, and refuses at activation a function whose frame or
//! stack contention exceeds the Stylus bounds. The count is nitro's own approximation, not the
//! WASM validator's exact typing (e.g. pops saturate at zero), so it is re-implemented rule
//! by rule.

use wasmparser::{BlockType, FuncType, Operator};

use super::error::{bail, NitroError};

/// Words of stack a frame may take (`max_frame_size`, Stylus v1 and v2).
pub(crate) const MAX_FRAME_SIZE: u32 = 10 * 1024;
/// Values that may be live on the operand stack at once (`max_frame_contention`).
pub(crate) const MAX_FRAME_CONTENTION: u32 = 4_096;

/// Arity of nitro's internal `memory.fill` / `memory.copy` functions: `(i32, i32, i32) -> ()`.
const BULK_MEMORY_PARAMS: u32 = 3;

/// Types the depth count needs: every function's (imports first) and the type section.
pub(crate) struct Signatures<'t> {
    pub(crate) functions: &'t [FuncType],
    pub(crate) types: &'t [FuncType],
}

/// Worst-case operand-stack height of `code` (the instrumented body, final `end` included);
/// `local_index` names the function in nitro's message.
pub(crate) fn worst_case_depth(
    code: &[Operator<'_>],
    sigs: &Signatures<'_>,
    local_index: usize,
) -> Result<u32, NitroError> {
    use Operator as O;
    let mut worst: u32 = 0;
    let mut stack: u32 = 0;
    let mut scopes = vec![stack];

    let push = |stack: &mut u32, worst: &mut u32, n: u32| {
        *stack += n;
        *worst = (*worst).max(*stack);
    };
    let pop = |stack: &mut u32, n: u32| *stack = stack.saturating_sub(n);
    let arity = |ty: &FuncType| (ty.params().len() as u32, ty.results().len() as u32);
    let block = |stack: &mut u32, worst: &mut u32, ty: &BlockType| -> Result<(), NitroError> {
        match ty {
            BlockType::Empty => {}
            BlockType::Type(_) => push(stack, worst, 1),
            BlockType::FuncType(id) => {
                let Some(ty) = sigs.types.get(*id as usize) else {
                    return bail(format!("missing type for func {id}"));
                };
                let (ins, outs) = arity(ty);
                push(stack, worst, outs);
                pop(stack, ins);
            }
        }
        Ok(())
    };

    for op in code {
        match op {
            O::Block { blockty } | O::Loop { blockty } => {
                block(&mut stack, &mut worst, blockty)?;
                scopes.push(stack);
            }
            O::If { blockty } => {
                pop(&mut stack, 1);
                block(&mut stack, &mut worst, blockty)?;
                scopes.push(stack);
            }
            O::Else => match scopes.last() {
                Some(scope) => stack = *scope,
                None => return bail("malformed if-else scope"),
            },
            O::End => match scopes.pop() {
                Some(scope) => stack = scope,
                None => return bail("malformed scoping detected at end of block"),
            },
            O::Call { function_index } => {
                let Some(ty) = sigs.functions.get(*function_index as usize) else {
                    return bail(format!("missing type for func {function_index}"));
                };
                let (ins, outs) = arity(ty);
                push(&mut stack, &mut worst, outs);
                pop(&mut stack, ins);
            }
            O::CallIndirect { type_index, .. } => {
                let Some(ty) = sigs.types.get(*type_index as usize) else {
                    return bail(format!("missing type for signature {type_index}"));
                };
                let (ins, outs) = arity(ty);
                push(&mut stack, &mut worst, outs);
                pop(&mut stack, ins);
                pop(&mut stack, 1);
            }
            O::MemoryFill { .. } | O::MemoryCopy { .. } => pop(&mut stack, BULK_MEMORY_PARAMS),
            op if leaves_stack_height(op) => {}
            O::LocalGet { .. }
            | O::GlobalGet { .. }
            | O::MemorySize { .. }
            | O::I32Const { .. }
            | O::I64Const { .. }
            | O::F32Const { .. }
            | O::F64Const { .. } => push(&mut stack, &mut worst, 1),
            O::Select
            | O::I32Store { .. }
            | O::I64Store { .. }
            | O::F32Store { .. }
            | O::F64Store { .. }
            | O::I32Store8 { .. }
            | O::I32Store16 { .. }
            | O::I64Store8 { .. }
            | O::I64Store16 { .. }
            | O::I64Store32 { .. } => pop(&mut stack, 2),
            op if pops_one(op) => pop(&mut stack, 1),
            other => return bail(format!("extension not supported {other:?}")),
        }
    }

    if worst > MAX_FRAME_CONTENTION {
        return bail(format!(
            "too many values on the stack at once in func {local_index}: {worst} > {MAX_FRAME_CONTENTION}"
        ));
    }
    Ok(worst)
}

/// Operators nitro counts as leaving the stack height unchanged.
fn leaves_stack_height(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::Nop
            | O::Unreachable
            | O::I32Eqz
            | O::I64Eqz
            | O::I32Clz
            | O::I32Ctz
            | O::I32Popcnt
            | O::I64Clz
            | O::I64Ctz
            | O::I64Popcnt
            | O::Br { .. }
            | O::Return
            | O::LocalTee { .. }
            | O::MemoryGrow { .. }
            | O::I32Load { .. }
            | O::I64Load { .. }
            | O::F32Load { .. }
            | O::F64Load { .. }
            | O::I32Load8S { .. }
            | O::I32Load8U { .. }
            | O::I32Load16S { .. }
            | O::I32Load16U { .. }
            | O::I64Load8S { .. }
            | O::I64Load8U { .. }
            | O::I64Load16S { .. }
            | O::I64Load16U { .. }
            | O::I64Load32S { .. }
            | O::I64Load32U { .. }
            | O::I32WrapI64
            | O::I64ExtendI32S
            | O::I64ExtendI32U
            | O::I32Extend8S
            | O::I32Extend16S
            | O::I64Extend8S
            | O::I64Extend16S
            | O::I64Extend32S
            | O::F32Abs
            | O::F32Neg
            | O::F32Ceil
            | O::F32Floor
            | O::F32Trunc
            | O::F32Nearest
            | O::F32Sqrt
            | O::F64Abs
            | O::F64Neg
            | O::F64Ceil
            | O::F64Floor
            | O::F64Trunc
            | O::F64Nearest
            | O::F64Sqrt
            | O::I32TruncF32S
            | O::I32TruncF32U
            | O::I32TruncF64S
            | O::I32TruncF64U
            | O::I64TruncF32S
            | O::I64TruncF32U
            | O::I64TruncF64S
            | O::I64TruncF64U
            | O::F32ConvertI32S
            | O::F32ConvertI32U
            | O::F32ConvertI64S
            | O::F32ConvertI64U
            | O::F32DemoteF64
            | O::F64ConvertI32S
            | O::F64ConvertI32U
            | O::F64ConvertI64S
            | O::F64ConvertI64U
            | O::F64PromoteF32
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64
            | O::I32TruncSatF32S
            | O::I32TruncSatF32U
            | O::I32TruncSatF64S
            | O::I32TruncSatF64U
            | O::I64TruncSatF32S
            | O::I64TruncSatF32U
            | O::I64TruncSatF64S
            | O::I64TruncSatF64U
    )
}

/// Operators nitro counts as popping one value: binary operators and comparisons (two in, one
/// out), `drop`, conditional and table branches, local and global sets.
fn pops_one(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::Drop
            | O::I32Eq
            | O::I32Ne
            | O::I32LtS
            | O::I32LtU
            | O::I32GtS
            | O::I32GtU
            | O::I32LeS
            | O::I32LeU
            | O::I32GeS
            | O::I32GeU
            | O::I64Eq
            | O::I64Ne
            | O::I64LtS
            | O::I64LtU
            | O::I64GtS
            | O::I64GtU
            | O::I64LeS
            | O::I64LeU
            | O::I64GeS
            | O::I64GeU
            | O::F32Eq
            | O::F32Ne
            | O::F32Lt
            | O::F32Gt
            | O::F32Le
            | O::F32Ge
            | O::F64Eq
            | O::F64Ne
            | O::F64Lt
            | O::F64Gt
            | O::F64Le
            | O::F64Ge
            | O::I32Add
            | O::I32Sub
            | O::I32Mul
            | O::I32DivS
            | O::I32DivU
            | O::I32RemS
            | O::I32RemU
            | O::I64Add
            | O::I64Sub
            | O::I64Mul
            | O::I64DivS
            | O::I64DivU
            | O::I64RemS
            | O::I64RemU
            | O::I32And
            | O::I32Or
            | O::I32Xor
            | O::I32Shl
            | O::I32ShrS
            | O::I32ShrU
            | O::I32Rotl
            | O::I32Rotr
            | O::I64And
            | O::I64Or
            | O::I64Xor
            | O::I64Shl
            | O::I64ShrS
            | O::I64ShrU
            | O::I64Rotl
            | O::I64Rotr
            | O::F32Add
            | O::F32Sub
            | O::F32Mul
            | O::F32Div
            | O::F32Min
            | O::F32Max
            | O::F32Copysign
            | O::F64Add
            | O::F64Sub
            | O::F64Mul
            | O::F64Div
            | O::F64Min
            | O::F64Max
            | O::F64Copysign
            | O::BrIf { .. }
            | O::BrTable { .. }
            | O::LocalSet { .. }
            | O::GlobalSet { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::ValType;

    #[test]
    fn counts_pushes_and_scopes() {
        let types = [FuncType::new([ValType::I32, ValType::I32], [ValType::I32])];
        let functions = [types[0].clone()];
        let sigs = Signatures { functions: &functions, types: &types };
        let code = [
            Operator::I32Const { value: 1 },
            Operator::I32Const { value: 2 },
            Operator::I32Const { value: 3 },
            Operator::Call { function_index: 0 },
            Operator::Block { blockty: BlockType::Empty },
            Operator::LocalGet { local_index: 0 },
            Operator::Drop,
            Operator::End,
            Operator::Drop,
            Operator::Drop,
            Operator::End,
        ];
        // 3 constants, then the call pushes its result before popping its two arguments.
        assert_eq!(worst_case_depth(&code, &sigs, 0), Ok(4));
        let unbalanced = [Operator::End, Operator::End];
        assert!(worst_case_depth(&unbalanced, &sigs, 0).is_err());
    }
}
