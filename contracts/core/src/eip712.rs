//! EIP-712 hashing of PoCo orders and order operations, hand-written.
//!
//! Why not alloy's generic `SolStruct` EIP-712: it costs ~2 KB of brotli-compressed WASM per
//! contract (spec/STYLUS.md §2.12), and PoCo's typehashes differ from the ABI structs anyway
//! (no `sign`; `operation` is `uint256`). Each struct hash here writes 32-byte words into one
//! fixed stack buffer and hashes it once, without allocation. The tests cross-check every hash
//! against alloy's `eip712_hash_struct` / `eip712_signing_hash` on random orders.
//!
//! The *typed-data hash* ([`typed_data_hash`]), not the struct hash, is the key of
//! `m_consumed` / `m_presigned` and what `OrdersMatched` emits.

use alloy_primitives::{b256, keccak256, Address, B256, U256};

use crate::orders::{
    AppOrder, AppOrderOperation, DatasetOrder, DatasetOrderOperation, RequestOrder,
    RequestOrderOperation, WorkerpoolOrder, WorkerpoolOrderOperation,
};

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, EIP712DOMAIN_TYPEHASH
pub const EIP712DOMAIN_TYPEHASH: B256 =
    b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
/// `keccak256("AppOrder(address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, APPORDER_TYPEHASH
pub const APPORDER_TYPEHASH: B256 =
    b256!("60815a0eeec47dddf1615fe53b31d016c31444e01b9d796db365443a6445d008");
/// `keccak256("DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, DATASETORDER_TYPEHASH
pub const DATASETORDER_TYPEHASH: B256 =
    b256!("6cfc932a5a3d22c4359295b9f433edff52b60703fa47690a04a83e40933dd47c");
/// `keccak256("WorkerpoolOrder(address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, WORKERPOOLORDER_TYPEHASH
pub const WORKERPOOLORDER_TYPEHASH: B256 =
    b256!("aa3429fb281b34691803133d3d978a75bb77c617ed6bc9aa162b9b30920022bb");
/// `keccak256("RequestOrder(address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, REQUESTORDER_TYPEHASH
pub const REQUESTORDER_TYPEHASH: B256 =
    b256!("f24e853034a3a450aba845a82914fbb564ad85accca6cf62be112a154520fae0");
/// `keccak256("AppOrderOperation(AppOrder order,uint256 operation)AppOrder(…)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, APPORDEROPERATION_TYPEHASH
pub const APPORDEROPERATION_TYPEHASH: B256 =
    b256!("0638bb0702457e2b4b01be8a202579b8bf97e587fb4f2cc4d4aad01f21a06ee0");
/// `keccak256("DatasetOrderOperation(DatasetOrder order,uint256 operation)DatasetOrder(…)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, DATASETORDEROPERATION_TYPEHASH
pub const DATASETORDEROPERATION_TYPEHASH: B256 =
    b256!("075eb6f7578ff4292c241bd2484cd5c1d5e6ecc2ddd3317e1d8176b5a45865ec");
/// `keccak256("WorkerpoolOrderOperation(WorkerpoolOrder order,uint256 operation)WorkerpoolOrder(…)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, WORKERPOOLORDEROPERATION_TYPEHASH
pub const WORKERPOOLORDEROPERATION_TYPEHASH: B256 =
    b256!("322d980b7d7a6a1f7c39ff0c5445da6ae1d8e0393ff0dd468c8be3e2c8644388");
/// `keccak256("RequestOrderOperation(RequestOrder order,uint256 operation)RequestOrder(…)")`.
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, REQUESTORDEROPERATION_TYPEHASH
pub const REQUESTORDEROPERATION_TYPEHASH: B256 =
    b256!("0ded7b52c2d77595a40d242eca751df172b18e686326dbbed3f4748828af77c7");

/// `keccak256("iExecODB")`, the hashed domain name.
pub const DOMAIN_NAME_HASH: B256 =
    b256!("d09e9ea0312bbb0f4fb83599321c7d1cf938d018312d2bbab59677d8eb85fe1c");
/// `keccak256("5.0.0")`, the hashed domain version.
pub const DOMAIN_VERSION_HASH: B256 =
    b256!("2ade050ecfcf8ae20ae1d10a23573f9d7e0bad85e74a2cf8338a65401e64558c");

#[inline(always)]
fn address_word(a: &Address) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a.as_slice());
    w
}

#[inline(always)]
fn uint_word(u: &U256) -> [u8; 32] {
    u.to_be_bytes::<32>()
}

#[inline(always)]
fn u8_word(v: u8) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[31] = v;
    w
}

/// Hashes `N` consecutive 32-byte words (`keccak256(abi.encode(w0, …, wN-1))`).
#[inline(always)]
fn hash_words<const N: usize>(words: [[u8; 32]; N]) -> B256 {
    keccak256(words.as_flattened())
}

/// An order or order operation with PoCo's EIP-712 struct hash.
pub trait PocoStructHash {
    /// PoCo's typehash of this struct.
    const TYPEHASH: B256;

