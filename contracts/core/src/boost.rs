//! PoCo Boost's own rules (`IexecPocoBoostFacet`): the trust-≤-1 path where a deal is matched
//! with `matchOrdersBoost` and each task is settled by one `pushResultBoost` (or refunded by
//! `claimBoost` after the deal's deadline) — no initialize, contribute, reveal or finalize.
//!
//! What Boost shares with the classic path is not repeated here: the match checks are
//! [`crate::matching`]'s with [`crate::matching::MatchFlavour::Boost`], the deadline is
//! [`crate::deadlines::boost_deadline`], the 0-based index bound
//! [`crate::ids::is_boost_task_index_in_deal`], the enclave message
//! [`crate::messages::boost_enclave_message_hash`], the worker reward
//! [`crate::rewards::boost_worker_reward`], the kitty share [`crate::rewards::kitty_share`].
//! This module adds what is Boost's alone: the narrowing of the packed `DealBoost` with
//! OpenZeppelin `SafeCast`'s custom error, the short tag, the task preconditions, and the
//! amounts of a push and of a claim.

use alloc::vec::Vec;

use alloy_primitives::{
    aliases::{U40, U96},
    keccak256, Address, FixedBytes, B256, U256};

use crate::deadlines::{boost_deadline, is_before, is_reached};
use crate::error::{PocoError, PocoResult};
use crate::ids::is_boost_task_index_in_deal;
use crate::reasons;
use crate::rewards::{boost_worker_reward, kitty_share};
use crate::stakes::{task_price, workerpool_stake_per_task};
use crate::status::TaskStatusEnum;

alloy_sol_types::sol! {
    #![sol(all_derives)]

    /// OpenZeppelin `SafeCast`'s error: `value` does not fit in `bits` bits. PoCo Boost
    /// narrows its packed deal's prices, bag of tasks and deadline with `SafeCast`, so an
    /// oversized value reverts with this, not with a reason string.
    ///
    /// PoCo: @openzeppelin/contracts/utils/math/SafeCast.sol, SafeCastOverflowedUintDowncast
    #[sol(abi)]
    error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value);
}

impl SafeCastOverflowedUintDowncast {
    /// The revert data, `selector ‖ uint8 bits ‖ uint256 value`, written out by hand: alloy's
    /// generic encoder would add code to a contract for three fixed words.
    pub fn revert_data(&self) -> Vec<u8> {
        use alloy_sol_types::SolError;
        let mut out = Vec::with_capacity(4 + 64);
        out.extend_from_slice(&Self::SELECTOR);
        out.extend_from_slice(&U256::from(self.bits).to_be_bytes::<32>());
        out.extend_from_slice(&self.value.to_be_bytes::<32>());
        out
    }
}

/// Why a Boost rule refused its input: one of PoCo's usual shapes, or `SafeCast`'s error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoostError {
    /// A reason string, a panic or another [`PocoError`].
    Poco(PocoError),
    /// `SafeCastOverflowedUintDowncast(bits, value)`.
    Downcast(SafeCastOverflowedUintDowncast),
}

impl From<PocoError> for BoostError {
    fn from(error: PocoError) -> Self {
        Self::Poco(error)
    }
}

/// Result of a Boost rule.
pub type BoostResult<T> = Result<T, BoostError>;

/// `SafeCast.toUintN(value)`: `value` as an `N`-bit integer (returned in a `U256`), or the
/// custom error naming `N` and `value`.
///
/// PoCo: @openzeppelin/contracts/utils/math/SafeCast.sol, toUint96 / toUint40 / toUint16
pub fn safe_cast(bits: u8, value: &U256) -> BoostResult<U256> {
    if value.bit_len() > usize::from(bits) {
        return Err(BoostError::Downcast(SafeCastOverflowedUintDowncast { bits, value: *value }));
    }
    Ok(*value)
}

/// `SafeCast.toUint96`: deal prices and the worker reward.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn to_uint96(value: &U256) -> BoostResult<U96> {
    U96::checked_from_limbs_slice(value.as_limbs())
        .ok_or(BoostError::Downcast(SafeCastOverflowedUintDowncast { bits: 96, value: *value }))
}

/// `SafeCast.toUint16`: the bag of tasks (`botFirst`, `botSize`).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn to_uint16(value: &U256) -> BoostResult<u16> {
    // At most 16 bits: the low limb holds it.
    Ok(safe_cast(16, value)?.as_limbs()[0] as u16)
}

