//! Escrow facet tests on `MockVM`: every PoCo check with its exact revert data, the events,
//! the RLC calls (exact calldata), and the ledger invariant under random operation sequences.

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use poco_core::orders::{AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder};
use poco_hub_base::{
    escrow::{Approval, Transfer},
    funding::{self, transferCall, transferFromCall},
    testing::MockHost,
};
use proptest::prelude::*;

use super::*;

const HUB: Address = address!("000000000000000000000000000000000000a0b0");
const RLC: Address = address!("00000000000000000000000000000000000000cc");
const OWNER: Address = address!("0000000000000000000000000000000000000a11");
const ALICE: Address = address!("00000000000000000000000000000000000a11ce");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const SPENDER: Address = address!("000000000000000000000000000000000005e4de");

/// `matchOrders`' signature in the reference ABI.
const MATCH_ORDERS_SIGNATURE: &str = "matchOrders((address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),(address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),(address,uint256,uint256,bytes32,uint256,uint256,address,address,address,bytes32,bytes),(address,uint256,address,uint256,address,uint256,address,uint256,bytes32,uint256,uint256,address,address,string,bytes32,bytes))";

fn setup() -> (MockHost, EscrowFacet) {
    let vm = MockHost::default();
    vm.vm.set_contract_address(HUB);
    vm.vm.set_sender(ALICE);
    let facet = EscrowFacet::from(&vm);
    poco_storage(facet.vm()).base_token.set(RLC);
    diamond::set_owner(facet.vm(), OWNER);
    vm.clear_mocks();
    (vm, facet)
}

fn word_of(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
}

fn yes() -> Vec<u8> {
    word_of(U256::from(1))
}

fn no() -> Vec<u8> {
    word_of(U256::ZERO)
}

fn transfer_from_data(from: Address, amount: u64) -> Vec<u8> {
    transferFromCall { from, to: HUB, value: U256::from(amount) }.abi_encode()
}

fn transfer_data(to: Address, amount: u64) -> Vec<u8> {
    transferCall { to, value: U256::from(amount) }.abi_encode()
}

fn mock_pull(vm: &MockHost, from: Address, amount: u64, answer: Result<Vec<u8>, Vec<u8>>) {
    vm.mock(RLC, transfer_from_data(from, amount), answer);
}

fn log_of<E: SolEvent>(event: &E) -> (Vec<B256>, Vec<u8>) {
    let data = event.encode_log_data();
    (data.topics().to_vec(), data.data.to_vec())
}

fn transfer_log(from: Address, to: Address, value: u64) -> (Vec<B256>, Vec<u8>) {
    log_of(&Transfer { from, to, value: U256::from(value) })
}

fn approval_log(owner: Address, spender: Address, value: u64) -> (Vec<B256>, Vec<u8>) {
    log_of(&Approval { owner, spender, value: U256::from(value) })
}

fn balance(facet: &EscrowFacet, account: Address) -> U256 {
    poco_storage(facet.vm()).accounts.getter(account).balance()
}

fn supply(facet: &EscrowFacet) -> U256 {
    poco_storage(facet.vm()).total_supply.get()
}

fn allowance_of(facet: &EscrowFacet, owner: Address, spender: Address) -> U256 {
    poco_storage(facet.vm()).allowances.getter(owner).get(spender)
}

/// Gives `account` `amount` SRLC through a mocked deposit.
fn fund(vm: &MockHost, facet: &mut EscrowFacet, account: Address, amount: u64) {
    vm.vm.set_sender(account);
    mock_pull(vm, account, amount, Ok(yes()));
    assert_eq!(funding::deposit(facet.vm(), account, U256::from(amount), account), Ok(()));
    vm.clear_mocks();
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

// ---------------------------------------------------------------- fallback / receive

#[test]
fn fallback_and_receive_are_disabled() {
    let (_vm, mut facet) = setup();
    let expected = revert::reason("fallback-disabled");
    assert_eq!(facet.fallback(&[1, 2, 3, 4]), Err(expected.clone()));
    assert_eq!(facet.receive(), Err(expected));
}

// ---------------------------------------------------------------- deposits

#[test]
fn deposit_for_array_checks_lengths() {
    let (_vm, mut facet) = setup();
    assert_eq!(
        facet.deposit_for_array(vec![u(1), u(2)], vec![BOB]),
        Err(revert::reason("invalid-array-length"))
    );
}

#[test]
fn deposit_for_array_deposits_each_item() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 3, Ok(yes()));
    mock_pull(&vm, ALICE, 4, Ok(yes()));
    assert_eq!(facet.deposit_for_array(vec![u(3), u(4)], vec![BOB, ALICE]), Ok(true));
    assert_eq!(balance(&facet, BOB), u(3));
    assert_eq!(balance(&facet, ALICE), u(4));
    assert_eq!(supply(&facet), u(7));
    assert_eq!(
        vm.vm.get_emitted_logs(),
        vec![transfer_log(Address::ZERO, BOB, 3), transfer_log(Address::ZERO, ALICE, 4)]
    );
}

