//! Orders off chain: signing, hashing and the calls that manage them, on poco-core's order
//! types and PoCo's EIP-712 (`poco_core::eip712`), plus the JSON file users edit.
//!
//! An orders file holds up to one order of each kind under iExec's keys (`apporder`,
//! `datasetorder`, `workerpoolorder`, `requestorder`), with iExec's field names; integers
//! are decimal strings (any `0x` hex or JSON number is read too), addresses and bytes hex.

use std::{fs, path::Path};

use alloy::{
    primitives::{Address, Bytes, B256, U256},
    signers::{local::PrivateKeySigner, SignerSync},
    sol_types::SolCall,
};
use anyhow::{Context, Result};
use poco_core::{
    eip712::PocoStructHash,
    orders::{
        broadcastAppOrderCall, broadcastDatasetOrderCall, broadcastRequestOrderCall, broadcastWorkerpoolOrderCall,
        manageAppOrderCall, manageDatasetOrderCall, manageRequestOrderCall, manageWorkerpoolOrderCall, AppOrder,
        AppOrderOperation, DatasetOrder, DatasetOrderOperation, RequestOrder, RequestOrderOperation, WorkerpoolOrder,
        WorkerpoolOrderOperation,
    },
};
use serde::{Deserialize, Serialize};

/// `OrderOperationEnum.CLOSE`: cancels an order (`manage*Order`).
pub const CLOSE: u8 = 1;

/// The four kinds of order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderKind {
    /// Offer of an app.
    App,
    /// Offer of a dataset.
    Dataset,
    /// Offer of a workerpool.
    Workerpool,
    /// Demand of a requester.
    Request,
}

impl OrderKind {
    /// Every kind, in `matchOrders`' argument order.
    pub const ALL: [OrderKind; 4] = [OrderKind::App, OrderKind::Dataset, OrderKind::Workerpool, OrderKind::Request];

    /// iExec's key of the kind (`apporder`, ...).
    pub fn key(self) -> &'static str {
        match self {
            OrderKind::App => "apporder",
            OrderKind::Dataset => "datasetorder",
            OrderKind::Workerpool => "workerpoolorder",
            OrderKind::Request => "requestorder",
        }
    }
}

impl std::fmt::Display for OrderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OrderKind::App => "app order",
            OrderKind::Dataset => "dataset order",
            OrderKind::Workerpool => "workerpool order",
            OrderKind::Request => "request order",
        })
    }
}

/// Who must sign an order for the hub to accept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderSigner {
    /// The owner of this app, dataset or workerpool contract (`owner()`).
    OwnerOf(Address),
    /// This requester.
    Requester(Address),
}

/// What the off-chain code does with an order of any kind.
pub trait PocoOrder: PocoStructHash + Clone {
    /// The kind.
    const KIND: OrderKind;
    /// The order's salt (signing a second order with the same fields needs another one).
    fn salt_mut(&mut self) -> &mut B256;
    /// The signature carried by the order.
    fn signature(&self) -> &Bytes;
    /// Sets the signature.
    fn set_signature(&mut self, sign: Bytes);
    /// Volume offered or asked.
    fn volume(&self) -> U256;
    /// Who must sign it.
    fn signer(&self) -> OrderSigner;
    /// Calldata of `manage*Order(order, CLOSE, 0x)`: the owner cancels it.
    fn close_calldata(&self) -> Vec<u8>;
    /// Calldata of `broadcast*Order(order)`: publishes it as an event.
    fn broadcast_calldata(&self) -> Vec<u8>;
}

impl PocoOrder for AppOrder {
    const KIND: OrderKind = OrderKind::App;
    fn salt_mut(&mut self) -> &mut B256 {
        &mut self.salt
    }
    fn signature(&self) -> &Bytes {
        &self.sign
    }
    fn set_signature(&mut self, sign: Bytes) {
        self.sign = sign;
    }
    fn volume(&self) -> U256 {
        self.volume
    }
    fn signer(&self) -> OrderSigner {
        OrderSigner::OwnerOf(self.app)
    }
    fn close_calldata(&self) -> Vec<u8> {
        manageAppOrderCall(AppOrderOperation { order: self.clone(), operation: CLOSE, sign: Bytes::new() })
            .abi_encode()
    }
    fn broadcast_calldata(&self) -> Vec<u8> {
        broadcastAppOrderCall(self.clone()).abi_encode()
    }
}

