//! ECDSA signature *format* rules of PoCo's `_verifySignature` (OpenZeppelin `ECDSA.tryRecover`),
//! without the recovery itself: contracts call the ecrecover precompile with
//! [`ecrecover_input`], off-chain code can use k256.
//!
//! Outcomes, as PoCo sees them for an EOA signer:
//! - a length other than 65 or 64 bytes: PoCo reverts `"invalid-signature-format"`
//!   ([`SignatureError::InvalidLength`]);
//! - a high `s` (> n/2) or a `v` other than 27/28: `tryRecover` fails and yields
//!   `address(0)` — the signature is then valid only for `account == address(0)`
//!   (PROTOCOL.md §8 "Zero account"), never an error;
//! - otherwise the recovered address (or `address(0)` when the precompile returns nothing).

use alloy_primitives::{Address, B256, U256};

/// `n / 2` for secp256k1: the largest `s` OpenZeppelin accepts (EIP-2 low-s rule).
/// (`0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0`).
pub const SECP256K1_N_HALF: U256 = U256::from_limbs([
    0xdfe9_2f46_681b_20a0,
    0x5d57_6e73_57a4_501d,
    0xffff_ffff_ffff_ffff,
    0x7fff_ffff_ffff_ffff,
]);

/// Address of the ecrecover precompile (`0x…01`).
pub const ECRECOVER_PRECOMPILE: Address = Address::with_last_byte(1);

/// A signature split into PoCo's `(v, r, s)` after the format rules passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EcdsaSignature {
    /// Recovery id, 27 or 28.
    pub v: u8,
    /// `r`.
    pub r: B256,
    /// `s`, at most [`SECP256K1_N_HALF`].
    pub s: B256,
}

/// Why a signature cannot be recovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureError {
    /// Neither 65 (`r ‖ s ‖ v`) nor 64 (EIP-2098 `r ‖ vs`) bytes: PoCo reverts
    /// [`crate::reasons::INVALID_SIGNATURE_FORMAT`].
    InvalidLength,
    /// `s > n/2` (malleable signature): `tryRecover` yields `address(0)`.
    InvalidS,
    /// `v ∉ {27, 28}`: ecrecover yields `address(0)`.
    InvalidV,
}

impl SignatureError {
    /// Whether PoCo reverts on this error (`"invalid-signature-format"`) instead of treating
    /// the recovered signer as `address(0)`.
    pub const fn reverts(&self) -> bool {
        matches!(self, Self::InvalidLength)
    }
}

/// Applies OpenZeppelin `tryRecover`'s format rules to a 65-byte `r ‖ s ‖ v` or 64-byte
/// EIP-2098 `r ‖ vs` signature and returns its `(v, r, s)`. Why: PoCo accepts both lengths
/// and refuses malleable high-s signatures.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _verifySignature (OZ ECDSA.tryRecover)
pub fn parse_signature(signature: &[u8]) -> Result<EcdsaSignature, SignatureError> {
    let (r, s, v) = match signature.len() {
        65 => {
            let s = B256::from_slice(&signature[32..64]);
            (B256::from_slice(&signature[..32]), s, signature[64])
        }
        64 => {
            let mut s = B256::from_slice(&signature[32..64]);
            let v = 27 + (s[0] >> 7);
            s[0] &= 0x7f;
            (B256::from_slice(&signature[..32]), s, v)
        }
        _ => return Err(SignatureError::InvalidLength),
    };
    if U256::from_be_bytes(s.0) > SECP256K1_N_HALF {
        return Err(SignatureError::InvalidS);
    }
    if v != 27 && v != 28 {
        return Err(SignatureError::InvalidV);
    }
    Ok(EcdsaSignature { v, r, s })
}

/// The ecrecover precompile input `abi.encode(hash, uint8 v, r, s)`.
pub fn ecrecover_input(hash: &B256, signature: &EcdsaSignature) -> [u8; 128] {
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(hash.as_slice());
    input[63] = signature.v;
    input[64..96].copy_from_slice(signature.r.as_slice());
    input[96..].copy_from_slice(signature.s.as_slice());
    input
}

/// The signer from the ecrecover precompile's output: the last 20 bytes of its 32-byte word,
/// or `address(0)` when it returned anything else (failed recovery returns no data).
pub fn ecrecover_output_address(output: &[u8]) -> Address {
    if output.len() == 32 {
        Address::from_slice(&output[12..])
    } else {
        Address::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig65(r: u8, s: B256, v: u8) -> [u8; 65] {
        let mut sig = [r; 65];
        sig[32..64].copy_from_slice(s.as_slice());
        sig[64] = v;
        sig
    }

    #[test]
    fn lengths_other_than_64_and_65_revert() {
        for len in [0usize, 1, 63, 66, 130] {
            let e = parse_signature(&alloc::vec![0u8; len]).unwrap_err();
            assert_eq!(e, SignatureError::InvalidLength);
            assert!(e.reverts());
        }
    }

    #[test]
    fn s_bound_is_inclusive_at_half_order() {
        let half = B256::from(SECP256K1_N_HALF.to_be_bytes::<32>());
        let ok = parse_signature(&sig65(1, half, 27)).unwrap();
        assert_eq!(
            ok,
            EcdsaSignature {
                v: 27,
                r: B256::repeat_byte(1),
                s: half
            }
        );
        let above = B256::from((SECP256K1_N_HALF + U256::from(1)).to_be_bytes::<32>());
        let e = parse_signature(&sig65(1, above, 27)).unwrap_err();
        assert_eq!(e, SignatureError::InvalidS);
        assert!(!e.reverts());
    }

    #[test]
    fn v_must_be_27_or_28() {
        let s = B256::with_last_byte(1);
        assert_eq!(parse_signature(&sig65(1, s, 28)).unwrap().v, 28);
        for v in [0u8, 1, 26, 29, 255] {
            assert_eq!(
                parse_signature(&sig65(1, s, v)),
                Err(SignatureError::InvalidV)
            );
        }
    }

    #[test]
    fn compact_signature_splits_v_from_the_top_bit() {
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(&[7u8; 32]);
        sig[63] = 5;
        assert_eq!(parse_signature(&sig).unwrap().v, 27);
        sig[32] = 0x80;
        let parsed = parse_signature(&sig).unwrap();
        assert_eq!(parsed.v, 28);
        assert_eq!(parsed.s, B256::with_last_byte(5));
        // A compact s above n/2 (with the parity bit cleared) is rejected too.
        sig[32..].copy_from_slice(&(SECP256K1_N_HALF + U256::from(1)).to_be_bytes::<32>());
        assert_eq!(parse_signature(&sig), Err(SignatureError::InvalidS));
    }

    #[test]
    fn precompile_io() {
        let sig = EcdsaSignature {
            v: 28,
            r: B256::repeat_byte(2),
            s: B256::repeat_byte(3),
        };
        let input = ecrecover_input(&B256::repeat_byte(1), &sig);
        assert_eq!(&input[..32], &[1u8; 32]);
        assert_eq!(&input[32..63], &[0u8; 31]);
        assert_eq!(input[63], 28);
        assert_eq!(&input[64..96], &[2u8; 32]);
        assert_eq!(&input[96..], &[3u8; 32]);
        let mut out = [0u8; 32];
        out[12..].copy_from_slice(&[9u8; 20]);
        assert_eq!(ecrecover_output_address(&out), Address::repeat_byte(9));
        assert_eq!(ecrecover_output_address(&[]), Address::ZERO);
    }
}