/// `SafeCast.toUint40`: the deadline.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn to_uint40(value: &U256) -> BoostResult<U40> {
    U40::checked_from_limbs_slice(value.as_limbs())
        .ok_or(BoostError::Downcast(SafeCastOverflowedUintDowncast { bits: 40, value: *value }))
}

/// The deal tag's low three bytes (`bytes3(tag << 232)`), all a Boost deal keeps of its tag:
/// every tag bit PoCo defines (TEE, frameworks, GPU) is in the last byte.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
pub fn short_tag(tag: &B256) -> FixedBytes<3> {
    FixedBytes([tag[29], tag[30], tag[31]])
}

/// A short tag as a full tag (zero above its three bytes), for the classic tag rules.
pub fn tag_of_short_tag(short_tag: &FixedBytes<3>) -> B256 {
    let mut tag = B256::ZERO;
    tag[29..].copy_from_slice(short_tag.as_slice());
    tag
}

/// What `matchOrdersBoost` narrows into its packed deal once the workerpool's scheduler
/// ratio is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DealBoostTerms {
    /// `workerReward = wpPrice * (100 - schedulerRewardRatio) / 100`, as `uint96`.
    pub worker_reward: U96,
    /// `botFirst`: the request's consumed volume before this match, as `uint16`.
    pub bot_first: u16,
    /// `deadline = now + 7 * workClockTimeRef`, as `uint40`.
    pub deadline: U40,
    /// `botSize`: the deal volume, as `uint16`.
    pub bot_size: u16,
    /// The dataset price as `uint96` (0 without dataset: it is not cast then).
    pub dataset_price: U96,
}

/// The narrowing and derived fields of a Boost deal, in PoCo's order, after the app and
/// workerpool prices (narrowed first with [`to_uint96`], before PoCo asks the workerpool for
/// its ratio): the worker reward (a ratio above 100 is `Panic(0x11)`), `botFirst`, the
/// deadline (its sum overflowing is `Panic(0x11)`), `botSize`, and — only for a deal with a
/// dataset — the dataset price. The first value that does not fit is the error.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, _matchOrdersBoost
#[allow(clippy::too_many_arguments)]
pub fn deal_boost_terms(
    workerpool_price: &U256,
    scheduler_reward_ratio: &U256,
    consumed_before: &U256,
    now: &U256,
    time_ref: &U256,
    volume: &U256,
    dataset_price: Option<&U256>,
) -> BoostResult<DealBoostTerms> {
    let worker_reward = to_uint96(&boost_worker_reward(workerpool_price, scheduler_reward_ratio)?)?;
    let bot_first = to_uint16(consumed_before)?;
    let deadline = to_uint40(&boost_deadline(now, time_ref)?)?;
    let bot_size = to_uint16(volume)?;
    let dataset_price = match dataset_price {
        Some(price) => to_uint96(price)?,
        None => U96::ZERO,
    };
    Ok(DealBoostTerms { worker_reward, bot_first, deadline, bot_size, dataset_price })
}

/// The shared precondition of `pushResultBoost` and `claimBoost`: the task exists
/// (`index < botSize`, 0-based; an unknown deal has `botSize` 0) and is still UNSET —
/// PoCo's replay guard, since both then move it to a final status.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, requireTaskExistsAndUnset
pub fn require_task_exists_and_unset(status: TaskStatusEnum, index: &U256, bot_size: u16) -> PocoResult<()> {
    if !is_boost_task_index_in_deal(bot_size, index) {
        return Err(PocoError::Reason(reasons::BOOST_UNKNOWN_TASK));
    }
    if status != TaskStatusEnum::UNSET {
        return Err(PocoError::Reason(reasons::BOOST_TASK_STATUS_NOT_UNSET));
    }
    Ok(())
}

/// `pushResultBoost`'s time rule: `now < deadline` (strict, as every classic window).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub fn require_push_before_deadline(deadline: u64, now: u64) -> PocoResult<()> {
    if is_before(&U256::from(deadline), &U256::from(now)) {
        Ok(())
    } else {
        Err(PocoError::Reason(reasons::BOOST_DEADLINE_REACHED))
    }
}

/// `claimBoost`'s time rule: `deadline <= now`, the complement of the push's.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, claimBoost
pub fn require_claim_after_deadline(deadline: u64, now: u64) -> PocoResult<()> {
    if is_reached(&U256::from(deadline), &U256::from(now)) {
        Ok(())
    } else {
        Err(PocoError::Reason(reasons::BOOST_DEADLINE_NOT_REACHED))
    }
}

