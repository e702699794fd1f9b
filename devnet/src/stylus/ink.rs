//! Stylus pricing outside the WASM operators: hostio ink, data copies, memory pages.
//!
//! Arbitrum meters WASM in *ink* (10,000 ink = 1 gas by default) so that cheap operators can
//! cost fractions of a gas. Operators are metered inside the program, by nitro's own
//! instrumentation (`stylus_code::nitro::instrument`: a charge before every basic block).
//! Hostios charge the ink below, mirrored from nitro v3.9.5 (`arbitrator/arbutil/src/pricing.rs`
//! and the hostio bodies in `arbitrator/wasm-libraries/user-host-trait`), plus, where they touch
//! the state, the EVM gas of the equivalent operation. Memory pages follow nitro's
//! `arbos/programs/memory.go`.

/// Base of every hostio (`HOSTIO_INK`).
pub const HOSTIO_INK: u64 = 8_400;
/// Extra per pointer argument (`PTR_INK` = 13,440 − 8,400).
pub const PTR_INK: u64 = 13_440 - HOSTIO_INK;
/// Extra of a hostio that goes through the EVM API (`EVM_API_INK`).
pub const EVM_API_INK: u64 = 59_673;
/// Extra of `math_div` / `math_mod` (`DIV_INK`).
pub const DIV_INK: u64 = 20_000;
/// Extra of `math_mul_mod` (`MUL_MOD_INK`).
pub const MUL_MOD_INK: u64 = 24_100;
/// Extra of `math_add_mod` (`ADD_MOD_INK`).
pub const ADD_MOD_INK: u64 = 21_000;

/// Base ink of the hostios, by nitro's `pricing::hostio` names.
pub mod hostio {
    use super::*;

    /// `read_args`, `write_result`, `return_data_size`, block/chain getters, gas/ink left,
    /// `msg_reentrant`, `tx_ink_price`, `pay_for_memory_grow(0)`.
    pub const PLAIN: u64 = HOSTIO_INK;
    /// Getters writing one pointer: `msg_sender`, `msg_value`, `contract_address`,
    /// `tx_origin`, `tx_gas_price`, `block_basefee`, `block_coinbase`.
    pub const ONE_POINTER: u64 = HOSTIO_INK + PTR_INK;
    /// `storage_load_bytes32`, `storage_cache_bytes32`.
    pub const STORAGE_ACCESS: u64 = HOSTIO_INK + 2 * PTR_INK;
    /// `storage_flush_cache`, `read_return_data`, `emit_log`, `account_code(_size)`.
    pub const EVM_API: u64 = HOSTIO_INK + EVM_API_INK;
    /// `transient_*`, `account_balance`, `account_codehash`.
    pub const EVM_API_TWO_POINTERS: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `call_contract`, `delegate_call_contract`, `static_call_contract`, `create1`.
    pub const CALL: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `create2`.
    pub const CREATE2: u64 = HOSTIO_INK + 4 * PTR_INK + EVM_API_INK;
    /// `math_div`, `math_mod`.
    pub const MATH_DIV: u64 = HOSTIO_INK + 3 * PTR_INK + DIV_INK;
    /// `math_pow`, before the exponent's price.
    pub const MATH_POW: u64 = HOSTIO_INK + 3 * PTR_INK;
    /// `math_add_mod`.
    pub const MATH_ADD_MOD: u64 = HOSTIO_INK + 4 * PTR_INK + ADD_MOD_INK;
    /// `math_mul_mod`.
    pub const MATH_MUL_MOD: u64 = HOSTIO_INK + 4 * PTR_INK + MUL_MOD_INK;
}

/// Gas that must remain before a storage write (EIP-2200 `SSTORE_SENTRY_GAS`).
pub const SSTORE_SENTRY_GAS: u64 = 2_300;
/// Gas a storage access must be able to pay on top of the EVM's (`REQUIRED_ACCESS_GAS`).
pub const STORAGE_REQUIRED_ACCESS_GAS: u64 = 10;
/// EVM cost of a cold account access, which account hostios require up front.
pub const COLD_ACCOUNT_GAS: u64 = 2_600;
/// EVM cost of a cold storage load.
pub const COLD_SLOAD_GAS: u64 = 2_100;
/// Gas of `TLOAD`/`TSTORE`.
pub const TRANSIENT_GAS: u64 = 100;
/// Gas per log topic, the LOG opcode's base counting as one (`LOG_TOPIC_GAS`).
pub const LOG_TOPIC_GAS: u64 = 375;
/// Gas per log data byte.
pub const LOG_DATA_GAS: u64 = 8;
/// Extra gas of reading an account's code (EIP-150 `EXTCODESIZE`, scaled by
/// `MaxCodeSize / DefaultMaxCodeSize`, 1 on Arbitrum One).
pub const EXT_CODE_GAS: u64 = 700;

