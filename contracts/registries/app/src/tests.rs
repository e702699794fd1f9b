//! App entry tests under TestVM (the program as it runs behind its proxy: `contract_address`
//! is the proxy, `msg.sender` of `initialize` the registry).

use alloy_primitives::{keccak256, Address, B256, U256};
use poco_registry_common::{
    entry::OWNER_OF_SELECTOR,
    error::{encode_reason, reasons},
};
use stylus_sdk::{abi::Bytes, testing::*};

use super::*;
use poco_registry_common::Error;

const REGISTRY: Address = Address::repeat_byte(0xee);
const ENTRY: Address = Address::repeat_byte(0xe1);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

fn revert<T: core::fmt::Debug>(result: Result<T, Error>) -> Vec<u8> {
    result.expect_err("expected a revert").into()
}

fn owner_of_calldata() -> Vec<u8> {
    let mut calldata = OWNER_OF_SELECTOR.to_vec();
    calldata.extend_from_slice(&[0u8; 12]);
    calldata.extend_from_slice(ENTRY.as_slice());
    calldata
}

fn registry_says_owner_is(vm: &TestVM, owner: Address) {
    vm.clear_mocks();
    let mut word = vec![0u8; 12];
    word.extend_from_slice(owner.as_slice());
    vm.mock_static_call(REGISTRY, owner_of_calldata(), Ok(word));
}

fn initialized() -> (TestVM, App) {
    let vm = TestVM::default();
    vm.set_contract_address(ENTRY);
    vm.set_sender(REGISTRY);
    let mut app = App::from(&vm);
    app.initialize(
        "my-app".into(),
        "DOCKER".into(),
        Bytes::from(b"docker.io/app:1".to_vec()),
        B256::repeat_byte(7),
        Bytes::from(b"enclave".to_vec()),
    )
    .unwrap();
    (vm, app)
}

#[test]
fn initialize_stores_fields_in_poco_slots() {
    let (vm, app) = initialized();
    assert_eq!(app.registry(), REGISTRY);
    assert_eq!(app.m_app_name(), "my-app");
    assert_eq!(app.m_app_type(), "DOCKER");
    assert_eq!(app.m_app_multiaddr().to_vec(), b"docker.io/app:1".to_vec());
    assert_eq!(app.m_app_checksum(), B256::repeat_byte(7));
    assert_eq!(app.m_app_mrenclave().to_vec(), b"enclave".to_vec());
    // Solidity layout: registry at slot 0, checksum at slot 4, short string inline at slot 1.
    let mut registry_word = [0u8; 32];
    registry_word[12..].copy_from_slice(REGISTRY.as_slice());
    assert_eq!(vm.get_storage(U256::ZERO), B256::from(registry_word));
    assert_eq!(vm.get_storage(U256::from(4)), B256::repeat_byte(7));
    let mut name_word = [0u8; 32];
    name_word[..6].copy_from_slice(b"my-app");
    name_word[31] = 12; // short string: length * 2
    assert_eq!(vm.get_storage(U256::from(1)), B256::from(name_word));
    assert_eq!(OWNER_OF_SELECTOR, keccak256("ownerOf(uint256)")[..4]);
}

#[test]
fn initialize_only_once() {
    let (vm, mut app) = initialized();
    vm.set_sender(ALICE);
    assert_eq!(
        revert(app.initialize("x".into(), "y".into(), Bytes::default(), B256::ZERO, Bytes::default())),
        encode_reason(reasons::ENTRY_ALREADY_INITIALIZED)
    );
    assert_eq!(app.registry(), REGISTRY);
}

#[test]
fn owner_follows_the_registry_nft() {
    let (vm, app) = initialized();
    registry_says_owner_is(&vm, ALICE);
    assert_eq!(app.owner(), Ok(ALICE));
    // The NFT moved: the registry now answers BOB.
    registry_says_owner_is(&vm, BOB);
    assert_eq!(app.owner(), Ok(BOB));
    // Registry revert data is bubbled.
    vm.clear_mocks();
    let nonexistent = encode_reason(reasons::ERC721_OWNER_OF_NONEXISTENT);
    vm.mock_static_call(REGISTRY, owner_of_calldata(), Err(nonexistent.clone()));
    assert_eq!(revert(app.owner()), nonexistent);
}

#[test]
fn owner_of_uninitialized_entry_reverts_bare() {
    let vm = TestVM::default();
    vm.set_contract_address(ENTRY);
    let app = App::from(&vm);
    assert_eq!(app.registry(), Address::ZERO);
    // A call to an address without code answers empty data: the decode fails, bare revert.
    assert_eq!(revert(app.owner()), Vec::<u8>::new());
}

#[test]
fn set_name_is_owner_only_and_unsupported() {
    let (vm, mut app) = initialized();
    registry_says_owner_is(&vm, ALICE);
    vm.set_sender(BOB);
    assert_eq!(
        revert(app.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::ENTRY_NOT_OWNER)
    );
    vm.set_sender(ALICE);
    assert_eq!(
        revert(app.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::OPERATION_NOT_SUPPORTED)
    );
}