impl PocoOrder for DatasetOrder {
    const KIND: OrderKind = OrderKind::Dataset;
    fn salt_mut(&mut self) -> &mut B256 {
        &mut self.salt
    }
    fn signature(&self) -> &Bytes {
        &self.sign
    }
    fn set_signature(&mut self, sign: Bytes) {
        self.sign = sign;
    }
    fn volume(&self) -> U256 {
        self.volume
    }
    fn signer(&self) -> OrderSigner {
        OrderSigner::OwnerOf(self.dataset)
    }
    fn close_calldata(&self) -> Vec<u8> {
        manageDatasetOrderCall(DatasetOrderOperation { order: self.clone(), operation: CLOSE, sign: Bytes::new() })
        .abi_encode()
    }
    fn broadcast_calldata(&self) -> Vec<u8> {
        broadcastDatasetOrderCall(self.clone()).abi_encode()
    }
}

impl PocoOrder for WorkerpoolOrder {
    const KIND: OrderKind = OrderKind::Workerpool;
    fn salt_mut(&mut self) -> &mut B256 {
        &mut self.salt
    }
    fn signature(&self) -> &Bytes {
        &self.sign
    }
    fn set_signature(&mut self, sign: Bytes) {
        self.sign = sign;
    }
    fn volume(&self) -> U256 {
        self.volume
    }
    fn signer(&self) -> OrderSigner {
        OrderSigner::OwnerOf(self.workerpool)
    }
    fn close_calldata(&self) -> Vec<u8> {
        manageWorkerpoolOrderCall(WorkerpoolOrderOperation { order: self.clone(), operation: CLOSE, sign: Bytes::new() })
        .abi_encode()
    }
    fn broadcast_calldata(&self) -> Vec<u8> {
        broadcastWorkerpoolOrderCall(self.clone()).abi_encode()
    }
}

impl PocoOrder for RequestOrder {
    const KIND: OrderKind = OrderKind::Request;
    fn salt_mut(&mut self) -> &mut B256 {
        &mut self.salt
    }
    fn signature(&self) -> &Bytes {
        &self.sign
    }
    fn set_signature(&mut self, sign: Bytes) {
        self.sign = sign;
    }
    fn volume(&self) -> U256 {
        self.volume
    }
    fn signer(&self) -> OrderSigner {
        OrderSigner::Requester(self.requester)
    }
    fn close_calldata(&self) -> Vec<u8> {
        manageRequestOrderCall(RequestOrderOperation { order: self.clone(), operation: CLOSE, sign: Bytes::new() })
        .abi_encode()
    }
    fn broadcast_calldata(&self) -> Vec<u8> {
        broadcastRequestOrderCall(self.clone()).abi_encode()
    }
}

/// `signer`'s 65-byte ECDSA signature (`r ‖ s ‖ v`) of `hash`, an order's EIP-712 typed-data
/// hash, as PoCo's `verifySignature` checks it.
pub fn sign_hash(signer: &PrivateKeySigner, hash: B256) -> Result<Bytes> {
    let signature = signer.sign_hash_sync(&hash).context("signing the order hash")?;
    Ok(Bytes::from(signature.as_bytes().to_vec()))
}

/// Signs `order` in the domain `domain_separator` (`poco_core::eip712::domain_separator`
/// of the chain id and the hub) and returns its typed-data hash, the order's id on chain.
pub fn sign_order<O: PocoOrder>(order: &mut O, signer: &PrivateKeySigner, domain_separator: &B256) -> Result<B256> {
    let hash = order.typed_data_hash(domain_separator);
    order.set_signature(sign_hash(signer, hash)?);
    Ok(hash)
}

/// A random salt, as iExec's SDK gives every order it signs: 32 bytes from the OS's
/// generator (through the signer library's, already in the tree: a random secp256k1 key is
/// 32 uniform bytes below the curve order, which loses nothing a salt needs).
pub fn random_salt() -> B256 {
    PrivateKeySigner::random().to_bytes()
}