/// Ink of writing `bytes` from the host into WASM memory (`pay_for_write`).
pub fn write_price(bytes: usize) -> u64 {
    5_040u64.saturating_add(30u64.saturating_mul(bytes.saturating_sub(32) as u64))
}

/// Ink of reading `bytes` from WASM memory into the host (`pay_for_read`).
pub fn read_price(bytes: usize) -> u64 {
    16_381u64.saturating_add(55u64.saturating_mul(bytes.saturating_sub(32) as u64))
}

/// Ink of `native_keccak256` over `bytes` (`pay_for_keccak`: I/O and hashing together).
pub fn keccak_price(bytes: usize) -> u64 {
    let words = (bytes as u64).div_ceil(32).saturating_sub(2);
    121_800u64.saturating_add(21_000u64.saturating_mul(words))
}

/// Ink of `math_pow`'s exponent (`pay_for_pow`): cheaper for each leading zero byte.
pub fn pow_price(exponent: &[u8; 32]) -> u64 {
    let leading_zeros = exponent.iter().take_while(|b| **b == 0).count() as u64;
    3_000 + (33 - leading_zeros.min(32)) * 17_500
}

/// `2^x`-like exponents of nitro's memory model, by total pages ever open (`memoryExponents`,
/// targeting 8 MiB at 32 million gas beyond the linear term).
const MEMORY_EXPONENTS: [u32; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38, 43, 50, 57, 65, 75,
    85, 98, 112, 128, 147, 168, 193, 221, 253, 289, 331, 379, 434, 497, 569, 651, 745, 853, 976, 1117, 1279, 1463,
    1675, 1917, 2194, 2511, 2874, 3290, 3765, 4309, 4932, 5645, 6461, 7395, 8464, 9687, 11087, 12689, 14523, 16621,
    19024, 21773, 24919, 28521, 32642, 37359, 42758, 48938, 56010, 64104, 73368, 83971, 96106, 109994, 125890, 144082,
    164904, 188735, 216010, 247226, 282953, 323844, 370643, 424206, 485509, 555672, 635973, 727880, 833067, 953456,
    1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704, 2807151, 3212820, 3677113, 4208502, 4816684,
    5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199, 16230562, 18576084, 21260563, 24332984,
    27849408, 31873999,
];

fn memory_exponent(pages: u16) -> u64 {
    MEMORY_EXPONENTS.get(usize::from(pages)).map_or(u64::MAX, |&e| u64::from(e))
}

/// Gas of opening `pages` more pages given `open` pages open in the transaction and `ever`
/// the most ever open (nitro `MemoryModel::GasCost`): free up to `free_pages`, then
/// `page_gas` per page plus the growth of the exponential term.
pub fn memory_gas(pages: u16, open: u16, ever: u16, free_pages: u16, page_gas: u16) -> u64 {
    let new_open = open.saturating_add(pages);
    let new_ever = ever.max(new_open);
    if new_ever <= free_pages {
        return 0;
    }
    let sub_free = |p: u16| p.saturating_sub(free_pages);
    let adding = sub_free(new_open).saturating_sub(sub_free(open));
    let linear = u64::from(adding).saturating_mul(u64::from(page_gas));
    linear.saturating_add(memory_exponent(new_ever).saturating_sub(memory_exponent(ever)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_two_pages_are_free() {
        assert_eq!(memory_gas(2, 0, 0, 2, 1000), 0);
        assert_eq!(memory_gas(1, 0, 0, 2, 1000), 0);
        assert_eq!(memory_gas(1, 2, 2, 2, 1000), 1000);
    }

    #[test]
    fn default_rust_stack_costs_about_fifteen_thousand_gas() {
        // spec/STYLUS.md "Gas of a Stylus call": 17 pages cost ~15,000 gas more than 1 page.
        assert_eq!(memory_gas(17, 0, 0, 2, 1000), 15_000 + 9 - 1);
    }

    #[test]
    fn copy_and_hash_prices() {
        assert_eq!(write_price(32), 5_040);
        assert_eq!(read_price(100), 16_381 + 55 * 68);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 142_800);
        assert_eq!(pow_price(&[0; 32]), 3_000 + 17_500);
        let mut big = [0u8; 32];
        big[0] = 1;
        assert_eq!(pow_price(&big), 3_000 + 33 * 17_500);
    }
}
