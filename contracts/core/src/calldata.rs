//! A small hand-written ABI decoder for the parameter lists of PoCo's order-taking functions
//! ([`crate::orders::matchOrdersCall`] and its siblings, `manageRequestOrder` and
//! `broadcastRequestOrder`), for the facets' fallbacks, and the encoder of a request order
//! for `BroadcastRequestOrder`.
//!
//! Why not alloy's generic decoder: on wasm32 `abi_decode_params_validate` of four order
//! tuples monomorphises into ~30 KB of code, more than a whole Stylus program may weigh
//! compressed. This module reads the head words in place and copies only the `bytes`/`string`
//! tails.
//!
//! What it rejects — everything Solidity 0.8's ABI decoder rejects for these parameters:
//! calldata shorter than the heads, tuple or tail offsets pointing outside the calldata, a
//! tuple whose static head does not fit, `bytes`/`string` lengths running past the end, and
//! `address` words whose 12 high bytes are not zero (and a `uint8` word above 255). Offsets
//! and lengths must fit in 32 bits (anything larger points beyond any calldata).
//! Non-canonical encodings (unusual offsets, trailing bytes, dirty padding after a tail) are
//! accepted, as both Solidity and alloy accept them.
//!
//! A request order's `string params` is any bytes, as for Solidity, which neither checks
//! nor alters them and hashes them raw into the order's EIP-712 hash: the decoders return
//! those bytes beside the order ([`Orders::params`], [`RawRequestOrder::params`]). The
//! order's own `params` (a Rust `String`) holds them only when they are UTF-8, and is empty
//! otherwise — so hash and record the raw bytes ([`Orders::request_typed_data_hash`]), never
//! `request.params`. (Alloy's validating decoder refuses such calldata; this one does not.)
//!
//! Offsets count from the start of the enclosing parameter list or tuple, as in the ABI spec;
//! the inputs here are the calldata *without* its 4-byte selector.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, Bytes, B256, U256};

use crate::{
    eip712::{request_order_struct_hash, typed_data_hash},
    orders::{AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder},
};

/// The calldata does not decode as the function's parameters. The contract reverts with
/// empty data, as Solidity's ABI decoder does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidCalldata;

/// Decoding result.
pub type Decoded<T> = Result<T, InvalidCalldata>;

/// The four orders of `matchOrders`, `sponsorMatchOrders` and `computeDealVolume`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Orders {
    /// The app order.
    pub app: AppOrder,
    /// The dataset order (all-zero for a deal without dataset).
    pub dataset: DatasetOrder,
    /// The workerpool order.
    pub workerpool: WorkerpoolOrder,
    /// The request order; its `params` is the raw [`Orders::params`] only when they are
    /// UTF-8, empty otherwise (module docs).
    pub request: RequestOrder,
    /// The request order's `params` exactly as the calldata carries them.
    pub params: Bytes,
}

impl Orders {
    /// The request order's EIP-712 typed-data hash, with its raw `params`: its id in
    /// `m_consumed` / `m_presigned`, what its requester signed.
    pub fn request_typed_data_hash(&self, domain_separator: &B256) -> B256 {
        typed_data_hash(domain_separator, &request_order_struct_hash(&self.request, &self.params))
    }
}

/// A request order decoded with its raw `params` (module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRequestOrder {
    /// The order; its `params` holds [`RawRequestOrder::params`] only when they are UTF-8.
    pub order: RequestOrder,
    /// The `params` bytes.
    pub params: Bytes,
}

impl RawRequestOrder {
    /// PoCo's EIP-712 struct hash of the order, over the raw `params`.
    pub fn struct_hash(&self) -> B256 {
        request_order_struct_hash(&self.order, &self.params)
    }
}

