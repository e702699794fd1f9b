//! Native tests of the RLC token on stylus-sdk's TestVM.
//!
//! TestVM has no journal: a method that returns an error keeps whatever it wrote. The token
//! checks everything before writing, so these tests also assert that a rejected call left
//! balances, allowances and the log untouched.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

use super::*;

const HOLDER: Address = address!("1000000000000000000000000000000000000001");
const ALICE: Address = address!("a11ce00000000000000000000000000000000001");
const BOB: Address = address!("b0b0000000000000000000000000000000000002");
const TOKEN: Address = address!("70c0000000000000000000000000000000000003");
const SPENDER_CONTRACT: Address = address!("5e0de00000000000000000000000000000000004");

fn deployed() -> (TestVM, Rlc) {
    let vm = TestVM::default();
    vm.set_contract_address(TOKEN);
    vm.set_sender(HOLDER);
    let mut token = Rlc::from(&vm);
    assert_eq!(token.constructor(HOLDER), Ok(()));
    vm.clear_mocks(); // also clears the constructor's logs
    (vm, token)
}

fn reason(err: Vec<u8>) -> String {
    alloy_sol_types::Revert::abi_decode(&err).expect("an Error(string) revert").reason
}

fn transfer_log(from: Address, to: Address, value: U256) -> (Vec<B256>, Vec<u8>) {
    let e = Transfer { from, to, value };
    (e.encode_topics().into_iter().map(|t| t.0).collect(), e.encode_data())
}

#[test]
fn metadata_matches_the_mainnet_token() {
    let (_vm, token) = deployed();
    assert_eq!(token.name(), "iEx.ec Network Token");
    assert_eq!(token.symbol(), "RLC");
    assert_eq!(token.decimals(), 9);
    assert_eq!(token.version(), "RLC_0.1");
    assert_eq!(token.initial_supply(), U256::from(87_000_000_000_000_000u64));
}

#[test]
fn constructor_mints_the_initial_supply_to_the_holder_and_makes_it_owner() {
    let vm = TestVM::default();
    vm.set_contract_address(TOKEN);
    let mut token = Rlc::from(&vm);
    token.constructor(ALICE).unwrap();
    let supply = U256::from(INITIAL_SUPPLY);
    assert_eq!(token.total_supply(), supply);
    assert_eq!(token.balance_of(ALICE), supply);
    assert_eq!(token.owner(), ALICE);
    let logs = vm.get_emitted_logs();
    assert_eq!(logs[0], transfer_log(Address::ZERO, ALICE, supply));
    assert_eq!(logs[1].0[0], OwnershipTransferred::SIGNATURE_HASH);
}

#[test]
fn constructor_rejects_the_zero_holder() {
    let vm = TestVM::default();
    let mut token = Rlc::from(&vm);
    assert_eq!(reason(token.constructor(Address::ZERO).unwrap_err()), reasons::HOLDER_ZERO);
    assert_eq!(token.total_supply(), U256::ZERO);
}

#[test]
fn transfer_moves_tokens_and_logs() {
    let (vm, mut token) = deployed();
    assert_eq!(token.transfer(ALICE, U256::from(5)), Ok(true));
    assert_eq!(token.balance_of(ALICE), U256::from(5));
    assert_eq!(token.balance_of(HOLDER), U256::from(INITIAL_SUPPLY - 5));
    assert_eq!(vm.get_emitted_logs(), vec![transfer_log(HOLDER, ALICE, U256::from(5))]);
}

#[test]
fn transfer_to_self_keeps_the_balance() {
    let (_vm, mut token) = deployed();
    token.transfer(HOLDER, U256::from(7)).unwrap();
    assert_eq!(token.balance_of(HOLDER), U256::from(INITIAL_SUPPLY));
}

