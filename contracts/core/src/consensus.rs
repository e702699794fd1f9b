//! PoCo's Sarmenta-style consensus (k = 3, "SCORE POLICY 1/3 … 3/3"): worker weights from
//! scores, group weights per result hash, the consensus threshold, and score updates.
//!
//! Per task PoCo keeps `group[resultHash]` (product of the agreeing workers' weights) and
//! `total` (starts at 1). A result wins when its credibility `group / total` exceeds
//! `1 - 1/trust`, i.e. `group * trust > total * (trust - 1)`.

use alloy_primitives::{B256, U256};

use crate::error::{checked, PocoResult};
use crate::math::{div_small, log2_floor, mul_div};
use crate::status::ContributionStatusEnum;

/// A worker's weight from its score: `max(score / 3, 3) - 1` (k = 3). Scores < 12 give 2,
/// 12-14 give 3, 15 gives 4. Why: a fresh worker has a small but non-zero say; reliable
/// workers weigh more.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute ("SCORE POLICY 1/3")
pub fn worker_weight(score: &U256) -> U256 {
    // score / 3 with the cheap small divisor; 3 is not zero.
    div_small(score, 3).unwrap_or_default().max(U256::from(3)) - U256::from(1)
}

/// The weight stored in the contribution and used for its reward share: `log2(weight)`
/// (floor; a fresh worker has 1). Why: rewards grow slowly with reputation.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute
pub fn contribution_log_weight(worker_weight: &U256) -> U256 {
    log2_floor(*worker_weight)
}

/// How much a contribution of weight `w` to a result whose group weight is `g` adds to both
/// `group[resultHash]` and `total`: `max(g, 1) * w - g` (so the group becomes `w` when empty,
/// `g * w` otherwise). Checked.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute
pub fn group_weight_delta(group: &U256, worker_weight: &U256) -> PocoResult<U256> {
    let product = checked((*group).max(U256::from(1)).checked_mul(*worker_weight))?;
    checked(product.checked_sub(*group))
}

/// The consensus test `group * trust > total * (trust - 1)` (strict), with checked
/// arithmetic (trust 0 underflows as in PoCo; deals always have trust ≥ 1). Why: the result's
/// credibility must exceed `1 - 1/trust`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _checkConsensus
pub fn is_consensus_reached(group: &U256, total: &U256, trust: &U256) -> PocoResult<bool> {
    let lhs = checked(group.checked_mul(*trust))?;
    let trust_minus_one = checked(trust.checked_sub(U256::from(1)))?;
    let rhs = checked(total.checked_mul(trust_minus_one))?;
    Ok(lhs > rhs)
}

/// Whether a contributor counts in `winnerCounter` when consensus on `consensus` is reached:
/// status CONTRIBUTED and the same result hash (REJECTED workers do not count).
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _checkConsensus
pub fn is_consensus_winner(
    status: ContributionStatusEnum,
    result_hash: &B256,
    consensus: &B256,
) -> bool {
    status == ContributionStatusEnum::CONTRIBUTED && result_hash == consensus
}

/// `total` after `reopen`: `total - group[consensusValue]` (checked); the group is reset to 0.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reopen
pub fn total_after_reopen(total: &U256, consensus_group: &U256) -> PocoResult<U256> {
    checked(total.checked_sub(*consensus_group))
}

/// A PROVED worker's new score: `+1` when the task had more than one contributor, unchanged
/// otherwise. Why: an unreplicated result proves nothing about the worker.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, distributeRewards ("SCORE POLICY 2/3")
pub fn score_after_accurate_contribution(
    score: &U256,
    contributor_count: usize,
) -> PocoResult<U256> {
    if contributor_count > 1 {
        checked(score.checked_add(U256::from(1)))
    } else {
        Ok(*score)
    }
}

