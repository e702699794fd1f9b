//! Real secp256k1 signatures (k256) through poco-core's signature format rules and hashes:
//! a worker authorization signed like the scheduler does passes, its malleable twin
//! (`s' = n - s`) is rejected, and the compact EIP-2098 form splits to the same `(v, r, s)`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use alloy_primitives::{keccak256, Address, B256, U256};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use poco_core::messages::{eth_signed_message_hash, worker_authorization_hash};
use poco_core::signature::{parse_signature, EcdsaSignature, SignatureError, SECP256K1_N_HALF};
use proptest::prelude::*;

/// secp256k1 group order n.
fn order_n() -> U256 {
    SECP256K1_N_HALF * U256::from(2) + U256::from(1)
}

fn address_of(key: &VerifyingKey) -> Address {
    let point = key.to_encoded_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

fn sign(key: &SigningKey, prehash: &B256) -> [u8; 65] {
    let (sig, recid) = key.sign_prehash_recoverable(prehash.as_slice()).unwrap();
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&sig.to_bytes());
    out[64] = 27 + recid.to_byte();
    out
}

/// What the ecrecover precompile does, for the test: recover from `(v, r, s)`.
fn recover(prehash: &B256, sig: &EcdsaSignature) -> Address {
    let signature = Signature::from_scalars(sig.r.0, sig.s.0).unwrap();
    let recid = RecoveryId::from_byte(sig.v - 27).unwrap();
    address_of(&VerifyingKey::recover_from_prehash(prehash.as_slice(), &signature, recid).unwrap())
}

fn to_compact(sig: &[u8; 65]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out.copy_from_slice(&sig[..64]);
    if sig[64] == 28 {
        out[32] |= 0x80;
    }
    out
}

fn malleable_twin(sig: &[u8; 65]) -> [u8; 65] {
    let s = U256::from_be_slice(&sig[32..64]);
    let mut out = *sig;
    out[32..64].copy_from_slice(&(order_n() - s).to_be_bytes::<32>());
    out[64] = if sig[64] == 27 { 28 } else { 27 };
    out
}

#[test]
fn scheduler_authorization_signature_passes_and_recovers_the_scheduler() {
    let scheduler = SigningKey::from_bytes(&[7u8; 32].into()).unwrap();
    let worker = Address::repeat_byte(0x11);
    let task = B256::repeat_byte(0x22);
    let digest =
        eth_signed_message_hash(&worker_authorization_hash(&worker, &task, &Address::ZERO));
    let sig = sign(&scheduler, &digest);

    let parsed = parse_signature(&sig).expect("a k256 signature is low-s with v in {27, 28}");
    assert_eq!(
        recover(&digest, &parsed),
        address_of(scheduler.verifying_key())
    );

    let compact = parse_signature(&to_compact(&sig)).unwrap();
    assert_eq!(compact, parsed);

    // The malleable twin (n - s, flipped parity) of a valid signature: PoCo refuses it
    // (OpenZeppelin's high-s rule), so the precompile is never asked.
    let twin = malleable_twin(&sig);
    assert_eq!(parse_signature(&twin), Err(SignatureError::InvalidS));
    assert_eq!(
        U256::from_be_slice(&twin[32..64]) + U256::from_be_slice(&sig[32..64]),
        order_n()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn real_signatures_pass_and_their_twins_fail(key in any::<[u8; 32]>(), message in any::<[u8; 32]>()) {
        let Ok(key) = SigningKey::from_bytes(&key.into()) else { return Ok(()) };
        let digest = eth_signed_message_hash(&B256::from(message));
        let sig = sign(&key, &digest);
        let parsed = parse_signature(&sig).unwrap();
        prop_assert_eq!(recover(&digest, &parsed), address_of(key.verifying_key()));
        prop_assert_eq!(parse_signature(&to_compact(&sig)).unwrap(), parsed);
        prop_assert_eq!(parse_signature(&malleable_twin(&sig)), Err(SignatureError::InvalidS));
    }
}
