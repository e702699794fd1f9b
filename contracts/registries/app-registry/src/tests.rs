//! AppRegistry tests under TestVM: constructor, every shared public method through the
//! contract, every revert (exact revert data), events, createApp/predictApp agreement.

use alloy_primitives::{keccak256, Address, FixedBytes, LogData, B256, U256};
use alloy_sol_types::SolEvent;
use poco_registry_common::{
    erc721::{Approval, Transfer},
    error::{encode_reason, reasons},
    ownable::OwnershipTransferred,
    proxy,
    registry::IS_REGISTERED_SELECTOR,
};
use stylus_sdk::{abi::Bytes, testing::*};

use super::*;
use poco_registry_common::Error;

const REGISTRY: Address = Address::repeat_byte(0xee);
const MASTER: Address = Address::repeat_byte(0x4d);
const OWNER: Address = Address::repeat_byte(0x01);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

fn logs(vm: &TestVM) -> Vec<LogData> {
    vm.get_emitted_logs()
        .into_iter()
        .map(|(topics, data)| LogData::new_unchecked(topics, data.into()))
        .collect()
}

fn revert<T: core::fmt::Debug>(result: Result<T, Error>) -> Vec<u8> {
    result.expect_err("expected a revert").into()
}

fn deployed() -> (TestVM, AppRegistry) {
    let vm = TestVM::default();
    vm.set_contract_address(REGISTRY);
    vm.set_sender(OWNER);
    let mut r = AppRegistry::from(&vm);
    r.constructor(OWNER, MASTER);
    (vm, r)
}

struct AppArgs {
    name: String,
    kind: String,
    multiaddr: Bytes,
    checksum: B256,
    mrenclave: Bytes,
}

fn app(n: u8) -> AppArgs {
    AppArgs {
        name: format!("app-{n}"),
        kind: "DOCKER".into(),
        multiaddr: Bytes::from(b"docker.io/iexechub/app:1.0".to_vec()),
        checksum: B256::repeat_byte(n),
        mrenclave: Bytes::from(vec![n; 3]),
    }
}

fn init_of(a: &AppArgs) -> Vec<u8> {
    initializer(a.name.clone(), a.kind.clone(), &a.multiaddr, a.checksum, &a.mrenclave)
}

fn predict(r: &AppRegistry, owner: Address, a: &AppArgs) -> Address {
    r.predict_app(owner, a.name.clone(), a.kind.clone(), a.multiaddr.clone(), a.checksum, a.mrenclave.clone())
}

fn create(r: &mut AppRegistry, owner: Address, a: &AppArgs) -> Result<Address, Error> {
    r.create_app(owner, a.name.clone(), a.kind.clone(), a.multiaddr.clone(), a.checksum, a.mrenclave.clone())
}

/// Mocks what the chain does for `createApp(owner, a)`: CREATE2 of the proxy code at the
/// real CREATE2 address, then a successful `initialize` call on it.
fn mock_chain_create(vm: &TestVM, owner: Address, a: &AppArgs) -> Address {
    let code = proxy::creation_code(MASTER);
    let salt = proxy::entry_salt(&init_of(a), owner);
    let entry = REGISTRY.create2_from_code(salt, &code);
    vm.mock_deploy(code, Some(salt), Ok(entry));
    vm.mock_call(entry, init_of(a), U256::ZERO, Ok(vec![]));
    entry
}

fn token(entry: Address) -> U256 {
    U256::from_be_slice(entry.as_slice())
}

#[test]
fn constructor_sets_owner_master_and_proxy_code() {
    let (vm, r) = deployed();
    assert_eq!(r.owner(), OWNER);
    assert_eq!(r.master(), MASTER);
    let code = proxy::creation_code(MASTER);
    assert_eq!(r.proxy_code().to_vec(), code);
    assert_eq!(r.proxy_code_hash(), keccak256(&code));
    assert_eq!(r.previous(), Address::ZERO);
    assert!(!r.initialized());
    assert_eq!(r.name(), "iExec Application Registry (V5)");
    assert_eq!(r.symbol(), "iExecAppsV5");
    assert_eq!(r.base_uri(), "");
    assert_eq!(r.total_supply(), U256::ZERO);
    assert_eq!(
        logs(&vm),
        vec![OwnershipTransferred { previousOwner: Address::ZERO, newOwner: OWNER }.encode_log_data()]
    );
}

#[test]
fn initializer_is_encode_with_signature() {
    let init = init_of(&app(1));
    assert_eq!(&init[..4], &keccak256("initialize(string,string,bytes,bytes32,bytes)")[..4]);
}

#[test]
fn predict_is_the_create2_address_of_the_proxy() {
    let (_vm, r) = deployed();
    let a = app(1);
    let mut packed = init_of(&a);
    packed.extend_from_slice(ALICE.as_slice());
    let expected = REGISTRY.create2(keccak256(&packed), keccak256(proxy::creation_code(MASTER)));
    assert_eq!(predict(&r, ALICE, &a), expected);
    assert_ne!(predict(&r, BOB, &a), expected);
    assert_ne!(predict(&r, ALICE, &app(2)), expected);
}

