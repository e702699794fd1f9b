//! PoCo's revert shapes, byte for byte: integrators and PoCo's own tests tell failures apart
//! by them (`revertedWith`, `revertedWithoutReason`, `revertedWithCustomError`, panics).

use alloc::vec::Vec;

use alloy_sol_types::{sol, SolError};
use poco_core::PocoError;

sol! {
    /// `assertDatasetDealCompatibility`'s custom error.
    ///
    /// PoCo: contracts/interfaces/IexecPoco1Errors.sol, IncompatibleDatasetOrder
    #[sol(abi)]
    error IncompatibleDatasetOrder(string reason);

    /// OpenZeppelin 5.0's `Math.mulDiv` result beyond 256 bits.
    ///
    /// PoCo: @openzeppelin/contracts/utils/math/Math.sol (5.0.2), MathOverflowedMulDiv
    error MathOverflowedMulDiv();
}

/// Selector of `Error(string)`.
const ERROR_SELECTOR: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];
/// Selector of `Panic(uint256)`.
const PANIC_SELECTOR: [u8; 4] = [0x4e, 0x48, 0x7b, 0x71];

/// `require(false, reason)`: `Error(string)` ABI-encoded. Hand-written rather than through
/// alloy's generic encoder because every facet links it and size is the scarce resource.
pub fn reason(reason: &str) -> Vec<u8> {
    string_error(ERROR_SELECTOR, reason)
}

/// An error with one `string` parameter (`Error(string)`, `IncompatibleDatasetOrder(string)`),
/// ABI-encoded by hand.
#[inline(never)]
fn string_error(selector: [u8; 4], reason: &str) -> Vec<u8> {
    let padded = reason.len().div_ceil(32) * 32;
    let mut out = Vec::with_capacity(4 + 64 + padded);
    out.extend_from_slice(&selector);
    out.extend_from_slice(&word(32));
    out.extend_from_slice(&word(reason.len() as u64));
    out.extend_from_slice(reason.as_bytes());
    out.resize(4 + 64 + padded, 0);
    out
}

/// `require(false)` / `revert()`: no data at all.
pub fn bare() -> Vec<u8> {
    Vec::new()
}

/// Solidity's `Panic(uint256 code)` (0x01 assert, 0x11 arithmetic, 0x12 division by zero,
/// 0x32 out-of-bounds index).
pub fn panic(code: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(36);
    out.extend_from_slice(&PANIC_SELECTOR);
    out.extend_from_slice(&word(u64::from(code)));
    out
}

/// The revert data of a pure rule's error, as PoCo's Solidity would produce it.
pub fn poco(error: PocoError) -> Vec<u8> {
    match error {
        PocoError::ArithmeticOverflow => panic(0x11),
        PocoError::DivisionByZero => panic(0x12),
        PocoError::MathOverflowedMulDiv => MathOverflowedMulDiv::SELECTOR.to_vec(),
        PocoError::Reason(r) => reason(r),
        PocoError::IncompatibleDatasetOrder(r) => string_error(IncompatibleDatasetOrder::SELECTOR, r),
    }
}

/// The revert data of a PoCo Boost rule's error: PoCo's usual shapes, or OpenZeppelin
/// `SafeCast`'s `SafeCastOverflowedUintDowncast(bits, value)`.
pub fn boost(error: poco_core::boost::BoostError) -> Vec<u8> {
    match error {
        poco_core::boost::BoostError::Poco(e) => poco(e),
        poco_core::boost::BoostError::Downcast(e) => e.revert_data(),
    }
}

fn word(value: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&value.to_be_bytes());
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{Panic, Revert};

    #[test]
    fn reason_matches_alloys_encoding() {
        for r in ["", "x", "iExecV5-matchOrders-0x00", "IexecEscrow: Transfer amount exceeds balance"] {
            assert_eq!(reason(r), Revert::from(r).abi_encode(), "{r:?}");
        }
    }

    #[test]
    fn panic_matches_alloys_encoding() {
        let expected = Panic { code: alloy_primitives::U256::from(0x11) }.abi_encode();
        assert_eq!(panic(0x11), expected);
    }

    #[test]
    fn poco_errors_map_to_poco_shapes() {
        assert_eq!(poco(PocoError::ArithmeticOverflow), panic(0x11));
        assert_eq!(poco(PocoError::DivisionByZero), panic(0x12));
        assert_eq!(poco(PocoError::Reason("r")), reason("r"));
        assert_eq!(poco(PocoError::MathOverflowedMulDiv), MathOverflowedMulDiv {}.abi_encode());
        assert_eq!(
            poco(PocoError::MathOverflowedMulDiv)[..],
            alloy_primitives::keccak256("MathOverflowedMulDiv()")[..4]
        );
        let custom = poco(PocoError::IncompatibleDatasetOrder("Deal not found"));
        assert_eq!(custom, IncompatibleDatasetOrder { reason: "Deal not found".into() }.abi_encode());
        assert_eq!(custom[..4], IncompatibleDatasetOrder::SELECTOR);
        assert_eq!(IncompatibleDatasetOrder::abi_decode(&custom).unwrap().reason, "Deal not found");
    }
}
