//! DatasetRegistry tests: name/symbol, initializer encoding, createDataset/predictDataset
//! agreement and collision. The shared surface is tested in `poco-app-registry` and
//! `poco-registry-common`.

use alloy_primitives::{keccak256, Address, LogData, B256, U256};
use alloy_sol_types::SolEvent;
use poco_registry_common::{
    erc721::Transfer,
    error::{encode_reason, reasons},
    proxy,
};
use stylus_sdk::{abi::Bytes, testing::*};

use super::*;

const REGISTRY: Address = Address::repeat_byte(0xee);
const MASTER: Address = Address::repeat_byte(0x4d);
const OWNER: Address = Address::repeat_byte(0x01);
const ALICE: Address = Address::repeat_byte(0xa1);

fn deployed() -> (TestVM, DatasetRegistry) {
    let vm = TestVM::default();
    vm.set_contract_address(REGISTRY);
    vm.set_sender(OWNER);
    let mut r = DatasetRegistry::from(&vm);
    r.constructor(OWNER, MASTER);
    (vm, r)
}

#[test]
fn metadata() {
    let (_vm, r) = deployed();
    assert_eq!(r.name(), "iExec Dataset Registry (V5)");
    assert_eq!(r.symbol(), "iExecDatasetsV5");
    assert_eq!(r.owner(), OWNER);
    assert_eq!(r.master(), MASTER);
}

#[test]
fn create_and_predict_agree() {
    let (vm, mut r) = deployed();
    let multiaddr = Bytes::from(b"ipfs://dataset".to_vec());
    let checksum = B256::repeat_byte(9);
    let init = initializer("ds".into(), &multiaddr, checksum);
    assert_eq!(&init[..4], &keccak256("initialize(string,bytes,bytes32)")[..4]);
    let predicted = r.predict_dataset(ALICE, "ds".into(), multiaddr.clone(), checksum);
    let code = proxy::creation_code(MASTER);
    let salt = proxy::entry_salt(&init, ALICE);
    assert_eq!(predicted, REGISTRY.create2_from_code(salt, &code));
    vm.mock_deploy(code, Some(salt), Ok(predicted));
    vm.mock_call(predicted, init, U256::ZERO, Ok(vec![]));
    assert_eq!(r.create_dataset(ALICE, "ds".into(), multiaddr.clone(), checksum), Ok(predicted));
    let id = U256::from_be_slice(predicted.as_slice());
    assert_eq!(r.owner_of(id), Ok(ALICE));
    assert_eq!(r.is_registered(predicted), Ok(true));
    let (topics, data) = vm.get_emitted_logs().last().cloned().unwrap();
    assert_eq!(
        LogData::new_unchecked(topics, data.into()),
        Transfer { from: Address::ZERO, to: ALICE, tokenId: id }.encode_log_data()
    );
    // Same dataset for the same owner again: CREATE2 collides.
    vm.clear_mocks();
    let again: Vec<u8> = r
        .create_dataset(ALICE, "ds".into(), multiaddr, checksum)
        .expect_err("collision")
        .into();
    assert_eq!(again, encode_reason(reasons::CREATE2_FAILED));
}
