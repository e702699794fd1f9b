//! The orders facet of the PoCo hub: what an order's owner does with an order outside a
//! match, and the signature views.
//!
//! - PoCo's `IexecOrderManagementFacet`: `manageAppOrder`, `manageDatasetOrder`,
//!   `manageWorkerpoolOrder`, `manageRequestOrder` presign (SIGN) or cancel (CLOSE) an order
//!   on behalf of its owner — the asset's `IERC5313.owner()`, or the request's requester —
//!   who either sends the transaction or signs the operation (EIP-712, ECDSA or ERC-1271).
//! - PoCo's `IexecRelayFacet`: `broadcast*Order` publish an order as an event.
//! - The signature views of PoCo's `IexecPoco1Facet`: `verifySignature`,
//!   `verifyPresignature`, `verifyPresignatureOrSignature`.
//!
//! Orders are identified by their EIP-712 typed-data hash in the hub's domain
//! (`poco_core::eip712`); presigned and consumed volumes are the hub's `presigned` and
//! `consumed` maps (`poco_hub_base::layout`).
//!
//! `manageRequestOrder` and `broadcastRequestOrder` are dispatched by the `#[fallback]` and
//! decoded by `poco_core::calldata`: a request order's `string params` may hold any bytes
//! (PoCo hashes and emits them as they are), which the SDK's decoder, building a Rust
//! `String`, refuses. Their ABI items are `poco_core::orders::{manageRequestOrderCall,
//! broadcastRequestOrderCall}::abi()`.

#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]
// `#[entrypoint]` generates an undocumented `user_entrypoint` export on wasm32.
#![cfg_attr(target_arch = "wasm32", allow(missing_docs))]
// Under `export-abi`, `#[public]` also generates an undocumented ABI-printing function.
#![cfg_attr(feature = "export-abi", allow(missing_docs))]

extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use poco_core::{
    calldata::{decode_request_order, decode_request_order_operation, encode_request_order},
    eip712::{request_order_operation_struct_hash, typed_data_hash, PocoStructHash},
    orders::{
        broadcastRequestOrderCall, manageRequestOrderCall, AppOrder, AppOrderOperation, DatasetOrder,
        DatasetOrderOperation, WorkerpoolOrder, WorkerpoolOrderOperation,
    },
    reasons,
    status::OrderOperationEnum,
};
use poco_hub_base::{calls::owner_of, poco_storage, revert, signatures};
use stylus_sdk::{abi::Bytes, host::VM, prelude::*, ArbResult};

pub mod events;

use events::*;

/// The orders facet. Its state is the hub's (`poco_storage`), so the struct has no fields.
#[storage]
#[entrypoint]
pub struct OrdersFacet {}

/// One management operation, reduced to what the shared logic needs.
struct Operation<'a> {
    /// The order's owner (asset owner or requester).
    owner: Address,
    /// `operation` as received (`uint8`; only 0 and 1 are valid).
    operation: u8,
    /// EIP-712 struct hash of the order.
    order_hash: B256,
    /// The order's volume (what CLOSE writes to `consumed`).
    volume: U256,
    /// The operation's signature.
    sign: &'a [u8],
    /// `Signed*Order` and `Closed*Order` topics.
    topics: [B256; 2],
}

/// SIGN or CLOSE an order (PoCo: contracts/facets/IexecOrderManagementFacet.sol, manage*Order).
///
/// `operation_struct_hash` is only evaluated when the owner is not the sender, as PoCo's
/// `||` short-circuits.
fn manage(vm: &VM, op: Operation<'_>, operation_struct_hash: impl FnOnce() -> B256) -> Result<(), Vec<u8>> {
    let mut s = poco_storage(vm);
    // Solidity's ABI decoder rejects an enum value out of range with empty revert data, on
    // the first read of `operation` (after `owner()`, before the signature check).
    let Ok(operation) = OrderOperationEnum::try_from(op.operation) else { return Err(revert::bare()) };
    let domain = s.domain_separator.get();
    if op.owner != vm.msg_sender() {
        let hash = typed_data_hash(&domain, &operation_struct_hash());
        if !signatures::verify_signature(vm, op.owner, hash, op.sign)? {
            return Err(revert::reason(reasons::INVALID_SENDER_OR_SIGNATURE));
        }
    }
    let order_hash = typed_data_hash(&domain, &op.order_hash);
    let topic = match operation {
        OrderOperationEnum::SIGN => {
            s.presigned.setter(order_hash).set(op.owner);
            op.topics[0]
        }
        OrderOperationEnum::CLOSE => {
            s.consumed.setter(order_hash).set(op.volume);
            op.topics[1]
        }
    };
    // `Signed*Order(bytes32)` / `Closed*Order(bytes32)`: one non-indexed word.
    emit(vm, topic, order_hash.as_slice());
    Ok(())
}

