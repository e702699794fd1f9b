//! Orders facet on a `MockHost`: presign/close by sender, by 65- and 64-byte ECDSA (k256;
//! the ecrecover precompile is mocked with the address it would return), by ERC-1271, the
//! refusals and their exact revert data, broadcast events, and the signature views.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolEvent};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use poco_core::{
    eip712::domain_separator,
    signature::{ecrecover_input, parse_signature, ECRECOVER_PRECOMPILE, SECP256K1_N_HALF},
};
use poco_core::orders::{broadcastRequestOrderCall, manageRequestOrderCall, RequestOrder, RequestOrderOperation};
use poco_hub_base::{poco_storage, testing::MockHost};
use stylus_sdk::abi::Router;

use super::*;

sol! {
    function owner() returns (address);
    function isValidSignature(bytes32 hash, bytes signature) returns (bytes4);
}

const HUB: Address = address!("00000000000000000000000000000000000c0c00");
const APP: Address = address!("00000000000000000000000000000000000a0a00");
const DATASET: Address = address!("00000000000000000000000000000000000d0d00");
const WORKERPOOL: Address = address!("00000000000000000000000000000000000e0e00");
const WALLET: Address = address!("0000000000000000000000000000000000001271");
const STRANGER: Address = address!("0000000000000000000000000000000000005555");

/// An EOA with a k256 key.
struct Signer {
    key: SigningKey,
    address: Address,
}

impl Signer {
    fn new(seed: u8) -> Self {
        let key = SigningKey::from_bytes(&[seed; 32].into()).unwrap();
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Self { key, address }
    }

    fn sign65(&self, hash: &B256) -> Vec<u8> {
        let (sig, recid) = self.key.sign_prehash_recoverable(hash.as_slice()).unwrap();
        let mut out = sig.to_bytes().to_vec();
        out.push(27 + recid.to_byte());
        out
    }

    fn sign64(&self, hash: &B256) -> Vec<u8> {
        let mut out = self.sign65(hash);
        if out.pop() == Some(28) {
            out[32] |= 0x80;
        }
        out
    }
}

/// Mocks the ecrecover precompile for `(hash, sig)` with what it would answer: the signer
/// recovered from `(v, r, s)` (k256), as a 32-byte word.
fn mock_ecrecover(host: &MockHost, hash: &B256, sig: &[u8]) {
    let parsed = parse_signature(sig).unwrap();
    let signature = Signature::from_scalars(parsed.r.0, parsed.s.0).unwrap();
    let recid = RecoveryId::from_byte(parsed.v - 27).unwrap();
    let key = VerifyingKey::recover_from_prehash(hash.as_slice(), &signature, recid).unwrap();
    let point = key.to_encoded_point(false);
    let signer = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
    host.mock(ECRECOVER_PRECOMPILE, ecrecover_input(hash, &parsed).to_vec(), Ok(signer.into_word().to_vec()));
}

fn setup() -> (MockHost, OrdersFacet, B256) {
    let host = MockHost::default();
    host.vm.set_contract_address(HUB);
    let domain = domain_separator(host.vm.chain_id(), &HUB);
    poco_storage(&host.handle()).domain_separator.set(domain);
    let facet = OrdersFacet::from(&host);
    (host, facet, domain)
}

fn mock_owner(host: &MockHost, asset: Address, owner: Address) {
    host.set_contract(asset);
    host.mock(asset, ownerCall {}.abi_encode(), Ok(owner.into_word().to_vec()));
}

fn app_order() -> AppOrder {
    AppOrder { app: APP, appprice: U256::from(3), volume: U256::from(7), salt: B256::repeat_byte(1), ..Default::default() }
}

fn app_op(operation: u8, sign: Vec<u8>) -> AppOrderOperation {
    AppOrderOperation { order: app_order(), operation, sign: Bytes::from(sign) }
}

/// Calls the facet as its router does for a selector it does not route: the value check of
/// a non-payable method, then the fallback.
fn route(facet: &mut OrdersFacet, calldata: &[u8]) -> Result<(), Vec<u8>> {
    let out = <OrdersFacet as Router<OrdersFacet>>::fallback(facet, calldata).unwrap()?;
    assert!(out.is_empty());
    Ok(())
}

