//! What `matchOrders` and `contribute` lock: the sponsor's payment, the scheduler's pool stake
//! and the worker stake. Integer division order matters and follows PoCo exactly.

use alloy_primitives::U256;

use crate::constants::WORKERPOOL_STAKE_RATIO;
use crate::error::{checked, PocoResult};
use crate::math::percentage;

/// The price of one task: `app.price + dataset.price + workerpool.price` (checked). Why: the
/// sponsor pays it per task; `successWork` seizes it, `failedWork` refunds it.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, successWork / failedWork
pub fn task_price(
    app_price: &U256,
    dataset_price: &U256,
    workerpool_price: &U256,
) -> PocoResult<U256> {
    checked(
        app_price
            .checked_add(*dataset_price)
            .and_then(|p| p.checked_add(*workerpool_price)),
    )
}

/// What the sponsor locks at match: `(appPrice + datasetPrice + workerpoolPrice) * volume`.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn deal_sponsor_lock(
    app_price: &U256,
    dataset_price: &U256,
    workerpool_price: &U256,
    volume: &U256,
) -> PocoResult<U256> {
    checked(task_price(app_price, dataset_price, workerpool_price)?.checked_mul(*volume))
}

/// The scheduler's stake per task: `workerpoolPrice * 30 / 100` (floor). Why: it is seized to
/// the kitty if the task fails, unlocked if it succeeds.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, successWork / failedWork
pub fn workerpool_stake_per_task(workerpool_price: &U256) -> PocoResult<U256> {
    percentage(*workerpool_price, U256::from(WORKERPOOL_STAKE_RATIO))
}

/// What the workerpool owner locks at match: `(workerpoolPrice * 30 / 100) * volume` — the
/// division happens *before* the multiplication ("ORDER IS IMPORTANT" in PoCo), so the
/// lock is exactly `volume` per-task stakes.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders
pub fn deal_workerpool_lock(workerpool_price: &U256, volume: &U256) -> PocoResult<U256> {
    checked(workerpool_stake_per_task(workerpool_price)?.checked_mul(*volume))
}

/// The stake each contributing worker locks: `workerpoolPrice * workerStakeRatioPolicy / 100`
/// (floor), the ratio read from the workerpool at match time and stored in the deal.
///
/// PoCo: contracts/facets/IexecPoco1Facet.sol, _matchOrders (deal.workerStake)
pub fn worker_stake(workerpool_price: &U256, worker_stake_ratio: &U256) -> PocoResult<U256> {
    percentage(*workerpool_price, *worker_stake_ratio)
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
    fn pool_stake_divides_before_multiplying() {
        // 33 * 30 / 100 = 9 per task; 9 * 10 = 90, not 33 * 10 * 30 / 100 = 99.
        assert_eq!(deal_workerpool_lock(&u(33), &u(10)), Ok(u(90)));
        assert_eq!(workerpool_stake_per_task(&u(33)), Ok(u(9)));
    }

    #[test]
    fn sponsor_lock_and_task_price() {
        assert_eq!(task_price(&u(1), &u(2), &u(3)), Ok(u(6)));
        assert_eq!(deal_sponsor_lock(&u(1), &u(2), &u(3), &u(4)), Ok(u(24)));
        assert_eq!(
            task_price(&U256::MAX, &u(0), &u(1)),
            Err(PocoError::ArithmeticOverflow)
        );
        assert_eq!(
            deal_sponsor_lock(&U256::MAX, &u(0), &u(0), &u(2)),
            Err(PocoError::ArithmeticOverflow)
        );
    }

    #[test]
    fn worker_stake_floors() {
        assert_eq!(worker_stake(&u(100), &u(30)), Ok(u(30)));
        assert_eq!(worker_stake(&u(7), &u(30)), Ok(u(2)));
        assert_eq!(worker_stake(&u(7), &u(0)), Ok(u(0)));
    }

    proptest! {
        #[test]
        fn pool_lock_is_volume_times_per_task_stake(price in any::<u64>(), volume in 0u64..1_000_000) {
            let lock = deal_workerpool_lock(&u(price), &u(volume)).unwrap();
            prop_assert_eq!(lock, U256::from(price as u128 * 30 / 100) * u(volume));
            prop_assert!(lock <= u(price) * u(volume) * u(30) / u(100));
        }
    }
}
