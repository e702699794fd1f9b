//! The error type of PoCo's pure rules, shaped after the way PoCo reverts so a contract can
//! re-encode it byte for byte (`Error(string)`, `Panic(uint256)` or a custom error).

/// Why a pure PoCo rule refused its input, in the shape PoCo's Solidity reverts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PocoError {
    /// Solidity ≥ 0.8 checked arithmetic over- or underflowed: PoCo reverts `Panic(0x11)`.
    ArithmeticOverflow,
    /// Division (or `Math.mulDiv` of a product below 2^256) by zero: PoCo reverts
    /// `Panic(0x12)`.
    DivisionByZero,
    /// OpenZeppelin 5.0's `Math.mulDiv` (PoCo pins 5.0.2) whose result does not fit in 256
    /// bits, or whose product reaches 2^256 with a zero denominator: it reverts with its
    /// custom error `MathOverflowedMulDiv()`, not a panic.
    MathOverflowedMulDiv,
    /// `require(condition, reason)`: PoCo reverts `Error(reason)`; the reason is one of
    /// [`crate::reasons`].
    Reason(&'static str),
    /// PoCo's custom error `IncompatibleDatasetOrder(string reason)`, raised by
    /// `assertDatasetDealCompatibility`; the reason is one of the `DATASET_*` strings of
    /// [`crate::reasons`].
    IncompatibleDatasetOrder(&'static str),
}

impl PocoError {
    /// The Solidity panic code PoCo reverts with (`Panic(uint256 code)`), if this error is a panic.
    pub const fn panic_code(&self) -> Option<u8> {
        match self {
            Self::ArithmeticOverflow => Some(0x11),
            Self::DivisionByZero => Some(0x12),
            Self::MathOverflowedMulDiv | Self::Reason(_) | Self::IncompatibleDatasetOrder(_) => None,
        }
    }

    /// The revert reason string, for `Error(string)` and `IncompatibleDatasetOrder(string)`.
    pub const fn reason(&self) -> Option<&'static str> {
        match self {
            Self::Reason(r) | Self::IncompatibleDatasetOrder(r) => Some(r),
            Self::ArithmeticOverflow | Self::DivisionByZero | Self::MathOverflowedMulDiv => None,
        }
    }
}

/// Result of a pure PoCo rule.
pub type PocoResult<T> = Result<T, PocoError>;

/// Maps `None` from a checked operation to PoCo's arithmetic panic.
#[inline]
pub(crate) fn checked<T>(value: Option<T>) -> PocoResult<T> {
    value.ok_or(PocoError::ArithmeticOverflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_codes_and_reasons_are_exclusive() {
        assert_eq!(PocoError::ArithmeticOverflow.panic_code(), Some(0x11));
        assert_eq!(PocoError::DivisionByZero.panic_code(), Some(0x12));
        assert_eq!(PocoError::ArithmeticOverflow.reason(), None);
        let e = PocoError::Reason(crate::reasons::MATCH_CATEGORY_MISMATCH);
        assert_eq!(e.panic_code(), None);
        assert_eq!(e.reason(), Some("iExecV5-matchOrders-0x00"));
        let d = PocoError::IncompatibleDatasetOrder(crate::reasons::DATASET_DEAL_NOT_FOUND);
        assert_eq!(d.reason(), Some("Deal not found"));
    }

    #[test]
    fn checked_maps_none_to_overflow() {
        assert_eq!(checked(Some(3u8)), Ok(3));
        assert_eq!(checked::<u8>(None), Err(PocoError::ArithmeticOverflow));
    }
}