#[test]
fn create_app_deploys_initializes_and_mints() {
    let (vm, mut r) = deployed();
    let a = app(1);
    let predicted = predict(&r, ALICE, &a);
    let entry = mock_chain_create(&vm, ALICE, &a);
    assert_eq!(entry, predicted);
    vm.set_sender(BOB); // anyone can create for anyone
    assert_eq!(create(&mut r, ALICE, &a), Ok(predicted));
    assert_eq!(r.owner_of(token(entry)), Ok(ALICE));
    assert_eq!(r.balance_of(ALICE), Ok(U256::from(1)));
    assert_eq!(r.total_supply(), U256::from(1));
    assert_eq!(r.token_by_index(U256::ZERO), Ok(token(entry)));
    assert_eq!(r.token_of_owner_by_index(ALICE, U256::ZERO), Ok(token(entry)));
    assert_eq!(r.is_registered(entry), Ok(true));
    assert_eq!(
        logs(&vm).last().cloned(),
        Some(Transfer { from: Address::ZERO, to: ALICE, tokenId: token(entry) }.encode_log_data())
    );
}

#[test]
fn create_app_reverts() {
    let (vm, mut r) = deployed();
    let a = app(1);
    // CREATE2 fails (code already at the address): TestVM returns the zero address.
    vm.clear_mocks();
    assert_eq!(revert(create(&mut r, ALICE, &a)), encode_reason(reasons::CREATE2_FAILED));
    // initialize fails: bare revert, as PoCo's proxy `require(success)`.
    let entry = mock_chain_create(&vm, ALICE, &a);
    vm.mock_call(entry, init_of(&a), U256::ZERO, Err(encode_reason("already initialized")));
    assert_eq!(revert(create(&mut r, ALICE, &a)), Vec::<u8>::new());
    // Zero owner: the mint fails.
    vm.clear_mocks();
    mock_chain_create(&vm, Address::ZERO, &a);
    assert_eq!(
        revert(create(&mut r, Address::ZERO, &a)),
        encode_reason(reasons::ERC721_MINT_TO_ZERO)
    );
}

#[test]
fn initialize_once_by_owner() {
    let (vm, mut r) = deployed();
    let previous = Address::repeat_byte(0x99);
    vm.set_sender(ALICE);
    assert_eq!(revert(r.initialize(previous)), encode_reason(reasons::OWNABLE_NOT_OWNER));
    vm.set_sender(OWNER);
    r.initialize(previous).unwrap();
    assert!(r.initialized());
    assert_eq!(r.previous(), previous);
    assert_eq!(revert(r.initialize(Address::ZERO)), Vec::<u8>::new());
}

#[test]
fn is_registered_falls_back_to_previous() {
    let (vm, mut r) = deployed();
    let stranger = Address::repeat_byte(0x55);
    assert_eq!(r.is_registered(stranger), Ok(false));
    let previous = Address::repeat_byte(0x99);
    r.initialize(previous).unwrap();
    let mut calldata = IS_REGISTERED_SELECTOR.to_vec();
    calldata.extend_from_slice(&[0u8; 12]);
    calldata.extend_from_slice(stranger.as_slice());
    assert_eq!(&calldata[..4], &keccak256("isRegistered(address)")[..4]);
    vm.mock_static_call(previous, calldata.clone(), Ok(U256::from(1).to_be_bytes::<32>().to_vec()));
    assert_eq!(r.is_registered(stranger), Ok(true));
    vm.clear_mocks();
    vm.mock_static_call(previous, calldata.clone(), Ok(vec![0u8; 32]));
    assert_eq!(r.is_registered(stranger), Ok(false));
    vm.clear_mocks();
    vm.mock_static_call(previous, calldata, Err(encode_reason("nope")));
    assert_eq!(revert(r.is_registered(stranger)), encode_reason("nope"));
}

#[test]
fn base_uri_and_token_uri() {
    let (vm, mut r) = deployed();
    let a = app(1);
    let entry = mock_chain_create(&vm, ALICE, &a);
    create(&mut r, ALICE, &a).unwrap();
    assert_eq!(r.token_uri(token(entry)), Ok(String::new()));
    vm.set_sender(ALICE);
    assert_eq!(
        revert(r.set_base_uri("x".into())),
        encode_reason(reasons::OWNABLE_NOT_OWNER)
    );
    vm.set_sender(OWNER);
    r.set_base_uri("https://nfts-metadata.iex.ec/app/42161/".into()).unwrap();
    assert_eq!(r.base_uri(), "https://nfts-metadata.iex.ec/app/42161/");
    assert_eq!(
        r.token_uri(token(entry)),
        Ok(format!("https://nfts-metadata.iex.ec/app/42161/{}", token(entry)))
    );
    assert_eq!(
        revert(r.token_uri(U256::from(1))),
        encode_reason(reasons::ERC721_URI_OF_NONEXISTENT)
    );
}

