//! ERC-721 ledger tests: every method, every revert string, events, receiver hook, and a
//! proptest of the enumerable invariants over random mint/transfer sequences.

use std::collections::BTreeMap;

use alloy_primitives::{Address, LogData, U256};
use alloy_sol_types::{SolCall, SolEvent};
use proptest::prelude::*;
use stylus_sdk::{host::VM, testing::*};

use super::*;
use crate::error::{encode_reason, Error};

fn addr(n: u8) -> Address {
    Address::repeat_byte(n)
}

fn id(n: u64) -> U256 {
    U256::from(n)
}

fn err(reason: &str) -> Vec<u8> {
    encode_reason(reason)
}

fn data<T>(result: Result<T, Error>) -> Vec<u8> {
    match result {
        Ok(_) => panic!("expected a revert"),
        Err(e) => e.into(),
    }
}

fn logs(vm: &TestVM) -> Vec<LogData> {
    vm.get_emitted_logs()
        .into_iter()
        .map(|(topics, data)| LogData::new_unchecked(topics, data.into()))
        .collect()
}

fn log<E: SolEvent>(event: E) -> LogData {
    event.encode_log_data()
}

const ALICE: u8 = 0xa1;
const BOB: u8 = 0xb0;
const CAROL: u8 = 0xc0;

fn setup() -> (TestVM, Erc721) {
    let vm = TestVM::default();
    // SAFETY: test storage rooted at slot 0.
    let erc721 = unsafe { Erc721::new(U256::ZERO, 0, VM { host: Box::new(vm.clone()) }) };
    (vm, erc721)
}

#[test]
fn mint_records_owner_balance_enumeration_and_event() {
    let (vm, mut t) = setup();
    t.mint(addr(ALICE), id(7)).unwrap();
    t.mint(addr(ALICE), id(9)).unwrap();
    t.mint(addr(BOB), id(8)).unwrap();
    assert_eq!(t.owner_of(id(7)), Ok(addr(ALICE)));
    assert_eq!(t.balance_of(addr(ALICE)), Ok(id(2)));
    assert_eq!(t.balance_of(addr(CAROL)), Ok(id(0)));
    assert_eq!(t.total_supply(), id(3));
    assert_eq!(t.token_by_index(id(0)), Ok(id(7)));
    assert_eq!(t.token_by_index(id(1)), Ok(id(9)));
    assert_eq!(t.token_by_index(id(2)), Ok(id(8)));
    assert_eq!(t.token_of_owner_by_index(addr(ALICE), id(1)), Ok(id(9)));
    assert_eq!(t.token_of_owner_by_index(addr(BOB), id(0)), Ok(id(8)));
    assert!(t.exists(id(7)) && !t.exists(id(1)));
    assert_eq!(
        logs(&vm)[0],
        log(Transfer { from: Address::ZERO, to: addr(ALICE), tokenId: id(7) })
    );
    assert_eq!(logs(&vm).len(), 3);
}

#[test]
fn mint_reverts() {
    let (_vm, mut t) = setup();
    assert_eq!(data(t.mint(Address::ZERO, id(1))), err(reasons::ERC721_MINT_TO_ZERO));
    t.mint(addr(ALICE), id(1)).unwrap();
    assert_eq!(data(t.mint(addr(BOB), id(1))), err(reasons::ERC721_ALREADY_MINTED));
}

#[test]
fn query_reverts() {
    let (_vm, mut t) = setup();
    assert_eq!(data(t.balance_of(Address::ZERO)), err(reasons::ERC721_BALANCE_OF_ZERO));
    assert_eq!(data(t.owner_of(id(1))), err(reasons::ERC721_OWNER_OF_NONEXISTENT));
    assert_eq!(data(t.get_approved(id(1))), err(reasons::ERC721_APPROVED_OF_NONEXISTENT));
    assert_eq!(
        data(t.token_uri("base/".into(), id(1))),
        err(reasons::ERC721_URI_OF_NONEXISTENT)
    );
    assert_eq!(data(t.token_by_index(id(0))), err(reasons::ENUMERABLE_MAP_OUT_OF_BOUNDS));
    assert_eq!(
        data(t.token_of_owner_by_index(addr(ALICE), id(0))),
        err(reasons::ENUMERABLE_SET_OUT_OF_BOUNDS)
    );
    t.mint(addr(ALICE), id(1)).unwrap();
    assert_eq!(data(t.token_by_index(id(1))), err(reasons::ENUMERABLE_MAP_OUT_OF_BOUNDS));
    assert_eq!(data(t.token_by_index(U256::MAX)), err(reasons::ENUMERABLE_MAP_OUT_OF_BOUNDS));
    assert_eq!(
        data(t.token_of_owner_by_index(addr(ALICE), id(1))),
        err(reasons::ENUMERABLE_SET_OUT_OF_BOUNDS)
    );
    assert_eq!(
        data(t.token_of_owner_by_index(Address::ZERO, id(0))),
        err(reasons::ENUMERABLE_SET_OUT_OF_BOUNDS)
    );
}

