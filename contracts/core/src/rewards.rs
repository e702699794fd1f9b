//! Who gets paid what when a task completes: `successWork` (app, dataset, scheduler stake,
//! kitty), `distributeRewards` (workers by log weight, scheduler gets the rest including
//! rounding dust) and the trust-1 fast path `distributeRewardsFast`.
//!
//! `distributeRewards` runs in two passes over `task.contributors`, as PoCo does:
//! 1. [`RewardPool`]: add every PROVED worker's log weight and every other worker's stake;
//! 2. [`RewardPayout`]: pay each PROVED worker `mulDiv(workersReward, weight, totalLogWeight)`;
//!    what is left goes to the scheduler ([`RewardPayout::scheduler_reward`]).

use alloy_primitives::U256;

use crate::constants::{KITTY_MIN, KITTY_RATIO};
use crate::error::{checked, PocoResult};
use crate::math::{mul_div, percentage};

/// The kitty payout of a successful task: `min(max(kitty * 10 / 100, 1e9), kitty)`, where
/// `kitty` is `frozens[KITTY_ADDRESS]` (0 pays nothing). Why: the stakes seized from failed
/// tasks flow back to schedulers that complete tasks, at least 1 RLC at a time.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, successWork
pub fn kitty_share(kitty: &U256) -> PocoResult<U256> {
    let tenth = percentage(*kitty, U256::from(KITTY_RATIO))?;
    Ok(tenth.max(KITTY_MIN).min(*kitty))
}

/// Who receives what in `successWork`, before `distributeRewards`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SuccessWork {
    /// Seized from the sponsor's frozen balance: the task price.
    pub sponsor_seize: U256,
    /// Rewarded to the app owner (0: no reward call).
    pub app_reward: U256,
    /// Rewarded to the dataset owner (0: no reward call, also when there is no dataset).
    pub dataset_reward: U256,
    /// Unlocked for the workerpool owner: the per-task pool stake `wpPrice * 30 / 100`.
    pub workerpool_unlock: U256,
    /// Seized from the kitty and rewarded to the workerpool owner (0: nothing to do).
    pub kitty_reward: U256,
}

/// The `successWork` amounts for a task of a deal with these prices, `has_dataset` telling
/// whether `deal.dataset.pointer != 0`, and `kitty = frozens[KITTY_ADDRESS]`. The workerpool
/// price itself is paid out by `distributeRewards` / `distributeRewardsFast`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, successWork
pub fn success_work(
    app_price: &U256,
    dataset_price: &U256,
    workerpool_price: &U256,
    has_dataset: bool,
    kitty: &U256,
) -> PocoResult<SuccessWork> {
    Ok(SuccessWork {
        sponsor_seize: crate::stakes::task_price(app_price, dataset_price, workerpool_price)?,
        app_reward: *app_price,
        dataset_reward: if has_dataset {
            *dataset_price
        } else {
            U256::ZERO
        },
        workerpool_unlock: crate::stakes::workerpool_stake_per_task(workerpool_price)?,
        kitty_reward: kitty_share(kitty)?,
    })
}

/// What `failedWork` (claim) moves: the sponsor gets the task price unlocked, the workerpool
/// owner's pool stake is seized and frozen on the kitty. Returns `(sponsor_unlock,
/// workerpool_seize_to_kitty)`. Every contributor's stake is unlocked as well.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, failedWork
pub fn failed_work(
    app_price: &U256,
    dataset_price: &U256,
    workerpool_price: &U256,
) -> PocoResult<(U256, U256)> {
    Ok((
        crate::stakes::task_price(app_price, dataset_price, workerpool_price)?,
        crate::stakes::workerpool_stake_per_task(workerpool_price)?,
    ))
}

/// First pass of `distributeRewards`: the reward pool (`workerpool.price` plus the stakes of
/// all non-PROVED contributors) and the PROVED workers' total log weight.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, distributeRewards
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewardPool {
    /// `totalReward`: what workers and scheduler share.
    pub total_reward: U256,
    /// `totalLogWeight`: sum of the PROVED contributions' weights.
    pub total_log_weight: U256,
}

impl RewardPool {
    /// An empty pool holding the workerpool price.
    pub fn new(workerpool_price: &U256) -> Self {
        Self {
            total_reward: *workerpool_price,
            total_log_weight: U256::ZERO,
        }
    }

    /// A PROVED contributor with this log weight shares the workers' reward.
    pub fn add_winner(&mut self, weight: &U256) -> PocoResult<()> {
        self.total_log_weight = checked(self.total_log_weight.checked_add(*weight))?;
        Ok(())
    }