/// `manageRequestOrder` through the fallback, with calldata from core's call type.
fn manage_request(facet: &mut OrdersFacet, operation: RequestOrderOperation) -> Result<(), Vec<u8>> {
    route(facet, &manageRequestOrderCall(operation).abi_encode())
}

/// `broadcastRequestOrder` through the fallback.
fn broadcast_request(facet: &mut OrdersFacet, order: RequestOrder) -> Result<(), Vec<u8>> {
    route(facet, &broadcastRequestOrderCall(order).abi_encode())
}

fn single_log(host: &MockHost) -> (Vec<B256>, Vec<u8>) {
    let logs = host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 1, "{logs:?}");
    logs[0].clone()
}

#[test]
fn owner_signs_app_order_by_sending() {
    let (host, mut facet, domain) = setup();
    let owner = Signer::new(1).address;
    mock_owner(&host, APP, owner);
    host.vm.set_sender(owner);
    facet.manage_app_order(app_op(0, vec![])).unwrap();
    let hash = app_order().typed_data_hash(&domain);
    assert_eq!(poco_storage(&host.handle()).presigned.get(hash), owner);
    assert!(facet.verify_presignature(owner, hash));
    assert!(!facet.verify_presignature(STRANGER, hash));
    let (topics, data) = single_log(&host);
    assert_eq!(topics, vec![SignedAppOrder::SIGNATURE_HASH]);
    assert_eq!(SignedAppOrder::decode_raw_log(topics, &data).unwrap().appHash, hash);
    // Only owner() was called: the sender is the owner, no signature is checked.
    assert_eq!(host.calls_made().len(), 1);
}

#[test]
fn owner_closes_app_order_by_sending() {
    let (host, mut facet, domain) = setup();
    mock_owner(&host, APP, STRANGER);
    host.vm.set_sender(STRANGER);
    facet.manage_app_order(app_op(1, vec![])).unwrap();
    let hash = app_order().typed_data_hash(&domain);
    assert_eq!(poco_storage(&host.handle()).consumed.get(hash), U256::from(7));
    let (topics, data) = single_log(&host);
    assert_eq!(topics, vec![ClosedAppOrder::SIGNATURE_HASH]);
    assert_eq!(data, hash.to_vec());
}

#[test]
fn relayer_presigns_with_the_owners_65_byte_signature() {
    let (host, mut facet, domain) = setup();
    let owner = Signer::new(2);
    mock_owner(&host, APP, owner.address);
    let unsigned = app_op(0, vec![]);
    let op_hash = unsigned.typed_data_hash(&domain);
    let sig = owner.sign65(&op_hash);
    mock_ecrecover(&host, &op_hash, &sig);
    host.vm.set_sender(STRANGER);
    facet.manage_app_order(app_op(0, sig)).unwrap();
    assert_eq!(poco_storage(&host.handle()).presigned.get(app_order().typed_data_hash(&domain)), owner.address);
}

#[test]
fn relayer_closes_dataset_order_with_a_64_byte_compact_signature() {
    let (host, mut facet, domain) = setup();
    let owner = Signer::new(3);
    mock_owner(&host, DATASET, owner.address);
    let order = DatasetOrder { dataset: DATASET, volume: U256::from(4), ..Default::default() };
    let mut op = DatasetOrderOperation { order: order.clone(), operation: 1, sign: Bytes::new() };
    let op_hash = op.typed_data_hash(&domain);
    let sig = owner.sign64(&op_hash);
    assert_eq!(sig.len(), 64);
    mock_ecrecover(&host, &op_hash, &sig);
    op.sign = sig.into();
    host.vm.set_sender(STRANGER);
    facet.manage_dataset_order(op).unwrap();
    let hash = order.typed_data_hash(&domain);
    assert_eq!(poco_storage(&host.handle()).consumed.get(hash), U256::from(4));
    let (topics, data) = single_log(&host);
    assert_eq!(topics, vec![ClosedDatasetOrder::SIGNATURE_HASH]);
    assert_eq!(data, hash.to_vec());
}

#[test]
fn signature_of_another_key_is_refused() {
    let (host, mut facet, domain) = setup();
    let (owner, other) = (Signer::new(4), Signer::new(5));
    mock_owner(&host, APP, owner.address);
    let op_hash = app_op(0, vec![]).typed_data_hash(&domain);
    let sig = other.sign65(&op_hash);
    mock_ecrecover(&host, &op_hash, &sig);
    host.vm.set_sender(STRANGER);
    assert_eq!(facet.manage_app_order(app_op(0, sig)), Err(revert::reason("invalid-sender-or-signature")));
    assert!(host.vm.get_emitted_logs().is_empty());
    assert_eq!(poco_storage(&host.handle()).presigned.get(app_order().typed_data_hash(&domain)), Address::ZERO);
}