/// An orders file: up to one order of each kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdersFile {
    /// The app order.
    #[serde(default, with = "json::app_opt", skip_serializing_if = "Option::is_none")]
    pub apporder: Option<AppOrder>,
    /// The dataset order.
    #[serde(default, with = "json::dataset_opt", skip_serializing_if = "Option::is_none")]
    pub datasetorder: Option<DatasetOrder>,
    /// The workerpool order.
    #[serde(default, with = "json::workerpool_opt", skip_serializing_if = "Option::is_none")]
    pub workerpoolorder: Option<WorkerpoolOrder>,
    /// The request order.
    #[serde(default, with = "json::request_opt", skip_serializing_if = "Option::is_none")]
    pub requestorder: Option<RequestOrder>,
}

impl OrdersFile {
    /// Reads `path`; a missing file is an empty one.
    pub fn load_or_default(path: &Path) -> Result<Self> {
        match fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Reads `path`, which must exist.
    pub fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).with_context(|| {
            format!("cannot read the orders file {} (create it with `poco order init`)", path.display())
        })?;
        Self::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<Self> {
        serde_json::from_str(text).with_context(|| format!("{} is not a valid orders file", path.display()))
    }

    /// Writes the file, pretty-printed.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).context("encoding the orders")?;
        fs::write(path, text + "\n").with_context(|| format!("cannot write {}", path.display()))
    }

    /// Whether the file holds an order of `kind`.
    pub fn has(&self, kind: OrderKind) -> bool {
        match kind {
            OrderKind::App => self.apporder.is_some(),
            OrderKind::Dataset => self.datasetorder.is_some(),
            OrderKind::Workerpool => self.workerpoolorder.is_some(),
            OrderKind::Request => self.requestorder.is_some(),
        }
    }
}

/// serde shapes of the orders (serde's remote derive over poco-core's types, so there is no
/// second definition of an order to keep in sync: a field added there fails to compile here).
mod json {
    #![allow(missing_docs, unreachable_pub)] // serde's generated helpers

