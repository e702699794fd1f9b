//! What nitro's ink meter charges for WASM operators (Stylus versions 1 and 2).
//!
//! Nitro meters per basic block: before each block it charges the sum of the block's operator
//! prices plus a fixed header (nitro `arbitrator/prover/src/programs/meter.rs`, `pricing_v1`,
//! and `config.rs`, `CompileConfig::version`). Operators nitro does not support, floating point
//! included, are priced `u64::MAX`: a block holding one can never be paid for, so such a
//! program activates but fails with "out of ink" as soon as it reaches that block.

use wasmparser::{FuncType, Operator};

/// Ink charged per basic block on top of its operators (`ink_header_cost`).
pub const BLOCK_HEADER_INK: u64 = 2_450;
/// Ink per byte of `memory.fill` (`memory_fill_ink`, 800 / 8).
pub const MEMORY_FILL_BYTE_INK: u64 = 100;
/// Ink per byte of `memory.copy` (`memory_copy_ink`, 800 / 8).
pub const MEMORY_COPY_BYTE_INK: u64 = 100;
/// The price of an operator nitro cannot meter.
pub const UNPRICED: u64 = u64::MAX;

/// Whether `op` closes a basic block of nitro's meter (`OperatorInfo::ends_basic_block`).
pub fn ends_basic_block(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::End
            | O::Else
            | O::Return
            | O::Loop { .. }
            | O::Br { .. }
            | O::BrTable { .. }
            | O::BrIf { .. }
            | O::If { .. }
            | O::Call { .. }
            | O::CallIndirect { .. }
    )
}

/// Ink nitro charges for executing `op`; `types` is the module's type section (for
/// `call_indirect`, priced by its arity).
pub fn operator_ink(op: &Operator<'_>, types: &[FuncType]) -> u64 {
    use Operator as O;
    match op {
        O::Unreachable | O::Return | O::Nop | O::I32Const { .. } | O::I64Const { .. } => 1,
        O::Drop => 9,
        O::Block { .. } | O::Loop { .. } | O::Else | O::End => 1,
        O::Br { .. } | O::BrIf { .. } | O::If { .. } => 765,
        O::Select => 1_250,
        O::Call { .. } => 3_800,
        O::LocalGet { .. } | O::LocalTee { .. } => 75,
        O::LocalSet { .. } => 210,
        O::GlobalGet { .. } => 225,
        O::GlobalSet { .. } => 575,
        O::I32Load { .. } | O::I32Load8S { .. } | O::I32Load8U { .. } | O::I32Load16S { .. } | O::I32Load16U { .. } => {
            670
        }
        O::I64Load { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. } => 680,
        O::I32Store { .. } | O::I32Store8 { .. } | O::I32Store16 { .. } => 825,
        O::I64Store { .. } | O::I64Store8 { .. } | O::I64Store16 { .. } | O::I64Store32 { .. } => 950,
        O::MemorySize { .. } => 3_000,
        O::MemoryGrow { .. } => 8_050,
        O::I32Eqz
        | O::I32Eq
        | O::I32Ne
        | O::I32LtS
        | O::I32LtU
        | O::I32GtS
        | O::I32GtU
        | O::I32LeS
        | O::I32LeU
        | O::I32GeS
        | O::I32GeU => 170,
        O::I64Eqz
        | O::I64Eq
        | O::I64Ne
        | O::I64LtS
        | O::I64LtU
        | O::I64GtS
        | O::I64GtU
        | O::I64LeS
        | O::I64LeU
        | O::I64GeS
        | O::I64GeU => 225,
        O::I32Clz | O::I32Ctz => 210,
        O::I32Add | O::I32Sub => 70,
        O::I32Mul => 160,
        O::I32DivS | O::I32DivU | O::I32RemS | O::I32RemU => 1_120,
        O::I32And | O::I32Or | O::I32Xor | O::I32Shl | O::I32ShrS | O::I32ShrU | O::I32Rotl | O::I32Rotr => 70,
        O::I64Clz | O::I64Ctz => 210,
        O::I64Add | O::I64Sub => 100,
        O::I64Mul => 160,
        O::I64DivS | O::I64DivU | O::I64RemS | O::I64RemU => 1_270,
        O::I64And | O::I64Or | O::I64Xor | O::I64Shl | O::I64ShrS | O::I64ShrU | O::I64Rotl | O::I64Rotr => 100,
        O::I32Popcnt => 2_650,
        O::I64Popcnt => 6_000,
        O::I32WrapI64 | O::I64ExtendI32S | O::I64ExtendI32U => 100,
        O::I32Extend8S | O::I32Extend16S | O::I64Extend8S | O::I64Extend16S | O::I64Extend32S => 100,
        O::MemoryCopy { .. } | O::MemoryFill { .. } => 950,
        O::BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        O::CallIndirect { type_index, .. } => {
            let params = types.get(*type_index as usize).map_or(0, |t| t.params().len());
            13_610 + 650 * params as u64
        }
        // Floating point, reference types, bulk-memory table and segment operators, SIMD,
        // threads, exceptions, tail calls, GC: nitro prices them all at u64::MAX.
        _ => UNPRICED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_follow_nitro_v1() {
        let types = [FuncType::new([wasmparser::ValType::I32; 2], [])];
        assert_eq!(operator_ink(&Operator::I32Add, &types), 70);
        assert_eq!(operator_ink(&Operator::I64Mul, &types), 160);
        assert_eq!(operator_ink(&Operator::CallIndirect { type_index: 0, table_index: 0 }, &types), 13_610 + 1_300);
        assert_eq!(operator_ink(&Operator::F32Add, &types), UNPRICED);
        assert!(ends_basic_block(&Operator::Call { function_index: 3 }));
        assert!(!ends_basic_block(&Operator::Block { blockty: wasmparser::BlockType::Empty }));
    }
}