/// `RequestOrderOperation` (`manageRequestOrder`'s parameter) with the order's raw `params`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRequestOrderOperation {
    /// The order.
    pub order: RawRequestOrder,
    /// `operation` (`uint8`; PoCo's enum accepts 0 and 1, checked where PoCo reads it).
    pub operation: u8,
    /// The owner's signature of the operation.
    pub sign: Bytes,
}

const WORD: usize = 32;

/// The 32-byte word at `at`.
fn word(data: &[u8], at: usize) -> Decoded<&[u8; WORD]> {
    let end = at.checked_add(WORD).ok_or(InvalidCalldata)?;
    data.get(at..end).and_then(|w| w.try_into().ok()).ok_or(InvalidCalldata)
}

/// An offset or length: a word whose value fits in 32 bits.
fn small(data: &[u8], at: usize) -> Decoded<usize> {
    let w = word(data, at)?;
    if w[..WORD - 4].iter().any(|&b| b != 0) {
        return Err(InvalidCalldata);
    }
    Ok(u32::from_be_bytes([w[28], w[29], w[30], w[31]]) as usize)
}

/// The start of the dynamic tuple whose offset (from `base`) is at `at`, once its head of
/// `words` words is known to fit.
fn tuple(data: &[u8], base: usize, at: usize, words: usize) -> Decoded<usize> {
    let start = base.checked_add(small(data, at)?).ok_or(InvalidCalldata)?;
    let end = start.checked_add(words * WORD).ok_or(InvalidCalldata)?;
    if end > data.len() {
        return Err(InvalidCalldata);
    }
    Ok(start)
}

/// Reads the fields of one tuple, in order.
struct Fields<'a> {
    data: &'a [u8],
    base: usize,
    next: usize,
}

impl<'a> Fields<'a> {
    fn new(data: &'a [u8], base: usize) -> Self {
        Self { data, base, next: base }
    }

    fn take(&mut self) -> Decoded<&'a [u8; WORD]> {
        let w = word(self.data, self.next)?;
        self.next += WORD;
        Ok(w)
    }

    #[inline(never)]
    fn uint(&mut self) -> Decoded<U256> {
        Ok(U256::from_be_bytes(*self.take()?))
    }

    #[inline(never)]
    fn b256(&mut self) -> Decoded<B256> {
        Ok(B256::new(*self.take()?))
    }

    #[inline(never)]
    fn address(&mut self) -> Decoded<Address> {
        let w = self.take()?;
        if w[..12].iter().any(|&b| b != 0) {
            return Err(InvalidCalldata);
        }
        Ok(Address::from_slice(&w[12..]))
    }

    /// A `bytes`/`string` tail: offset (from the tuple start), length, then the bytes.
    fn tail(&mut self) -> Decoded<&'a [u8]> {
        let at = self.next;
        self.next += WORD;
        let start = self.base.checked_add(small(self.data, at)?).ok_or(InvalidCalldata)?;
        let len = small(self.data, start)?;
        let from = start + WORD;
        let to = from.checked_add(len).ok_or(InvalidCalldata)?;
        self.data.get(from..to).ok_or(InvalidCalldata)
    }

    #[inline(never)]
    fn bytes(&mut self) -> Decoded<Bytes> {
        Ok(Bytes::copy_from_slice(self.tail()?))
    }

    /// A `uint8` word: 31 high bytes zero.
    fn uint8(&mut self) -> Decoded<u8> {
        let w = self.take()?;
        if w[..WORD - 1].iter().any(|&b| b != 0) {
            return Err(InvalidCalldata);
        }
        Ok(w[WORD - 1])
    }
}

/// A `string` tail as Solidity holds it (any bytes), and as a Rust `String` when it is UTF-8
/// (empty otherwise).
#[inline(never)]
fn raw_string(f: &mut Fields<'_>) -> Decoded<(String, Bytes)> {
    let tail = f.tail()?;
    let text = core::str::from_utf8(tail).map(String::from).unwrap_or_default();
    Ok((text, Bytes::copy_from_slice(tail)))
}