fn balance_of_data() -> Vec<u8> {
    balanceOfCall { account: HUB }.abi_encode()
}

#[test]
fn recover_is_owner_only() {
    let (_vm, mut facet) = setup();
    assert_eq!(facet.recover(), Err(revert::reason("Ownable: caller is not the owner")));
}

#[test]
fn recover_mints_the_surplus_to_the_owner() {
    let (vm, mut facet) = setup();
    fund(&vm, &mut facet, ALICE, 10);
    vm.vm.set_sender(OWNER);
    vm.mock(RLC, balance_of_data(), Ok(word_of(u(25))));
    assert_eq!(facet.recover(), Ok(u(15)));
    assert_eq!(balance(&facet, OWNER), u(15));
    assert_eq!(supply(&facet), u(25));
    assert_eq!(vm.vm.get_emitted_logs(), vec![transfer_log(Address::ZERO, OWNER, 15)]);
}

#[test]
fn recover_panics_when_the_hub_holds_less_than_the_supply() {
    let (vm, mut facet) = setup();
    fund(&vm, &mut facet, ALICE, 10);
    vm.vm.set_sender(OWNER);
    vm.mock(RLC, balance_of_data(), Ok(word_of(u(9))));
    assert_eq!(facet.recover(), Err(revert::panic(0x11)));
    vm.clear_mocks();
    assert_eq!(facet.recover(), Err(vec![]), "no answer does not decode");
}

// ---------------------------------------------------------------- receiveApproval

fn match_orders_data(requester: Address) -> Vec<u8> {
    let request = RequestOrder { requester, params: "{}".into(), ..Default::default() };
    let orders = (AppOrder::default(), DatasetOrder::default(), WorkerpoolOrder::default(), request);
    [&MATCH_ORDERS_SELECTOR[..], &orders.abi_encode_params()].concat()
}

#[test]
fn match_orders_selector_is_pocos() {
    assert_eq!(alloy_primitives::keccak256(MATCH_ORDERS_SIGNATURE)[..4], MATCH_ORDERS_SELECTOR);
}

#[test]
fn receive_approval_requires_the_base_token() {
    let (_vm, mut facet) = setup();
    assert_eq!(
        facet.receive_approval(ALICE, u(5), BOB, Bytes::new()),
        Err(revert::reason("wrong-token"))
    );
}

#[test]
fn receive_approval_without_data_deposits_for_the_sender() {
    let (vm, mut facet) = setup();
    vm.vm.set_sender(RLC);
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::new()), Ok(true));
    assert_eq!(balance(&facet, ALICE), u(5));
    assert_eq!(vm.vm.get_emitted_logs(), vec![transfer_log(Address::ZERO, ALICE, 5)]);
}

#[test]
fn receive_approval_deposit_errors_propagate() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 5, Ok(no()));
    assert_eq!(
        facet.receive_approval(ALICE, u(5), RLC, Bytes::new()),
        Err(revert::reason("failed-transferFrom"))
    );
}

#[test]
fn receive_approval_with_short_data_reverts_bare() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(vec![0x12, 0x34])), Err(vec![]));
}

#[test]
fn receive_approval_rejects_other_operations() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    let data = [&[0x12, 0x34, 0x56, 0x78][..], &word_of(u(42))].concat();
    let expected = UnsupportedOperation { selector: FixedBytes([0x12, 0x34, 0x56, 0x78]) }.abi_encode();
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data)), Err(expected));
}

