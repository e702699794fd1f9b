//! Who authorised an order or a message: EOA signatures (65-byte and EIP-2098 64-byte ECDSA,
//! recovered by the ecrecover precompile), ERC-1271 contract wallets, presigned orders, and
//! ERC-734 identity groups for restrictions.
//!
//! PoCo: contracts/abstract/SignatureVerifier.sol. The pure format rules (length, high-s,
//! `v`) live in `poco_core::signature`; this module makes the calls.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use poco_core::{
    constants::GROUPMEMBER_PURPOSE,
    matching::{restriction_allows, restriction_group_key},
    messages::eth_signed_message_hash,
    reasons,
    signature::{ecrecover_input, ecrecover_output_address, parse_signature, SignatureError, ECRECOVER_PRECOMPILE},
};
use stylus_sdk::{call::RawCall, host::VM, prelude::*};

use crate::{layout::PocoStorage, revert};

sol! {
    /// ERC-1271: a contract wallet's answer to "is this a valid signature of yours?".
    function isValidSignature(bytes32 hash, bytes signature) returns (bytes4 magicValue);
    /// ERC-734: whether `key` holds `purpose` in an identity contract.
    function keyHasPurpose(bytes32 key, uint256 purpose) returns (bool exists);
}

/// ERC-1271's magic value, `isValidSignature.selector`.
const ERC1271_MAGIC: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];

/// A view call to an untrusted contract: `None` when it reverted. The storage cache is
/// flushed first so that a callee reading the hub back sees this transaction's writes.
fn static_call(vm: &VM, to: Address, calldata: &[u8]) -> Option<Vec<u8>> {
    // SAFETY: static calls cannot write; flushing keeps the callee's view consistent.
    unsafe { RawCall::new_static(vm).flush_storage_cache().call(to, calldata) }.ok()
}

/// Whether `signature` is `account`'s signature of `hash`.
///
/// Contract accounts answer through ERC-1271 (any signature length; a revert or any other
/// answer is "no"). EOAs: the signature is recovered, and the result is `recovered ==
/// account` — so, as in PoCo, an unrecoverable 64/65-byte signature "signs" for
/// `address(0)`.
///
/// # Errors
/// `invalid-signature-format` when an EOA's signature is neither 64 nor 65 bytes.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignature
pub fn verify_signature(vm: &VM, account: Address, hash: B256, signature: &[u8]) -> Result<bool, Vec<u8>> {
    if vm.code_size(account) > 0 {
        let call = isValidSignatureCall { hash, signature: signature.to_vec().into() };
        let answer = static_call(vm, account, &call.abi_encode());
        // Solidity decodes the bytes4 strictly: 32 bytes, the 28 low bytes zero.
        return Ok(answer.is_some_and(|r| {
            r.len() >= 32 && r[..4] == ERC1271_MAGIC && r[4..32].iter().all(|b| *b == 0)
        }));
    }
    let recovered = match parse_signature(signature) {
        Ok(sig) => {
            let output = static_call(vm, ECRECOVER_PRECOMPILE, &ecrecover_input(&hash, &sig));
            ecrecover_output_address(&output.unwrap_or_default())
        }
        Err(SignatureError::InvalidLength) => return Err(revert::reason(reasons::INVALID_SIGNATURE_FORMAT)),
        Err(SignatureError::InvalidS | SignatureError::InvalidV) => Address::ZERO,
    };
    Ok(recovered == account)
}

/// Whether `account` presigned the order whose typed-data hash is `hash`.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifyPresignature
pub fn verify_presignature(s: &PocoStorage, account: Address, hash: B256) -> bool {
    !account.is_zero() && s.presigned.get(hash) == account
}

/// Presignature first (no call, no revert), then signature.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignatureOrPresignature
pub fn verify_signature_or_presignature(
    vm: &VM,
    s: &PocoStorage,
    account: Address,
    hash: B256,
    signature: &[u8],
) -> Result<bool, Vec<u8>> {
    if verify_presignature(s, account, hash) {
        return Ok(true);
    }
    verify_signature(vm, account, hash, signature)
}

/// Signature of an EIP-191 "Ethereum Signed Message" over a 32-byte message hash
/// (worker authorizations, enclave signatures).
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignatureOfEthSignedMessage
pub fn verify_eth_signed_message(vm: &VM, account: Address, message_hash: B256, signature: &[u8]) -> Result<bool, Vec<u8>> {
    verify_signature(vm, account, eth_signed_message_hash(&message_hash), signature)
}

/// Whether `restriction` lets `account` in: no restriction, the account itself, or an
/// ERC-734 identity in which the account's key has the group-member purpose (a revert or a
/// non-contract restriction is "no").
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _isAccountAuthorizedByRestriction
pub fn is_authorized_by_restriction(vm: &VM, restriction: Address, account: Address) -> bool {
    if restriction_allows(&restriction, &account) {
        return true;
    }
    if vm.code_size(restriction) == 0 {
        return false;
    }
    let call = keyHasPurposeCall { key: restriction_group_key(&account), purpose: U256::from(GROUPMEMBER_PURPOSE) };
    static_call(vm, restriction, &call.abi_encode())
        .and_then(|r| keyHasPurposeCall::abi_decode_returns_validate(&r).ok())
        .unwrap_or(false)
}