/// Words in the static head of each order tuple.
const APP_WORDS: usize = 9;
const DATASET_WORDS: usize = 9;
const WORKERPOOL_WORDS: usize = 11;
const REQUEST_WORDS: usize = 16;

#[inline(never)]
fn app_order(data: &[u8], base: usize, at: usize) -> Decoded<AppOrder> {
    let mut f = Fields::new(data, tuple(data, base, at, APP_WORDS)?);
    Ok(AppOrder {
        app: f.address()?,
        appprice: f.uint()?,
        volume: f.uint()?,
        tag: f.b256()?,
        datasetrestrict: f.address()?,
        workerpoolrestrict: f.address()?,
        requesterrestrict: f.address()?,
        salt: f.b256()?,
        sign: f.bytes()?,
    })
}

#[inline(never)]
fn dataset_order(data: &[u8], base: usize, at: usize) -> Decoded<DatasetOrder> {
    let mut f = Fields::new(data, tuple(data, base, at, DATASET_WORDS)?);
    Ok(DatasetOrder {
        dataset: f.address()?,
        datasetprice: f.uint()?,
        volume: f.uint()?,
        tag: f.b256()?,
        apprestrict: f.address()?,
        workerpoolrestrict: f.address()?,
        requesterrestrict: f.address()?,
        salt: f.b256()?,
        sign: f.bytes()?,
    })
}

#[inline(never)]
fn workerpool_order(data: &[u8], base: usize, at: usize) -> Decoded<WorkerpoolOrder> {
    let mut f = Fields::new(data, tuple(data, base, at, WORKERPOOL_WORDS)?);
    Ok(WorkerpoolOrder {
        workerpool: f.address()?,
        workerpoolprice: f.uint()?,
        volume: f.uint()?,
        tag: f.b256()?,
        category: f.uint()?,
        trust: f.uint()?,
        apprestrict: f.address()?,
        datasetrestrict: f.address()?,
        requesterrestrict: f.address()?,
        salt: f.b256()?,
        sign: f.bytes()?,
    })
}

#[inline(never)]
fn request_order(data: &[u8], base: usize, at: usize) -> Decoded<RawRequestOrder> {
    let mut f = Fields::new(data, tuple(data, base, at, REQUEST_WORDS)?);
    let (app, appmaxprice, dataset, datasetmaxprice) = (f.address()?, f.uint()?, f.address()?, f.uint()?);
    let (workerpool, workerpoolmaxprice, requester, volume) = (f.address()?, f.uint()?, f.address()?, f.uint()?);
    let (tag, category, trust, beneficiary, callback) = (f.b256()?, f.uint()?, f.uint()?, f.address()?, f.address()?);
    let (text, params) = raw_string(&mut f)?;
    let order = RequestOrder {
        app,
        appmaxprice,
        dataset,
        datasetmaxprice,
        workerpool,
        workerpoolmaxprice,
        requester,
        volume,
        tag,
        category,
        trust,
        beneficiary,
        callback,
        params: text,
        salt: f.b256()?,
        sign: f.bytes()?,
    };
    Ok(RawRequestOrder { order, params })
}

/// Decodes `(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder)`, the parameters of
/// `matchOrders`, `sponsorMatchOrders` and `computeDealVolume`, from the calldata after the
/// selector.
///
/// # Errors
/// [`InvalidCalldata`] where Solidity's ABI decoder reverts (see the module docs).
pub fn decode_orders(params: &[u8]) -> Decoded<Orders> {
    let app = app_order(params, 0, 0)?;
    let dataset = dataset_order(params, 0, WORD)?;
    let workerpool = workerpool_order(params, 0, 2 * WORD)?;
    let request = request_order(params, 0, 3 * WORD)?;
    Ok(Orders { app, dataset, workerpool, request: request.order, params: request.params })
}