#[test]
fn transfer_beyond_balance_reverts_and_changes_nothing() {
    let (vm, mut token) = deployed();
    vm.set_sender(ALICE);
    assert_eq!(reason(token.transfer(BOB, U256::from(1)).unwrap_err()), reasons::TRANSFER_EXCEEDS_BALANCE);
    assert_eq!(token.balance_of(BOB), U256::ZERO);
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn transfer_to_zero_reverts() {
    let (_vm, mut token) = deployed();
    assert_eq!(reason(token.transfer(Address::ZERO, U256::from(1)).unwrap_err()), reasons::TRANSFER_TO_ZERO);
    assert_eq!(token.balance_of(HOLDER), U256::from(INITIAL_SUPPLY));
}

#[test]
fn approve_sets_allowance_and_logs() {
    let (vm, mut token) = deployed();
    assert_eq!(token.approve(ALICE, U256::from(9)), Ok(true));
    assert_eq!(token.allowance(HOLDER, ALICE), U256::from(9));
    let logs = vm.get_emitted_logs();
    assert_eq!(logs[0].0[0], Approval::SIGNATURE_HASH);
    assert_eq!(logs[0].1, U256::from(9).to_be_bytes::<32>().to_vec());
}

#[test]
fn approve_zero_spender_reverts() {
    let (_vm, mut token) = deployed();
    assert_eq!(reason(token.approve(Address::ZERO, U256::from(1)).unwrap_err()), reasons::APPROVE_TO_ZERO);
}

#[test]
fn transfer_from_spends_the_allowance() {
    let (vm, mut token) = deployed();
    token.approve(ALICE, U256::from(10)).unwrap();
    vm.set_sender(ALICE);
    assert_eq!(token.transfer_from(HOLDER, BOB, U256::from(4)), Ok(true));
    assert_eq!(token.allowance(HOLDER, ALICE), U256::from(6));
    assert_eq!(token.balance_of(BOB), U256::from(4));
}

#[test]
fn transfer_from_with_infinite_allowance_keeps_it() {
    let (vm, mut token) = deployed();
    token.approve(ALICE, U256::MAX).unwrap();
    vm.set_sender(ALICE);
    token.transfer_from(HOLDER, BOB, U256::from(4)).unwrap();
    assert_eq!(token.allowance(HOLDER, ALICE), U256::MAX);
}

#[test]
fn transfer_from_beyond_allowance_reverts_and_changes_nothing() {
    let (vm, mut token) = deployed();
    token.approve(ALICE, U256::from(3)).unwrap();
    vm.set_sender(ALICE);
    assert_eq!(
        reason(token.transfer_from(HOLDER, BOB, U256::from(4)).unwrap_err()),
        reasons::INSUFFICIENT_ALLOWANCE
    );
    assert_eq!(token.allowance(HOLDER, ALICE), U256::from(3));
    assert_eq!(token.balance_of(BOB), U256::ZERO);
}

#[test]
fn transfer_from_beyond_balance_reverts() {
    let (vm, mut token) = deployed();
    vm.set_sender(ALICE);
    token.approve(BOB, U256::from(3)).unwrap();
    vm.set_sender(BOB);
    assert_eq!(
        reason(token.transfer_from(ALICE, BOB, U256::from(1)).unwrap_err()),
        reasons::TRANSFER_EXCEEDS_BALANCE
    );
}

#[test]
fn burn_lowers_balance_and_supply() {
    let (vm, mut token) = deployed();
    assert_eq!(token.burn(U256::from(1_000)), Ok(true));
    assert_eq!(token.total_supply(), U256::from(INITIAL_SUPPLY - 1_000));
    assert_eq!(token.balance_of(HOLDER), U256::from(INITIAL_SUPPLY - 1_000));
    assert_eq!(token.initial_supply(), U256::from(INITIAL_SUPPLY));
    assert_eq!(vm.get_emitted_logs(), vec![transfer_log(HOLDER, Address::ZERO, U256::from(1_000))]);
}

#[test]
fn burn_beyond_balance_reverts() {
    let (vm, mut token) = deployed();
    vm.set_sender(ALICE);
    assert_eq!(reason(token.burn(U256::from(1)).unwrap_err()), reasons::BURN_EXCEEDS_BALANCE);
    assert_eq!(token.total_supply(), U256::from(INITIAL_SUPPLY));
}

fn receive_approval_calldata(value: U256, data: &[u8]) -> Vec<u8> {
    receiveApprovalCall { from: HOLDER, value, token: TOKEN, extraData: Bytes::copy_from_slice(data) }.abi_encode()
}

#[test]
fn approve_and_call_approves_then_calls_receive_approval() {
    let (vm, mut token) = deployed();
    vm.set_code(SPENDER_CONTRACT, vec![0x00]);
    let calldata = receive_approval_calldata(U256::from(50), b"match");
    vm.mock_call(SPENDER_CONTRACT, calldata, U256::ZERO, Ok(vec![]));
    assert_eq!(token.approve_and_call(SPENDER_CONTRACT, U256::from(50), Bytes::from_static(b"match")), Ok(()));
    assert_eq!(token.allowance(HOLDER, SPENDER_CONTRACT), U256::from(50));
}

#[test]
fn approve_and_call_bubbles_the_spender_revert() {
    let (vm, mut token) = deployed();
    vm.set_code(SPENDER_CONTRACT, vec![0x00]);
    let calldata = receive_approval_calldata(U256::from(50), b"");
    let spender_error = alloy_sol_types::Revert::from("wrong-token").abi_encode();
    vm.mock_call(SPENDER_CONTRACT, calldata, U256::ZERO, Err(spender_error.clone()));
    assert_eq!(token.approve_and_call(SPENDER_CONTRACT, U256::from(50), Bytes::new()), Err(spender_error));
}

#[test]
fn approve_and_call_with_a_silent_revert_says_refused() {
    let (vm, mut token) = deployed();
    vm.set_code(SPENDER_CONTRACT, vec![0x00]);
    let calldata = receive_approval_calldata(U256::from(1), b"");
    vm.mock_call(SPENDER_CONTRACT, calldata, U256::ZERO, Err(vec![]));
    assert_eq!(
        reason(token.approve_and_call(SPENDER_CONTRACT, U256::from(1), Bytes::new()).unwrap_err()),
        reasons::APPROVAL_REFUSED
    );
}

#[test]
fn approve_and_call_to_an_account_without_code_is_refused() {
    let (_vm, mut token) = deployed();
    assert_eq!(
        reason(token.approve_and_call(ALICE, U256::from(1), Bytes::new()).unwrap_err()),
        reasons::APPROVAL_REFUSED
    );
}

#[test]
fn ownership_moves_only_by_the_owner() {
    let (vm, mut token) = deployed();
    vm.set_sender(ALICE);
    assert_eq!(reason(token.transfer_ownership(ALICE).unwrap_err()), reasons::NOT_OWNER);
    vm.set_sender(HOLDER);
    assert_eq!(reason(token.transfer_ownership(Address::ZERO).unwrap_err()), reasons::NEW_OWNER_ZERO);
    assert_eq!(token.transfer_ownership(ALICE), Ok(()));
    assert_eq!(token.owner(), ALICE);
    let logs = vm.get_emitted_logs();
    let event = OwnershipTransferred { previousOwner: HOLDER, newOwner: ALICE };
    assert_eq!(logs[0].0, event.encode_topics().into_iter().map(|t| t.0).collect::<Vec<_>>());
}

/// One step of a random token session.
#[derive(Debug, Clone)]
enum Op {
    Transfer { from: usize, to: usize, value: u64 },
    Approve { owner: usize, spender: usize, value: u64 },
    TransferFrom { spender: usize, from: usize, to: usize, value: u64 },
    Burn { from: usize, value: u64 },
}

const ACCOUNTS: [Address; 3] = [HOLDER, ALICE, BOB];

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACCOUNTS.len();
    let value = prop_oneof![0..1_000u64, Just(INITIAL_SUPPLY), 0..INITIAL_SUPPLY];
    prop_oneof![
        (who.clone(), who.clone(), value.clone()).prop_map(|(from, to, value)| Op::Transfer { from, to, value }),
        (who.clone(), who.clone(), value.clone()).prop_map(|(owner, spender, value)| Op::Approve { owner, spender, value }),
        (who.clone(), who.clone(), who.clone(), value.clone())
            .prop_map(|(spender, from, to, value)| Op::TransferFrom { spender, from, to, value }),
        (who, value).prop_map(|(from, value)| Op::Burn { from, value }),
    ]
}