#[test]
fn unrecoverable_signature_without_mock_is_refused() {
    let (host, mut facet, domain) = setup();
    let owner = Signer::new(4);
    mock_owner(&host, APP, owner.address);
    let sig = owner.sign65(&app_op(0, vec![]).typed_data_hash(&domain));
    host.clear_mocks();
    mock_owner(&host, APP, owner.address);
    host.vm.set_sender(STRANGER);
    // The precompile (not mocked) answers nothing: recovered address(0) != owner.
    assert_eq!(facet.manage_app_order(app_op(0, sig)), Err(revert::reason("invalid-sender-or-signature")));
    assert_eq!(host.calls_made()[1].0, ECRECOVER_PRECOMPILE);
}

#[test]
fn wrong_length_signature_of_an_eoa_owner_is_a_format_error() {
    let (host, mut facet, _) = setup();
    mock_owner(&host, APP, Signer::new(6).address);
    host.vm.set_sender(STRANGER);
    for len in [0, 1, 63, 66] {
        assert_eq!(facet.manage_app_order(app_op(0, vec![1; len])), Err(revert::reason("invalid-signature-format")));
    }
}

#[test]
fn malleable_high_s_signature_is_refused_before_any_call() {
    let (host, mut facet, domain) = setup();
    let owner = Signer::new(7);
    mock_owner(&host, APP, owner.address);
    let op_hash = app_op(0, vec![]).typed_data_hash(&domain);
    let mut sig = owner.sign65(&op_hash);
    let n = SECP256K1_N_HALF * U256::from(2) + U256::from(1);
    let s = U256::from_be_slice(&sig[32..64]);
    sig[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
    sig[64] = if sig[64] == 27 { 28 } else { 27 };
    host.vm.set_sender(STRANGER);
    assert_eq!(facet.manage_app_order(app_op(0, sig)), Err(revert::reason("invalid-sender-or-signature")));
    // owner() only: the precompile is never asked.
    assert_eq!(host.calls_made(), vec![(APP, ownerCall {}.abi_encode())]);
}

#[test]
fn erc1271_owner_accepts_or_rejects() {
    let (host, mut facet, domain) = setup();
    mock_owner(&host, WORKERPOOL, WALLET);
    host.set_contract(WALLET);
    let order = WorkerpoolOrder { workerpool: WORKERPOOL, volume: U256::from(2), ..Default::default() };
    let op = |sign: &[u8]| WorkerpoolOrderOperation { order: order.clone(), operation: 0, sign: Bytes::copy_from_slice(sign) };
    let op_hash = op(b"").typed_data_hash(&domain);
    let ask = |sign: &[u8]| isValidSignatureCall { hash: op_hash, signature: Bytes::copy_from_slice(sign) }.abi_encode();
    let mut magic = vec![0u8; 32];
    magic[..4].copy_from_slice(&[0x16, 0x26, 0xba, 0x7e]);
    host.mock(WALLET, ask(b"yes"), Ok(magic));
    host.mock(WALLET, ask(b"no"), Ok(vec![0u8; 32]));
    host.mock(WALLET, ask(b"revert"), Err(vec![1, 2]));
    host.vm.set_sender(STRANGER);
    // Any length is fine for a contract: no format error.
    assert_eq!(facet.manage_workerpool_order(op(b"no")), Err(revert::reason("invalid-sender-or-signature")));
    assert_eq!(facet.manage_workerpool_order(op(b"revert")), Err(revert::reason("invalid-sender-or-signature")));
    facet.manage_workerpool_order(op(b"yes")).unwrap();
    let hash = order.typed_data_hash(&domain);
    assert_eq!(poco_storage(&host.handle()).presigned.get(hash), WALLET);
    let (topics, data) = single_log(&host);
    assert_eq!(topics, vec![SignedWorkerpoolOrder::SIGNATURE_HASH]);
    assert_eq!(data, hash.to_vec());
    assert_eq!(facet.verify_signature(WALLET, op_hash, b"yes".to_vec().into()), Ok(true));
    assert_eq!(facet.verify_signature(WALLET, op_hash, b"no".to_vec().into()), Ok(false));
}

/// An ERC-1271 answer that does not decode as a `bytes4` reverts without data, in the
/// views and in `manage*Order`, as PoCo's `try/catch` does not catch decoding failures
/// (issue 9, item 1); a revert stays "not signed".
#[test]
fn erc1271_answers_that_do_not_decode_revert_without_data() {
    let (host, mut facet, domain) = setup();
    mock_owner(&host, WORKERPOOL, WALLET);
    host.set_contract(WALLET);
    let order = WorkerpoolOrder { workerpool: WORKERPOOL, volume: U256::from(2), ..Default::default() };
    let op = WorkerpoolOrderOperation { order: order.clone(), operation: 0, sign: Bytes::from_static(b"sig") };
    let op_hash = op.typed_data_hash(&domain);
    let ask = isValidSignatureCall { hash: op_hash, signature: op.sign.clone() }.abi_encode();
    let mut dirty = vec![0u8; 32];
    dirty[..4].copy_from_slice(&[0x16, 0x26, 0xba, 0x7e]);
    dirty[4] = 1;
    host.vm.set_sender(STRANGER);
    for answer in [vec![], vec![0x16, 0x26, 0xba, 0x7e], dirty] {
        host.mock(WALLET, ask.clone(), Ok(answer.clone()));
        host.vm.clear_mocks();
        assert_eq!(facet.verify_signature(WALLET, op_hash, op.sign.clone()), Err(vec![]), "{answer:02x?}");
        assert_eq!(facet.verify_presignature_or_signature(WALLET, op_hash, op.sign.clone()), Err(vec![]));
        assert_eq!(facet.manage_workerpool_order(op.clone()), Err(vec![]));
        assert_eq!(poco_storage(&host.handle()).presigned.get(order.typed_data_hash(&domain)), Address::ZERO);
        assert!(host.vm.get_emitted_logs().is_empty());
    }
    host.mock(WALLET, ask, Err(vec![]));
    assert_eq!(facet.verify_signature(WALLET, op_hash, op.sign.clone()), Ok(false));
}

#[test]
fn operation_out_of_enum_range_reverts_without_data() {
    let (host, mut facet, domain) = setup();
    let owner = Signer::new(8).address;
    mock_owner(&host, APP, owner);
    host.vm.set_sender(owner);
    assert_eq!(facet.manage_app_order(app_op(2, vec![])), Err(vec![]));
    host.vm.set_sender(STRANGER);
    assert_eq!(facet.manage_app_order(app_op(255, vec![])), Err(vec![]));
    let request = RequestOrder { requester: owner, ..Default::default() };
    host.vm.set_sender(owner);
    let op = RequestOrderOperation { order: request, operation: 2, sign: Bytes::new() };
    assert_eq!(manage_request(&mut facet, op), Err(vec![]));
    assert!(host.vm.get_emitted_logs().is_empty());
    assert_eq!(poco_storage(&host.handle()).consumed.get(app_order().typed_data_hash(&domain)), U256::ZERO);
}

#[test]
fn owner_call_failures_revert_like_solidity() {
    let (host, mut facet, _) = setup();
    host.vm.set_sender(STRANGER);
    // No code at the app: owner() answers nothing, the ABI decoder reverts without data.
    assert_eq!(facet.manage_app_order(app_op(0, vec![])), Err(vec![]));
    // owner() reverts: its data bubbles up.
    host.mock(APP, ownerCall {}.abi_encode(), Err(b"boom".to_vec()));
    assert_eq!(facet.manage_app_order(app_op(0, vec![])), Err(b"boom".to_vec()));
    // A non-address word is refused by the decoder.
    host.mock(APP, ownerCall {}.abi_encode(), Ok(vec![0xff; 32]));
    assert_eq!(facet.manage_app_order(app_op(0, vec![])), Err(vec![]));
}

#[test]
fn requester_manages_request_order_without_call() {
    let (host, mut facet, domain) = setup();
    let requester = Signer::new(9);
    let order = RequestOrder {
        requester: requester.address,
        volume: U256::from(5),
        params: "{\"iexec_args\":\"x\"}".into(),
        ..Default::default()
    };
    host.vm.set_sender(requester.address);
    manage_request(&mut facet, RequestOrderOperation { order: order.clone(), operation: 1, sign: Bytes::new() }).unwrap();
    let hash = order.typed_data_hash(&domain);
    assert_eq!(poco_storage(&host.handle()).consumed.get(hash), U256::from(5));
    assert!(host.calls_made().is_empty());
    let (topics, data) = single_log(&host);
    assert_eq!(topics, vec![ClosedRequestOrder::SIGNATURE_HASH]);
    assert_eq!(data, hash.to_vec());
    // Signed by the requester, sent by someone else.
    host.clear_mocks();
    let mut op = RequestOrderOperation { order: order.clone(), operation: 0, sign: Bytes::new() };
    let op_hash = op.typed_data_hash(&domain);
    let sig = requester.sign65(&op_hash);
    mock_ecrecover(&host, &op_hash, &sig);
    op.sign = sig.into();
    host.vm.set_sender(STRANGER);
    manage_request(&mut facet, op).unwrap();
    assert_eq!(poco_storage(&host.handle()).presigned.get(hash), requester.address);
    let (topics, _) = single_log(&host);
    assert_eq!(topics, vec![SignedRequestOrder::SIGNATURE_HASH]);
}

#[test]
fn zero_requester_is_authorized_by_an_unrecoverable_signature_as_in_poco() {
    let (host, mut facet, domain) = setup();
    host.clear_mocks();
    host.vm.set_sender(STRANGER);
    let order = RequestOrder::default();
    // 65 bytes with v = 27 but no mock: the precompile returns nothing → address(0).
    let mut sig = vec![1u8; 64];
    sig.push(27);
    manage_request(&mut facet, RequestOrderOperation { order: order.clone(), operation: 0, sign: sig.into() }).unwrap();
    let hash = order.typed_data_hash(&domain);
    // Stored, but verifyPresignature refuses address(0).
    assert!(!facet.verify_presignature(Address::ZERO, hash));
}

/// Replaces the first byte of `mark` in `data` by 0xff (invalid UTF-8 start).
fn break_utf8(data: &mut [u8], mark: &str) {
    let at = data.windows(mark.len()).position(|w| w == mark.as_bytes()).unwrap();
    data[at] = 0xff;
}

/// A request order's `params` may be any bytes, as PoCo's `string`: `manageRequestOrder`
/// presigns it under the hash of the raw bytes, its operation signed over them, and
/// `broadcastRequestOrder` emits them as they are (issue 9, item 5).
#[test]
fn request_orders_with_non_utf8_params_are_managed_and_broadcast() {
    const MARK: &str = "params-not-utf8-xyz";
    let (host, mut facet, domain) = setup();
    let requester = Signer::new(9);
    let order = RequestOrder { requester: requester.address, volume: U256::from(5), params: MARK.into(), ..Default::default() };
    let mut raw = MARK.as_bytes().to_vec();
    raw[0] = 0xff;
    let order_hash = poco_core::eip712::request_order_struct_hash(&order, &raw);
    let op_hash = typed_data_hash(&domain, &poco_core::eip712::request_order_operation_struct_hash(&order_hash, 0));
    let sig = requester.sign65(&op_hash);
    mock_ecrecover(&host, &op_hash, &sig);
    let mut data = manageRequestOrderCall(RequestOrderOperation { order: order.clone(), operation: 0, sign: sig.into() })
        .abi_encode();
    break_utf8(&mut data, MARK);
    host.vm.set_sender(STRANGER);
    route(&mut facet, &data).unwrap();
    let hash = typed_data_hash(&domain, &order_hash);
    assert_eq!(poco_storage(&host.handle()).presigned.get(hash), requester.address);
    assert_eq!(single_log(&host), (vec![SignedRequestOrder::SIGNATURE_HASH], hash.to_vec()));

    host.vm.clear_mocks();
    let mut data = broadcastRequestOrderCall(order.clone()).abi_encode();
    break_utf8(&mut data, MARK);
    route(&mut facet, &data).unwrap();
    let mut expected = order.abi_encode();
    break_utf8(&mut expected, MARK);
    assert_eq!(single_log(&host), (vec![BroadcastRequestOrder::SIGNATURE_HASH], expected));
    // Calldata that does not decode reverts without data, as do other selectors.
    assert_eq!(route(&mut facet, &data[..data.len() - 1]), Err(vec![]));
    assert_eq!(route(&mut facet, &[0xde, 0xad, 0xbe, 0xef]), Err(vec![]));
    assert_eq!(route(&mut facet, &[0xde]), Err(vec![]));
}

#[test]
fn broadcasts_emit_the_whole_order() {
    let (host, mut facet, _) = setup();
    let app = AppOrder { sign: vec![9; 65].into(), tag: B256::with_last_byte(1), ..app_order() };
    facet.broadcast_app_order(app.clone());
    let dataset = DatasetOrder { dataset: DATASET, datasetprice: U256::from(1), sign: vec![8; 3].into(), ..Default::default() };
    facet.broadcast_dataset_order(dataset.clone());
    let workerpool = WorkerpoolOrder { workerpool: WORKERPOOL, trust: U256::from(3), category: U256::from(2), ..Default::default() };
    facet.broadcast_workerpool_order(workerpool.clone());
    let request = RequestOrder { app: APP, params: "p".into(), requester: STRANGER, sign: vec![7; 64].into(), ..Default::default() };
    broadcast_request(&mut facet, request.clone()).unwrap();
    let logs = host.vm.get_emitted_logs();
    assert_eq!(logs.len(), 4);
    let a = BroadcastAppOrder::decode_raw_log(logs[0].0.clone(), &logs[0].1).unwrap().apporder;
    assert_eq!((a.app, a.appprice, a.volume, a.tag, a.salt, a.sign), (app.app, app.appprice, app.volume, app.tag, app.salt, app.sign));
    let d = BroadcastDatasetOrder::decode_raw_log(logs[1].0.clone(), &logs[1].1).unwrap().datasetorder;
    assert_eq!((d.dataset, d.datasetprice, d.sign), (dataset.dataset, dataset.datasetprice, dataset.sign));
    let w = BroadcastWorkerpoolOrder::decode_raw_log(logs[2].0.clone(), &logs[2].1).unwrap().workerpoolorder;
    assert_eq!((w.workerpool, w.trust, w.category), (workerpool.workerpool, workerpool.trust, workerpool.category));
    let r = BroadcastRequestOrder::decode_raw_log(logs[3].0.clone(), &logs[3].1).unwrap().requestorder;
    assert_eq!((r.app, r.params, r.requester, r.sign), (request.app, request.params, request.requester, request.sign));
    // Topic 0 is the signature hash of PoCo's event (tuple of the order's fields).
    assert_eq!(
        logs[0].0,
        vec![keccak256("BroadcastAppOrder((address,uint256,uint256,bytes32,address,address,address,bytes32,bytes))")]
    );
}

#[test]
fn signature_views() {
    let (host, mut facet, domain) = setup();
    let signer = Signer::new(10);
    let hash = B256::repeat_byte(0x42);
    let sig65 = signer.sign65(&hash);
    let sig64 = signer.sign64(&hash);
    mock_ecrecover(&host, &hash, &sig65);
    mock_ecrecover(&host, &hash, &sig64);
    assert_eq!(facet.verify_signature(signer.address, hash, sig65.clone().into()), Ok(true));
    assert_eq!(facet.verify_signature(signer.address, hash, sig64.clone().into()), Ok(true));
    assert_eq!(facet.verify_signature(STRANGER, hash, sig65.clone().into()), Ok(false));
    assert_eq!(facet.verify_signature(signer.address, hash, Bytes::new()), Err(revert::reason("invalid-signature-format")));
    // Presigned: no signature needed, even an empty one.
    assert_eq!(
        facet.verify_presignature_or_signature(signer.address, hash, Bytes::new()),
        Err(revert::reason("invalid-signature-format"))
    );
    mock_owner(&host, APP, signer.address);
    host.vm.set_sender(signer.address);
    facet.manage_app_order(app_op(0, vec![])).unwrap();
    let order_hash = app_order().typed_data_hash(&domain);
    assert_eq!(facet.verify_presignature_or_signature(signer.address, order_hash, Bytes::new()), Ok(true));
    assert_eq!(facet.verify_presignature_or_signature(signer.address, hash, sig64.clone().into()), Ok(true));
    // Un-mocked precompile: nothing recovered.
    host.clear_mocks();
    assert_eq!(facet.verify_signature(signer.address, hash, sig65.into()), Ok(false));
    assert_eq!(facet.verify_presignature_or_signature(signer.address, hash, sig64.into()), Ok(false));
}