    /// `hashStruct(self)`: keccak256 of the typehash and the encoded fields (dynamic fields
    /// hashed, `sign` left out).
    fn struct_hash(&self) -> B256;

    /// The typed-data hash of this struct in the given domain
    /// (see [`typed_data_hash`]); the id of an order in PoCo's storage.
    fn typed_data_hash(&self, domain_separator: &B256) -> B256 {
        typed_data_hash(domain_separator, &self.struct_hash())
    }
}

impl PocoStructHash for AppOrder {
    const TYPEHASH: B256 = APPORDER_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(AppOrder)
    fn struct_hash(&self) -> B256 {
        hash_words([
            APPORDER_TYPEHASH.0,
            address_word(&self.app),
            uint_word(&self.appprice),
            uint_word(&self.volume),
            self.tag.0,
            address_word(&self.datasetrestrict),
            address_word(&self.workerpoolrestrict),
            address_word(&self.requesterrestrict),
            self.salt.0,
        ])
    }
}

impl PocoStructHash for DatasetOrder {
    const TYPEHASH: B256 = DATASETORDER_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(DatasetOrder)
    fn struct_hash(&self) -> B256 {
        hash_words([
            DATASETORDER_TYPEHASH.0,
            address_word(&self.dataset),
            uint_word(&self.datasetprice),
            uint_word(&self.volume),
            self.tag.0,
            address_word(&self.apprestrict),
            address_word(&self.workerpoolrestrict),
            address_word(&self.requesterrestrict),
            self.salt.0,
        ])
    }
}

impl PocoStructHash for WorkerpoolOrder {
    const TYPEHASH: B256 = WORKERPOOLORDER_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(WorkerpoolOrder)
    fn struct_hash(&self) -> B256 {
        hash_words([
            WORKERPOOLORDER_TYPEHASH.0,
            address_word(&self.workerpool),
            uint_word(&self.workerpoolprice),
            uint_word(&self.volume),
            self.tag.0,
            uint_word(&self.category),
            uint_word(&self.trust),
            address_word(&self.apprestrict),
            address_word(&self.datasetrestrict),
            address_word(&self.requesterrestrict),
            self.salt.0,
        ])
    }
}

impl PocoStructHash for RequestOrder {
    const TYPEHASH: B256 = REQUESTORDER_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(RequestOrder) — `params` is hashed.
    fn struct_hash(&self) -> B256 {
        request_order_struct_hash(self, self.params.as_bytes())
    }
}

/// PoCo's struct hash of a request order whose `params` are `params`, whatever
/// `order.params` holds: Solidity's `string` may hold bytes that are not UTF-8, which a
/// Rust `String` cannot (`crate::calldata` keeps them beside the order).
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(RequestOrder)
#[inline(never)]
pub fn request_order_struct_hash(order: &RequestOrder, params: &[u8]) -> B256 {
    hash_words([
        REQUESTORDER_TYPEHASH.0,
        address_word(&order.app),
        uint_word(&order.appmaxprice),
        address_word(&order.dataset),
        uint_word(&order.datasetmaxprice),
        address_word(&order.workerpool),
        uint_word(&order.workerpoolmaxprice),
        address_word(&order.requester),
        uint_word(&order.volume),
        order.tag.0,
        uint_word(&order.category),
        uint_word(&order.trust),
        address_word(&order.beneficiary),
        address_word(&order.callback),
        keccak256(params).0,
        order.salt.0,
    ])
}

/// PoCo's struct hash of a `RequestOrderOperation` from its order's struct hash (see
/// [`request_order_struct_hash`]).
///
/// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(RequestOrderOperation)
pub fn request_order_operation_struct_hash(order_struct_hash: &B256, operation: u8) -> B256 {
    operation_hash(&REQUESTORDEROPERATION_TYPEHASH, order_struct_hash, operation)
}

/// `keccak256(abi.encode(TYPEHASH, hash(order), uint256(operation)))`.
#[inline(always)]
fn operation_hash(typehash: &B256, order_hash: &B256, operation: u8) -> B256 {
    hash_words([typehash.0, order_hash.0, u8_word(operation)])
}

impl PocoStructHash for AppOrderOperation {
    const TYPEHASH: B256 = APPORDEROPERATION_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(AppOrderOperation)
    fn struct_hash(&self) -> B256 {
        operation_hash(&Self::TYPEHASH, &self.order.struct_hash(), self.operation)
    }
}

impl PocoStructHash for DatasetOrderOperation {
    const TYPEHASH: B256 = DATASETORDEROPERATION_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(DatasetOrderOperation)
    fn struct_hash(&self) -> B256 {
        operation_hash(&Self::TYPEHASH, &self.order.struct_hash(), self.operation)
    }
}

impl PocoStructHash for WorkerpoolOrderOperation {
    const TYPEHASH: B256 = WORKERPOOLORDEROPERATION_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(WorkerpoolOrderOperation)
    fn struct_hash(&self) -> B256 {
        operation_hash(&Self::TYPEHASH, &self.order.struct_hash(), self.operation)
    }
}

