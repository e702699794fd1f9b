//! Dataset entry tests under TestVM.

use alloy_primitives::{Address, B256, U256};
use poco_registry_common::{
    entry::OWNER_OF_SELECTOR,
    error::{encode_reason, reasons},
};
use stylus_sdk::{abi::Bytes, testing::*};

use super::*;
use poco_registry_common::Error;

const REGISTRY: Address = Address::repeat_byte(0xee);
const ENTRY: Address = Address::repeat_byte(0xd1);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

fn revert<T: core::fmt::Debug>(result: Result<T, Error>) -> Vec<u8> {
    result.expect_err("expected a revert").into()
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

fn initialized() -> (TestVM, Dataset) {
    let vm = TestVM::default();
    vm.set_contract_address(ENTRY);
    vm.set_sender(REGISTRY);
    let mut dataset = Dataset::from(&vm);
    dataset
        .initialize("my-dataset".into(), Bytes::from(b"ipfs://x".to_vec()), B256::repeat_byte(3))
        .unwrap();
    (vm, dataset)
}

#[test]
fn initialize_stores_fields() {
    let (vm, d) = initialized();
    assert_eq!(d.registry(), REGISTRY);
    assert_eq!(d.m_dataset_name(), "my-dataset");
    assert_eq!(d.m_dataset_multiaddr().to_vec(), b"ipfs://x".to_vec());
    assert_eq!(d.m_dataset_checksum(), B256::repeat_byte(3));
    assert_eq!(vm.get_storage(U256::from(3)), B256::repeat_byte(3));
}

#[test]
fn initialize_only_once() {
    let (_vm, mut d) = initialized();
    assert_eq!(
        revert(d.initialize("x".into(), Bytes::default(), B256::ZERO)),
        encode_reason(reasons::ENTRY_ALREADY_INITIALIZED)
    );
}

#[test]
fn owner_and_set_name() {
    let (vm, mut d) = initialized();
    registry_says_owner_is(&vm, ALICE);
    assert_eq!(d.owner(), Ok(ALICE));
    vm.set_sender(BOB);
    assert_eq!(
        revert(d.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::ENTRY_NOT_OWNER)
    );
    registry_says_owner_is(&vm, BOB);
    assert_eq!(d.owner(), Ok(BOB));
    assert_eq!(
        revert(d.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::OPERATION_NOT_SUPPORTED)
    );
}