    /// Any other contributor (wrong hash, unrevealed, REJECTED) loses its stake to the pool.
    pub fn add_loser(&mut self, worker_stake: &U256) -> PocoResult<()> {
        self.total_reward = checked(self.total_reward.checked_add(*worker_stake))?;
        Ok(())
    }

    /// `workersReward = totalReward * (100 - schedulerRewardRatio) / 100` and the second pass.
    /// A ratio above 100 underflows (PoCo panics; workerpools cap it at 100).
    pub fn into_payout(self, scheduler_reward_ratio: &U256) -> PocoResult<RewardPayout> {
        let workers_share = checked(U256::from(100).checked_sub(*scheduler_reward_ratio))?;
        Ok(RewardPayout {
            workers_reward: percentage(self.total_reward, workers_share)?,
            total_log_weight: self.total_log_weight,
            remaining: self.total_reward,
        })
    }
}

/// Second pass of `distributeRewards`: pays PROVED workers, leaves the rest to the scheduler.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, distributeRewards
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewardPayout {
    /// `workersReward`: the part of the pool shared by PROVED workers.
    pub workers_reward: U256,
    /// `totalLogWeight`.
    pub total_log_weight: U256,
    /// `totalReward` minus what was paid so far.
    pub remaining: U256,
}

impl RewardPayout {
    /// The reward of a PROVED worker of log weight `weight`:
    /// `mulDiv(workersReward, weight, totalLogWeight)` (floor), taken from the pool. The
    /// worker also gets its stake unlocked (not part of the pool).
    pub fn pay_winner(&mut self, weight: &U256) -> PocoResult<U256> {
        let reward = mul_div(self.workers_reward, *weight, self.total_log_weight)?;
        self.remaining = checked(self.remaining.checked_sub(reward))?;
        Ok(reward)
    }

    /// What the scheduler (workerpool owner) gets once every winner is paid: its share plus
    /// every rounding remainder.
    pub fn scheduler_reward(&self) -> U256 {
        self.remaining
    }
}

/// `distributeRewardsFast` (trust-1 `contributeAndFinalize`): returns `(worker, scheduler)` =
/// `(wpPrice * (100 - ratio) / 100, wpPrice - worker)`. No stake, no score change.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, distributeRewardsFast
pub fn fast_path_rewards(
    workerpool_price: &U256,
    scheduler_reward_ratio: &U256,
) -> PocoResult<(U256, U256)> {
    let workers_share = checked(U256::from(100).checked_sub(*scheduler_reward_ratio))?;
    let worker = percentage(*workerpool_price, workers_share)?;
    Ok((worker, checked(workerpool_price.checked_sub(worker))?))
}