#[test]
fn receive_approval_rejects_undecodable_orders() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    let just_selector = Bytes::from(MATCH_ORDERS_SELECTOR.to_vec());
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, just_selector), Err(vec![]));
    // A request order offset pointing past the calldata.
    let mut data = match_orders_data(ALICE);
    data[4 + 3 * 32 + 31] = 0xff;
    data[4 + 3 * 32 + 30] = 0xff;
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data)), Err(vec![]));
    // A dirty address word.
    let mut data = match_orders_data(ALICE);
    let offset = usize::from(u16::from_be_bytes([data[4 + 3 * 32 + 30], data[4 + 3 * 32 + 31]]));
    data[4 + offset + 6 * 32] = 1;
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data)), Err(vec![]));
}

#[test]
fn receive_approval_requires_the_sender_to_be_the_requester() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    assert_eq!(
        facet.receive_approval(ALICE, u(5), RLC, Bytes::from(match_orders_data(BOB))),
        Err(CallerIsNotTheRequester {}.abi_encode())
    );
}

#[test]
fn receive_approval_delegatecalls_match_orders_on_the_hub() {
    let (vm, mut facet) = setup();
    vm.vm.set_sender(RLC);
    let data = match_orders_data(ALICE);
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    vm.mock(HUB, data.clone(), Ok(B256::repeat_byte(9).to_vec()));
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data.clone())), Ok(true));
    assert_eq!(
        vm.calls_made(),
        vec![
            (RLC, transfer_from_data(ALICE, 5)),
            (HUB, data),
        ]
    );
    assert_eq!(balance(&facet, ALICE), u(5));
}

#[test]
fn receive_approval_bubbles_match_orders_reverts() {
    let (vm, mut facet) = setup();
    let data = match_orders_data(ALICE);
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    let reason = revert::reason("IexecEscrow: Transfer amount exceeds balance");
    vm.mock(HUB, data.clone(), Err(reason.clone()));
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data.clone())), Err(reason));
    vm.mock(HUB, data.clone(), Err(vec![]));
    assert_eq!(
        facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data)),
        Err(OperationFailed {}.abi_encode())
    );
}

/// PoCo `abi.decode`s all four orders before the delegatecall: a malformed app, dataset or
/// workerpool order reverts without data even when the request order decodes (issue 9,
/// item 6); `params` that are not UTF-8 decode, as in Solidity, and go on to matchOrders.
#[test]
fn receive_approval_decodes_every_order() {
    let (vm, mut facet) = setup();
    mock_pull(&vm, ALICE, 5, Ok(yes()));
    let good = match_orders_data(ALICE);
    let offset_of = |data: &[u8], i: usize| usize::from(u16::from_be_bytes([data[4 + i * 32 + 30], data[4 + i * 32 + 31]]));
    for order in 0..3 {
        // A dirty address word: the first field of the app, dataset or workerpool order.
        let mut data = good.clone();
        data[4 + offset_of(&good, order)] = 1;
        assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data)), Err(vec![]), "order {order}");
        // Its `sign` offset pointing past the calldata.
        let mut data = good.clone();
        let sign_word = 4 + offset_of(&good, order) + if order == 2 { 10 } else { 8 } * 32;
        data[sign_word + 29] = 0xff;
        assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data)), Err(vec![]), "order {order}");
    }
    assert!(vm.calls_made().iter().all(|(to, _)| *to != HUB));
    // Non-UTF-8 params are delegated like any others.
    let mut data = good.clone();
    let at = data.windows(2).rposition(|w| w == b"{}").unwrap();
    data[at] = 0xff;
    vm.mock(HUB, data.clone(), Ok(B256::repeat_byte(9).to_vec()));
    assert_eq!(facet.receive_approval(ALICE, u(5), RLC, Bytes::from(data.clone())), Ok(true));
    assert_eq!(vm.calls_made().last(), Some(&(HUB, data)));
}

// ---------------------------------------------------------------- SRLC ERC-20

#[test]
fn transfer_moves_balance() {
    let (vm, mut facet) = setup();
    fund(&vm, &mut facet, ALICE, 10);
    assert_eq!(facet.transfer(BOB, u(4)), Ok(true));
    assert_eq!(balance(&facet, ALICE), u(6));
    assert_eq!(balance(&facet, BOB), u(4));
    assert_eq!(vm.vm.get_emitted_logs(), vec![transfer_log(ALICE, BOB, 4)]);
}

