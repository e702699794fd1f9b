//! The hashes behind PoCo's non-EIP-712 signatures and result commitments: the workerpool
//! authorization, EIP-191 eth-signed messages, result hash and seal, the enclave message,
//! and the result-callback rule.

use alloy_primitives::{keccak256, Address, B256};

/// `"\x19Ethereum Signed Message:\n32"`, the EIP-191 prefix of a 32-byte message.
pub const ETH_SIGNED_MESSAGE_PREFIX: &[u8; 28] = b"\x19Ethereum Signed Message:\n32";

/// `keccak256("\x19Ethereum Signed Message:\n32" ‖ hash)`: what an EOA signs with
/// `personal_sign` over a 32-byte hash. Why: authorizations and enclave signatures are
/// eth-signed messages, not EIP-712.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _toEthSignedMessageHash
pub fn eth_signed_message_hash(hash: &B256) -> B256 {
    let mut buf = [0u8; 60];
    buf[..28].copy_from_slice(ETH_SIGNED_MESSAGE_PREFIX);
    buf[28..].copy_from_slice(hash.as_slice());
    keccak256(buf)
}

/// The workerpool authorization message
/// `keccak256(abi.encodePacked(worker, taskid, enclaveChallenge))`, eth-signed by the
/// scheduler (`deal.workerpool.owner`) or, for TEE tasks with a broker, by the TEE broker.
/// Why: only workers the scheduler picked may contribute.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute / _checkAuthorization
pub fn worker_authorization_hash(
    worker: &Address,
    task_id: &B256,
    enclave_challenge: &Address,
) -> B256 {
    let mut buf = [0u8; 72];
    buf[..20].copy_from_slice(worker.as_slice());
    buf[20..52].copy_from_slice(task_id.as_slice());
    buf[52..].copy_from_slice(enclave_challenge.as_slice());
    keccak256(buf)
}

/// A worker's vote: `resultHash = keccak256(abi.encodePacked(taskid, resultDigest))`.
/// Why: workers agree on a hash bound to the task before revealing the digest.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reveal / contributeAndFinalize
pub fn result_hash(task_id: &B256, result_digest: &B256) -> B256 {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(task_id.as_slice());
    buf[32..].copy_from_slice(result_digest.as_slice());
    keccak256(buf)
}

/// A worker's proof of knowledge:
/// `resultSeal = keccak256(abi.encodePacked(worker, taskid, resultDigest))`.
/// Why: binding the worker's address stops a worker from copying another's vote.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, reveal / contributeAndFinalize
pub fn result_seal(worker: &Address, task_id: &B256, result_digest: &B256) -> B256 {
    let mut buf = [0u8; 84];
    buf[..20].copy_from_slice(worker.as_slice());
    buf[20..52].copy_from_slice(task_id.as_slice());
    buf[52..].copy_from_slice(result_digest.as_slice());
    keccak256(buf)
}

/// The message the enclave eth-signs: `keccak256(abi.encodePacked(resultHash, resultSeal))`.
/// Why: a TEE task's contribution must come from the attested enclave.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, _contribute
pub fn enclave_message_hash(result_hash: &B256, result_seal: &B256) -> B256 {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(result_hash.as_slice());
    buf[32..].copy_from_slice(result_seal.as_slice());
    keccak256(buf)
}

/// Boost's enclave message: `keccak256(abi.encodePacked(worker, taskId, resultDigest))` where
/// `resultDigest = keccak256(callback == 0 ? results : resultsCallback)`.
///
/// PoCo: contracts/facets/IexecPocoBoostFacet.sol, pushResultBoost
pub fn boost_enclave_message_hash(worker: &Address, task_id: &B256, result_digest: &B256) -> B256 {
    result_seal(worker, task_id, result_digest)
}

/// The result-callback rule of `finalize` / `contributeAndFinalize`:
/// `(deal.callback == 0 && resultsCallback.length == 0) || keccak256(resultsCallback) == resultDigest`.
/// Why: the callback data delivered on chain must be the data the workers agreed on.
///
/// PoCo: contracts/facets/IexecPoco2Facet.sol, finalize / contributeAndFinalize
pub fn is_results_callback_valid(
    callback: &Address,
    results_callback: &[u8],
    result_digest: &B256,
) -> bool {
    (callback.is_zero() && results_callback.is_empty())
        || keccak256(results_callback) == *result_digest
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, b256};

    /// OFFCHAIN.md §2.6 test vector (Rust post-compute `hash_utils.rs`).
    #[test]
    fn authorization_test_vector() {
        let worker = address!("748e091bf16048cb5103E0E10F9D5a8b7fBDd860");
        let task = b256!("d94b63fc2d3ec4b96daf84b403bbafdc8c8517e8e2addd51fec0fa4e67801be8");
        let challenge = address!("9a43BB008b7A657e1936ebf5d8e28e5c5E021596");
        let auth = worker_authorization_hash(&worker, &task, &challenge);
        assert_eq!(
            auth,
            b256!("54a76d209e8167e1ffa3bde8e3e7b30068423ca9554e1d605d8ee8fd0f165562")
        );
        assert_eq!(
            eth_signed_message_hash(&auth),
            b256!("6b4a2b1de44ee3d727ad0e3e63fa1c4e4e2a6f3537148fcb6281c050a13386d7")
        );
    }

    #[test]
    fn result_hash_seal_and_enclave_message_are_packed_keccaks() {
        let task = B256::repeat_byte(1);
        let digest = B256::repeat_byte(2);
        let worker = Address::repeat_byte(3);
        let cat = |parts: &[&[u8]]| keccak256(parts.concat());
        let h = result_hash(&task, &digest);
        assert_eq!(h, cat(&[task.as_slice(), digest.as_slice()]));
        let s = result_seal(&worker, &task, &digest);
        assert_eq!(
            s,
            cat(&[worker.as_slice(), task.as_slice(), digest.as_slice()])
        );
        assert_ne!(result_seal(&Address::repeat_byte(4), &task, &digest), s);
        assert_eq!(
            enclave_message_hash(&h, &s),
            cat(&[h.as_slice(), s.as_slice()])
        );
        assert_eq!(boost_enclave_message_hash(&worker, &task, &digest), s);
    }

    #[test]
    fn callback_rule() {
        let none = Address::ZERO;
        let cb = Address::repeat_byte(5);
        let data = [0u8, 1, 2];
        let digest = keccak256(data);
        assert!(is_results_callback_valid(&none, &[], &B256::ZERO));
        assert!(is_results_callback_valid(&cb, &data, &digest));
        assert!(is_results_callback_valid(&none, &data, &digest));
        assert!(!is_results_callback_valid(&cb, &[], &B256::ZERO));
        assert!(!is_results_callback_valid(&cb, &data, &B256::ZERO));
        assert!(!is_results_callback_valid(&none, &data, &B256::ZERO));
    }

    /// OFFCHAIN.md §3.2 vector: callback data 0x00…01 (32 bytes) → digest 0xb10e2d52….
    #[test]
    fn callback_digest_test_vector() {
        let mut data = [0u8; 32];
        data[31] = 1;
        let digest = b256!("b10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6");
        assert_eq!(keccak256(data), digest);
        assert!(is_results_callback_valid(
            &Address::repeat_byte(1),
            &data,
            &digest
        ));
    }
}
