//! Task deadlines, all multiples of the category's `workClockTimeRef`, with checked
//! arithmetic, and PoCo's strict time comparisons.

use alloy_primitives::U256;

use crate::constants::{CONTRIBUTION_DEADLINE_RATIO, FINAL_DEADLINE_RATIO, REVEAL_DEADLINE_RATIO};
use crate::error::{checked, PocoResult};

fn offset(start: &U256, time_ref: &U256, ratio: u64) -> PocoResult<U256> {
    checked(
        time_ref
            .checked_mul(U256::from(ratio))
            .and_then(|d| start.checked_add(d)),
    )
}

/// `contributionDeadline = deal.startTime + timeref * 7`. Why: contributions close well before
/// the final deadline so there is time to reveal and finalize.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, initialize
pub fn contribution_deadline(start_time: &U256, time_ref: &U256) -> PocoResult<U256> {
    offset(start_time, time_ref, CONTRIBUTION_DEADLINE_RATIO)
}

/// `finalDeadline = deal.startTime + timeref * 10`. Why: after it, anyone can `claim` a refund.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, initialize
pub fn final_deadline(start_time: &U256, time_ref: &U256) -> PocoResult<U256> {
    offset(start_time, time_ref, FINAL_DEADLINE_RATIO)
}

/// `revealDeadline = now + timeref * 2`, set when consensus is reached (and by
/// `contributeAndFinalize`). Why: winners get a fixed window to reveal.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _checkConsensus
pub fn reveal_deadline(now: &U256, time_ref: &U256) -> PocoResult<U256> {
    offset(now, time_ref, REVEAL_DEADLINE_RATIO)
}

/// Boost: `deadline = matchTime + workClockTimeRef * 7`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn boost_deadline(now: &U256, time_ref: &U256) -> PocoResult<U256> {
    offset(now, time_ref, CONTRIBUTION_DEADLINE_RATIO)
}

/// `deadline > now`: the window is still open (contribute, reveal, finalize, reopen all use
/// this strict comparison).
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, contribute / reveal / reopen / finalize
pub fn is_before(deadline: &U256, now: &U256) -> bool {
    deadline > now
}

/// `deadline <= now`: the deadline has passed (claim: final deadline; reopen: reveal
/// deadline).
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, claim / reopen
pub fn is_reached(deadline: &U256, now: &U256) -> bool {
    deadline <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PocoError;

    #[test]
    fn deadlines_for_category_xs() {
        let (start, t) = (U256::from(1_000), U256::from(300));
        assert_eq!(contribution_deadline(&start, &t), Ok(U256::from(3_100)));
        assert_eq!(final_deadline(&start, &t), Ok(U256::from(4_000)));
        assert_eq!(
            reveal_deadline(&U256::from(2_000), &t),
            Ok(U256::from(2_600))
        );
        assert_eq!(boost_deadline(&start, &t), Ok(U256::from(3_100)));
    }

    #[test]
    fn overflow_is_an_error() {
        assert_eq!(
            final_deadline(&U256::MAX, &U256::from(1)),
            Err(PocoError::ArithmeticOverflow)
        );
        assert_eq!(
            contribution_deadline(&U256::ZERO, &U256::MAX),
            Err(PocoError::ArithmeticOverflow)
        );
    }

    #[test]
    fn comparisons_are_strict_and_complementary() {
        let d = U256::from(10);
        assert!(is_before(&d, &U256::from(9)));
        assert!(!is_before(&d, &U256::from(10)));
        assert!(is_reached(&d, &U256::from(10)));
        assert!(!is_reached(&d, &U256::from(9)));
    }
}