/// Boost's worker reward stored in the deal: `wpPrice * (100 - schedulerRewardRatio) / 100`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn boost_worker_reward(
    workerpool_price: &U256,
    scheduler_reward_ratio: &U256,
) -> PocoResult<U256> {
    Ok(fast_path_rewards(workerpool_price, scheduler_reward_ratio)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PocoError;
    use proptest::prelude::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn kitty_share_cases() {
        let rlc = 1_000_000_000u64;
        assert_eq!(kitty_share(&u(0)), Ok(u(0)));
        assert_eq!(kitty_share(&u(rlc / 2)), Ok(u(rlc / 2))); // below the minimum: all of it
        assert_eq!(kitty_share(&u(rlc)), Ok(u(rlc)));
        assert_eq!(kitty_share(&u(2 * rlc)), Ok(u(rlc))); // 10% < 1 RLC: 1 RLC
        assert_eq!(kitty_share(&u(100 * rlc)), Ok(u(10 * rlc))); // 10%
        assert_eq!(
            kitty_share(&u(123 * rlc + 7)),
            Ok(u(12 * rlc + 300_000_000))
        );
    }

    #[test]
    fn success_and_failed_work_amounts() {
        let sw = success_work(&u(5), &u(3), &u(100), true, &u(0)).unwrap();
        assert_eq!(
            sw,
            SuccessWork {
                sponsor_seize: u(108),
                app_reward: u(5),
                dataset_reward: u(3),
                workerpool_unlock: u(30),
                kitty_reward: u(0),
            }
        );
        let no_dataset = success_work(&u(5), &u(0), &u(99), false, &u(10_000_000_000)).unwrap();
        assert_eq!(no_dataset.dataset_reward, u(0));
        assert_eq!(no_dataset.workerpool_unlock, u(29));
        assert_eq!(no_dataset.kitty_reward, u(1_000_000_000));
        assert_eq!(failed_work(&u(5), &u(3), &u(99)), Ok((u(107), u(29))));
    }

    #[test]
    fn distribute_rewards_worked_example() {
        // wp price 100, worker stake 30, scheduler ratio 1; winners of log weight 1 and 2,
        // one loser.
        let mut pool = RewardPool::new(&u(100));
        pool.add_winner(&u(1)).unwrap();
        pool.add_loser(&u(30)).unwrap();
        pool.add_winner(&u(2)).unwrap();
        assert_eq!(
            pool,
            RewardPool {
                total_reward: u(130),
                total_log_weight: u(3)
            }
        );
        let mut payout = pool.into_payout(&u(1)).unwrap();
        assert_eq!(payout.workers_reward, u(128)); // 130 * 99 / 100 = 128.7
        assert_eq!(payout.pay_winner(&u(1)), Ok(u(42)));
        assert_eq!(payout.pay_winner(&u(2)), Ok(u(85)));
        assert_eq!(payout.scheduler_reward(), u(3)); // 2 share + 1 dust
    }

    #[test]
    fn ratio_above_100_underflows_and_no_winner_divides_by_zero() {
        assert_eq!(
            RewardPool::new(&u(1)).into_payout(&u(101)),
            Err(PocoError::ArithmeticOverflow)
        );
        let mut payout = RewardPool::new(&u(100)).into_payout(&u(1)).unwrap();
        assert_eq!(payout.pay_winner(&u(1)), Err(PocoError::DivisionByZero));
        // With no winner at all (never in PoCo: finalize needs a reveal) all goes to the scheduler.
        assert_eq!(payout.scheduler_reward(), u(100));
    }

    #[test]
    fn fast_path_split() {
        assert_eq!(fast_path_rewards(&u(100), &u(1)), Ok((u(99), u(1))));
        assert_eq!(fast_path_rewards(&u(7), &u(50)), Ok((u(3), u(4))));
        assert_eq!(
            fast_path_rewards(&u(7), &u(101)),
            Err(PocoError::ArithmeticOverflow)
        );
        assert_eq!(boost_worker_reward(&u(1000), &u(10)), Ok(u(900)));
    }

    proptest! {
        /// The payout never exceeds the pool and conserves it exactly:
        /// Σ winners + scheduler == workerpool price + Σ loser stakes.
        #[test]
        fn reward_split_conserves_the_pool(
            price in any::<u64>(),
            stake in any::<u64>(),
            ratio in 0u64..=100,
            contributors in proptest::collection::vec(proptest::option::of(1u64..8), 1..12),
        ) {
            prop_assume!(contributors.iter().any(Option::is_some));
            let mut pool = RewardPool::new(&u(price));
            let mut losers = 0u64;
            for c in &contributors {
                match c {
                    Some(weight) => pool.add_winner(&u(*weight)).unwrap(),
                    None => { losers += 1; pool.add_loser(&u(stake)).unwrap() }
                }
            }
            let expected_pool = u(price) + u(stake) * u(losers);
            prop_assert_eq!(pool.total_reward, expected_pool);
            let mut payout = pool.into_payout(&u(ratio)).unwrap();
            prop_assert!(payout.workers_reward <= expected_pool);
            let mut paid = U256::ZERO;
            for weight in contributors.iter().flatten() {
                let r = payout.pay_winner(&u(*weight)).unwrap();
                prop_assert!(r <= payout.workers_reward);
                paid += r;
            }
            prop_assert!(paid <= payout.workers_reward);
            let scheduler = payout.scheduler_reward();
            prop_assert_eq!(paid + scheduler, expected_pool);
            // Dust is below one unit per winner.
            let winners = contributors.iter().flatten().count() as u64;
            prop_assert!(payout.workers_reward - paid < u(winners.max(1)));
        }

        /// The fast path pays exactly the workerpool price.
        #[test]
        fn fast_path_conserves_the_price(price in any::<u64>(), ratio in 0u64..=100) {
            let (worker, scheduler) = fast_path_rewards(&u(price), &u(ratio)).unwrap();
            prop_assert_eq!(worker + scheduler, u(price));
            prop_assert_eq!(worker, U256::from(price as u128 * (100 - ratio) as u128 / 100));
        }

        /// The kitty share is never more than the kitty, and at least min(kitty, 1 RLC).
        #[test]
        fn kitty_share_bounds(kitty in any::<u64>()) {
            let share = kitty_share(&u(kitty)).unwrap();
            prop_assert!(share <= u(kitty));
            prop_assert!(share >= u(kitty).min(KITTY_MIN));
        }
    }
}