/// The TEE rule of a push, on the deal's short tag: a TEE deal needs an enclave challenge
/// (the classic rule, [`crate::lifecycle::is_enclave_challenge_acceptable`]).
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub fn require_enclave_challenge(short_tag: &FixedBytes<3>, enclave_challenge: &Address) -> PocoResult<()> {
    if crate::lifecycle::is_enclave_challenge_acceptable(&tag_of_short_tag(short_tag), enclave_challenge) {
        Ok(())
    } else {
        Err(PocoError::Reason(reasons::BOOST_TAG_REQUIRES_ENCLAVE_CHALLENGE))
    }
}

/// The result digest the enclave signs: `keccak256(callback == 0 ? results : resultsCallback)`.
/// Why: with a callback, what must be attested is the data the callback receives.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub fn result_digest(callback: &Address, results: &[u8], results_callback: &[u8]) -> B256 {
    keccak256(if callback.is_zero() { results } else { results_callback })
}

/// A deal with a callback needs callback data: `resultsCallback.length > 0`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub fn require_callback_data(callback: &Address, results_callback: &[u8]) -> PocoResult<()> {
    if callback.is_zero() || !results_callback.is_empty() {
        Ok(())
    } else {
        Err(PocoError::Reason(reasons::BOOST_CALLBACK_REQUIRES_DATA))
    }
}

/// The price of one Boost task, `appPrice + datasetPrice + workerpoolPrice`, with PoCo's
/// `uint96` arithmetic: a sum beyond `uint96` is `Panic(0x11)`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost / claimBoost
pub fn task_price_u96(app_price: &U256, dataset_price: &U256, workerpool_price: &U256) -> PocoResult<U256> {
    let price = task_price(app_price, dataset_price, workerpool_price)?;
    if price.bit_len() > 96 {
        return Err(PocoError::ArithmeticOverflow);
    }
    Ok(price)
}

/// Who gets what when a worker pushes a Boost task's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BoostPayout {
    /// Seized from the payer's frozen funds: the task price.
    pub payer_seize: U256,
    /// Rewarded to the worker (always paid, even 0): the deal's `workerReward`.
    pub worker_reward: U256,
    /// Rewarded to the app owner (0: no reward).
    pub app_reward: U256,
    /// Rewarded to the dataset owner (0: no reward).
    pub dataset_reward: U256,
    /// Unlocked for the scheduler: its per-task stake `wpPrice * 30 / 100`.
    pub workerpool_unlock: U256,
    /// Seized from the kitty (0: the kitty is empty, no seize).
    pub kitty_seize: U256,
    /// Rewarded to the scheduler (always paid): `wpPrice - workerReward + kittySeize`.
    pub scheduler_reward: U256,
}

/// The amounts of `pushResultBoost` for a deal with these prices and worker reward, when the
/// kitty holds `kitty` (`frozens[KITTY_ADDRESS]`). Everything the payer locked for the task
/// is paid out: `payer_seize = worker + app + dataset + (scheduler - kitty)`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub fn push_payout(
    app_price: &U256,
    dataset_price: &U256,
    workerpool_price: &U256,
    worker_reward: &U256,
    kitty: &U256,
) -> PocoResult<BoostPayout> {
    let payer_seize = task_price_u96(app_price, dataset_price, workerpool_price)?;
    let kitty_seize = kitty_share(kitty)?;
    let base = workerpool_price.checked_sub(*worker_reward).ok_or(PocoError::ArithmeticOverflow)?;
    Ok(BoostPayout {
        payer_seize,
        worker_reward: *worker_reward,
        app_reward: *app_price,
        dataset_reward: *dataset_price,
        workerpool_unlock: workerpool_stake_per_task(workerpool_price)?,
        kitty_seize,
        scheduler_reward: base.checked_add(kitty_seize).ok_or(PocoError::ArithmeticOverflow)?,
    })
}

