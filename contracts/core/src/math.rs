//! The integer helpers PoCo's rules use, with Solidity 0.8 semantics: OpenZeppelin
//! `Math.mulDiv` (floor, full 512-bit intermediate), `Math.log2` (floor), and percentages.

use alloy_primitives::{Uint, U256};

use crate::error::{checked, PocoError, PocoResult};

/// `(x / divisor, x % divisor)` for a divisor that fits in 32 bits, computed 32 bits at a
/// time with native 64-bit divisions. Why: ruint's generic `U256 / U256` costs ~4 KB of
/// brotli-compressed WASM; PoCo only ever divides by 100, 3 or a small log-weight sum.
///
/// `divisor` must not be zero (callers check).
fn div_rem_u32(x: &U256, divisor: u32) -> (U256, u32) {
    let d = u64::from(divisor);
    let limbs = x.as_limbs();
    let mut quotient = [0u64; 4];
    let mut rem = 0u64;
    for i in (0..4).rev() {
        let hi = (rem << 32) | (limbs[i] >> 32);
        let q_hi = hi / d;
        rem = hi % d;
        let lo = (rem << 32) | (limbs[i] & 0xffff_ffff);
        let q_lo = lo / d;
        rem = lo % d;
        quotient[i] = (q_hi << 32) | q_lo;
    }
    // rem < divisor ≤ u32::MAX.
    (U256::from_limbs(quotient), rem as u32)
}

/// `floor((hi · 2^256 + lo) / divisor)` by binary long division, for `hi < divisor`
/// (so the quotient fits in 256 bits). Small code, 256 iterations.
fn div_wide(hi: U256, lo: &U256, divisor: &U256) -> U256 {
    let mut rem = hi;
    let mut quotient = U256::ZERO;
    for i in (0..256).rev() {
        let carry = rem.bit(255);
        rem = (rem << 1usize) | U256::from(lo.bit(i) as u8);
        if carry || rem >= *divisor {
            rem = rem.wrapping_sub(*divisor);
            quotient.set_bit(i, true);
        }
    }
    quotient
}

/// `floor(value / divisor)` for a small constant divisor (cheap in WASM, see [`mul_div`]).
/// Returns [`PocoError::DivisionByZero`] for 0.
pub fn div_small(value: &U256, divisor: u32) -> PocoResult<U256> {
    if divisor == 0 {
        return Err(PocoError::DivisionByZero);
    }
    Ok(div_rem_u32(value, divisor).0)
}

/// `floor(a * b / denominator)` with a 512-bit intermediate product, as OpenZeppelin 5.0's
/// `Math.mulDiv`, with its two failure shapes in its order: a product below 2^256 is
/// divided with Solidity's checked `/` (a zero denominator panics 0x12); a wider product
/// reverts `MathOverflowedMulDiv()` when `denominator <= high word` (the result would not fit,
/// and a zero denominator lands here too). Written without ruint's generic division to keep
/// contracts small.
///
/// Where PoCo calls it (`distributeRewards`: `mulDiv(workersReward, weight,
/// totalLogWeight)` with `weight <= totalLogWeight`; the score decay `mulDiv(score, 2, 3)`)
/// the result never exceeds an operand, so the hub cannot reach the error; the shape is
/// kept so that the rule is OpenZeppelin's for any caller.
///
/// PoCo: @openzeppelin/contracts/utils/math/Math.sol (5.0.2), mulDiv
pub fn mul_div(a: U256, b: U256, denominator: U256) -> PocoResult<U256> {
    let product: Uint<512, 8> = a.widening_mul(b);
    let limbs = product.as_limbs();
    let lo = U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]);
    let hi = U256::from_limbs([limbs[4], limbs[5], limbs[6], limbs[7]]);
    if hi.is_zero() {
        if denominator.is_zero() {
            return Err(PocoError::DivisionByZero);
        }
        if let Ok(small) = u32::try_from(denominator) {
            return Ok(div_rem_u32(&lo, small).0);
        }
    } else if denominator <= hi {
        return Err(PocoError::MathOverflowedMulDiv);
    }
    Ok(div_wide(hi, &lo, &denominator))
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
    div_small(&checked(value.checked_mul(percent))?, 100)
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
            mul_div(U256::from(1), U256::from(1), U256::ZERO),
            Err(PocoError::DivisionByZero)
        );
        assert_eq!(mul_div(U256::ZERO, U256::MAX, U256::ZERO), Err(PocoError::DivisionByZero));
    }

    /// OpenZeppelin 5.0.2 reverts `MathOverflowedMulDiv()` (not a panic) when the result
    /// does not fit, and also for a zero denominator once the product reaches 2^256 (its
    /// `denominator <= prod1` test comes before any division).
    #[test]
    fn mul_div_overflow_is_openzeppelins_custom_error() {
        let overflow = Err(PocoError::MathOverflowedMulDiv);
        assert_eq!(mul_div(U256::MAX, U256::from(2), U256::from(1)), overflow);
        assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX - U256::from(1)), overflow);
        assert_eq!(mul_div(U256::MAX, U256::from(2), U256::ZERO), overflow);
        // The high word equal to the denominator overflows; one more fits.
        let hi = U256::from(1); // MAX * 2 = 2^257 - 2: high word 1
        assert_eq!(mul_div(U256::MAX, U256::from(2), hi), overflow);
        assert_eq!(mul_div(U256::MAX, U256::from(2), hi + U256::from(1)), Ok(U256::MAX));
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

    #[test]
    fn small_division_matches_ruint() {
        let x = U256::MAX - U256::from(12345);
        for d in [1u32, 2, 3, 7, 100, u32::MAX] {
            let (q, r) = div_rem_u32(&x, d);
            assert_eq!(q, x / U256::from(d));
            assert_eq!(U256::from(r), x % U256::from(d));
        }
        assert_eq!(
            div_small(&U256::from(10), 0),
            Err(PocoError::DivisionByZero)
        );
        assert_eq!(div_small(&U256::from(10), 3), Ok(U256::from(3)));
    }

    proptest::proptest! {
        #[test]
        fn div_small_matches_ruint(x in proptest::prelude::any::<[u64; 4]>(), d in 1u32..) {
            let x = U256::from_limbs(x);
            proptest::prop_assert_eq!(div_small(&x, d), Ok(x / U256::from(d)));
        }

        #[test]
        fn mul_div_matches_ruint_on_wide_products(a in proptest::prelude::any::<[u64; 4]>(), b in proptest::prelude::any::<[u64; 4]>(), d in proptest::prelude::any::<[u64; 4]>()) {
            let (a, b, d) = (U256::from_limbs(a), U256::from_limbs(b), U256::from_limbs(d));
            proptest::prop_assume!(!d.is_zero());
            let wide = |x: U256| Uint::<512, 8>::from(x);
            let q = (wide(a) * wide(b)) / wide(d);
            let expected = if q > wide(U256::MAX) { Err(PocoError::MathOverflowedMulDiv) } else { Ok(U256::from_limbs([q.as_limbs()[0], q.as_limbs()[1], q.as_limbs()[2], q.as_limbs()[3]])) };
            proptest::prop_assert_eq!(mul_div(a, b, d), expected);
        }

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
                    proptest::prop_assert_eq!(e, PocoError::MathOverflowedMulDiv);
                    proptest::prop_assert!(ab / wide(d) > wide(U256::MAX));
                }
            }
        }
    }
}
