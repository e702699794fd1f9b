//! WorkerpoolRegistry tests: name/symbol, initializer encoding, createWorkerpool /
//! predictWorkerpool agreement and collision. The shared surface is tested in
//! `poco-app-registry` and `poco-registry-common`.

use alloy_primitives::{keccak256, Address, U256};
use poco_registry_common::{
    error::{encode_reason, reasons},
    proxy,
};
use stylus_sdk::testing::*;

use super::*;

const REGISTRY: Address = Address::repeat_byte(0xee);
const MASTER: Address = Address::repeat_byte(0x4d);
const OWNER: Address = Address::repeat_byte(0x01);
const ALICE: Address = Address::repeat_byte(0xa1);

fn deployed() -> (TestVM, WorkerpoolRegistry) {
    let vm = TestVM::default();
    vm.set_contract_address(REGISTRY);
    vm.set_sender(OWNER);
    let mut r = WorkerpoolRegistry::from(&vm);
    r.constructor(OWNER, MASTER);
    (vm, r)
}

#[test]
fn metadata() {
    let (_vm, r) = deployed();
    assert_eq!(r.name(), "iExec Workerpool Registry (V5)");
    assert_eq!(r.symbol(), "iExecWorkerpoolV5");
    assert_eq!(r.owner(), OWNER);
}

#[test]
fn create_and_predict_agree() {
    let (vm, mut r) = deployed();
    let init = initializer("pool".into());
    assert_eq!(&init[..4], &keccak256("initialize(string)")[..4]);
    let predicted = r.predict_workerpool(ALICE, "pool".into());
    let code = proxy::creation_code(MASTER);
    let salt = proxy::entry_salt(&init, ALICE);
    assert_eq!(predicted, REGISTRY.create2_from_code(salt, &code));
    vm.mock_deploy(code, Some(salt), Ok(predicted));
    vm.mock_call(predicted, init, U256::ZERO, Ok(vec![]));
    assert_eq!(r.create_workerpool(ALICE, "pool".into()), Ok(predicted));
    assert_eq!(r.owner_of(U256::from_be_slice(predicted.as_slice())), Ok(ALICE));
    assert_eq!(r.total_supply(), U256::from(1));
    vm.clear_mocks();
    let again: Vec<u8> = r
        .create_workerpool(ALICE, "pool".into())
        .expect_err("collision")
        .into();
    assert_eq!(again, encode_reason(reasons::CREATE2_FAILED));
}