#[test]
fn token_uri_is_base_then_decimal_id() {
    let (_vm, mut t) = setup();
    let token = U256::from_be_slice(addr(0x12).as_slice());
    t.mint(addr(ALICE), token).unwrap();
    assert_eq!(t.token_uri(String::new(), token), Ok(String::new()));
    assert_eq!(
        t.token_uri("https://nfts-metadata.iex.ec/app/42161/".into(), token),
        Ok(format!("https://nfts-metadata.iex.ec/app/42161/{token}"))
    );
}

#[test]
fn decimal_conversion() {
    assert_eq!(to_decimal(U256::ZERO), "0");
    assert_eq!(to_decimal(id(9)), "9");
    assert_eq!(to_decimal(id(10)), "10");
    assert_eq!(to_decimal(id(1_234_567_890_123)), "1234567890123");
    assert_eq!(to_decimal(U256::MAX), U256::MAX.to_string());
    let a = U256::from_be_slice(Address::repeat_byte(0xff).as_slice());
    assert_eq!(to_decimal(a), a.to_string());
}

#[test]
fn interfaces() {
    for supported in [
        INTERFACE_ID_ERC165,
        INTERFACE_ID_ERC721,
        INTERFACE_ID_ERC721_METADATA,
        INTERFACE_ID_ERC721_ENUMERABLE,
    ] {
        assert!(supports_interface(supported));
    }
    assert!(!supports_interface([0xff; 4]));
    assert!(!supports_interface([0; 4]));
    assert_eq!(onERC721ReceivedCall::SELECTOR, ERC721_RECEIVED);
}

#[test]
fn approve_by_owner_and_operator() {
    let (vm, mut t) = setup();
    t.mint(addr(ALICE), id(1)).unwrap();
    vm.set_sender(addr(ALICE));
    t.approve(addr(BOB), id(1)).unwrap();
    assert_eq!(t.get_approved(id(1)), Ok(addr(BOB)));
    assert_eq!(
        logs(&vm).last().cloned(),
        Some(log(Approval { owner: addr(ALICE), approved: addr(BOB), tokenId: id(1) }))
    );
    t.set_approval_for_all(addr(CAROL), true).unwrap();
    assert!(t.is_approved_for_all(addr(ALICE), addr(CAROL)));
    assert_eq!(
        logs(&vm).last().cloned(),
        Some(log(ApprovalForAll { owner: addr(ALICE), operator: addr(CAROL), approved: true }))
    );
    vm.set_sender(addr(CAROL));
    t.approve(addr(CAROL), id(1)).unwrap();
    assert_eq!(t.get_approved(id(1)), Ok(addr(CAROL)));
    vm.set_sender(addr(ALICE));
    t.set_approval_for_all(addr(CAROL), false).unwrap();
    assert!(!t.is_approved_for_all(addr(ALICE), addr(CAROL)));
}

#[test]
fn approve_reverts() {
    let (vm, mut t) = setup();
    assert_eq!(data(t.approve(addr(BOB), id(1))), err(reasons::ERC721_OWNER_OF_NONEXISTENT));
    t.mint(addr(ALICE), id(1)).unwrap();
    vm.set_sender(addr(ALICE));
    assert_eq!(data(t.approve(addr(ALICE), id(1))), err(reasons::ERC721_APPROVAL_TO_OWNER));
    assert_eq!(
        data(t.set_approval_for_all(addr(ALICE), true)),
        err(reasons::ERC721_APPROVE_TO_CALLER)
    );
    vm.set_sender(addr(BOB));
    assert_eq!(data(t.approve(addr(BOB), id(1))), err(reasons::ERC721_APPROVE_NOT_ALLOWED));
    // An approved (not operator) address cannot re-approve.
    vm.set_sender(addr(ALICE));
    t.approve(addr(BOB), id(1)).unwrap();
    vm.set_sender(addr(BOB));
    assert_eq!(data(t.approve(addr(CAROL), id(1))), err(reasons::ERC721_APPROVE_NOT_ALLOWED));
}