/// Decodes `(RequestOrder)`, the parameter of `broadcastRequestOrder`, from the calldata
/// after the selector.
///
/// # Errors
/// [`InvalidCalldata`] where Solidity's ABI decoder reverts (see the module docs).
pub fn decode_request_order(params: &[u8]) -> Decoded<RawRequestOrder> {
    request_order(params, 0, 0)
}

/// Words in the static head of a `RequestOrderOperation` tuple (order offset, operation,
/// sign offset).
const OPERATION_WORDS: usize = 3;

/// Decodes `(RequestOrderOperation)`, the parameter of `manageRequestOrder`, from the
/// calldata after the selector.
///
/// # Errors
/// [`InvalidCalldata`] where Solidity's ABI decoder reverts (see the module docs).
pub fn decode_request_order_operation(params: &[u8]) -> Decoded<RawRequestOrderOperation> {
    let base = tuple(params, 0, 0, OPERATION_WORDS)?;
    let order = request_order(params, base, base)?;
    let mut f = Fields::new(params, base);
    f.next += WORD; // the order's offset, read above
    let operation = f.uint8()?;
    let sign = f.bytes()?;
    Ok(RawRequestOrderOperation { order, operation, sign })
}

/// `abi.encode(order)` for a request order with raw `params`: what PoCo's
/// `BroadcastRequestOrder(requestorder)` carries as data (the order re-encoded canonically,
/// whatever the calldata's layout).
pub fn encode_request_order(order: &RawRequestOrder) -> Vec<u8> {
    let o = &order.order;
    let padded = |n: usize| n.div_ceil(WORD) * WORD;
    let params_at = REQUEST_WORDS * WORD;
    let sign_at = params_at + WORD + padded(order.params.len());
    let mut out = Vec::with_capacity(WORD + sign_at + WORD + padded(o.sign.len()));
    let push_uint = |out: &mut Vec<u8>, v: U256| out.extend_from_slice(&v.to_be_bytes::<32>());
    let address = |a: &Address| U256::from_be_slice(a.as_slice());
    push_uint(&mut out, U256::from(WORD));
    for v in [address(&o.app), o.appmaxprice, address(&o.dataset), o.datasetmaxprice, address(&o.workerpool)] {
        push_uint(&mut out, v);
    }
    for v in [o.workerpoolmaxprice, address(&o.requester), o.volume, U256::from_be_bytes(o.tag.0), o.category] {
        push_uint(&mut out, v);
    }
    for v in [o.trust, address(&o.beneficiary), address(&o.callback), U256::from(params_at)] {
        push_uint(&mut out, v);
    }
    push_uint(&mut out, U256::from_be_bytes(o.salt.0));
    push_uint(&mut out, U256::from(sign_at));
    for tail in [&order.params[..], &o.sign[..]] {
        push_uint(&mut out, U256::from(tail.len()));
        out.extend_from_slice(tail);
        out.resize(out.len() + padded(tail.len()) - tail.len(), 0);
    }
    out
}