#[test]
fn transfer_checks() {
    let (vm, mut facet) = setup();
    fund(&vm, &mut facet, ALICE, 10);
    assert_eq!(facet.transfer(BOB, u(11)), Err(vec![]));
    assert_eq!(
        facet.transfer(Address::ZERO, u(1)),
        Err(revert::reason("ERC20: transfer to the zero address"))
    );
    vm.vm.set_sender(Address::ZERO);
    assert_eq!(facet.transfer(BOB, u(1)), Err(revert::reason("ERC20: transfer from the zero address")));
}

#[test]
fn approve_sets_the_allowance() {
    let (vm, mut facet) = setup();
    assert_eq!(facet.approve(BOB, u(3)), Ok(true));
    assert_eq!(allowance_of(&facet, ALICE, BOB), u(3));
    assert_eq!(vm.vm.get_emitted_logs(), vec![approval_log(ALICE, BOB, 3)]);
    assert_eq!(facet.approve(Address::ZERO, u(3)), Err(revert::reason("ERC20: approve to the zero address")));
    vm.vm.set_sender(Address::ZERO);
    assert_eq!(facet.approve(BOB, u(3)), Err(revert::reason("ERC20: approve from the zero address")));
}

#[test]
fn transfer_from_spends_the_allowance() {
    let (vm, mut facet) = setup();
    fund(&vm, &mut facet, ALICE, 10);
    facet.approve(BOB, u(6)).unwrap();
    vm.clear_mocks();
    vm.vm.set_sender(BOB);
    assert_eq!(facet.transfer_from(ALICE, OWNER, u(4)), Ok(true));
    assert_eq!(balance(&facet, OWNER), u(4));
    assert_eq!(allowance_of(&facet, ALICE, BOB), u(2));
    assert_eq!(vm.vm.get_emitted_logs(), vec![transfer_log(ALICE, OWNER, 4), approval_log(ALICE, BOB, 2)]);
}

#[test]
fn transfer_from_reverts_bare_on_short_allowance_or_balance() {
    let (vm, mut facet) = setup();
    fund(&vm, &mut facet, ALICE, 10);
    facet.approve(BOB, u(3)).unwrap();
    vm.vm.set_sender(BOB);
    assert_eq!(facet.transfer_from(ALICE, OWNER, u(4)), Err(vec![]), "allowance short");
    assert_eq!(facet.transfer_from(ALICE, OWNER, u(11)), Err(vec![]), "balance short");
    assert_eq!(
        facet.transfer_from(ALICE, Address::ZERO, u(1)),
        Err(revert::reason("ERC20: transfer to the zero address"))
    );
}

#[test]
fn increase_and_decrease_allowance() {
    let (vm, mut facet) = setup();
    assert_eq!(facet.increase_allowance(BOB, u(5)), Ok(true));
    assert_eq!(facet.decrease_allowance(BOB, u(2)), Ok(true));
    assert_eq!(allowance_of(&facet, ALICE, BOB), u(3));
    assert_eq!(vm.vm.get_emitted_logs(), vec![approval_log(ALICE, BOB, 5), approval_log(ALICE, BOB, 3)]);
    assert_eq!(facet.decrease_allowance(BOB, u(4)), Err(vec![]));
    facet.approve(BOB, U256::MAX).unwrap();
    assert_eq!(facet.increase_allowance(BOB, u(1)), Err(revert::panic(0x11)));
    assert_eq!(
        facet.increase_allowance(Address::ZERO, u(1)),
        Err(revert::reason("ERC20: approve to the zero address"))
    );
}

fn receive_approval_data(extra: &[u8]) -> Vec<u8> {
    receiveApprovalCall { sender: ALICE, amount: u(8), token: HUB, extraData: Bytes::from(extra.to_vec()) }
        .abi_encode()
}

#[test]
fn approve_and_call_notifies_the_spender() {
    let (vm, mut facet) = setup();
    vm.mock(SPENDER, receive_approval_data(b"x"), Ok(yes()));
    assert_eq!(facet.approve_and_call(SPENDER, u(8), Bytes::from(b"x".to_vec())), Ok(true));
    assert_eq!(allowance_of(&facet, ALICE, SPENDER), u(8));
    assert_eq!(vm.vm.get_emitted_logs(), vec![approval_log(ALICE, SPENDER, 8)]);
    assert_eq!(vm.calls_made(), vec![(SPENDER, receive_approval_data(b"x"))]);
}

