//! Pure preconditions of the task life cycle (`IexecPoco2Facet`): who signs authorizations,
//! the TEE rule, and when a task may be contributed to, revealed, reopened, finalized or
//! claimed. PoCo's Poco2 reverts without a reason when these fail.

use alloy_primitives::{Address, B256, U256};

use crate::constants::TAG_TEE;
use crate::deadlines::{is_before, is_reached};
use crate::status::TaskStatusEnum;

/// Whether a deal tag requires a TEE (bit 0).
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute
pub fn requires_tee(tag: &B256) -> bool {
    tag[31] & TAG_TEE != 0
}

/// The TEE rule of `contribute`: a TEE deal needs a non-zero enclave challenge. Why: the
/// enclave signature is the only proof the result came from an enclave.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute
pub fn is_enclave_challenge_acceptable(tag: &B256, enclave_challenge: &Address) -> bool {
    !requires_tee(tag) || !enclave_challenge.is_zero()
}

/// Who must have signed the worker authorization:
/// `(enclaveChallenge != 0 && teebroker != 0) ? teebroker : deal.workerpool.owner`. Why: for
/// TEE tasks the SMS (TEE broker) picks enclaves, otherwise the scheduler picks workers.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute / contributeAndFinalize
///
/// The broker is asked for (`tee_broker`, a storage read on chain) only when an enclave is
/// named: a standard contribution does not pay for reading it.
pub fn authorization_signer(
    enclave_challenge: &Address,
    tee_broker: impl FnOnce() -> Address,
    workerpool_owner: &Address,
) -> Address {
    if enclave_challenge.is_zero() {
        return *workerpool_owner;
    }
    match tee_broker() {
        broker if broker.is_zero() => *workerpool_owner,
        broker => broker,
    }
}

/// `contribute` / `contributeAndFinalize` timing: task ACTIVE and `contributionDeadline > now`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute
pub fn can_contribute(status: TaskStatusEnum, contribution_deadline: &U256, now: &U256) -> bool {
    status == TaskStatusEnum::ACTIVE && is_before(contribution_deadline, now)
}

/// `reveal` timing: task REVEALING and `revealDeadline > now`.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reveal
pub fn can_reveal(status: TaskStatusEnum, reveal_deadline: &U256, now: &U256) -> bool {
    status == TaskStatusEnum::REVEALING && is_before(reveal_deadline, now)
}

/// `reopen`: REVEALING, `finalDeadline > now`, `revealDeadline <= now` and nobody revealed.
/// Why: winners who never reveal must not block the task forever.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reopen
pub fn can_reopen(
    status: TaskStatusEnum,
    final_deadline: &U256,
    reveal_deadline: &U256,
    reveal_counter: &U256,
    now: &U256,
) -> bool {
    status == TaskStatusEnum::REVEALING
        && is_before(final_deadline, now)
        && is_reached(reveal_deadline, now)
        && reveal_counter.is_zero()
}

/// `finalize`: REVEALING, `finalDeadline > now`, and either every winner revealed or at
/// least one did and the reveal deadline passed.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, finalize
pub fn can_finalize(
    status: TaskStatusEnum,
    final_deadline: &U256,
    reveal_deadline: &U256,
    reveal_counter: &U256,
    winner_counter: &U256,
    now: &U256,
) -> bool {
    status == TaskStatusEnum::REVEALING
        && is_before(final_deadline, now)
        && (reveal_counter == winner_counter
            || (!reveal_counter.is_zero() && is_reached(reveal_deadline, now)))
}

/// `claim`: ACTIVE or REVEALING, and `finalDeadline <= now` (UNSET tasks go through
/// `initializeAndClaimArray`).
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, claim
pub fn can_claim(status: TaskStatusEnum, final_deadline: &U256, now: &U256) -> bool {
    matches!(status, TaskStatusEnum::ACTIVE | TaskStatusEnum::REVEALING)
        && is_reached(final_deadline, now)
}

/// `contributeAndFinalize` extra rules: the deal has trust 1 and nobody contributed yet.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, contributeAndFinalize
pub fn can_contribute_and_finalize(deal_trust: &U256, contributor_count: usize) -> bool {
    *deal_trust == U256::from(1) && contributor_count == 0
}

