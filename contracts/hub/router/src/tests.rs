//! Router tests on TestVM: lookup, fallback selector, FunctionNotFound, revert bubbling; on a
//! `MockHost`: the deposits and withdrawals the router serves itself.

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use poco_hub_base::{
    escrow::Transfer,
    funding::{transferCall, transferFromCall},
    poco_storage, revert,
    testing::MockHost,
};
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

// ---------------------------------------------------------------- deposits and withdrawals
//
// Served by the router itself (`poco_hub_base::funding`), on a `MockHost` whose RLC answers
// each exact call with its own mock.

const HUB: Address = address!("000000000000000000000000000000000000a0b0");
const RLC: Address = address!("00000000000000000000000000000000000000cc");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");

fn funded_hub() -> (MockHost, Hub) {
    let host = MockHost::default();
    host.vm.set_contract_address(HUB);
    host.vm.set_sender(ALICE);
    let mut hub = Hub::from(&host);
    hub.constructor(OWNER, CUT_FACET);
    poco_storage(hub.vm()).base_token.set(RLC);
    host.clear_mocks();
    (host, hub)
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

fn word_of(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
}

fn yes() -> Vec<u8> {
    word_of(u(1))
}

fn no() -> Vec<u8> {
    word_of(U256::ZERO)
}

fn transfer_from_data(from: Address, amount: u64) -> Vec<u8> {
    transferFromCall { from, to: HUB, value: u(amount) }.abi_encode()
}

fn transfer_data(to: Address, amount: u64) -> Vec<u8> {
    transferCall { to, value: u(amount) }.abi_encode()
}

fn mock_pull(host: &MockHost, from: Address, amount: u64, answer: Result<Vec<u8>, Vec<u8>>) {
    host.mock(RLC, transfer_from_data(from, amount), answer);
}

fn transfer_log(from: Address, to: Address, value: u64) -> (Vec<B256>, Vec<u8>) {
    let data = Transfer { from, to, value: u(value) }.encode_log_data();
    (data.topics().to_vec(), data.data.to_vec())
}

fn balance(hub: &Hub, account: Address) -> U256 {
    poco_storage(hub.vm()).accounts.getter(account).balance()
}

fn supply(hub: &Hub) -> U256 {
    poco_storage(hub.vm()).total_supply.get()
}

/// The router's answer to `calldata`, as the hub's fallback receives it.
fn call(hub: &mut Hub, calldata: Vec<u8>) -> ArbResult {
    hub.route(&calldata)
}

fn deposit(hub: &mut Hub, amount: U256) -> ArbResult {
    call(hub, depositCall { amount }.abi_encode())
}

fn deposit_for(hub: &mut Hub, amount: U256, target: Address) -> ArbResult {
    call(hub, depositForCall { amount, target }.abi_encode())
}

fn withdraw(hub: &mut Hub, amount: U256) -> ArbResult {
    call(hub, withdrawCall { amount }.abi_encode())
}

fn withdraw_to(hub: &mut Hub, amount: U256, target: Address) -> ArbResult {
    call(hub, withdrawToCall { amount, target }.abi_encode())
}

/// Gives `account` `amount` SRLC through a mocked deposit.
fn fund(host: &MockHost, hub: &mut Hub, account: Address, amount: u64) {
    host.vm.set_sender(account);
    mock_pull(host, account, amount, Ok(yes()));
    assert_eq!(deposit(hub, u(amount)), Ok(yes()));
    host.clear_mocks();
}

#[test]
fn the_router_serves_its_own_functions_as_immutable_ones() {
    let (_host, hub) = funded_hub();
    for selector in OWN_SELECTORS {
        assert_eq!(diamond::facet_of(hub.vm(), selector), HUB, "{selector:02x?}");
    }
    let listed: Vec<_> = diamond::selectors_of(hub.vm(), HUB).into_iter().map(|s| s.0).collect();
    assert_eq!(listed, OWN_SELECTORS.to_vec());
    // PoCo's selectors of these four functions.
    let pocos: Vec<[u8; 4]> = ["deposit(uint256)", "depositFor(uint256,address)", "withdraw(uint256)", "withdrawTo(uint256,address)"]
        .iter()
        .map(|signature| keccak256(signature)[..4].try_into().unwrap())
        .collect();
    assert_eq!(OWN_SELECTORS.to_vec(), pocos);
}

#[test]
fn deposit_pulls_rlc_and_mints() {
    let (host, mut hub) = funded_hub();
    mock_pull(&host, ALICE, 100, Ok(yes()));
    assert_eq!(deposit(&mut hub, u(100)), Ok(yes()));
    assert_eq!(balance(&hub, ALICE), u(100));
    assert_eq!(supply(&hub), u(100));
    assert_eq!(host.calls_made(), vec![(RLC, transfer_from_data(ALICE, 100))]);
    assert_eq!(host.vm.get_emitted_logs(), vec![transfer_log(Address::ZERO, ALICE, 100)]);
}

#[test]
fn deposit_reverts_when_rlc_answers_false() {
    let (host, mut hub) = funded_hub();
    mock_pull(&host, ALICE, 100, Ok(no()));
    assert_eq!(deposit(&mut hub, u(100)), Err(revert::reason("failed-transferFrom")));
    assert_eq!(supply(&hub), U256::ZERO);
    assert_eq!(balance(&hub, ALICE), U256::ZERO);
}

#[test]
fn deposit_bubbles_the_rlc_revert() {
    let (host, mut hub) = funded_hub();
    let rlc_error = revert::reason("ERC20: insufficient allowance");
    mock_pull(&host, ALICE, 100, Err(rlc_error.clone()));
    assert_eq!(deposit(&mut hub, u(100)), Err(rlc_error));
    assert_eq!(supply(&hub), U256::ZERO);
}

#[test]
fn deposit_reverts_bare_on_an_undecodable_answer() {
    let (host, mut hub) = funded_hub();
    // No answer at all (e.g. the token has no code): Solidity's decoder reverts bare.
    assert_eq!(deposit(&mut hub, u(100)), Err(vec![]));
    // A word that is not a bool.
    mock_pull(&host, ALICE, 100, Ok(word_of(u(2))));
    assert_eq!(deposit(&mut hub, u(100)), Err(vec![]));
    // Too short.
    mock_pull(&host, ALICE, 100, Ok(vec![1]));
    assert_eq!(deposit(&mut hub, u(100)), Err(vec![]));
    assert_eq!(supply(&hub), U256::ZERO);
}

#[test]
fn deposit_for_mints_to_the_target() {
    let (host, mut hub) = funded_hub();
    mock_pull(&host, ALICE, 7, Ok(yes()));
    assert_eq!(deposit_for(&mut hub, u(7), BOB), Ok(yes()));
    assert_eq!(balance(&hub, BOB), u(7));
    assert_eq!(balance(&hub, ALICE), U256::ZERO);
    assert_eq!(host.vm.get_emitted_logs(), vec![transfer_log(Address::ZERO, BOB, 7)]);
}

#[test]
fn deposit_for_the_zero_address_reverts_after_the_pull() {
    let (host, mut hub) = funded_hub();
    mock_pull(&host, ALICE, 7, Ok(yes()));
    assert_eq!(deposit_for(&mut hub, u(7), Address::ZERO), Err(revert::reason("ERC20: mint to the zero address")));
    assert_eq!(host.calls_made().len(), 1);
    assert_eq!(supply(&hub), U256::ZERO);
}

#[test]
fn withdraw_burns_and_sends_rlc() {
    let (host, mut hub) = funded_hub();
    fund(&host, &mut hub, ALICE, 10);
    host.mock(RLC, transfer_data(ALICE, 4), Ok(yes()));
    assert_eq!(withdraw(&mut hub, u(4)), Ok(yes()));
    assert_eq!(balance(&hub, ALICE), u(6));
    assert_eq!(supply(&hub), u(6));
    assert_eq!(host.calls_made(), vec![(RLC, transfer_data(ALICE, 4))]);
    assert_eq!(host.vm.get_emitted_logs(), vec![transfer_log(ALICE, Address::ZERO, 4)]);
}

#[test]
fn withdraw_ignores_the_rlc_boolean_but_not_its_revert() {
    let (host, mut hub) = funded_hub();
    fund(&host, &mut hub, ALICE, 10);
    host.mock(RLC, transfer_data(ALICE, 4), Ok(no()));
    assert_eq!(withdraw(&mut hub, u(4)), Ok(yes()));
    let rlc_error = revert::reason("boom");
    host.mock(RLC, transfer_data(ALICE, 4), Err(rlc_error.clone()));
    assert_eq!(withdraw(&mut hub, u(4)), Err(rlc_error));
    host.clear_mocks();
    assert_eq!(withdraw(&mut hub, u(4)), Err(vec![]), "no answer does not decode");
}

#[test]
fn withdraw_more_than_the_balance_reverts_bare() {
    let (host, mut hub) = funded_hub();
    fund(&host, &mut hub, ALICE, 10);
    assert_eq!(withdraw(&mut hub, u(11)), Err(vec![]));
    assert!(host.calls_made().is_empty());
    assert_eq!(balance(&hub, ALICE), u(10));
}

#[test]
fn withdraw_from_the_zero_address_reverts() {
    let (host, mut hub) = funded_hub();
    host.vm.set_sender(Address::ZERO);
    assert_eq!(withdraw(&mut hub, U256::ZERO), Err(revert::reason("ERC20: burn from the zero address")));
    assert!(host.calls_made().is_empty());
}

#[test]
fn withdraw_to_sends_to_the_target() {
    let (host, mut hub) = funded_hub();
    fund(&host, &mut hub, ALICE, 10);
    host.mock(RLC, transfer_data(BOB, 10), Ok(yes()));
    assert_eq!(withdraw_to(&mut hub, u(10), BOB), Ok(yes()));
    assert_eq!(balance(&hub, ALICE), U256::ZERO);
    assert_eq!(host.calls_made(), vec![(RLC, transfer_data(BOB, 10))]);
}

/// Solidity's dispatcher of a non-payable function: value, short arguments and a dirty
/// `address` word revert without data before anything is called or written; extra bytes are
/// ignored.
#[test]
fn own_functions_decode_as_solidity_does() {
    let (host, mut hub) = funded_hub();
    host.vm.set_value(u(1));
    mock_pull(&host, ALICE, 5, Ok(yes()));
    assert_eq!(deposit(&mut hub, u(5)), Err(vec![]));
    host.vm.set_value(U256::ZERO);
    let short = depositCall { amount: u(5) }.abi_encode();
    assert_eq!(call(&mut hub, short[..35].to_vec()), Err(vec![]));
    let mut dirty = depositForCall { amount: u(5), target: BOB }.abi_encode();
    dirty[4 + 32] = 1;
    assert_eq!(call(&mut hub, dirty), Err(vec![]));
    let short_target = depositForCall { amount: u(5), target: BOB }.abi_encode();
    assert_eq!(call(&mut hub, short_target[..67].to_vec()), Err(vec![]));
    assert!(host.calls_made().is_empty());
    assert_eq!(supply(&hub), U256::ZERO);
    let mut long = depositCall { amount: u(5) }.abi_encode();
    long.extend_from_slice(&[7; 5]);
    assert_eq!(call(&mut hub, long), Ok(yes()));
    assert_eq!(balance(&hub, ALICE), u(5));
}