/// Emits an event with only its signature as topic.
fn emit(vm: &VM, topic: B256, data: &[u8]) {
    // Cannot fail: one topic is within the four a log may carry.
    let _ = vm.raw_log(&[topic], data);
}

#[public]
impl OrdersFacet {
    /// Presigns or closes an app order.
    ///
    /// # Arguments
    /// * `operation` - the order, `operation` (0 SIGN, 1 CLOSE) and the app owner's EIP-712
    ///   signature of the operation (unused when the owner sends the transaction).
    ///
    /// # Errors
    /// The app's revert (bare when it is not a contract) from `owner()`;
    /// `invalid-signature-format` when the owner is an EOA and the signature is neither 64
    /// nor 65 bytes; `invalid-sender-or-signature` when neither the sender nor the signature
    /// is the owner's; empty revert data for an operation other than 0 or 1.
    ///
    /// # Events
    /// `SignedAppOrder(appHash)` or `ClosedAppOrder(appHash)`.
    pub fn manage_app_order(&mut self, operation: AppOrderOperation) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        let op = Operation {
            owner: owner_of(vm, operation.order.app)?,
            operation: operation.operation,
            order_hash: operation.order.struct_hash(),
            volume: operation.order.volume,
            sign: &operation.sign,
            topics: [SignedAppOrder::SIGNATURE_HASH, ClosedAppOrder::SIGNATURE_HASH],
        };
        manage(vm, op, || operation.struct_hash())
    }

    /// Presigns or closes a dataset order.
    ///
    /// # Arguments
    /// * `operation` - the order, `operation` (0 SIGN, 1 CLOSE) and the dataset owner's
    ///   EIP-712 signature of the operation.
    ///
    /// # Errors
    /// As [`Self::manage_app_order`], with the dataset's `owner()`.
    ///
    /// # Events
    /// `SignedDatasetOrder(datasetHash)` or `ClosedDatasetOrder(datasetHash)`.
    pub fn manage_dataset_order(&mut self, operation: DatasetOrderOperation) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        let op = Operation {
            owner: owner_of(vm, operation.order.dataset)?,
            operation: operation.operation,
            order_hash: operation.order.struct_hash(),
            volume: operation.order.volume,
            sign: &operation.sign,
            topics: [SignedDatasetOrder::SIGNATURE_HASH, ClosedDatasetOrder::SIGNATURE_HASH],
        };
        manage(vm, op, || operation.struct_hash())
    }

    /// Presigns or closes a workerpool order.
    ///
    /// # Arguments
    /// * `operation` - the order, `operation` (0 SIGN, 1 CLOSE) and the workerpool owner's
    ///   EIP-712 signature of the operation.
    ///
    /// # Errors
    /// As [`Self::manage_app_order`], with the workerpool's `owner()`.
    ///
    /// # Events
    /// `SignedWorkerpoolOrder(workerpoolHash)` or `ClosedWorkerpoolOrder(workerpoolHash)`.
    pub fn manage_workerpool_order(&mut self, operation: WorkerpoolOrderOperation) -> Result<(), Vec<u8>> {
        let vm = self.vm();
        let op = Operation {
            owner: owner_of(vm, operation.order.workerpool)?,
            operation: operation.operation,
            order_hash: operation.order.struct_hash(),
            volume: operation.order.volume,
            sign: &operation.sign,
            topics: [SignedWorkerpoolOrder::SIGNATURE_HASH, ClosedWorkerpoolOrder::SIGNATURE_HASH],
        };
        manage(vm, op, || operation.struct_hash())
    }

    /// `manageRequestOrder(RequestOrderOperation)` and `broadcastRequestOrder(RequestOrder)`,
    /// dispatched here on their selector and decoded by hand (crate docs: their `params`
    /// may be any bytes).
    ///
    /// - `manageRequestOrder` presigns or closes a request order; its owner is
    ///   `order.requester` (no call). Arguments: the order, `operation` (0 SIGN, 1 CLOSE)
    ///   and the requester's EIP-712 signature of the operation. Events:
    ///   `SignedRequestOrder(requestHash)` or `ClosedRequestOrder(requestHash)`.
    /// - `broadcastRequestOrder` publishes a request order, emitted as is (it is not
    ///   checked). Event: `BroadcastRequestOrder(requestorder)`.
    ///
    /// # Arguments
    /// * `calldata` - the whole calldata, selector included.
    ///
    /// # Errors
    /// Empty revert data for an unknown selector, calldata that does not decode (as
    /// Solidity's ABI decoder) or a call with value. `manageRequestOrder`: as
    /// [`Self::manage_app_order`], without the `owner()` call. As in PoCo, a request order
    /// whose requester is `address(0)` is "signed" by any unrecoverable 64/65-byte signature
    /// (PROTOCOL.md §8). Such an order can be matched too: `sponsorMatchOrders` with such a
    /// signature records a deal whose requester is zero, paid by the sender (`matchOrders`
    /// fails, the zero requester being the payer).
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let Some((selector, params)) = calldata.split_first_chunk::<4>() else {
            return Err(revert::bare());
        };
        let vm = self.vm();
        match *selector {
            manageRequestOrderCall::SELECTOR => {
                let operation = decode_request_order_operation(params).map_err(|_| revert::bare())?;
                let order_hash = operation.order.struct_hash();
                let op = Operation {
                    owner: operation.order.order.requester,
                    operation: operation.operation,
                    order_hash,
                    volume: operation.order.order.volume,
                    sign: &operation.sign,
                    topics: [SignedRequestOrder::SIGNATURE_HASH, ClosedRequestOrder::SIGNATURE_HASH],
                };
                manage(vm, op, || request_order_operation_struct_hash(&order_hash, operation.operation))?;
            }
            broadcastRequestOrderCall::SELECTOR => {
                let order = decode_request_order(params).map_err(|_| revert::bare())?;
                emit(vm, BroadcastRequestOrder::SIGNATURE_HASH, &encode_request_order(&order));
            }
            _ => return Err(revert::bare()),
        }
        Ok(Vec::new())
    }

    /// Publishes an app order.
    ///
    /// # Arguments
    /// * `apporder` - the order, emitted as is (it is not checked).
    ///
    /// # Events
    /// `BroadcastAppOrder(apporder)`.
    pub fn broadcast_app_order(&mut self, apporder: AppOrder) {
        emit(self.vm(), BroadcastAppOrder::SIGNATURE_HASH, &apporder.abi_encode());
    }

    /// Publishes a dataset order.
    ///
    /// # Arguments
    /// * `datasetorder` - the order, emitted as is.
    ///
    /// # Events
    /// `BroadcastDatasetOrder(datasetorder)`.
    pub fn broadcast_dataset_order(&mut self, datasetorder: DatasetOrder) {
        emit(self.vm(), BroadcastDatasetOrder::SIGNATURE_HASH, &datasetorder.abi_encode());
    }

    /// Publishes a workerpool order.
    ///
    /// # Arguments
    /// * `workerpoolorder` - the order, emitted as is.
    ///
    /// # Events
    /// `BroadcastWorkerpoolOrder(workerpoolorder)`.
    pub fn broadcast_workerpool_order(&mut self, workerpoolorder: WorkerpoolOrder) {
        emit(self.vm(), BroadcastWorkerpoolOrder::SIGNATURE_HASH, &workerpoolorder.abi_encode());
    }

    /// Whether `signature` is `identity`'s signature of `hash`: ERC-1271 for a contract,
    /// ECDSA (65-byte or EIP-2098 64-byte, low `s`) for an EOA.
    ///
    /// # Arguments
    /// * `identity` - the expected signer.
    /// * `hash` - the signed digest.
    /// * `signature` - the signature.
    ///
    /// # Errors
    /// `invalid-signature-format` when `identity` has no code and the signature is neither
    /// 64 nor 65 bytes.
    ///
    /// # Events
    /// None.
    pub fn verify_signature(&self, identity: Address, hash: B256, signature: Bytes) -> Result<bool, Vec<u8>> {
        signatures::verify_signature(self.vm(), identity, hash, &signature)
    }

    /// Whether `identity` (non-zero) presigned the order whose typed-data hash is `hash`.
    ///
    /// # Arguments
    /// * `identity` - the expected presigner.
    /// * `hash` - the order's typed-data hash.
    ///
    /// # Errors
    /// None.
    ///
    /// # Events
    /// None.
    pub fn verify_presignature(&self, identity: Address, hash: B256) -> bool {
        signatures::verify_presignature(&poco_storage(self.vm()), identity, hash)
    }

    /// The presignature, else the signature (PoCo's `_verifySignatureOrPresignature`).
    ///
    /// # Arguments
    /// * `identity` - the expected signer or presigner.
    /// * `hash` - the digest (an order's typed-data hash).
    /// * `signature` - the signature; not read when presigned.
    ///
    /// # Errors
    /// As [`Self::verify_signature`] when not presigned.
    ///
    /// # Events
    /// None.
    pub fn verify_presignature_or_signature(
        &self,
        identity: Address,
        hash: B256,
        signature: Bytes,
    ) -> Result<bool, Vec<u8>> {
        let vm = self.vm();
        signatures::verify_signature_or_presignature(vm, &poco_storage(vm), identity, hash, &signature)
    }
}

#[cfg(test)]
mod tests;
