//! Revert data, shaped as PoCo's Solidity registries shape it.
//!
//! The reference registries and entries declare no custom error: every failure is either
//! `require(cond, "reason")` (ABI `Error(string)`), a bare `require(cond)` (empty revert
//! data), or the revert data of a failed callee bubbled up unchanged. [`Error`] is exactly
//! these three shapes; [`reasons`] holds every reason string this crate can produce.

use alloc::vec::Vec;

/// Selector of Solidity's `Error(string)`.
pub const ERROR_STRING_SELECTOR: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];

/// Every revert reason of the registries and entries, word for word.
///
/// Ownable and ERC-721 strings are OpenZeppelin Contracts 3.4's (`access/Ownable.sol`,
/// `token/ERC721/ERC721.sol`, `utils/EnumerableSet.sol`, `utils/EnumerableMap.sol`,
/// `utils/Create2.sol`); entry strings are PoCo's `RegistryEntry.sol`; the `setName` string
/// is PoCo v6's Bellecour-only stub.
pub mod reasons {
    /// OZ `Ownable.onlyOwner`.
    pub const OWNABLE_NOT_OWNER: &str = "Ownable: caller is not the owner";
    /// OZ `Ownable.transferOwnership(0)`.
    pub const OWNABLE_ZERO_OWNER: &str = "Ownable: new owner is the zero address";
    /// OZ `ERC721.balanceOf(0)`.
    pub const ERC721_BALANCE_OF_ZERO: &str = "ERC721: balance query for the zero address";
    /// OZ `ERC721.ownerOf` of a token that does not exist.
    pub const ERC721_OWNER_OF_NONEXISTENT: &str = "ERC721: owner query for nonexistent token";
    /// OZ `ERC721.tokenURI` of a token that does not exist.
    pub const ERC721_URI_OF_NONEXISTENT: &str = "ERC721Metadata: URI query for nonexistent token";
    /// OZ `ERC721.approve` to the token's owner.
    pub const ERC721_APPROVAL_TO_OWNER: &str = "ERC721: approval to current owner";
    /// OZ `ERC721.approve` by someone who is neither owner nor operator.
    pub const ERC721_APPROVE_NOT_ALLOWED: &str =
        "ERC721: approve caller is not owner nor approved for all";
    /// OZ `ERC721.getApproved` of a token that does not exist.
    pub const ERC721_APPROVED_OF_NONEXISTENT: &str = "ERC721: approved query for nonexistent token";
    /// OZ `ERC721.setApprovalForAll(msg.sender, ..)`.
    pub const ERC721_APPROVE_TO_CALLER: &str = "ERC721: approve to caller";
    /// OZ `ERC721.transferFrom`/`safeTransferFrom` by someone not allowed to move the token.
    pub const ERC721_TRANSFER_NOT_ALLOWED: &str =
        "ERC721: transfer caller is not owner nor approved";
    /// OZ `ERC721._isApprovedOrOwner` on a token that does not exist.
    pub const ERC721_OPERATOR_OF_NONEXISTENT: &str =
        "ERC721: operator query for nonexistent token";
    /// OZ `ERC721._transfer` with `from` not the owner.
    pub const ERC721_TRANSFER_NOT_OWN: &str = "ERC721: transfer of token that is not own";
    /// OZ `ERC721._transfer` to the zero address.
    pub const ERC721_TRANSFER_TO_ZERO: &str = "ERC721: transfer to the zero address";
    /// OZ `ERC721._checkOnERC721Received`: the receiver refused, or reverted without data.
    pub const ERC721_NON_RECEIVER: &str = "ERC721: transfer to non ERC721Receiver implementer";
    /// OZ `ERC721._mint` to the zero address.
    pub const ERC721_MINT_TO_ZERO: &str = "ERC721: mint to the zero address";
    /// OZ `ERC721._mint` of an existing token.
    pub const ERC721_ALREADY_MINTED: &str = "ERC721: token already minted";
    /// OZ `EnumerableSet.at` (`tokenOfOwnerByIndex`) past the end.
    pub const ENUMERABLE_SET_OUT_OF_BOUNDS: &str = "EnumerableSet: index out of bounds";
    /// OZ `EnumerableMap.at` (`tokenByIndex`) past the end.
    pub const ENUMERABLE_MAP_OUT_OF_BOUNDS: &str = "EnumerableMap: index out of bounds";
    /// OZ `Create2.deploy` when CREATE2 returns the zero address (code already there).
    pub const CREATE2_FAILED: &str = "Create2: Failed on deploy";
    /// PoCo v6 `setName` on registries and entries (ENS is Bellecour-only).
    pub const OPERATION_NOT_SUPPORTED: &str = "Operation not supported on this chain";
    /// PoCo `RegistryEntry._initialize` called twice.
    pub const ENTRY_ALREADY_INITIALIZED: &str = "already initialized";
    /// PoCo `RegistryEntry.onlyOwner`.
    pub const ENTRY_NOT_OWNER: &str = "caller is not the owner";
}

/// A revert, in one of the three shapes the Solidity registries produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `require(cond, reason)`: revert data is ABI `Error(string)`.
    Reason(&'static str),
    /// `require(cond)` or a failed ABI decode: empty revert data.
    Bare,
    /// A callee's revert data, bubbled up unchanged.
    Bubble(Vec<u8>),
}

impl From<Error> for Vec<u8> {
    fn from(error: Error) -> Self {
        match error {
            Error::Reason(reason) => encode_reason(reason),
            Error::Bare => Vec::new(),
            Error::Bubble(data) => data,
        }
    }
}

/// The exported ABI declares no custom error: every revert is a string, bare or bubbled.
#[cfg(feature = "export-abi")]
impl stylus_sdk::abi::export::internal::InnerTypes for Error {}

/// ABI-encodes `Error(string)` with `reason`, as Solidity's `require(cond, reason)` does.
pub fn encode_reason(reason: &str) -> Vec<u8> {
    let padded = reason.len().div_ceil(32) * 32;
    let mut out = Vec::with_capacity(4 + 64 + padded);
    out.extend_from_slice(&ERROR_STRING_SELECTOR);
    out.extend_from_slice(&word(32));
    out.extend_from_slice(&word(reason.len()));
    out.extend_from_slice(reason.as_bytes());
    out.resize(4 + 64 + padded, 0);
    out
}

/// A `usize` as a big-endian ABI word.
pub(crate) fn word(value: usize) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[24..].copy_from_slice(&(value as u64).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{Revert, SolError};

    #[test]
    fn reason_encoding_matches_solidity() {
        for reason in [
            "",
            reasons::OWNABLE_NOT_OWNER,
            reasons::ERC721_APPROVE_NOT_ALLOWED,
            "exactly thirty-two bytes long!!!",
        ] {
            let expected = Revert::from(reason).abi_encode();
            assert_eq!(encode_reason(reason), expected, "{reason}");
            assert_eq!(Vec::<u8>::from(Error::Reason(reason)), expected);
        }
    }

    #[test]
    fn bare_and_bubble() {
        assert!(Vec::<u8>::from(Error::Bare).is_empty());
        assert_eq!(Vec::<u8>::from(Error::Bubble(vec![1, 2, 3])), vec![1, 2, 3]);
    }
}