#[test]
fn transfer_from_by_owner_approved_and_operator() {
    let (vm, mut t) = setup();
    t.mint(addr(ALICE), id(1)).unwrap();
    t.mint(addr(ALICE), id(2)).unwrap();
    vm.set_sender(addr(ALICE));
    t.approve(addr(CAROL), id(1)).unwrap();
    vm.clear_mocks();
    t.transfer_from(addr(ALICE), addr(BOB), id(1)).unwrap();
    assert_eq!(
        logs(&vm),
        vec![
            log(Approval { owner: addr(ALICE), approved: Address::ZERO, tokenId: id(1) }),
            log(Transfer { from: addr(ALICE), to: addr(BOB), tokenId: id(1) }),
        ]
    );
    assert_eq!(t.owner_of(id(1)), Ok(addr(BOB)));
    assert_eq!(t.get_approved(id(1)), Ok(Address::ZERO));
    assert_eq!(t.balance_of(addr(ALICE)), Ok(id(1)));
    assert_eq!(t.token_of_owner_by_index(addr(ALICE), id(0)), Ok(id(2)));
    assert_eq!(t.token_of_owner_by_index(addr(BOB), id(0)), Ok(id(1)));
    // Approved address.
    vm.set_sender(addr(ALICE));
    t.approve(addr(CAROL), id(2)).unwrap();
    vm.set_sender(addr(CAROL));
    t.transfer_from(addr(ALICE), addr(CAROL), id(2)).unwrap();
    assert_eq!(t.owner_of(id(2)), Ok(addr(CAROL)));
    // Operator.
    vm.set_sender(addr(BOB));
    t.set_approval_for_all(addr(ALICE), true).unwrap();
    vm.set_sender(addr(ALICE));
    t.transfer_from(addr(BOB), addr(ALICE), id(1)).unwrap();
    assert_eq!(t.owner_of(id(1)), Ok(addr(ALICE)));
    assert_eq!(t.balance_of(addr(BOB)), Ok(id(0)));
    // Self-transfer keeps everything consistent.
    t.transfer_from(addr(ALICE), addr(ALICE), id(1)).unwrap();
    assert_eq!(t.balance_of(addr(ALICE)), Ok(id(1)));
    assert_eq!(t.token_of_owner_by_index(addr(ALICE), id(0)), Ok(id(1)));
}

#[test]
fn transfer_reverts() {
    let (vm, mut t) = setup();
    vm.set_sender(addr(ALICE));
    assert_eq!(
        data(t.transfer_from(addr(ALICE), addr(BOB), id(1))),
        err(reasons::ERC721_OPERATOR_OF_NONEXISTENT)
    );
    t.mint(addr(ALICE), id(1)).unwrap();
    assert_eq!(
        data(t.transfer_from(addr(BOB), addr(CAROL), id(1))),
        err(reasons::ERC721_TRANSFER_NOT_OWN)
    );
    assert_eq!(
        data(t.transfer_from(addr(ALICE), Address::ZERO, id(1))),
        err(reasons::ERC721_TRANSFER_TO_ZERO)
    );
    vm.set_sender(addr(BOB));
    assert_eq!(
        data(t.transfer_from(addr(ALICE), addr(BOB), id(1))),
        err(reasons::ERC721_TRANSFER_NOT_ALLOWED)
    );
    assert_eq!(
        data(t.safe_transfer_from(addr(ALICE), addr(BOB), id(1), &[])),
        err(reasons::ERC721_TRANSFER_NOT_ALLOWED)
    );
    assert_eq!(t.owner_of(id(1)), Ok(addr(ALICE)));
}

fn receiver_calldata(operator: Address, from: Address, token: U256, payload: &[u8]) -> Vec<u8> {
    onERC721ReceivedCall {
        operator,
        from,
        tokenId: token,
        data: payload.to_vec().into(),
    }
    .abi_encode()
}

fn word_with_selector(selector: [u8; 4]) -> Vec<u8> {
    let mut word = vec![0u8; 32];
    word[..4].copy_from_slice(&selector);
    word
}