impl PocoStructHash for RequestOrderOperation {
    const TYPEHASH: B256 = REQUESTORDEROPERATION_TYPEHASH;
    /// PoCo: contracts/libs/IexecLibOrders_v5.sol, hash(RequestOrderOperation)
    fn struct_hash(&self) -> B256 {
        operation_hash(&Self::TYPEHASH, &self.order.struct_hash(), self.operation)
    }
}

/// PoCo's EIP-712 domain separator:
/// `keccak256(abi.encode(EIP712DOMAIN_TYPEHASH, keccak256("iExecODB"), keccak256("5.0.0"), chainId, verifyingContract))`.
///
/// PoCo: contracts/facets/IexecConfigurationFacet.sol, _updateDomainSeparator
/// (why: stored once by `configure`, recomputed by `updateDomainSeparator` after a fork).
pub fn domain_separator(chain_id: u64, verifying_contract: &Address) -> B256 {
    hash_words([
        EIP712DOMAIN_TYPEHASH.0,
        DOMAIN_NAME_HASH.0,
        DOMAIN_VERSION_HASH.0,
        uint_word(&U256::from(chain_id)),
        address_word(verifying_contract),
    ])
}

/// The EIP-712 digest `keccak256("\x19\x01" ‖ domainSeparator ‖ structHash)`, which order
/// signers sign and PoCo keys `m_consumed` / `m_presigned` with.
///
/// PoCo: contracts/abstract/SignatureVerifier.sol, _toTypedDataHash
#[inline(never)] // four orders per call: one copy on wasm32
pub fn typed_data_hash(domain_separator: &B256, struct_hash: &B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "AppOrder(address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)";
    const DATASET: &str = "DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)";
    const WORKERPOOL: &str = "WorkerpoolOrder(address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt)";
    const REQUEST: &str = "RequestOrder(address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt)";

    fn k(s: &str) -> B256 {
        keccak256(s.as_bytes())
    }

    #[test]
    fn typehashes_are_keccak_of_pocos_type_strings() {
        assert_eq!(
            EIP712DOMAIN_TYPEHASH,
            k("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
        );
        assert_eq!(APPORDER_TYPEHASH, k(APP));
        assert_eq!(DATASETORDER_TYPEHASH, k(DATASET));
        assert_eq!(WORKERPOOLORDER_TYPEHASH, k(WORKERPOOL));
        assert_eq!(REQUESTORDER_TYPEHASH, k(REQUEST));
        let op = |name: &str, inner: &str, order: &str| {
            k(&alloc::format!(
                "{name}({inner} order,uint256 operation){order}"
            ))
        };
        assert_eq!(
            APPORDEROPERATION_TYPEHASH,
            op("AppOrderOperation", "AppOrder", APP)
        );
        assert_eq!(
            DATASETORDEROPERATION_TYPEHASH,
            op("DatasetOrderOperation", "DatasetOrder", DATASET)
        );
        assert_eq!(
            WORKERPOOLORDEROPERATION_TYPEHASH,
            op("WorkerpoolOrderOperation", "WorkerpoolOrder", WORKERPOOL)
        );
        assert_eq!(
            REQUESTORDEROPERATION_TYPEHASH,
            op("RequestOrderOperation", "RequestOrder", REQUEST)
        );
    }

    #[test]
    fn trait_typehash_constants_point_at_the_right_typehash() {
        assert_eq!(<AppOrder as PocoStructHash>::TYPEHASH, APPORDER_TYPEHASH);
        assert_eq!(
            <RequestOrderOperation as PocoStructHash>::TYPEHASH,
            REQUESTORDEROPERATION_TYPEHASH
        );
    }

    #[test]
    fn domain_name_and_version_hashes() {
        assert_eq!(DOMAIN_NAME_HASH, k(crate::constants::EIP712_DOMAIN_NAME));
        assert_eq!(
            DOMAIN_VERSION_HASH,
            k(crate::constants::EIP712_DOMAIN_VERSION)
        );
    }

    #[test]
    fn sign_field_does_not_change_the_hash_but_every_hashed_field_does() {
        let a = AppOrder {
            volume: U256::from(1),
            ..Default::default()
        };
        let mut b = a.clone();
        b.sign = alloc::vec![1, 2, 3].into();
        assert_eq!(a.struct_hash(), b.struct_hash());
        b.salt = B256::repeat_byte(1);
        assert_ne!(a.struct_hash(), b.struct_hash());
        let r = RequestOrder::default();
        let mut r2 = r.clone();
        r2.params = "x".into();
        assert_ne!(r.struct_hash(), r2.struct_hash());
    }

    #[test]
    fn typed_data_hash_prefix() {
        let sep = B256::repeat_byte(0xaa);
        let h = B256::repeat_byte(0xbb);
        let mut pre = alloc::vec![0x19u8, 0x01];
        pre.extend_from_slice(sep.as_slice());
        pre.extend_from_slice(h.as_slice());
        assert_eq!(typed_data_hash(&sep, &h), keccak256(&pre));
    }
}