#[test]
fn set_name_is_owner_only_and_unsupported() {
    let (vm, mut r) = deployed();
    vm.set_sender(ALICE);
    assert_eq!(
        revert(r.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::OWNABLE_NOT_OWNER)
    );
    vm.set_sender(OWNER);
    assert_eq!(
        revert(r.set_name(Address::ZERO, "x".into())),
        encode_reason(reasons::OPERATION_NOT_SUPPORTED)
    );
}

#[test]
fn ownable_through_the_contract() {
    let (vm, mut r) = deployed();
    vm.set_sender(ALICE);
    assert_eq!(revert(r.transfer_ownership(ALICE)), encode_reason(reasons::OWNABLE_NOT_OWNER));
    assert_eq!(revert(r.renounce_ownership()), encode_reason(reasons::OWNABLE_NOT_OWNER));
    vm.set_sender(OWNER);
    assert_eq!(
        revert(r.transfer_ownership(Address::ZERO)),
        encode_reason(reasons::OWNABLE_ZERO_OWNER)
    );
    r.transfer_ownership(ALICE).unwrap();
    assert_eq!(r.owner(), ALICE);
    vm.set_sender(ALICE);
    r.renounce_ownership().unwrap();
    assert_eq!(r.owner(), Address::ZERO);
}

#[test]
fn entry_nft_moves_through_the_contract() {
    let (vm, mut r) = deployed();
    let a = app(1);
    let entry = mock_chain_create(&vm, ALICE, &a);
    create(&mut r, ALICE, &a).unwrap();
    let id = token(entry);
    vm.clear_mocks();
    vm.set_sender(ALICE);
    r.approve(BOB, id).unwrap();
    assert_eq!(r.get_approved(id), Ok(BOB));
    vm.set_sender(BOB);
    r.transfer_from(ALICE, BOB, id).unwrap();
    assert_eq!(r.owner_of(id), Ok(BOB));
    r.set_approval_for_all(ALICE, true).unwrap();
    assert!(r.is_approved_for_all(BOB, ALICE));
    vm.set_sender(ALICE);
    r.safe_transfer_from(BOB, ALICE, id).unwrap();
    assert_eq!(r.owner_of(id), Ok(ALICE));
    r.safe_transfer_from_with_data(ALICE, BOB, id, Bytes::from(b"x".to_vec())).unwrap();
    assert_eq!(r.owner_of(id), Ok(BOB));
    assert_eq!(r.balance_of(ALICE), Ok(U256::ZERO));
    assert_eq!(
        logs(&vm)[0],
        Approval { owner: ALICE, approved: BOB, tokenId: id }.encode_log_data()
    );
    // Revert paths reached through the contract.
    vm.set_sender(Address::repeat_byte(0x33));
    assert_eq!(
        revert(r.transfer_from(BOB, ALICE, id)),
        encode_reason(reasons::ERC721_TRANSFER_NOT_ALLOWED)
    );
    assert_eq!(
        revert(r.balance_of(Address::ZERO)),
        encode_reason(reasons::ERC721_BALANCE_OF_ZERO)
    );
    assert_eq!(
        revert(r.owner_of(U256::from(3))),
        encode_reason(reasons::ERC721_OWNER_OF_NONEXISTENT)
    );
    assert_eq!(
        revert(r.get_approved(U256::from(3))),
        encode_reason(reasons::ERC721_APPROVED_OF_NONEXISTENT)
    );
    assert_eq!(
        revert(r.token_by_index(U256::from(1))),
        encode_reason(reasons::ENUMERABLE_MAP_OUT_OF_BOUNDS)
    );
    assert_eq!(
        revert(r.token_of_owner_by_index(ALICE, U256::ZERO)),
        encode_reason(reasons::ENUMERABLE_SET_OUT_OF_BOUNDS)
    );
    vm.set_sender(ALICE);
    assert_eq!(
        revert(r.set_approval_for_all(ALICE, true)),
        encode_reason(reasons::ERC721_APPROVE_TO_CALLER)
    );
    assert_eq!(
        revert(r.approve(ALICE, U256::from(3))),
        encode_reason(reasons::ERC721_OWNER_OF_NONEXISTENT)
    );
}

#[test]
fn supports_the_four_oz3_interfaces() {
    let (_vm, r) = deployed();
    for id in ["01ffc9a7", "80ac58cd", "5b5e139f", "780e9d63"] {
        let bytes: FixedBytes<4> = id.parse().unwrap();
        assert!(r.supports_interface(bytes), "{id}");
    }
    assert!(!r.supports_interface(FixedBytes::from([0xff; 4])));
}