/// A losing worker's new score: `mulDiv(score, 2, 3)` (floor). Why: bad or unrevealed
/// results cost a third of the reputation.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, distributeRewards ("SCORE POLICY 3/3")
pub fn score_after_faulty_contribution(score: &U256) -> U256 {
    // mulDiv(score, 2, 3) cannot fail: the denominator is not zero and the result < score.
    mul_div(*score, U256::from(2), U256::from(3)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PocoError;
    use proptest::prelude::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    /// Consensus state of one task, replaying PoCo's `_contribute` updates.
    struct Tally {
        groups: alloc::vec::Vec<(u8, U256)>,
        total: U256,
    }

    impl Tally {
        fn new() -> Self {
            Self {
                groups: alloc::vec::Vec::new(),
                total: u(1),
            }
        }
        fn group(&self, h: u8) -> U256 {
            self.groups
                .iter()
                .find(|(k, _)| *k == h)
                .map(|(_, g)| *g)
                .unwrap_or_default()
        }
        /// Adds a contribution and returns whether `h` now has consensus.
        fn contribute(&mut self, h: u8, score: u64, trust: u64) -> bool {
            let g = self.group(h);
            let delta = group_weight_delta(&g, &worker_weight(&u(score))).unwrap();
            let new = g + delta;
            match self.groups.iter_mut().find(|(k, _)| *k == h) {
                Some(e) => e.1 = new,
                None => self.groups.push((h, new)),
            }
            self.total += delta;
            is_consensus_reached(&new, &self.total, &u(trust)).unwrap()
        }
    }

    #[test]
    fn weight_table() {
        for (score, weight) in [(0u64, 2u64), (11, 2), (12, 3), (14, 3), (15, 4), (30, 9)] {
            assert_eq!(worker_weight(&u(score)), u(weight), "score {score}");
        }
        assert_eq!(contribution_log_weight(&u(2)), u(1));
        assert_eq!(contribution_log_weight(&u(3)), u(1));
        assert_eq!(contribution_log_weight(&u(4)), u(2));
        assert_eq!(contribution_log_weight(&u(9)), u(3));
    }

    #[test]
    fn group_delta_multiplies() {
        assert_eq!(group_weight_delta(&u(0), &u(2)), Ok(u(2)));
        assert_eq!(group_weight_delta(&u(2), &u(2)), Ok(u(2)));
        assert_eq!(group_weight_delta(&u(4), &u(3)), Ok(u(8)));
        assert_eq!(
            group_weight_delta(&U256::MAX, &u(2)),
            Err(PocoError::ArithmeticOverflow)
        );
    }

    #[test]
    fn pocos_worked_examples() {
        // trust 1: the first contribution wins.
        assert!(Tally::new().contribute(1, 0, 1));
        // trust 2, one fresh worker: 2*2 = 4 > 3*1 = 3.
        assert!(is_consensus_reached(&u(2), &u(3), &u(2)).unwrap());
        assert!(Tally::new().contribute(1, 0, 2));
        // trust 3: one fresh worker is not enough (2*3 = 6 > 3*2 = 6 is false) ...
        let mut t = Tally::new();
        assert!(!t.contribute(1, 0, 3));
        // ... two agreeing fresh workers are: 4*3 = 12 > 5*2 = 10.
        assert!(t.contribute(1, 0, 3));
        assert_eq!((t.group(1), t.total), (u(4), u(5)));
        // trust 3 with a dissenting fresh worker first: 2 vs 2, then 4 vs total 7: 12 > 14 false.
        let mut t = Tally::new();
        assert!(!t.contribute(1, 0, 3));
        assert!(!t.contribute(2, 0, 3));
        assert!(!t.contribute(1, 0, 3));
        assert!(t.contribute(1, 0, 3)); // 8*3 = 24 > 11*2 = 22
    }

    #[test]
    fn trust_zero_underflows_like_poco() {
        assert_eq!(
            is_consensus_reached(&u(1), &u(1), &u(0)),
            Err(PocoError::ArithmeticOverflow)
        );
    }

    #[test]
    fn winners_and_reopen() {
        let h = B256::repeat_byte(1);
        assert!(is_consensus_winner(
            ContributionStatusEnum::CONTRIBUTED,
            &h,
            &h
        ));
        assert!(!is_consensus_winner(
            ContributionStatusEnum::REJECTED,
            &h,
            &h
        ));
        assert!(!is_consensus_winner(
            ContributionStatusEnum::CONTRIBUTED,
            &B256::ZERO,
            &h
        ));
        assert_eq!(total_after_reopen(&u(7), &u(4)), Ok(u(3)));
        assert_eq!(
            total_after_reopen(&u(3), &u(4)),
            Err(PocoError::ArithmeticOverflow)
        );
    }

    #[test]
    fn score_updates() {
        assert_eq!(score_after_accurate_contribution(&u(5), 2), Ok(u(6)));
        assert_eq!(score_after_accurate_contribution(&u(5), 1), Ok(u(5)));
        assert_eq!(score_after_faulty_contribution(&u(15)), u(10));
        assert_eq!(score_after_faulty_contribution(&u(1)), u(0));
        assert_eq!(score_after_faulty_contribution(&u(11)), u(7));
        assert_eq!(
            score_after_faulty_contribution(&U256::MAX),
            U256::MAX / u(3) * u(2)
        );
    }

    proptest! {
        /// Adding agreeing contributions never loses a reached consensus.
        #[test]
        fn consensus_is_monotone_in_agreeing_contributions(
            trust in 1u64..20,
            others in proptest::collection::vec((1u8..4, 0u64..60), 0..6),
            agreeing in proptest::collection::vec(0u64..60, 1..12),
        ) {
            let mut t = Tally::new();
            for (h, score) in others {
                t.contribute(h, score, trust);
            }
            let mut reached = false;
            for score in agreeing {
                let now = t.contribute(0, score, trust);
                prop_assert!(!reached || now, "consensus lost by an agreeing contribution");
                reached = now;
            }
            prop_assert!(t.total >= t.group(0));
        }

        /// The weight is at least 2 and never decreases with the score.
        #[test]
        fn weight_is_monotone(a in any::<u64>(), b in any::<u64>()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(worker_weight(&u(lo)) <= worker_weight(&u(hi)));
            prop_assert!(worker_weight(&u(lo)) >= u(2));
            prop_assert!(contribution_log_weight(&worker_weight(&u(lo))) >= u(1));
        }

        /// Faulty decay is floor(2s/3) and never increases the score.
        #[test]
        fn faulty_score_decays(s in any::<u64>()) {
            let new = score_after_faulty_contribution(&u(s));
            prop_assert_eq!(new, U256::from((s as u128 * 2 / 3) as u64));
            prop_assert!(new <= u(s));
        }
    }
}