/// Decodes `(DatasetOrder, bytes32)`, the parameters of `assertDatasetDealCompatibility`,
/// from the calldata after the selector.
///
/// # Errors
/// [`InvalidCalldata`] where Solidity's ABI decoder reverts (see the module docs).
pub fn decode_dataset_order_and_deal(params: &[u8]) -> Decoded<(DatasetOrder, B256)> {
    let deal = B256::new(*word(params, WORD)?);
    Ok((dataset_order(params, 0, 0)?, deal))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

    use super::*;
    use crate::{
        eip712::PocoStructHash,
        orders::{assertDatasetDealCompatibilityCall, matchOrdersCall},
    };
    use alloc::vec::Vec;
    use alloy_sol_types::{SolCall, SolType};
    use proptest::prelude::*;

    type OrdersParams = (AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder);
    type DatasetParams = (DatasetOrder, alloy_sol_types::sol_data::FixedBytes<32>);

    alloy_sol_types::sol! {
        #![sol(all_derives)]

        /// `RequestOrder` with `bytes params`: the same ABI encoding, decoded without a
        /// UTF-8 check — what Solidity does with a `string`. The oracle of these tests.
        struct RequestOrderB {
            address app;
            uint256 appmaxprice;
            address dataset;
            uint256 datasetmaxprice;
            address workerpool;
            uint256 workerpoolmaxprice;
            address requester;
            uint256 volume;
            bytes32 tag;
            uint256 category;
            uint256 trust;
            address beneficiary;
            address callback;
            bytes params;
            bytes32 salt;
            bytes sign;
        }
        /// `RequestOrderOperation` over [`RequestOrderB`].
        struct RequestOrderOperationB {
            RequestOrderB order;
            uint8 operation;
            bytes sign;
        }
    }
    type OrdersParamsB = (AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrderB);

    /// The raw order as the decoders return it, from the oracle's order.
    fn raw(r: RequestOrderB) -> RawRequestOrder {
        let order = RequestOrder {
            app: r.app,
            appmaxprice: r.appmaxprice,
            dataset: r.dataset,
            datasetmaxprice: r.datasetmaxprice,
            workerpool: r.workerpool,
            workerpoolmaxprice: r.workerpoolmaxprice,
            requester: r.requester,
            volume: r.volume,
            tag: r.tag,
            category: r.category,
            trust: r.trust,
            beneficiary: r.beneficiary,
            callback: r.callback,
            params: core::str::from_utf8(&r.params).map(String::from).unwrap_or_default(),
            salt: r.salt,
            sign: r.sign,
        };
        RawRequestOrder { order, params: r.params }
    }

    /// The oracle's order with `params` as raw bytes.
    fn bytes_twin(o: &RequestOrder, params: &[u8]) -> RequestOrderB {
        RequestOrderB {
            app: o.app,
            appmaxprice: o.appmaxprice,
            dataset: o.dataset,
            datasetmaxprice: o.datasetmaxprice,
            workerpool: o.workerpool,
            workerpoolmaxprice: o.workerpoolmaxprice,
            requester: o.requester,
            volume: o.volume,
            tag: o.tag,
            category: o.category,
            trust: o.trust,
            beneficiary: o.beneficiary,
            callback: o.callback,
            params: Bytes::copy_from_slice(params),
            salt: o.salt,
            sign: o.sign.clone(),
        }
    }

    fn address() -> impl Strategy<Value = Address> {
        prop_oneof![Just(Address::ZERO), any::<[u8; 20]>().prop_map(Address::from)]
    }
    fn uint() -> impl Strategy<Value = U256> {
        prop_oneof![Just(U256::ZERO), any::<u64>().prop_map(U256::from), any::<[u8; 32]>().prop_map(U256::from_be_bytes)]
    }
    fn b256() -> impl Strategy<Value = B256> {
        any::<[u8; 32]>().prop_map(B256::new)
    }
    fn bytes() -> impl Strategy<Value = Bytes> {
        proptest::collection::vec(any::<u8>(), 0..100).prop_map(Bytes::from)
    }
    fn string() -> impl Strategy<Value = String> {
        ".{0,40}"
    }

    prop_compose! {
        fn app_order_s()(a in address(), p in uint(), v in uint(), t in b256(), r1 in address(),
            r2 in address(), r3 in address(), s in b256(), sign in bytes()) -> AppOrder {
            AppOrder { app: a, appprice: p, volume: v, tag: t, datasetrestrict: r1,
                workerpoolrestrict: r2, requesterrestrict: r3, salt: s, sign }
        }
    }
    prop_compose! {
        fn dataset_order_s()(a in address(), p in uint(), v in uint(), t in b256(), r1 in address(),
            r2 in address(), r3 in address(), s in b256(), sign in bytes()) -> DatasetOrder {
            DatasetOrder { dataset: a, datasetprice: p, volume: v, tag: t, apprestrict: r1,
                workerpoolrestrict: r2, requesterrestrict: r3, salt: s, sign }
        }
    }
    prop_compose! {
        fn workerpool_order_s()(a in address(), p in uint(), v in uint(), t in b256(), c in uint(),
            tr in uint(), r1 in address(), r2 in address(), r3 in address(), s in b256(),
            sign in bytes()) -> WorkerpoolOrder {
            WorkerpoolOrder { workerpool: a, workerpoolprice: p, volume: v, tag: t, category: c,
                trust: tr, apprestrict: r1, datasetrestrict: r2, requesterrestrict: r3, salt: s, sign }
        }
    }
    prop_compose! {
        fn request_order_s()(addrs in proptest::collection::vec(address(), 6),
            uints in proptest::collection::vec(uint(), 7), t in b256(), params in string(),
            s in b256(), sign in bytes()) -> RequestOrder {
            RequestOrder { app: addrs[0], appmaxprice: uints[0], dataset: addrs[1],
                datasetmaxprice: uints[1], workerpool: addrs[2], workerpoolmaxprice: uints[2],
                requester: addrs[3], volume: uints[3], tag: t, category: uints[4], trust: uints[5],
                beneficiary: addrs[4], callback: addrs[5], params, salt: s, sign }
        }
    }
    prop_compose! {
        fn orders_s()(app in app_order_s(), dataset in dataset_order_s(),
            workerpool in workerpool_order_s(), request in request_order_s()) -> Orders {
            let params = Bytes::copy_from_slice(request.params.as_bytes());
            Orders { app, dataset, workerpool, request, params }
        }
    }

    fn encode(o: &Orders) -> Vec<u8> {
        OrdersParams::abi_encode_params(&(o.app.clone(), o.dataset.clone(), o.workerpool.clone(), o.request.clone()))
    }

    /// A mutation of valid calldata: overwrite a byte, a whole word, or truncate.
    #[derive(Debug, Clone)]
    enum Mutation {
        Byte(usize, u8),
        Word(usize, [u8; 32]),
        SmallWord(usize, u32),
        Truncate(usize),
        Append(Vec<u8>),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Byte(i, b)),
            (any::<usize>(), any::<[u8; 32]>()).prop_map(|(i, w)| Mutation::Word(i, w)),
            (any::<usize>(), 0u32..2000).prop_map(|(i, v)| Mutation::SmallWord(i, v)),
            any::<usize>().prop_map(Mutation::Truncate),
            proptest::collection::vec(any::<u8>(), 0..64).prop_map(Mutation::Append),
        ]
    }

    fn apply(data: &mut Vec<u8>, m: &Mutation) {
        if data.is_empty() {
            return;
        }
        let n = data.len();
        match m {
            Mutation::Byte(i, b) => data[i % n] = *b,
            // Word-aligned writes hit heads, offsets and lengths.
            Mutation::Word(i, w) => {
                let at = (i % n.div_ceil(32)) * 32;
                let end = (at + 32).min(n);
                data[at..end].copy_from_slice(&w[..end - at]);
            }
            Mutation::SmallWord(i, v) => {
                let at = (i % n.div_ceil(32)) * 32;
                let mut w = [0u8; 32];
                w[28..].copy_from_slice(&v.to_be_bytes());
                let end = (at + 32).min(n);
                data[at..end].copy_from_slice(&w[..end - at]);
            }
            Mutation::Truncate(i) => data.truncate(i % n),
            Mutation::Append(extra) => data.extend_from_slice(extra),
        }
    }

    proptest! {
        #[test]
        fn decodes_what_alloy_encodes(o in orders_s()) {
            prop_assert_eq!(decode_orders(&encode(&o)), Ok(o));
        }

        #[test]
        fn decodes_dataset_order_and_deal(d in dataset_order_s(), deal in b256()) {
            let data = DatasetParams::abi_encode_params(&(d.clone(), deal));
            prop_assert_eq!(decode_dataset_order_and_deal(&data), Ok((d, deal)));
        }

        #[test]
        fn rejects_whatever_alloy_rejects(o in orders_s(), ms in proptest::collection::vec(mutation(), 1..4)) {
            let mut data = encode(&o);
            for m in &ms {
                apply(&mut data, m);
            }
            let ours = decode_orders(&data);
            // The oracle takes `params` as bytes, as Solidity does (no UTF-8 check).
            match OrdersParamsB::abi_decode_params_validate(&data) {
                Err(_) => prop_assert!(ours.is_err(), "alloy rejects, we accept: {:?}", ours),
                Ok((app, dataset, workerpool, request)) => {
                    let r = raw(request);
                    prop_assert_eq!(ours, Ok(Orders { app, dataset, workerpool, request: r.order, params: r.params }));
                }
            }
        }

        #[test]
        fn rejects_whatever_alloy_rejects_for_the_dataset_check(d in dataset_order_s(), deal in b256(),
            ms in proptest::collection::vec(mutation(), 1..4)) {
            let mut data = DatasetParams::abi_encode_params(&(d, deal));
            for m in &ms {
                apply(&mut data, m);
            }
            let ours = decode_dataset_order_and_deal(&data);
            match DatasetParams::abi_decode_params_validate(&data) {
                Err(_) => prop_assert!(ours.is_err()),
                Ok(v) => prop_assert_eq!(ours, Ok(v)),
            }
        }
    }

    proptest! {
        /// Any `params` bytes decode, and the raw bytes are what the request's typed hash
        /// covers (issue 9, item 5): PoCo hashes a `string` without looking at it.
        #[test]
        fn params_are_any_bytes(o in orders_s(), params in proptest::collection::vec(any::<u8>(), 0..80),
            domain in b256()) {
            let request = bytes_twin(&o.request, &params);
            let data = OrdersParamsB::abi_encode_params(&(o.app.clone(), o.dataset.clone(), o.workerpool.clone(), request.clone()));
            let decoded = decode_orders(&data).unwrap();
            prop_assert_eq!(&decoded.params[..], &params[..]);
            let text = core::str::from_utf8(&params).map(String::from).unwrap_or_default();
            prop_assert_eq!(&decoded.request.params, &text);
            let mut utf8 = decoded.request.clone();
            utf8.params = String::new();
            prop_assert_eq!(decoded.request_typed_data_hash(&domain),
                typed_data_hash(&domain, &request_order_struct_hash(&utf8, &params)));
            if core::str::from_utf8(&params).is_ok() {
                prop_assert_eq!(decoded.request_typed_data_hash(&domain), decoded.request.typed_data_hash(&domain));
            }
            // The request order alone (broadcastRequestOrder) and in an operation
            // (manageRequestOrder) decode the same, and re-encode as alloy encodes.
            let alone = <(RequestOrderB,)>::abi_encode_params(&(request.clone(),));
            prop_assert_eq!(decode_request_order(&alone), Ok(raw(request.clone())));
            prop_assert_eq!(encode_request_order(&raw(request.clone())), <RequestOrderB as alloy_sol_types::SolValue>::abi_encode(&request));
            let op = RequestOrderOperationB { order: request.clone(), operation: params.len() as u8, sign: Bytes::from(params.clone()) };
            let data = <(RequestOrderOperationB,)>::abi_encode_params(&(op.clone(),));
            prop_assert_eq!(decode_request_order_operation(&data),
                Ok(RawRequestOrderOperation { order: raw(request), operation: op.operation, sign: op.sign }));
        }

        #[test]
        fn request_order_decoders_reject_whatever_alloy_rejects(o in orders_s(),
            ms in proptest::collection::vec(mutation(), 1..4), operation in any::<u8>()) {
            let request = bytes_twin(&o.request, o.request.params.as_bytes());
            let mut alone = <(RequestOrderB,)>::abi_encode_params(&(request.clone(),));
            let op = RequestOrderOperationB { order: request, operation, sign: o.app.sign.clone() };
            let mut data = <(RequestOrderOperationB,)>::abi_encode_params(&(op,));
            for m in &ms {
                apply(&mut alone, m);
                apply(&mut data, m);
            }
            match <(RequestOrderB,)>::abi_decode_params_validate(&alone) {
                Err(_) => prop_assert!(decode_request_order(&alone).is_err()),
                Ok((r,)) => prop_assert_eq!(decode_request_order(&alone), Ok(raw(r))),
            }
            match <(RequestOrderOperationB,)>::abi_decode_params_validate(&data) {
                Err(_) => prop_assert!(decode_request_order_operation(&data).is_err()),
                Ok((op,)) => prop_assert_eq!(decode_request_order_operation(&data),
                    Ok(RawRequestOrderOperation { order: raw(op.order), operation: op.operation, sign: op.sign })),
            }
        }
    }

    #[test]
    fn call_types_encode_the_same_parameters() {
        let o = Orders {
            request: RequestOrder { params: "{}".into(), sign: Bytes::from(alloc::vec![7; 65]), ..Default::default() },
            params: Bytes::from_static(b"{}"),
            ..Default::default()
        };
        let call = matchOrdersCall { _0: o.app.clone(), _1: o.dataset.clone(), _2: o.workerpool.clone(), _3: o.request.clone() };
        let data = call.abi_encode();
        assert_eq!(data[..4], matchOrdersCall::SELECTOR);
        assert_eq!(decode_orders(&data[4..]), Ok(o));
        let call = assertDatasetDealCompatibilityCall { datasetOrder: Default::default(), dealId: B256::repeat_byte(3) };
        let data = call.abi_encode();
        assert_eq!(decode_dataset_order_and_deal(&data[4..]), Ok((Default::default(), B256::repeat_byte(3))));
    }

    #[test]
    fn rejects_dirty_addresses_and_short_calldata_but_not_non_utf8_params() {
        let o = Orders::default();
        let good = encode(&o);
        assert!(decode_orders(&good[..good.len() - 1]).is_err());
        assert!(decode_orders(&good[..4 * 32]).is_err());
        assert!(decode_orders(&[]).is_err());
        // The app order's `app` word: first word of the first tuple.
        let app_at = u32::from_be_bytes(good[28..32].try_into().unwrap()) as usize;
        let mut dirty = good.clone();
        dirty[app_at] = 1;
        assert!(decode_orders(&dirty).is_err());
        // An offset beyond 32 bits.
        let mut far = good.clone();
        far[27] = 1;
        assert!(decode_orders(&far).is_err());
        // Non-UTF-8 params: alloy's String refuses them, Solidity (and this decoder) does not.
        let o = Orders { request: RequestOrder { params: "ab".into(), ..Default::default() }, ..Default::default() };
        let mut bad = encode(&o);
        let at = bad.windows(2).rposition(|w| w == b"ab").unwrap();
        bad[at] = 0xff;
        assert!(OrdersParamsB::abi_decode_params_validate(&bad).is_ok());
        assert!(OrdersParams::abi_decode_params_validate(&bad).is_err());
        let decoded = decode_orders(&bad).unwrap();
        assert_eq!(&decoded.params[..], b"\xffb");
        assert_eq!(decoded.request.params, "");
        // A uint8 word above 255 is refused.
        let op = RequestOrderOperationB { operation: 1, ..Default::default() };
        let mut data = <(RequestOrderOperationB,)>::abi_encode_params(&(op,));
        assert!(decode_request_order_operation(&data).is_ok());
        let head = u32::from_be_bytes(data[28..32].try_into().unwrap()) as usize;
        data[head + WORD + 30] = 1;
        assert!(decode_request_order_operation(&data).is_err());
        assert!(<(RequestOrderOperationB,)>::abi_decode_params_validate(&data).is_err());
    }
}
