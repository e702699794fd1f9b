//! Workerpool entry tests under TestVM: defaults, policy change (event, bounds, owner only).

use alloy_primitives::{Address, LogData, B256, U256};
use alloy_sol_types::SolEvent;
use poco_registry_common::{
    entry::OWNER_OF_SELECTOR,
    error::{encode_reason, reasons},
};
use stylus_sdk::testing::*;

use super::*;
use poco_registry_common::Error;

const REGISTRY: Address = Address::repeat_byte(0xee);
const ENTRY: Address = Address::repeat_byte(0xf1);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

fn revert<T: core::fmt::Debug>(result: Result<T, Error>) -> Vec<u8> {
    result.expect_err("expected a revert").into()
}

fn logs(vm: &TestVM) -> Vec<LogData> {
    vm.get_emitted_logs()
        .into_iter()
        .map(|(topics, data)| LogData::new_unchecked(topics, data.into()))
        .collect()
}

fn registry_says_owner_is(vm: &TestVM, owner: Address) {
    vm.clear_mocks();
    let mut calldata = OWNER_OF_SELECTOR.to_vec();
    calldata.extend_from_slice(&[0u8; 12]);
    calldata.extend_from_slice(ENTRY.as_slice());
    let mut word = vec![0u8; 12];
    word.extend_from_slice(owner.as_slice());
    vm.mock_static_call(REGISTRY, calldata, Ok(word));
}

fn initialized() -> (TestVM, Workerpool) {
    let vm = TestVM::default();
    vm.set_contract_address(ENTRY);
    vm.set_sender(REGISTRY);
    let mut pool = Workerpool::from(&vm);
    pool.initialize("my-pool".into()).unwrap();
    (vm, pool)
}

#[test]
fn initialize_sets_description_and_default_policies() {
    let (vm, p) = initialized();
    assert_eq!(p.registry(), REGISTRY);
    assert_eq!(p.m_workerpool_description(), "my-pool");
    assert_eq!(p.m_worker_stake_ratio_policy(), U256::from(30));
    assert_eq!(p.m_scheduler_reward_ratio_policy(), U256::from(1));
    assert_eq!(p.policies(), (U256::from(30), U256::from(1)));
    // One slot: the scheduler's ratio in the first byte, the stake ratio below it.
    let mut packed = [0u8; 32];
    packed[0] = 1;
    packed[31] = 30;
    assert_eq!(vm.get_storage(U256::from(2)), B256::from(packed));
    assert_eq!(vm.get_storage(U256::from(3)), B256::ZERO);
}

/// PoCo accepts any stake ratio: one of 2^248 or more takes slot 3 (flagged in slot 2) and
/// reads back exactly; back below, the spill slot is cleared.
#[test]
fn a_stake_ratio_beyond_31_bytes_spills_to_its_own_slot() {
    let (vm, mut p) = initialized();
    registry_says_owner_is(&vm, ALICE);
    vm.set_sender(ALICE);
    let largest_packed = (U256::from(1) << 248) - U256::from(1);
    p.change_policy(largest_packed, U256::from(100)).unwrap();
    assert_eq!(p.policies(), (largest_packed, U256::from(100)));
    assert_eq!(vm.get_storage(U256::from(3)), B256::ZERO);
    for big in [U256::from(1) << 248, U256::MAX] {
        p.change_policy(big, U256::from(7)).unwrap();
        assert_eq!(p.policies(), (big, U256::from(7)));
        assert_eq!(p.m_worker_stake_ratio_policy(), big);
        assert_eq!(p.m_scheduler_reward_ratio_policy(), U256::from(7));
        assert_eq!(vm.get_storage(U256::from(3)), B256::from(big));
        assert_eq!(vm.get_storage(U256::from(2)).0[0], 0x80 | 7);
    }
    // The event reports the spilled value as the old one.
    p.change_policy(U256::from(40), U256::ZERO).unwrap();
    let last = logs(&vm).pop().unwrap();
    assert_eq!(&last.data[..32], &U256::MAX.to_be_bytes::<32>());
    assert_eq!(p.policies(), (U256::from(40), U256::ZERO));
    assert_eq!(vm.get_storage(U256::from(3)), B256::ZERO);
}

#[test]
fn initialize_only_once() {
    let (_vm, mut p) = initialized();
    assert_eq!(
        revert(p.initialize("again".into())),
        encode_reason(reasons::ENTRY_ALREADY_INITIALIZED)
    );
}

#[test]
fn change_policy_by_owner_emits_old_and_new_values() {
    let (vm, mut p) = initialized();
    registry_says_owner_is(&vm, ALICE);
    vm.set_sender(ALICE);
    p.change_policy(U256::from(35), U256::from(5)).unwrap();
    assert_eq!(p.m_worker_stake_ratio_policy(), U256::from(35));
    assert_eq!(p.m_scheduler_reward_ratio_policy(), U256::from(5));
    let event = PolicyUpdate {
        oldWorkerStakeRatioPolicy: U256::from(30),
        newWorkerStakeRatioPolicy: U256::from(35),
        oldSchedulerRewardRatioPolicy: U256::from(1),
        newSchedulerRewardRatioPolicy: U256::from(5),
    };
    assert_eq!(logs(&vm), vec![event.encode_log_data()]);
    // Non-indexed: one topic (the signature), four words of data in PoCo's order.
    let log = &logs(&vm)[0];
    assert_eq!(log.topics().len(), 1);
    assert_eq!(
        log.topics()[0],
        alloy_primitives::keccak256("PolicyUpdate(uint256,uint256,uint256,uint256)")
    );
    assert_eq!(&log.data[..32], &U256::from(30).to_be_bytes::<32>());
    assert_eq!(&log.data[32..64], &U256::from(35).to_be_bytes::<32>());
    // The bound is inclusive; the worker ratio is unbounded.
    p.change_policy(U256::MAX, U256::from(100)).unwrap();
    assert_eq!(p.m_scheduler_reward_ratio_policy(), U256::from(100));
    // `policies()` answers what the two views answer.
    assert_eq!(p.policies(), (U256::MAX, U256::from(100)));
}

#[test]
fn change_policy_reverts() {
    let (vm, mut p) = initialized();
    registry_says_owner_is(&vm, ALICE);
    vm.set_sender(BOB);
    assert_eq!(
        revert(p.change_policy(U256::from(1), U256::from(1))),
        encode_reason(reasons::ENTRY_NOT_OWNER)
    );
    vm.set_sender(ALICE);
    assert_eq!(revert(p.change_policy(U256::from(1), U256::from(101))), Vec::<u8>::new());
    assert_eq!(p.m_worker_stake_ratio_policy(), U256::from(30));
    // NFT moved to BOB: BOB may change the policy, ALICE no longer.
    registry_says_owner_is(&vm, BOB);
    assert_eq!(
        revert(p.change_policy(U256::from(1), U256::from(1))),
        encode_reason(reasons::ENTRY_NOT_OWNER)
    );
    vm.set_sender(BOB);
    p.change_policy(U256::from(40), U256::from(2)).unwrap();
    assert_eq!(p.m_worker_stake_ratio_policy(), U256::from(40));
}

#[test]
fn set_name_is_owner_only_and_unsupported() {
    let (vm, mut p) = initialized();
    registry_says_owner_is(&vm, ALICE);
    vm.set_sender(BOB);
    assert_eq!(
        revert(p.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::ENTRY_NOT_OWNER)
    );
    vm.set_sender(ALICE);
    assert_eq!(
        revert(p.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::OPERATION_NOT_SUPPORTED)
    );
}