#[test]
fn approve_and_call_failures() {
    let (vm, mut facet) = setup();
    vm.mock(SPENDER, receive_approval_data(b""), Ok(no()));
    assert_eq!(facet.approve_and_call(SPENDER, u(8), Bytes::new()), Err(revert::reason("approval-refused")));
    let spender_error = revert::reason("nope");
    vm.mock(SPENDER, receive_approval_data(b""), Err(spender_error.clone()));
    assert_eq!(facet.approve_and_call(SPENDER, u(8), Bytes::new()), Err(spender_error));
    vm.clear_mocks();
    assert_eq!(facet.approve_and_call(SPENDER, u(8), Bytes::new()), Err(vec![]), "no code, no answer");
    assert_eq!(
        facet.approve_and_call(Address::ZERO, u(8), Bytes::new()),
        Err(revert::reason("ERC20: approve to the zero address"))
    );
}

// ---------------------------------------------------------------- ledger invariant

#[derive(Debug, Clone)]
enum Op {
    Deposit(usize, u64),
    Withdraw(usize, u64),
    Transfer(usize, usize, u64),
    Lock(usize, u64),
    Unlock(usize, u64),
}

const ACTORS: [Address; 3] = [ALICE, BOB, OWNER];

fn op() -> impl Strategy<Value = Op> {
    let who = 0..ACTORS.len();
    let amount = 0u64..1_000;
    prop_oneof![
        (who.clone(), amount.clone()).prop_map(|(a, v)| Op::Deposit(a, v)),
        (who.clone(), amount.clone()).prop_map(|(a, v)| Op::Withdraw(a, v)),
        (who.clone(), who.clone(), amount.clone()).prop_map(|(a, b, v)| Op::Transfer(a, b, v)),
        (who.clone(), amount.clone()).prop_map(|(a, v)| Op::Lock(a, v)),
        (who, amount).prop_map(|(a, v)| Op::Unlock(a, v)),
    ]
}

proptest! {
    #[test]
    fn balances_and_frozen_add_up_to_the_supply_and_the_rlc_held(ops in prop::collection::vec(op(), 1..40)) {
        let (vm, mut facet) = setup();
        let mut rlc_held = U256::ZERO;
        for op in ops {
            match op {
                Op::Deposit(a, v) => {
                    vm.vm.set_sender(ACTORS[a]);
                    mock_pull(&vm, ACTORS[a], v, Ok(yes()));
                    prop_assert_eq!(funding::deposit(facet.vm(), ACTORS[a], u(v), ACTORS[a]), Ok(()));
                    rlc_held += u(v);
                }
                Op::Withdraw(a, v) => {
                    vm.vm.set_sender(ACTORS[a]);
                    vm.mock(RLC, transfer_data(ACTORS[a], v), Ok(yes()));
                    let enough = balance(&facet, ACTORS[a]) >= u(v);
                    prop_assert_eq!(funding::withdraw(facet.vm(), ACTORS[a], u(v), ACTORS[a]).is_ok(), enough);
                    if enough {
                        rlc_held -= u(v);
                    }
                }
                Op::Transfer(a, b, v) => {
                    vm.vm.set_sender(ACTORS[a]);
                    let enough = balance(&facet, ACTORS[a]) >= u(v);
                    prop_assert_eq!(facet.transfer(ACTORS[b], u(v)).is_ok(), enough);
                }
                Op::Lock(a, v) => {
                    let enough = balance(&facet, ACTORS[a]) >= u(v);
                    let mut s = poco_storage(facet.vm());
                    prop_assert_eq!(escrow::lock(facet.vm(), &mut s, ACTORS[a], u(v)).is_ok(), enough);
                }
                Op::Unlock(a, v) => {
                    // Bounded by the account's frozen funds: a failing unlock reverts on chain,
                    // and TestVM cannot roll back its first (successful) write.
                    let mut s = poco_storage(facet.vm());
                    let v = u(v).min(s.accounts.getter(ACTORS[a]).frozen());
                    prop_assert!(escrow::unlock(facet.vm(), &mut s, ACTORS[a], v).is_ok());
                }
            }
            let s = poco_storage(facet.vm());
            let balances: U256 = ACTORS.iter().map(|a| s.accounts.getter(*a).balance()).sum();
            let frozen: U256 = ACTORS.iter().map(|a| s.accounts.getter(*a).frozen()).sum();
            prop_assert_eq!(balances + frozen, s.total_supply.get());
            prop_assert_eq!(s.total_supply.get(), rlc_held);
            prop_assert_eq!(s.accounts.getter(HUB).balance(), frozen);
        }
    }
}