/// The amounts of `claimBoost`: `(payer_unlock, workerpool_stake_to_kitty)` — the payer gets
/// the task price back, the scheduler's per-task stake is seized and frozen on the kitty.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, claimBoost
pub fn claim_amounts(app_price: &U256, dataset_price: &U256, workerpool_price: &U256) -> PocoResult<(U256, U256)> {
    Ok((task_price_u96(app_price, dataset_price, workerpool_price)?, workerpool_stake_per_task(workerpool_price)?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use super::*;
    use alloy_sol_types::SolError;
    use proptest::prelude::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    fn downcast(bits: u8, value: U256) -> BoostError {
        BoostError::Downcast(SafeCastOverflowedUintDowncast { bits, value })
    }

    #[test]
    fn safe_cast_bounds_and_error_data() {
        let max96 = (U256::from(1) << 96) - U256::from(1);
        assert_eq!(to_uint96(&max96), Ok(U96::MAX));
        assert_eq!(to_uint96(&(max96 + u(1))), Err(downcast(96, max96 + u(1))));
        assert_eq!(to_uint16(&u(65_535)), Ok(65_535));
        assert_eq!(to_uint16(&u(65_536)), Err(downcast(16, u(65_536))));
        assert_eq!(to_uint40(&u((1 << 40) - 1)), Ok(U40::MAX));
        assert_eq!(to_uint40(&u(1 << 40)), Err(downcast(40, u(1 << 40))));
        assert_eq!(to_uint96(&U256::MAX), Err(downcast(96, U256::MAX)));
        let e = SafeCastOverflowedUintDowncast { bits: 16, value: u(70_000) };
        assert_eq!(e.revert_data(), e.abi_encode());
        assert_eq!(
            SafeCastOverflowedUintDowncast::SELECTOR,
            keccak256("SafeCastOverflowedUintDowncast(uint8,uint256)")[..4]
        );
    }

    #[test]
    fn deal_terms_in_pocos_order() {
        let (now, t) = (u(1_700_000_000), u(300));
        let terms = deal_boost_terms(&u(1000), &u(10), &u(3), &now, &t, &u(4), Some(&u(7))).unwrap();
        assert_eq!(
            terms,
            DealBoostTerms {
                worker_reward: U96::from(900),
                bot_first: 3,
                deadline: U40::from(1_700_002_100u64),
                bot_size: 4,
                dataset_price: U96::from(7)
            }
        );
        // Without dataset the dataset price is not cast.
        let terms = deal_boost_terms(&u(1000), &u(10), &u(3), &now, &t, &u(4), None).unwrap();
        assert_eq!(terms.dataset_price, U96::ZERO);
        // A ratio above 100 underflows before any cast.
        assert_eq!(
            deal_boost_terms(&u(1000), &u(101), &u(1 << 20), &now, &t, &u(4), None),
            Err(BoostError::Poco(PocoError::ArithmeticOverflow))
        );
        // botFirst, then the deadline, then botSize, then the dataset price.
        let big = U256::MAX;
        assert_eq!(
            deal_boost_terms(&u(1), &u(0), &u(1 << 16), &now, &big, &big, Some(&big)),
            Err(downcast(16, u(1 << 16)))
        );
        assert_eq!(
            deal_boost_terms(&u(1), &u(0), &u(0), &now, &big, &big, Some(&big)),
            Err(BoostError::Poco(PocoError::ArithmeticOverflow))
        );
        assert_eq!(
            deal_boost_terms(&u(1), &u(0), &u(0), &u(1 << 40), &u(0), &big, Some(&big)),
            Err(downcast(40, u(1 << 40)))
        );
        assert_eq!(deal_boost_terms(&u(1), &u(0), &u(0), &now, &t, &big, Some(&big)), Err(downcast(16, big)));
        assert_eq!(deal_boost_terms(&u(1), &u(0), &u(0), &now, &t, &u(1), Some(&big)), Err(downcast(96, big)));
    }

    #[test]
    fn short_tag_keeps_the_low_three_bytes() {
        let mut tag = B256::repeat_byte(0xee);
        tag[29] = 0x01;
        tag[30] = 0x02;
        tag[31] = 0x13;
        assert_eq!(short_tag(&tag), FixedBytes([0x01, 0x02, 0x13]));
        let back = tag_of_short_tag(&short_tag(&tag));
        assert_eq!(back[..29], [0u8; 29]);
        assert_eq!(back[29..], tag[29..]);
    }

    #[test]
    fn task_preconditions() {
        use TaskStatusEnum::*;
        let unknown = Err(PocoError::Reason(reasons::BOOST_UNKNOWN_TASK));
        let not_unset = Err(PocoError::Reason(reasons::BOOST_TASK_STATUS_NOT_UNSET));
        assert_eq!(require_task_exists_and_unset(UNSET, &u(0), 1), Ok(()));
        assert_eq!(require_task_exists_and_unset(UNSET, &u(1), 1), unknown);
        assert_eq!(require_task_exists_and_unset(UNSET, &u(0), 0), unknown);
        assert_eq!(require_task_exists_and_unset(COMPLETED, &U256::MAX, 1), unknown, "the index first");
        assert_eq!(require_task_exists_and_unset(COMPLETED, &u(0), 1), not_unset);
        assert_eq!(require_task_exists_and_unset(FAILED, &u(0), 1), not_unset);
        // The deadline: push strictly before, claim at or after.
        assert_eq!(require_push_before_deadline(10, 9), Ok(()));
        assert_eq!(require_push_before_deadline(10, 10), Err(PocoError::Reason(reasons::BOOST_DEADLINE_REACHED)));
        assert_eq!(require_claim_after_deadline(10, 10), Ok(()));
        assert_eq!(require_claim_after_deadline(10, 9), Err(PocoError::Reason(reasons::BOOST_DEADLINE_NOT_REACHED)));
        // TEE: bit 0 of the short tag's last byte.
        let enclave = Address::repeat_byte(1);
        let tee = Err(PocoError::Reason(reasons::BOOST_TAG_REQUIRES_ENCLAVE_CHALLENGE));
        assert_eq!(require_enclave_challenge(&FixedBytes([0, 0, 0x03]), &Address::ZERO), tee);
        assert_eq!(require_enclave_challenge(&FixedBytes([0, 0, 0x03]), &enclave), Ok(()));
        assert_eq!(require_enclave_challenge(&FixedBytes([0x01, 0x01, 0x10]), &Address::ZERO), Ok(()));
        // Callback data.
        let cb = Address::repeat_byte(5);
        assert_eq!(require_callback_data(&Address::ZERO, &[]), Ok(()));
        assert_eq!(require_callback_data(&cb, &[1]), Ok(()));
        assert_eq!(require_callback_data(&cb, &[]), Err(PocoError::Reason(reasons::BOOST_CALLBACK_REQUIRES_DATA)));
        assert_eq!(result_digest(&Address::ZERO, b"r", b"c"), keccak256(b"r"));
        assert_eq!(result_digest(&cb, b"r", b"c"), keccak256(b"c"));
    }

    #[test]
    fn push_and_claim_amounts() {
        // PoCo's reference prices: app 1, dataset 1, workerpool 5, scheduler ratio 1 → worker
        // reward 4 (5 * 99 / 100); the scheduler gets 1 and its stake 1 (5 * 30 / 100) back.
        let p = push_payout(&u(1), &u(1), &u(5), &u(4), &u(0)).unwrap();
        assert_eq!(
            p,
            BoostPayout {
                payer_seize: u(7),
                worker_reward: u(4),
                app_reward: u(1),
                dataset_reward: u(1),
                workerpool_unlock: u(1),
                kitty_seize: u(0),
                scheduler_reward: u(1),
            }
        );
        // A kitty of 10 RLC + 10 pays 1 RLC + 1 (10 %).
        let p = push_payout(&u(0), &u(0), &u(100), &u(99), &u(10_000_000_010)).unwrap();
        assert_eq!((p.kitty_seize, p.scheduler_reward), (u(1_000_000_001), u(1_000_000_002)));
        assert_eq!(claim_amounts(&u(1), &u(1), &u(5)), Ok((u(7), u(1))));
        // PoCo adds the three uint96 prices in uint96.
        let max96 = (U256::from(1) << 96) - U256::from(1);
        assert_eq!(task_price_u96(&max96, &u(0), &u(0)), Ok(max96));
        assert_eq!(task_price_u96(&max96, &u(1), &u(0)), Err(PocoError::ArithmeticOverflow));
        assert_eq!(claim_amounts(&max96, &u(0), &u(1)), Err(PocoError::ArithmeticOverflow));
    }

    proptest! {
        /// A push pays out exactly what the payer's seize and the kitty's seize take in.
        #[test]
        fn push_conserves_funds(
            app in any::<u64>(), dataset in any::<u64>(), price in any::<u64>(),
            ratio in 0u64..=100, kitty in any::<u64>(),
        ) {
            let worker = boost_worker_reward(&u(price), &u(ratio)).unwrap();
            let p = push_payout(&u(app), &u(dataset), &u(price), &worker, &u(kitty)).unwrap();
            prop_assert_eq!(
                p.payer_seize + p.kitty_seize,
                p.worker_reward + p.app_reward + p.dataset_reward + p.scheduler_reward
            );
            prop_assert!(p.kitty_seize <= u(kitty));
            prop_assert_eq!(p.workerpool_unlock, u(price) * u(30) / u(100));
        }

        /// `safe_cast` accepts exactly the values below 2^bits.
        #[test]
        fn safe_cast_is_a_bound(bits in 1u8..=255, value in any::<[u8; 32]>()) {
            let value = U256::from_be_bytes(value) >> (usize::from(value[0]) % 256);
            let fits = value < (U256::from(1) << usize::from(bits));
            prop_assert_eq!(safe_cast(bits, &value).is_ok(), fits);
        }
    }
}
