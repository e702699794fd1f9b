//! External calls of the registries and entries, and the ABI words they decode.
//!
//! Calls go through [`RawCall`] so that library code (which is not `TopLevelStorage`) can make
//! them. Every mutating call clears the storage cache first (written values reach the state
//! before the callee runs, and nothing stale is read afterwards); static calls flush it.
//! Reentrancy: the SDK's default guard stays on in every program of this folder (see the
//! crate docs of the registries), so no callee can re-enter the caller.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use stylus_sdk::{call::RawCall, host::VM};

use crate::error::Error;

/// `CALL` with no value; `Err` carries the callee's revert data.
pub fn call(vm: &VM, to: Address, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: the cache is flushed and cleared before the call, so no storage reference of
    // the caller can alias a value the callee changes.
    unsafe { RawCall::new(vm).clear_storage_cache().call(to, calldata) }
}

/// `STATICCALL`; `Err` carries the callee's revert data (bubbled as Solidity does).
pub fn static_call(vm: &VM, to: Address, calldata: &[u8]) -> Result<Vec<u8>, Error> {
    // SAFETY: a static call cannot change storage; pending writes are flushed first.
    unsafe {
        RawCall::new_static(vm)
            .flush_storage_cache()
            .call(to, calldata)
            .map_err(Error::Bubble)
    }
}

/// First ABI word of `data`, or a bare revert when the return data is too short (Solidity's
/// `abi.decode` failure).
pub fn first_word(data: &[u8]) -> Result<[u8; 32], Error> {
    data.get(..32)
        .and_then(|w| <[u8; 32]>::try_from(w).ok())
        .ok_or(Error::Bare)
}

/// Decodes an ABI `address` return value (upper 12 bytes must be zero, as ABI coder v2 checks).
pub fn decode_address(data: &[u8]) -> Result<Address, Error> {
    let w = first_word(data)?;
    if w[..12].iter().any(|b| *b != 0) {
        return Err(Error::Bare);
    }
    Ok(Address::from_slice(&w[12..]))
}

/// Decodes an ABI `bool` return value (0 or 1, as ABI coder v2 checks).
pub fn decode_bool(data: &[u8]) -> Result<bool, Error> {
    match U256::from_be_bytes(first_word(data)?) {
        v if v.is_zero() => Ok(false),
        v if v == U256::from(1) => Ok(true),
        _ => Err(Error::Bare),
    }
}

/// `selector ‖ arg` for a one-word argument.
pub fn encode_call_1(selector: [u8; 4], arg: [u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(36);
    out.extend_from_slice(&selector);
    out.extend_from_slice(&arg);
    out
}

/// An address as an ABI word.
pub fn address_word(address: Address) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[12..].copy_from_slice(address.as_slice());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders() {
        let a = Address::repeat_byte(0x11);
        assert_eq!(decode_address(&address_word(a)), Ok(a));
        assert_eq!(decode_address(&[0u8; 31]), Err(Error::Bare));
        assert_eq!(decode_address(&[0xffu8; 32]), Err(Error::Bare));
        assert_eq!(decode_bool(&U256::from(1).to_be_bytes::<32>()), Ok(true));
        assert_eq!(decode_bool(&[0u8; 32]), Ok(false));
        assert_eq!(decode_bool(&U256::from(2).to_be_bytes::<32>()), Err(Error::Bare));
        assert_eq!(decode_bool(&[]), Err(Error::Bare));
        assert_eq!(encode_call_1([1, 2, 3, 4], [9; 32]).len(), 36);
    }
}