#[test]
fn safe_transfer_to_eoa_and_willing_contract() {
    let (vm, mut t) = setup();
    t.mint(addr(ALICE), id(1)).unwrap();
    vm.set_sender(addr(ALICE));
    t.safe_transfer_from(addr(ALICE), addr(BOB), id(1), b"ignored").unwrap();
    assert_eq!(t.owner_of(id(1)), Ok(addr(BOB)));

    let receiver = addr(0x77);
    vm.set_code(receiver, vec![0x00]);
    vm.set_sender(addr(BOB));
    vm.mock_call(
        receiver,
        receiver_calldata(addr(BOB), addr(BOB), id(1), b"payload"),
        U256::ZERO,
        Ok(word_with_selector(ERC721_RECEIVED)),
    );
    t.safe_transfer_from(addr(BOB), receiver, id(1), b"payload").unwrap();
    assert_eq!(t.owner_of(id(1)), Ok(receiver));
}

/// What a mocked receiver answers.
type MockAnswer = Result<Vec<u8>, Vec<u8>>;

#[test]
fn safe_transfer_to_unwilling_contracts() {
    let (vm, mut t) = setup();
    let receiver = addr(0x77);
    vm.set_code(receiver, vec![0x00]);
    t.mint(addr(ALICE), id(1)).unwrap();
    vm.set_sender(addr(ALICE));
    let calldata = receiver_calldata(addr(ALICE), addr(ALICE), id(1), &[]);
    let cases: Vec<(MockAnswer, Vec<u8>)> = vec![
        (Ok(word_with_selector([1, 2, 3, 4])), err(reasons::ERC721_NON_RECEIVER)),
        (Err(vec![]), err(reasons::ERC721_NON_RECEIVER)),
        (Err(err("custom")), err("custom")),
        (Ok(ERC721_RECEIVED.to_vec()), vec![]),
    ];
    for (answer, expected) in cases {
        vm.clear_mocks();
        vm.mock_call(receiver, calldata.clone(), U256::ZERO, answer);
        // Each failure would roll the whole transaction back on chain; here the token has
        // moved, so move it back before the next case.
        assert_eq!(data(t.safe_transfer_from(addr(ALICE), receiver, id(1), &[])), expected);
        assert_eq!(t.owner_of(id(1)), Ok(receiver));
        vm.set_sender(receiver);
        t.transfer_from(receiver, addr(ALICE), id(1)).unwrap();
        vm.set_sender(addr(ALICE));
    }
}

#[derive(Debug, Clone)]
enum Op {
    Mint(u8),
    Transfer(usize, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4).prop_map(Op::Mint),
        (any::<usize>(), 0u8..4).prop_map(|(i, to)| Op::Transfer(i, to)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn enumeration_stays_consistent(ops in proptest::collection::vec(op(), 1..40)) {
        let (vm, mut t) = setup();
        let owners: Vec<Address> = (0u8..4).map(|n| addr(0x10 + n)).collect();
        let mut model: BTreeMap<U256, Address> = BTreeMap::new();
        let mut minted: Vec<U256> = Vec::new();
        for (n, op) in ops.into_iter().enumerate() {
            match op {
                Op::Mint(to) => {
                    let token = U256::from(1000 + n);
                    t.mint(owners[to as usize], token).unwrap();
                    model.insert(token, owners[to as usize]);
                    minted.push(token);
                }
                Op::Transfer(i, to) => {
                    if minted.is_empty() {
                        continue;
                    }
                    let token = minted[i % minted.len()];
                    let from = model[&token];
                    vm.set_sender(from);
                    t.transfer_from(from, owners[to as usize], token).unwrap();
                    model.insert(token, owners[to as usize]);
                }
            }
            prop_assert_eq!(t.total_supply(), U256::from(minted.len()));
            for (i, token) in minted.iter().enumerate() {
                prop_assert_eq!(t.token_by_index(U256::from(i)), Ok(*token));
                prop_assert_eq!(t.owner_of(*token), Ok(model[token]));
            }
            for owner in &owners {
                let expected: Vec<U256> =
                    model.iter().filter(|(_, o)| *o == owner).map(|(k, _)| *k).collect();
                let balance = t.balance_of(*owner).unwrap();
                prop_assert_eq!(balance, U256::from(expected.len()));
                let mut listed: Vec<U256> = (0..expected.len())
                    .map(|i| t.token_of_owner_by_index(*owner, U256::from(i)).unwrap())
                    .collect();
                listed.sort();
                prop_assert_eq!(listed, expected);
                prop_assert!(t.token_of_owner_by_index(*owner, balance).is_err());
            }
        }
    }
}