proptest! {
    /// Whatever succeeds or fails, the balances always add up to the total supply, and
    /// the supply only goes down by what was burnt.
    #[test]
    fn balances_always_sum_to_total_supply(ops in prop::collection::vec(op(), 1..40)) {
        let (vm, mut token) = deployed();
        let mut burnt = U256::ZERO;
        for op in ops {
            match op {
                Op::Transfer { from, to, value } => {
                    vm.set_sender(ACCOUNTS[from]);
                    let _ = token.transfer(ACCOUNTS[to], U256::from(value));
                }
                Op::Approve { owner, spender, value } => {
                    vm.set_sender(ACCOUNTS[owner]);
                    let _ = token.approve(ACCOUNTS[spender], U256::from(value));
                }
                Op::TransferFrom { spender, from, to, value } => {
                    vm.set_sender(ACCOUNTS[spender]);
                    let _ = token.transfer_from(ACCOUNTS[from], ACCOUNTS[to], U256::from(value));
                }
                Op::Burn { from, value } => {
                    vm.set_sender(ACCOUNTS[from]);
                    if token.burn(U256::from(value)).is_ok() {
                        burnt += U256::from(value);
                    }
                }
            }
            let sum: U256 = ACCOUNTS.iter().map(|a| token.balance_of(*a)).sum();
            prop_assert_eq!(sum, token.total_supply());
            prop_assert_eq!(token.total_supply() + burnt, U256::from(INITIAL_SUPPLY));
        }
    }
}