    use alloy::primitives::{Address, Bytes, B256, U256};
    use poco_core::orders::{AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Integers as decimal strings; decimal or `0x` hex strings and JSON numbers are read.
    mod dec {
        use super::*;

        pub fn serialize<S: Serializer>(value: &U256, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&value.to_string())
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Num {
                Text(String),
                Number(u64),
            }
            match Num::deserialize(d)? {
                Num::Number(n) => Ok(U256::from(n)),
                Num::Text(t) => {
                    let t = t.trim();
                    let parsed = match t.strip_prefix("0x") {
                        Some(hex) => U256::from_str_radix(hex, 16),
                        None => U256::from_str_radix(t, 10),
                    };
                    parsed.map_err(|_| serde::de::Error::custom(format!("`{t}` is not an unsigned integer")))
                }
            }
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "AppOrder", deny_unknown_fields)]
    pub struct AppOrderDef {
        app: Address,
        #[serde(with = "dec")]
        appprice: U256,
        #[serde(with = "dec")]
        volume: U256,
        tag: B256,
        datasetrestrict: Address,
        workerpoolrestrict: Address,
        requesterrestrict: Address,
        salt: B256,
        #[serde(default)]
        sign: Bytes,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DatasetOrder", deny_unknown_fields)]
    pub struct DatasetOrderDef {
        dataset: Address,
        #[serde(with = "dec")]
        datasetprice: U256,
        #[serde(with = "dec")]
        volume: U256,
        tag: B256,
        apprestrict: Address,
        workerpoolrestrict: Address,
        requesterrestrict: Address,
        salt: B256,
        #[serde(default)]
        sign: Bytes,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "WorkerpoolOrder", deny_unknown_fields)]
    pub struct WorkerpoolOrderDef {
        workerpool: Address,
        #[serde(with = "dec")]
        workerpoolprice: U256,
        #[serde(with = "dec")]
        volume: U256,
        tag: B256,
        #[serde(with = "dec")]
        category: U256,
        #[serde(with = "dec")]
        trust: U256,
        apprestrict: Address,
        datasetrestrict: Address,
        requesterrestrict: Address,
        salt: B256,
        #[serde(default)]
        sign: Bytes,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "RequestOrder", deny_unknown_fields)]
    pub struct RequestOrderDef {
        app: Address,
        #[serde(with = "dec")]
        appmaxprice: U256,
        dataset: Address,
        #[serde(with = "dec")]
        datasetmaxprice: U256,
        workerpool: Address,
        #[serde(with = "dec")]
        workerpoolmaxprice: U256,
        requester: Address,
        #[serde(with = "dec")]
        volume: U256,
        tag: B256,
        #[serde(with = "dec")]
        category: U256,
        #[serde(with = "dec")]
        trust: U256,
        beneficiary: Address,
        callback: Address,
        params: String,
        salt: B256,
        #[serde(default)]
        sign: Bytes,
    }

    /// `Option<T>` through a remote definition.
    macro_rules! optional {
        ($module:ident, $def:literal, $ty:ty) => {
            pub mod $module {
                use super::*;

                pub fn serialize<S: Serializer>(value: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                    #[derive(Serialize)]
                    struct Wrap(#[serde(with = $def)] $ty);
                    value.clone().map(Wrap).serialize(s)
                }

                pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                    #[derive(Deserialize)]
                    struct Wrap(#[serde(with = $def)] $ty);
                    Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
                }
            }
        };
    }
    optional!(app_opt, "super::AppOrderDef", AppOrder);
    optional!(dataset_opt, "super::DatasetOrderDef", DatasetOrder);
    optional!(workerpool_opt, "super::WorkerpoolOrderDef", WorkerpoolOrder);
    optional!(request_opt, "super::RequestOrderDef", RequestOrder);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

    use alloy::primitives::Signature;
    use poco_core::eip712::domain_separator;

    use super::*;

    fn sample() -> OrdersFile {
        OrdersFile {
            apporder: Some(AppOrder {
                app: Address::with_last_byte(1),
                appprice: U256::from(7),
                volume: U256::from(3),
                ..Default::default()
            }),
            requestorder: Some(RequestOrder {
                app: Address::with_last_byte(1),
                params: "{\"iexec_args\":\"x\"}".into(),
                volume: U256::MAX,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn an_orders_file_round_trips_with_decimal_integers() {
        let file = sample();
        let text = serde_json::to_string_pretty(&file).unwrap();
        assert!(text.contains("\"appprice\": \"7\""), "{text}");
        assert!(!text.contains("datasetorder"), "absent kinds are left out: {text}");
        assert_eq!(serde_json::from_str::<OrdersFile>(&text).unwrap(), file);
    }

    #[test]
    fn integers_read_as_hex_or_numbers_and_bad_ones_are_refused() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["apporder"]["appprice"] = serde_json::json!("0x10");
        value["apporder"]["volume"] = serde_json::json!(5);
        let file: OrdersFile = serde_json::from_value(value.clone()).unwrap();
        let app = file.apporder.unwrap();
        assert_eq!((app.appprice, app.volume), (U256::from(16), U256::from(5)));
        value["apporder"]["volume"] = serde_json::json!("-1");
        let error = serde_json::from_value::<OrdersFile>(value).unwrap_err().to_string();
        assert!(error.contains("not an unsigned integer"), "{error}");
    }

    #[test]
    fn a_signed_order_recovers_to_its_signer_under_pocos_hash() {
        let signer = PrivateKeySigner::random();
        let separator = domain_separator(412346, &Address::with_last_byte(9));
        let mut order = sample().apporder.unwrap();
        let hash = sign_order(&mut order, &signer, &separator).unwrap();
        assert_eq!(hash, order.typed_data_hash(&separator));
        let signature = Signature::try_from(order.sign.as_ref()).unwrap();
        assert_eq!(signature.recover_address_from_prehash(&hash).unwrap(), signer.address());
    }

    #[test]
    fn close_calldata_is_manage_order_with_close() {
        let order = sample().apporder.unwrap();
        let data = order.close_calldata();
        assert_eq!(data[..4], manageAppOrderCall::SELECTOR);
        let decoded = manageAppOrderCall::abi_decode(&data).unwrap();
        assert_eq!((decoded.0.operation, decoded.0.order), (CLOSE, order));
    }
}