/// The gas rule after a result callback: `gasleft() > callbackgas / 63`. Why: the EVM
/// forwards at most 63/64 of the gas left, so a caller could send just too little for the
/// callback to get its `callbackgas` and still succeed; if more than 1/63 of it is left
/// after the call, the callback had its full budget. Classic `finalize` asserts it
/// (`Panic(0x01)`), Boost requires it ("PocoBoost: Not enough gas after callback").
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, executeCallback / IexecPocoBoostFacet.sol, pushResultBoost
pub fn has_gas_after_callback(gas_left: u64, callback_gas: &U256) -> bool {
    // 63 is not zero.
    U256::from(gas_left) > crate::math::div_small(callback_gas, 63).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatusEnum::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn tee_rules() {
        let tee = B256::with_last_byte(0x03);
        let plain = B256::with_last_byte(0x10);
        let enclave = Address::repeat_byte(1);
        assert!(requires_tee(&tee));
        assert!(!requires_tee(&plain));
        assert!(!is_enclave_challenge_acceptable(&tee, &Address::ZERO));
        assert!(is_enclave_challenge_acceptable(&tee, &enclave));
        assert!(is_enclave_challenge_acceptable(&plain, &Address::ZERO));
    }

    #[test]
    fn authorization_signer_choice() {
        let (enclave, broker, owner) = (
            Address::repeat_byte(1),
            Address::repeat_byte(2),
            Address::repeat_byte(3),
        );
        assert_eq!(authorization_signer(&enclave, || broker, &owner), broker);
        let unread = || unreachable!("no enclave: the broker is not read");
        assert_eq!(authorization_signer(&Address::ZERO, unread, &owner), owner);
        assert_eq!(
            authorization_signer(&enclave, || Address::ZERO, &owner),
            owner
        );
    }

    #[test]
    fn timing_rules() {
        assert!(can_contribute(ACTIVE, &u(10), &u(9)));
        assert!(!can_contribute(ACTIVE, &u(10), &u(10)));
        assert!(!can_contribute(REVEALING, &u(10), &u(9)));
        assert!(can_reveal(REVEALING, &u(10), &u(9)));
        assert!(!can_reveal(REVEALING, &u(10), &u(10)));
        // reopen: after the reveal deadline, before the final one, nobody revealed.
        assert!(can_reopen(REVEALING, &u(20), &u(10), &u(0), &u(10)));
        assert!(!can_reopen(REVEALING, &u(20), &u(10), &u(1), &u(10)));
        assert!(!can_reopen(REVEALING, &u(20), &u(10), &u(0), &u(9)));
        assert!(!can_reopen(REVEALING, &u(20), &u(10), &u(0), &u(20)));
        // finalize: all winners revealed, or some and the reveal deadline passed.
        assert!(can_finalize(REVEALING, &u(20), &u(10), &u(2), &u(2), &u(5)));
        assert!(!can_finalize(
            REVEALING,
            &u(20),
            &u(10),
            &u(1),
            &u(2),
            &u(5)
        ));
        assert!(can_finalize(
            REVEALING,
            &u(20),
            &u(10),
            &u(1),
            &u(2),
            &u(10)
        ));
        assert!(!can_finalize(
            REVEALING,
            &u(20),
            &u(10),
            &u(0),
            &u(2),
            &u(10)
        ));
        assert!(!can_finalize(
            REVEALING,
            &u(20),
            &u(10),
            &u(2),
            &u(2),
            &u(20)
        ));
        assert!(!can_finalize(ACTIVE, &u(20), &u(10), &u(2), &u(2), &u(5)));
        // claim: after the final deadline, from ACTIVE or REVEALING only.
        assert!(can_claim(ACTIVE, &u(20), &u(20)));
        assert!(can_claim(REVEALING, &u(20), &u(21)));
        assert!(!can_claim(ACTIVE, &u(20), &u(19)));
        assert!(!can_claim(UNSET, &u(20), &u(21)));
        assert!(!can_claim(COMPLETED, &u(20), &u(21)));
        // After a callback: more than callbackgas / 63 (200,000 / 63 = 3174) must be left.
        assert!(has_gas_after_callback(3175, &u(200_000)));
        assert!(!has_gas_after_callback(3174, &u(200_000)));
        assert!(has_gas_after_callback(1, &u(62)));
        assert!(!has_gas_after_callback(0, &u(0)));
        assert!(can_contribute_and_finalize(&u(1), 0));
        assert!(!can_contribute_and_finalize(&u(2), 0));
        assert!(!can_contribute_and_finalize(&u(1), 1));
    }
}
