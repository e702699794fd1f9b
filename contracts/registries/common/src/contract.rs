//! [`registry_contract!`](crate::registry_contract): the public ABI shared by the three
//! registries, written once.
//!
//! Stylus routes one `#[public]` inherent impl per contract; the three registries differ
//! only in their name, symbol and `createX`/`predictX` pair, so the macro expands the whole
//! shared surface (Ownable, ERC-721 enumerable + metadata, Registry) into that impl, and each
//! registry adds its pair as a `#[public]` trait that the impl `#[implements]` (SDK 0.10
//! composition). Methods cannot be spliced into the macro's impl: `#[public]`'s generated
//! code does not resolve across macro_rules hygiene.

/// Re-exports the macro's expansion names, so that it resolves in any `no_std` crate.
#[doc(hidden)]
pub mod __private {
    pub use alloc::{string::String, vec::Vec};
    pub use alloy_primitives::{Address, FixedBytes, B256, U256};
    pub use stylus_sdk::abi::Bytes;
}

/// Declares a registry contract: the `#[entrypoint]` storage struct (one [`Registry`] field
/// named `registry`) and its single `#[public]` impl with the constructor and every shared
/// method, which `#[implements]` the registry's own `#[public]` factory trait (`createX`,
/// `predictX`) named after `implements =`.
///
/// The calling crate must `use stylus_sdk::prelude::*;` (the attribute macros resolve there)
/// and `extern crate alloc;`.
///
/// [`Registry`]: crate::registry::Registry
#[macro_export]
macro_rules! registry_contract {
    (
        $(#[$meta:meta])*
        pub struct $contract:ident;
        name = $name:expr;
        symbol = $symbol:expr;
        implements = $factory:ident;
    ) => {
        $(#[$meta])*
        #[storage]
        #[entrypoint]
        pub struct $contract {
            /// Ownership, ERC-721 ledger and entry factory.
            pub registry: $crate::registry::Registry,
        }

        #[public]
        #[implements($factory)]
        impl $contract {
            /// Binds the registry to its owner and its entry master.
            ///
            /// # Arguments
            ///
            /// * `owner` - the registry owner (`msg.sender` is the StylusDeployer here).
            /// * `master` - the activated entry program every entry proxy delegates to.
            ///
            /// # Events
            ///
            /// `OwnershipTransferred(0, owner)`.
            #[constructor]
            pub fn constructor(
                &mut self,
                owner: $crate::contract::__private::Address,
                master: $crate::contract::__private::Address,
            ) {
                self.registry.construct(owner, master);
            }

            // ----- Ownable -----

            /// The registry owner.
            pub fn owner(&self) -> $crate::contract::__private::Address {
                self.registry.ownable.owner()
            }

            /// Leaves the registry without owner.
            ///
            /// # Errors
            ///
            /// "Ownable: caller is not the owner".
            ///
            /// # Events
            ///
            /// `OwnershipTransferred(owner, 0)`.
            pub fn renounce_ownership(&mut self) -> Result<(), $crate::Error> {
                self.registry.ownable.renounce_ownership()
            }

            /// Hands the registry to `new_owner`.
            ///
            /// # Arguments
            ///
            /// * `new_owner` - the next owner.
            ///
            /// # Errors
            ///
            /// "Ownable: caller is not the owner", "Ownable: new owner is the zero address".
            ///
            /// # Events
            ///
            /// `OwnershipTransferred(owner, new_owner)`.
            pub fn transfer_ownership(
                &mut self,
                new_owner: $crate::contract::__private::Address,
            ) -> Result<(), $crate::Error> {
                self.registry.ownable.transfer_ownership(new_owner)
            }

            // ----- ERC-721 metadata -----

            /// Collection name.
            pub fn name(&self) -> $crate::contract::__private::String {
                $crate::contract::__private::String::from($name)
            }

            /// Collection symbol.
            pub fn symbol(&self) -> $crate::contract::__private::String {
                $crate::contract::__private::String::from($symbol)
            }

            /// Prefix of every token URI.
            #[selector(name = "baseURI")]
            pub fn base_uri(&self) -> $crate::contract::__private::String {
                self.registry.base_uri()
            }

            /// `baseURI ‖ decimal(tokenId)`, or `""` without base URI.
            ///
            /// # Arguments
            ///
            /// * `token_id` - an entry's token.
            ///
            /// # Errors
            ///
            /// "ERC721Metadata: URI query for nonexistent token".
            #[selector(name = "tokenURI")]
            pub fn token_uri(
                &self,
                token_id: $crate::contract::__private::U256,
            ) -> Result<$crate::contract::__private::String, $crate::Error> {
                self.registry.token_uri(token_id)
            }

            // ----- ERC-721 -----

            /// ERC-165: ERC-165, ERC-721, ERC-721 metadata and enumerable.
            ///
            /// # Arguments
            ///
            /// * `interface_id` - an ERC-165 interface id.
            pub fn supports_interface(
                &self,
                interface_id: $crate::contract::__private::FixedBytes<4>,
            ) -> bool {
                $crate::erc721::supports_interface(interface_id.0)
            }

            /// Number of entries `owner` holds.
            ///
            /// # Arguments
            ///
            /// * `owner` - any address but zero.
            ///
            /// # Errors
            ///
            /// "ERC721: balance query for the zero address".
            pub fn balance_of(
                &self,
                owner: $crate::contract::__private::Address,
            ) -> Result<$crate::contract::__private::U256, $crate::Error> {
                self.registry.erc721.balance_of(owner)
            }

            /// Holder of `token_id`.
            ///
            /// # Arguments
            ///
            /// * `token_id` - an entry's token.
            ///
            /// # Errors
            ///
            /// "ERC721: owner query for nonexistent token".
            pub fn owner_of(
                &self,
                token_id: $crate::contract::__private::U256,
            ) -> Result<$crate::contract::__private::Address, $crate::Error> {
                self.registry.erc721.owner_of(token_id)
            }

            /// Lets `to` move `token_id` (zero clears).
            ///
            /// # Arguments
            ///
            /// * `to` - the approved address.
            /// * `token_id` - a token of the caller, or of an owner whose operator the caller is.
            ///
            /// # Errors
            ///
            /// "ERC721: owner query for nonexistent token", "ERC721: approval to current
            /// owner", "ERC721: approve caller is not owner nor approved for all".
            ///
            /// # Events
            ///
            /// `Approval(owner, to, token_id)`.
            pub fn approve(
                &mut self,
                to: $crate::contract::__private::Address,
                token_id: $crate::contract::__private::U256,
            ) -> Result<(), $crate::Error> {
                self.registry.erc721.approve(to, token_id)
            }

            /// The address approved for `token_id`.
            ///
            /// # Arguments
            ///
            /// * `token_id` - an entry's token.
            ///
            /// # Errors
            ///
            /// "ERC721: approved query for nonexistent token".
            pub fn get_approved(
                &self,
                token_id: $crate::contract::__private::U256,
            ) -> Result<$crate::contract::__private::Address, $crate::Error> {
                self.registry.erc721.get_approved(token_id)
            }

            /// Lets (or stops letting) `operator` move every token of the caller.
            ///
            /// # Arguments
            ///
            /// * `operator` - anyone but the caller.
            /// * `approved` - grant or revoke.
            ///
            /// # Errors
            ///
            /// "ERC721: approve to caller".
            ///
            /// # Events
            ///
            /// `ApprovalForAll(caller, operator, approved)`.
            pub fn set_approval_for_all(
                &mut self,
                operator: $crate::contract::__private::Address,
                approved: bool,
            ) -> Result<(), $crate::Error> {
                self.registry.erc721.set_approval_for_all(operator, approved)
            }

            /// Whether `operator` may move every token of `owner`.
            ///
            /// # Arguments
            ///
            /// * `owner` - a holder.
            /// * `operator` - a candidate operator.
            pub fn is_approved_for_all(
                &self,
                owner: $crate::contract::__private::Address,
                operator: $crate::contract::__private::Address,
            ) -> bool {
                self.registry.erc721.is_approved_for_all(owner, operator)
            }

            /// Moves `token_id` from `from` to `to` (no receiver check).
            ///
            /// # Arguments
            ///
            /// * `from` - the holder.
            /// * `to` - the new holder, not zero.
            /// * `token_id` - the token (its entry's ownership moves with it).
            ///
            /// # Errors
            ///
            /// "ERC721: operator query for nonexistent token", "ERC721: transfer caller is
            /// not owner nor approved", "ERC721: transfer of token that is not own",
            /// "ERC721: transfer to the zero address".
            ///
            /// # Events
            ///
            /// `Approval(from, 0, token_id)`, `Transfer(from, to, token_id)`.
            pub fn transfer_from(
                &mut self,
                from: $crate::contract::__private::Address,
                to: $crate::contract::__private::Address,
                token_id: $crate::contract::__private::U256,
            ) -> Result<(), $crate::Error> {
                self.registry.erc721.transfer_from(from, to, token_id)
            }

            /// `safeTransferFrom(from, to, token_id, "")`.
            ///
            /// # Arguments
            ///
            /// * `from` - the holder.
            /// * `to` - the new holder; a contract must accept through `onERC721Received`.
            /// * `token_id` - the token.
            ///
            /// # Errors
            ///
            /// As `transferFrom`, plus "ERC721: transfer to non ERC721Receiver implementer"
            /// or the receiver's revert data.
            ///
            /// # Events
            ///
            /// As `transferFrom`.
            pub fn safe_transfer_from(
                &mut self,
                from: $crate::contract::__private::Address,
                to: $crate::contract::__private::Address,
                token_id: $crate::contract::__private::U256,
            ) -> Result<(), $crate::Error> {
                self.registry.erc721.safe_transfer_from(from, to, token_id, &[])
            }

            /// `safeTransferFrom` with `data` forwarded to `onERC721Received`.
            ///
            /// # Arguments
            ///
            /// * `from` - the holder.
            /// * `to` - the new holder; a contract must accept through `onERC721Received`.
            /// * `token_id` - the token.
            /// * `data` - passed to the receiver.
            ///
            /// # Errors
            ///
            /// As the three-argument `safeTransferFrom`.
            ///
            /// # Events
            ///
            /// As `transferFrom`.
            #[selector(name = "safeTransferFrom")]
            pub fn safe_transfer_from_with_data(
                &mut self,
                from: $crate::contract::__private::Address,
                to: $crate::contract::__private::Address,
                token_id: $crate::contract::__private::U256,
                data: $crate::contract::__private::Bytes,
            ) -> Result<(), $crate::Error> {
                self.registry.erc721.safe_transfer_from(from, to, token_id, &data)
            }

            // ----- ERC-721 enumerable -----

            /// Number of entries.
            pub fn total_supply(&self) -> $crate::contract::__private::U256 {
                self.registry.erc721.total_supply()
            }

            /// The `index`-th created entry's token.
            ///
            /// # Arguments
            ///
            /// * `index` - below `totalSupply()`.
            ///
            /// # Errors
            ///
            /// "EnumerableMap: index out of bounds".
            pub fn token_by_index(
                &self,
                index: $crate::contract::__private::U256,
            ) -> Result<$crate::contract::__private::U256, $crate::Error> {
                self.registry.erc721.token_by_index(index)
            }

            /// The `index`-th token of `owner`.
            ///
            /// # Arguments
            ///
            /// * `owner` - a holder.
            /// * `index` - below `balanceOf(owner)`.
            ///
            /// # Errors
            ///
            /// "EnumerableSet: index out of bounds".
            pub fn token_of_owner_by_index(
                &self,
                owner: $crate::contract::__private::Address,
                index: $crate::contract::__private::U256,
            ) -> Result<$crate::contract::__private::U256, $crate::Error> {
                self.registry.erc721.token_of_owner_by_index(owner, index)
            }

            // ----- Registry -----

            /// The entry program every entry proxy delegates to.
            pub fn master(&self) -> $crate::contract::__private::Address {
                self.registry.master()
            }

            /// EIP-1167 creation code of the entry proxies.
            pub fn proxy_code(&self) -> $crate::contract::__private::Bytes {
                self.registry.proxy_code().into()
            }

            /// `keccak256(proxyCode)`.
            pub fn proxy_code_hash(&self) -> $crate::contract::__private::B256 {
                self.registry.proxy_code_hash()
            }

            /// The older registry `isRegistered` falls back to (zero: none).
            pub fn previous(&self) -> $crate::contract::__private::Address {
                self.registry.previous()
            }

            /// Whether `initialize` ran.
            pub fn initialized(&self) -> bool {
                self.registry.initialized()
            }

            /// Sets the previous registry, once.
            ///
            /// # Arguments
            ///
            /// * `previous` - the older registry (zero: none).
            ///
            /// # Errors
            ///
            /// "Ownable: caller is not the owner"; a bare revert when already initialized.
            pub fn initialize(
                &mut self,
                previous: $crate::contract::__private::Address,
            ) -> Result<(), $crate::Error> {
                self.registry.initialize(previous)
            }

            /// Sets the prefix of every token URI.
            ///
            /// # Arguments
            ///
            /// * `base_uri` - e.g. `https://nfts-metadata.iex.ec/app/<chainId>/`.
            ///
            /// # Errors
            ///
            /// "Ownable: caller is not the owner".
            #[selector(name = "setBaseURI")]
            pub fn set_base_uri(
                &mut self,
                base_uri: $crate::contract::__private::String,
            ) -> Result<(), $crate::Error> {
                self.registry.set_base_uri(&base_uri)
            }

            /// Whether `entry` was created here (or by the previous registry).
            ///
            /// # Arguments
            ///
            /// * `entry` - an entry address.
            ///
            /// # Errors
            ///
            /// The previous registry's revert data.
            pub fn is_registered(
                &self,
                entry: $crate::contract::__private::Address,
            ) -> Result<bool, $crate::Error> {
                self.registry.is_registered(entry)
            }

            /// ENS reverse registration: not supported off Bellecour.
            ///
            /// # Arguments
            ///
            /// * `ens` - ignored.
            /// * `name` - ignored.
            ///
            /// # Errors
            ///
            /// "Ownable: caller is not the owner", else always "Operation not supported on
            /// this chain".
            pub fn set_name(
                &mut self,
                ens: $crate::contract::__private::Address,
                name: $crate::contract::__private::String,
            ) -> Result<(), $crate::Error> {
                let _ = (ens, name);
                self.registry.set_name()
            }
        }
    };
}
