//! EIP-1167 minimal proxies and their CREATE2 addresses.
//!
//! PoCo's registries deploy an `InitializableUpgradeabilityProxy` per entry. Here an entry is
//! an EIP-1167 minimal proxy whose runtime `DELEGATECALL`s the registry's `master` (the one
//! activated Stylus program of that entry kind): 55 bytes of EVM init code, no WASM per entry.
//! The proxy has no `initialize(address,bytes)`: the registry calls the entry's own
//! `initialize(...)` right after CREATE2, in the same transaction, which the master runs in
//! the proxy's storage with `msg.sender` = the registry (as PoCo's proxy delegatecall did).

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256};

/// EIP-1167 init code prefix: copies the 45-byte runtime that follows and returns it.
const CREATION_PREFIX: [u8; 10] = [0x3d, 0x60, 0x2d, 0x80, 0x60, 0x0a, 0x3d, 0x39, 0x81, 0xf3];
/// EIP-1167 runtime up to the `PUSH20` of the implementation address.
const RUNTIME_PREFIX: [u8; 10] = [0x36, 0x3d, 0x3d, 0x37, 0x3d, 0x3d, 0x3d, 0x36, 0x3d, 0x73];
/// EIP-1167 runtime after the implementation address.
const RUNTIME_SUFFIX: [u8; 15] = [
    0x5a, 0xf4, 0x3d, 0x82, 0x80, 0x3e, 0x90, 0x3d, 0x91, 0x60, 0x2b, 0x57, 0xfd, 0x5b, 0xf3,
];

/// Length of [`creation_code`]'s output.
pub const CREATION_CODE_LEN: usize = 55;

/// Creation code of an EIP-1167 minimal proxy delegating every call to `implementation`.
pub fn creation_code(implementation: Address) -> Vec<u8> {
    let mut code = Vec::with_capacity(CREATION_CODE_LEN);
    code.extend_from_slice(&CREATION_PREFIX);
    code.extend_from_slice(&RUNTIME_PREFIX);
    code.extend_from_slice(implementation.as_slice());
    code.extend_from_slice(&RUNTIME_SUFFIX);
    code
}

/// CREATE2 address: `keccak256(0xff ‖ deployer ‖ salt ‖ init_code_hash)[12..]`.
pub fn create2_address(deployer: Address, salt: B256, init_code_hash: B256) -> Address {
    let mut buf = [0u8; 85];
    buf[0] = 0xff;
    buf[1..21].copy_from_slice(deployer.as_slice());
    buf[21..53].copy_from_slice(salt.as_slice());
    buf[53..].copy_from_slice(init_code_hash.as_slice());
    Address::from_slice(&keccak256(buf)[12..])
}

/// PoCo's entry salt: `keccak256(abi.encodePacked(initializerCalldata, owner))`.
pub fn entry_salt(initializer: &[u8], owner: Address) -> B256 {
    let mut packed = Vec::with_capacity(initializer.len() + 20);
    packed.extend_from_slice(initializer);
    packed.extend_from_slice(owner.as_slice());
    keccak256(packed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, b256, hex};

    #[test]
    fn eip1167_reference_bytecode() {
        // EIP-1167's reference runtime with the placeholder implementation 0xbebe…be.
        let code = creation_code(Address::repeat_byte(0xbe));
        assert_eq!(code.len(), CREATION_CODE_LEN);
        assert_eq!(
            hex::encode(&code),
            concat!(
                "3d602d80600a3d3981f3",
                "363d3d373d3d3d363d73bebebebebebebebebebebebebebebebebebebebe",
                "5af43d82803e903d91602b57fd5bf3"
            )
        );
    }

    #[test]
    fn create2_matches_eip1014_examples() {
        // EIP-1014 example 0 and example 5.
        assert_eq!(
            create2_address(Address::ZERO, B256::ZERO, keccak256([0x00])),
            address!("4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38")
        );
        assert_eq!(
            create2_address(
                address!("00000000000000000000000000000000deadbeef"),
                b256!("00000000000000000000000000000000000000000000000000000000cafebabe"),
                keccak256(hex!("deadbeef"))
            ),
            address!("60f3f640a8508fC6a86d45DF051962668E1e8AC7")
        );
    }

    #[test]
    fn create2_matches_alloy() {
        let deployer = Address::repeat_byte(7);
        let salt = entry_salt(b"init", Address::repeat_byte(9));
        let code = creation_code(Address::repeat_byte(3));
        assert_eq!(
            create2_address(deployer, salt, keccak256(&code)),
            deployer.create2_from_code(salt, &code)
        );
    }

    #[test]
    fn salt_is_packed_initializer_then_owner() {
        let owner = Address::repeat_byte(0xaa);
        let mut packed = b"calldata".to_vec();
        packed.extend_from_slice(owner.as_slice());
        assert_eq!(entry_salt(b"calldata", owner), keccak256(packed));
    }
}
