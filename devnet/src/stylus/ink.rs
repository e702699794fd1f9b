//! Stylus pricing: ink, WASM opcode costs, hostio costs, memory pages and program entry.
//!
//! Arbitrum meters WASM in *ink* (10,000 ink = 1 gas by default) so that cheap WASM opcodes can
//! cost fractions of a gas. Here wasmi's fuel is the ink meter: one unit of fuel is
//! [`INK_PER_FUEL`] ink, and every WASM operator is priced from Arbitrum's published opcode
//! table (docs "Opcode and host I/O pricing"), rounded to the fuel unit. Hostios charge their
//! published ink cost plus, where they touch the state, the EVM gas of the equivalent opcode.

use wasmi::OperatorCost;

/// Ink per unit of wasmi fuel. 100 keeps the cheapest priced opcodes (LocalGet: 75 ink) at one
/// fuel while the most expensive (CallIndirect: 13,610 ink) still fits wasmi's `u8` cost table.
pub const INK_PER_FUEL: u64 = 100;

/// Hostio base cost for hostios that may return something (nitro `HOSTIO_INK`).
pub const HOSTIO_INK: u64 = 8_400;
/// Extra cost of a hostio that reads or writes a pointer (nitro `PTR_INK`).
pub const PTR_INK: u64 = 13_440 - HOSTIO_INK;
/// Extra cost of a hostio that goes through the EVM API: state, calls, logs (nitro `EVM_API_INK`).
pub const EVM_API_INK: u64 = 59_673;
/// Per byte copied between WASM memory and the host beyond the first 32 bytes (read side).
pub const READ_BYTE_INK: u64 = 18;
/// Per byte copied from WASM memory into the host beyond the first 32 bytes (write side).
pub const WRITE_BYTE_INK: u64 = 40;
/// Gas that must remain before a storage write (EIP-2200 `SSTORE_SENTRY_GAS`).
pub const SSTORE_SENTRY_GAS: u64 = 2_300;

/// Price of moving `len` bytes from the host into WASM memory (e.g. `read_args`).
pub fn read_bytes_ink(len: usize) -> u64 {
    (len.saturating_sub(32) as u64).saturating_mul(READ_BYTE_INK)
}

/// Price of moving `len` bytes from WASM memory into the host (e.g. `write_result`).
pub fn write_bytes_ink(len: usize) -> u64 {
    (len.saturating_sub(32) as u64).saturating_mul(WRITE_BYTE_INK)
}

/// Converts an ink amount into fuel, rounding up so that nothing is free.
pub fn ink_to_fuel(ink: u64) -> u64 {
    ink.div_ceil(INK_PER_FUEL)
}

/// Rounds an opcode's published ink price to wasmi fuel units (at least 1 for priced opcodes
/// above 50 ink, 0 for the 1-ink structural opcodes).
const fn fuel(ink: u32) -> u8 {
    let units = (ink + (INK_PER_FUEL as u32) / 2) / INK_PER_FUEL as u32;
    if units > 255 {
        255
    } else {
        units as u8
    }
}

/// The per-operator fuel table derived from Arbitrum's published Stylus opcode prices.
///
/// Operators the table does not list keep wasmi's default (1 fuel = 100 ink), which is close to
/// Arbitrum's price for the simple integer operators it omits.
pub fn operator_costs() -> OperatorCost {
    OperatorCost {
        unreachable: 0,
        nop: 0,
        block: 0,
        loop_: 0,
        if_: fuel(765),
        else_: 0,
        end: 0,
        br: fuel(765),
        br_if: fuel(765),
        br_table: fuel(2_400),
        return_: 0,
        call: fuel(3_800),
        call_indirect: fuel(13_610),
        drop: 0,
        select: fuel(1_250),
        local_get: fuel(75),
        local_set: fuel(210),
        local_tee: fuel(75),
        global_get: fuel(225),
        global_set: fuel(575),
        i32_load: fuel(670),
        i64_load: fuel(680),
        i32_load8_s: fuel(670),
        i32_load8_u: fuel(670),
        i32_load16_s: fuel(670),
        i32_load16_u: fuel(670),
        i64_load8_s: fuel(680),
        i64_load8_u: fuel(680),
        i64_load16_s: fuel(680),
        i64_load16_u: fuel(680),
        i64_load32_s: fuel(680),
        i64_load32_u: fuel(680),
        i32_store: fuel(825),
        i64_store: fuel(950),
        i32_store8: fuel(825),
        i32_store16: fuel(825),
        i64_store8: fuel(950),
        i64_store16: fuel(950),
        i64_store32: fuel(950),
        memory_size: fuel(3_000),
        memory_grow: fuel(8_050),
        i32_const: 0,
        i64_const: 0,
        i32_mul: fuel(160),
        i32_div_s: fuel(1_120),
        i32_div_u: fuel(1_120),
        i32_rem_s: fuel(1_120),
        i32_rem_u: fuel(1_120),
        i64_mul: fuel(550),
        i64_div_s: fuel(2_900),
        i64_div_u: fuel(2_900),
        i64_rem_s: fuel(2_900),
        i64_rem_u: fuel(2_900),
        memory_copy: fuel(3_100),
        memory_fill: fuel(3_100),
        ..OperatorCost::default()
    }
}

/// Gas of `pay_for_memory_grow` / program entry for `pages` new pages given the pages already
/// open in the transaction (`open`) and the most ever open (`ever`).
///
/// Mirrors nitro's `MemoryModel::GasCost`: the first `free_pages` are free, every further page
/// pays `page_gas` linearly, and growing the high-water mark pays an exponential term. Nitro
/// takes that term from a precomputed table derived from `page_ramp`; this devnet computes
/// `2^(pages * page_ramp / 2^32)`, which follows the same curve closely enough for tests (it is
/// a few gas at the 17 pages of Rust's default stack and grows steeply towards the 128-page
/// limit).
pub fn memory_gas(
    pages: u16,
    open: u16,
    ever: u16,
    free_pages: u16,
    page_gas: u16,
    page_ramp: u64,
) -> u64 {
    let new_open = open.saturating_add(pages);
    let new_ever = ever.max(new_open);
    if new_ever <= free_pages {
        return 0;
    }
    let sub_free = |p: u16| p.saturating_sub(free_pages);
    let adding = sub_free(new_open).saturating_sub(sub_free(open));
    let linear = u64::from(adding) * u64::from(page_gas);
    let exp = |p: u16| -> u64 {
        let exponent = f64::from(p) * page_ramp as f64 / 4_294_967_296.0;
        exponent.exp2().floor() as u64
    };
    linear.saturating_add(exp(new_ever).saturating_sub(exp(ever)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_two_pages_are_free() {
        assert_eq!(memory_gas(2, 0, 0, 2, 1000, 620_674_314), 0);
        assert_eq!(memory_gas(1, 0, 0, 2, 1000, 620_674_314), 0);
    }

    #[test]
    fn default_rust_stack_costs_about_fifteen_thousand_gas() {
        // spec/STYLUS.md "Gas of a Stylus call": 17 pages cost ~15,000 gas more than 1 page.
        let gas = memory_gas(17, 0, 0, 2, 1000, 620_674_314);
        assert!((15_000..15_200).contains(&gas), "{gas}");
    }

    #[test]
    fn fuel_rounding() {
        assert_eq!(fuel(75), 1);
        assert_eq!(fuel(1), 0);
        assert_eq!(fuel(13_610), 136);
        assert_eq!(ink_to_fuel(101), 2);
    }
}
