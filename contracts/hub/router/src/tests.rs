//! Router tests on TestVM: lookup, fallback selector, FunctionNotFound, revert bubbling.

use alloy_primitives::{address, Address};
use stylus_sdk::testing::TestVM;

use super::*;

const OWNER: Address = address!("0000000000000000000000000000000000000a11");
const CUT_FACET: Address = address!("00000000000000000000000000000000000000c1");
const OTHER_FACET: Address = address!("00000000000000000000000000000000000000c2");

fn hub() -> (TestVM, Hub) {
    let vm = TestVM::default();
    let mut hub = Hub::from(&vm);
    hub.constructor(OWNER, CUT_FACET);
    (vm, hub)
}

#[test]
fn constructor_sets_owner_and_serves_diamond_cut() {
    let (_vm, hub) = hub();
    assert_eq!(diamond::owner(hub.vm()), OWNER);
    assert_eq!(diamond::facet_of(hub.vm(), DIAMOND_CUT_SELECTOR), CUT_FACET);
    assert_eq!(diamond::selectors_of(hub.vm(), CUT_FACET), vec![FixedBytes(DIAMOND_CUT_SELECTOR)]);
}

#[test]
fn known_selector_is_delegated_and_returns_the_facet_output() {
    let (vm, mut hub) = hub();
    let calldata = [&DIAMOND_CUT_SELECTOR[..], &[1, 2, 3]].concat();
    vm.mock_delegate_call(CUT_FACET, calldata.clone(), Ok(vec![7, 7]));
    assert_eq!(hub.route(&calldata), Ok(vec![7, 7]));
}

#[test]
fn facet_revert_data_is_bubbled_up() {
    let (vm, mut hub) = hub();
    let calldata = DIAMOND_CUT_SELECTOR.to_vec();
    vm.mock_delegate_call(CUT_FACET, calldata.clone(), Err(vec![0xde, 0xad]));
    assert_eq!(hub.route(&calldata), Err(vec![0xde, 0xad]));
}

#[test]
fn unknown_selector_without_fallback_facet_reverts_function_not_found() {
    let (_vm, mut hub) = hub();
    let err = hub.route(&[0x12, 0x34, 0x56, 0x78, 0x00]).unwrap_err();
    let decoded = FunctionNotFound::abi_decode(&err).unwrap();
    assert_eq!(decoded._functionSelector, FixedBytes([0x12, 0x34, 0x56, 0x78]));
}

#[test]
fn unknown_selector_goes_to_the_fallback_facet() {
    let (vm, mut hub) = hub();
    diamond::add_selector(hub.vm(), OTHER_FACET, FALLBACK_SELECTOR);
    let calldata = vec![0x12, 0x34, 0x56, 0x78];
    vm.mock_delegate_call(OTHER_FACET, calldata.clone(), Err(b"fallback-disabled".to_vec()));
    assert_eq!(hub.route(&calldata), Err(b"fallback-disabled".to_vec()));
}

#[test]
fn short_calldata_is_padded_like_msg_sig() {
    let (_vm, mut hub) = hub();
    let err = hub.route(&[0xab]).unwrap_err();
    assert_eq!(FunctionNotFound::abi_decode(&err).unwrap()._functionSelector, FixedBytes([0xab, 0, 0, 0]));
}

#[test]
fn receive_uses_the_receive_facet() {
    let (vm, mut hub) = hub();
    diamond::add_selector(hub.vm(), OTHER_FACET, RECEIVE_SELECTOR);
    vm.mock_delegate_call(OTHER_FACET, vec![], Err(vec![1]));
    assert_eq!(hub.receive(), Err(vec![1]));
}
