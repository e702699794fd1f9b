//! The devnet's StylusDeployer against the rules of nitro-contracts' `StylusDeployer.sol`:
//! CREATE2 at the address its salt rule gives (CREATE with a zero salt), activation paid
//! from the value and the excess returned, the constructor in the same transaction, and
//! each of its reverts. The program is this tree's RLC (`target/stylus/rlc.code`, from
//! `cargo xtask wasm`), whose constructor refuses a zero initial holder.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use poco_devnet::stylus::arbwasm::{ArbWasm, ARB_WASM};
use poco_devnet::stylus::code::deploy_init_code;
use poco_devnet::stylus_deployer::{init_salt, StylusDeployer, STYLUS_DEPLOYER};
use poco_devnet::{Devnet, DevnetConfig, TxRecord, TxRequest};

sol! {
    function balanceOf(address owner) external view returns (uint256);
}

fn rlc_code() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/stylus/rlc.code");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{} is missing ({e}): run `cargo xtask wasm` first", path.display()))
}

/// Constructor calldata of a stylus-sdk program: `stylus_constructor()`'s selector + args.
fn constructor(holder: Address) -> Bytes {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend_from_slice(&alloy_sol_types::SolValue::abi_encode(&holder));
    data.into()
}

fn deploy(dev: &mut Devnet, from: Address, code: &[u8], init: Bytes, init_value: U256, salt: B256, value: U256) -> TxRecord {
    // Empty `code` is sent as empty bytecode (not as the init code of an empty program).
    let bytecode = if code.is_empty() { Bytes::new() } else { deploy_init_code(code) };
    let call = StylusDeployer::deployCall { bytecode, initData: init, initValue: init_value, salt };
    dev.send(TxRequest { from, to: Some(STYLUS_DEPLOYER), data: call.abi_encode().into(), value, gas: Some(30_000_000), ..Default::default() })
        .expect("send")
}

fn deployed(record: &TxRecord) -> Address {
    assert!(record.outcome.success, "{:?}", record.outcome.output);
    let log = record.outcome.logs.iter().find(|l| l.address == STYLUS_DEPLOYER).expect("ContractDeployed");
    StylusDeployer::ContractDeployed::decode_log_data(&log.data).unwrap().deployedContract
}

fn activations(record: &TxRecord) -> Vec<ArbWasm::ProgramActivated> {
    let logs = record.outcome.logs.iter().filter(|l| l.address == ARB_WASM);
    logs.filter_map(|l| ArbWasm::ProgramActivated::decode_log_data(&l.data).ok()).collect()
}

#[test]
fn deploy_creates_at_the_create2_address_activates_constructs_and_refunds_in_one_transaction() {
    let mut dev = Devnet::new(DevnetConfig::default()).unwrap();
    let alice = dev.accounts()[0];
    assert!(!dev.code(STYLUS_DEPLOYER).is_empty(), "installed at genesis");
    let code = rlc_code();
    let (salt, init) = (B256::repeat_byte(1), constructor(alice));
    let record = deploy(&mut dev, alice, &code, init.clone(), U256::ZERO, salt, U256::from(10u64).pow(U256::from(18u64)));
    let rlc = deployed(&record);
    let expected = STYLUS_DEPLOYER.create2(init_salt(salt, &init), keccak256(deploy_init_code(&code)));
    assert_eq!(rlc, expected);
    let activated = activations(&record);
    assert_eq!(activated.len(), 1);
    assert!(activated[0].dataFee > U256::ZERO);
    assert_eq!(dev.balance(STYLUS_DEPLOYER), U256::ZERO, "the excess value went back to the sender");
    // The constructor ran in that transaction: the holder has the supply.
    let call = balanceOfCall { owner: alice }.abi_encode();
    let out = dev.call(&TxRequest { from: alice, to: Some(rlc), data: call.into(), ..Default::default() }).unwrap();
    assert!(balanceOfCall::abi_decode_returns(&out.output).unwrap() > U256::ZERO);

    // The same code under another salt is already active: no activation, no value needed.
    let again = deploy(&mut dev, alice, &code, init.clone(), U256::ZERO, B256::repeat_byte(2), U256::ZERO);
    assert_ne!(deployed(&again), rlc);
    assert!(activations(&again).is_empty());

    // The same salt and calldata again: the address is taken.
    let taken = deploy(&mut dev, alice, &code, init, U256::ZERO, salt, U256::ZERO);
    assert!(!taken.outcome.success);
    assert!(StylusDeployer::ContractDeploymentError::abi_decode(&taken.outcome.output).is_ok());

    // A zero salt is CREATE at the deployer's nonce (1 at genesis, then 1 per creation).
    let nonce = dev.nonce(STYLUS_DEPLOYER);
    let created = deploy(&mut dev, alice, &code, constructor(alice), U256::ZERO, B256::ZERO, U256::ZERO);
    assert_eq!(deployed(&created), STYLUS_DEPLOYER.create(nonce));
}

#[test]
fn a_failing_constructor_or_bad_arguments_revert_with_the_deployers_errors_and_leave_nothing() {
    let mut dev = Devnet::new(DevnetConfig::default()).unwrap();
    let alice = dev.accounts()[0];
    let code = rlc_code();
    let (salt, init) = (B256::repeat_byte(3), constructor(Address::ZERO));
    let one_eth = U256::from(10u64).pow(U256::from(18u64));
    let before = dev.balance(alice);
    let failed = deploy(&mut dev, alice, &code, init.clone(), U256::ZERO, salt, one_eth);
    assert!(!failed.outcome.success);
    let e = StylusDeployer::ContractInitializationError::abi_decode(&failed.outcome.output).unwrap();
    assert_eq!(e.newContract, STYLUS_DEPLOYER.create2(init_salt(salt, &init), keccak256(deploy_init_code(&code))));
    assert!(!e.data.is_empty(), "RLC's own revert is carried");
    assert!(dev.code(e.newContract).is_empty(), "creation and activation rolled back");
    assert!(before - dev.balance(alice) < one_eth / U256::from(100u64), "only gas was paid");

    let empty = deploy(&mut dev, alice, &[], Bytes::new(), U256::ZERO, salt, U256::ZERO);
    assert!(StylusDeployer::EmptyBytecode::abi_decode(&empty.outcome.output).is_ok());
    let no_data = deploy(&mut dev, alice, &code, Bytes::new(), U256::from(1u64), salt, one_eth);
    assert!(StylusDeployer::InitValueButNotInitData::abi_decode(&no_data.outcome.output).is_ok());
    // initValue above msg.value: Solidity's checked subtraction.
    let short = deploy(&mut dev, alice, &code, constructor(alice), U256::from(5u64), salt, U256::from(4u64));
    assert!(!short.outcome.success);
    assert_eq!(&short.outcome.output[..4], &[0x4e, 0x48, 0x7b, 0x71], "Panic(uint256)");
}
