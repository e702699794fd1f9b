//! The integer helpers PoCo's rules use, with Solidity 0.8 semantics: OpenZeppelin
//! `Math.mulDiv` (floor, full 512-bit intermediate), `Math.log2` (floor), and percentages.

use alloy_primitives::{Uint, U256};

use crate::error::{checked, PocoError, PocoResult};

/// `floor(a * b / denominator)` with a 512-bit intermediate product, as OpenZeppelin's
/// `Math.mulDiv`: reverts on a zero denominator (Panic 0x12) and when the result does not fit
/// in 256 bits.
///
/// PoCo: @openzeppelin/contracts/utils/math/Math.sol, mulDiv
pub fn mul_div(a: U256, b: U256, denominator: U256) -> PocoResult<U256> {
    if denominator.is_zero() {
        return Err(PocoError::DivisionByZero);
    }
    if let Some(product) = a.checked_mul(b) {
        return Ok(product / denominator);
    }
    let product: Uint<512, 8> = a.widening_mul(b);
    let quotient = product / Uint::<512, 8>::from(denominator);
    let limbs = quotient.as_limbs();
    if limbs[4..].iter().any(|l| *l != 0) {
        return Err(PocoError::ArithmeticOverflow);
    }
    Ok(U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]))
}

/// `floor(log2(value))`, and 0 for 0, as OpenZeppelin's `Math.log2`.
///
/// PoCo: @openzeppelin/contracts/utils/math/Math.sol, log2
pub fn log2_floor(value: U256) -> U256 {
    match value.bit_len() {
        0 => U256::ZERO,
        bits => U256::from(bits - 1),
    }
}

/// `value * percent / 100`: multiplication first, floor division, checked multiplication —
/// how PoCo writes every ratio (worker stake, pool stake per task, rewards split).
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders (and IexecPoco2Facet.sol)
pub fn percentage(value: U256, percent: U256) -> PocoResult<U256> {
    Ok(checked(value.checked_mul(percent))? / U256::from(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_div_floors_and_handles_wide_products() {
        assert_eq!(
            mul_div(U256::from(10), U256::from(2), U256::from(3)),
            Ok(U256::from(6))
        );
        assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX), Ok(U256::MAX));
        assert_eq!(
            mul_div(U256::MAX, U256::from(2), U256::from(4)),
            Ok(U256::MAX >> 1)
        );
        assert_eq!(
            mul_div(U256::MAX, U256::from(2), U256::from(1)),
            Err(PocoError::ArithmeticOverflow)
        );
        assert_eq!(
            mul_div(U256::from(1), U256::from(1), U256::ZERO),
            Err(PocoError::DivisionByZero)
        );
    }

    #[test]
    fn log2_floor_values() {
        for (v, l) in [
            (0u64, 0u64),
            (1, 0),
            (2, 1),
            (3, 1),
            (4, 2),
            (7, 2),
            (8, 3),
            (1 << 40, 40),
        ] {
            assert_eq!(log2_floor(U256::from(v)), U256::from(l), "log2({v})");
        }
        assert_eq!(log2_floor(U256::MAX), U256::from(255));
    }

    #[test]
    fn percentage_floors() {
        assert_eq!(
            percentage(U256::from(999), U256::from(30)),
            Ok(U256::from(299))
        );
        assert_eq!(
            percentage(U256::MAX, U256::from(2)),
            Err(PocoError::ArithmeticOverflow)
        );
    }

    proptest::proptest! {
        #[test]
        fn mul_div_matches_u128_reference(a in proptest::prelude::any::<u64>(), b in proptest::prelude::any::<u64>(), d in 1u64..) {
            let expected = (a as u128 * b as u128) / d as u128;
            proptest::prop_assert_eq!(mul_div(U256::from(a), U256::from(b), U256::from(d)), Ok(U256::from(expected)));
        }

        #[test]
        fn mul_div_wide_is_consistent_with_division(a in proptest::prelude::any::<[u64; 4]>(), b in proptest::prelude::any::<[u64; 4]>(), d in proptest::prelude::any::<[u64; 4]>()) {
            let (a, b, d) = (U256::from_limbs(a), U256::from_limbs(b), U256::from_limbs(d));
            proptest::prop_assume!(!d.is_zero());
            // q = floor(a*b/d)  <=>  q*d <= a*b < (q+1)*d, checked in 512 bits.
            let wide = |x: U256| Uint::<512, 8>::from(x);
            let ab = wide(a) * wide(b);
            match mul_div(a, b, d) {
                Ok(q) => {
                    proptest::prop_assert!(wide(q) * wide(d) <= ab);
                    proptest::prop_assert!(ab < (wide(q) + wide(U256::from(1))) * wide(d));
                }
                Err(e) => {
                    proptest::prop_assert_eq!(e, PocoError::ArithmeticOverflow);
                    proptest::prop_assert!(ab / wide(d) > wide(U256::MAX));
                }
            }
        }
    }
}
