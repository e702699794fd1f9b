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

/// The first word of a call's answer; empty revert data when there is none.
///
/// Why revert: PoCo's `try … returns (T)` catches the callee's revert, but its `catch` does
/// not catch a failure to ABI-decode the answer, which reverts the whole call without data.
fn answer_word(answer: &[u8]) -> Result<[u8; 32], Vec<u8>> {
    answer.get(..32).and_then(|w| w.try_into().ok()).ok_or_else(revert::bare)
}

/// An answer decoded as Solidity decodes a `bytes4`: a word whose 28 low bytes are zero.
fn decode_bytes4(answer: &[u8]) -> Result<[u8; 4], Vec<u8>> {
    let word = answer_word(answer)?;
    match word.split_first_chunk::<4>() {
        Some((value, rest)) if rest.iter().all(|b| *b == 0) => Ok(*value),
        _ => Err(revert::bare()),
    }
}

/// An answer decoded as Solidity decodes a `bool`: the word 0 or 1.
fn decode_bool(answer: &[u8]) -> Result<bool, Vec<u8>> {
    let word = answer_word(answer)?;
    if word[..31].iter().any(|b| *b != 0) || word[31] > 1 {
        return Err(revert::bare());
    }
    Ok(word[31] == 1)
}

/// Whether `signature` is `account`'s signature of `hash`.
///
/// Contract accounts answer through ERC-1271 (any signature length): a revert is "no", a
/// `bytes4` answer is "yes" when it is the magic value. EOAs: the signature is recovered,
/// and the result is `recovered == account` — so, as in PoCo, an unrecoverable 64/65-byte
/// signature "signs" for `address(0)`.
///
/// # Errors
/// `invalid-signature-format` when an EOA's signature is neither 64 nor 65 bytes; empty
/// revert data when a contract's answer does not decode as a `bytes4` (empty, shorter than
/// a word, or non-zero low bytes): Solidity's `try/catch` does not catch a decoding failure.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignature
pub fn verify_signature(vm: &VM, account: Address, hash: B256, signature: &[u8]) -> Result<bool, Vec<u8>> {
    match vm.code_size(account) > 0 {
        true => verify_contract_signature(vm, account, hash, signature),
        false => verify_eoa_signature(vm, account, hash, signature),
    }
}

/// The contract branch of [`verify_signature`]: ERC-1271.
fn verify_contract_signature(vm: &VM, account: Address, hash: B256, signature: &[u8]) -> Result<bool, Vec<u8>> {
    let call = isValidSignatureCall { hash, signature: signature.to_vec().into() };
    match static_call(vm, account, &call.abi_encode()) {
        None => Ok(false),
        Some(answer) => Ok(decode_bytes4(&answer)? == ERC1271_MAGIC),
    }
}

/// The EOA branch of [`verify_signature`]: ecrecover.
fn verify_eoa_signature(vm: &VM, account: Address, hash: B256, signature: &[u8]) -> Result<bool, Vec<u8>> {
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

/// Whether `account` signed or presigned `hash`: PoCo's `presigned || signed`, with the same
/// answer and the same revert data, in the cheaper order for EOAs.
///
/// Why the order differs: PoCo reads the presignature first, a cold storage read (2,100 gas)
/// that every signed order pays for nothing. For an EOA the signature check is a call to the
/// ecrecover precompile, which can neither fail the transaction nor run out of its gas, so it
/// goes first, and the presignature is read only when the signature does not verify. When
/// both are read, the answer is PoCo's: `true` if presigned (even when the signature has a
/// bad format, PoCo never looking at it then), else the signature's answer or revert. A
/// contract account keeps PoCo's order: its ERC-1271 answer is a call into untrusted code,
/// which PoCo does not make for a presigned order.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignatureOrPresignature
pub fn verify_signature_or_presignature(
    vm: &VM,
    s: &PocoStorage,
    account: Address,
    hash: B256,
    signature: &[u8],
) -> Result<bool, Vec<u8>> {
    if vm.code_size(account) > 0 {
        if verify_presignature(s, account, hash) {
            return Ok(true);
        }
        return verify_contract_signature(vm, account, hash, signature);
    }
    match verify_eoa_signature(vm, account, hash, signature) {
        Ok(true) => Ok(true),
        _ if verify_presignature(s, account, hash) => Ok(true),
        answer => answer,
    }
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
/// # Errors
/// Empty revert data when the identity's answer does not decode as a `bool` (empty, shorter
/// than a word, or a word other than 0 and 1): PoCo's `catch` does not catch it either.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _isAccountAuthorizedByRestriction
pub fn is_authorized_by_restriction(vm: &VM, restriction: Address, account: Address) -> Result<bool, Vec<u8>> {
    if restriction_allows(&restriction, &account) {
        return Ok(true);
    }
    if vm.code_size(restriction) == 0 {
        return Ok(false);
    }
    let call = keyHasPurposeCall { key: restriction_group_key(&account), purpose: U256::from(GROUPMEMBER_PURPOSE) };
    match static_call(vm, restriction, &call.abi_encode()) {
        None => Ok(false),
        Some(answer) => decode_bool(&answer),
    }
}
