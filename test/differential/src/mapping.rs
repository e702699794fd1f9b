//! What differs by construction between the two deployments: contract addresses (hub, RLC,
//! registries, the assets they create) and everything hashed from them (EIP-712 order hashes
//! bind the hub's address, deal ids bind the request's hash, task ids the deal's). The
//! harness learns each pair as it appears and rewrites our side's 32-byte words into the
//! Solidity side's before comparing bytes; the accounts are the same keys on both chains.

use std::collections::HashMap;

use alloy::primitives::{Address, B256};

/// Our value → the Solidity deployment's value, for addresses (left-padded) and hashes.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    to_solidity: HashMap<B256, B256>,
    names: HashMap<B256, String>,
}

impl Mapping {
    /// Records that our `ours` plays the role of Solidity's `sol`, named `name` in reports.
    pub fn add(&mut self, name: impl Into<String>, sol: B256, ours: B256) {
        let name = name.into();
        self.names.insert(sol, name.clone());
        self.names.insert(ours, name);
        if sol != ours {
            self.to_solidity.insert(ours, sol);
        }
    }

    /// [`Mapping::add`] for two addresses.
    pub fn add_address(&mut self, name: impl Into<String>, sol: Address, ours: Address) {
        self.add(name, sol.into_word(), ours.into_word());
    }

    /// Our address as the Solidity deployment's.
    pub fn address(&self, ours: Address) -> Address {
        self.to_solidity.get(&ours.into_word()).map_or(ours, |w| Address::from_word(*w))
    }

    /// Our word as the Solidity deployment's.
    pub fn word(&self, ours: B256) -> B256 {
        self.to_solidity.get(&ours).copied().unwrap_or(ours)
    }

    /// The name of a known value, for reports.
    pub fn name(&self, value: &B256) -> Option<&str> {
        self.names.get(value).map(String::as_str)
    }

    /// ABI-encoded bytes of our side rewritten word by word: every 32-byte word (aligned
    /// after a 4-byte selector when the length says there is one, as in revert data) that is
    /// one of our known values becomes the Solidity side's.
    pub fn bytes(&self, ours: &[u8]) -> Vec<u8> {
        let mut out = ours.to_vec();
        let start = if ours.len() % 32 == 4 { 4 } else { 0 };
        let mut at = start;
        while at + 32 <= out.len() {
            if let Some(word) = out.get(at..at + 32) {
                let word = B256::from_slice(word);
                if let Some(sol) = self.to_solidity.get(&word) {
                    out.splice(at..at + 32, sol.0);
                }
            }
            at += 32;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn words_are_rewritten_at_their_alignment_only() {
        let mut m = Mapping::default();
        let (sol, ours) = (Address::repeat_byte(1), Address::repeat_byte(2));
        m.add_address("hub", sol, ours);
        let mut data = ours.into_word().to_vec();
        data.extend_from_slice(&[7u8; 32]);
        let mapped = m.bytes(&data);
        assert_eq!(&mapped[..32], sol.into_word().as_slice());
        assert_eq!(&mapped[32..], &[7u8; 32]);
        // Behind a selector (revert data), the words start at byte 4.
        let mut revert = vec![0xde, 0xad, 0xbe, 0xef];
        revert.extend_from_slice(ours.into_word().as_slice());
        assert_eq!(&m.bytes(&revert)[4..], sol.into_word().as_slice());
        // An unaligned occurrence is left alone.
        let mut shifted = vec![0u8; 8];
        shifted.extend_from_slice(ours.into_word().as_slice());
        shifted.extend_from_slice(&[0u8; 24]);
        assert_eq!(m.bytes(&shifted), shifted);
        assert_eq!(m.address(ours), sol);
    }
}
