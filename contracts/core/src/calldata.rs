//! A small hand-written ABI decoder for the parameter lists of PoCo's order-taking functions
//! ([`crate::orders::matchOrdersCall`] and its siblings), for the matching facet's fallback.
//!
//! Why not alloy's generic decoder: on wasm32 `abi_decode_params_validate` of four order
//! tuples monomorphises into ~30 KB of code, more than a whole Stylus program may weigh
//! compressed. This module reads the head words in place and copies only the `bytes`/`string`
//! tails.
//!
//! What it rejects — everything Solidity 0.8's ABI decoder rejects for these parameters:
//! calldata shorter than the heads, tuple or tail offsets pointing outside the calldata, a
//! tuple whose static head does not fit, `bytes`/`string` lengths running past the end, and
//! `address` words whose 12 high bytes are not zero. Offsets and lengths must fit in 32 bits
//! (anything larger points beyond any calldata). Like alloy's validating decoder (and unlike
//! Solidity, which does not look at the bytes) it also rejects a `string params` that is not
//! UTF-8: the Rust order holds a `String`. Non-canonical encodings (unusual offsets, trailing
//! bytes, dirty padding after a tail) are accepted, as both Solidity and alloy accept them.
//!
//! Offsets count from the start of the enclosing parameter list or tuple, as in the ABI spec;
//! the inputs here are the calldata *without* its 4-byte selector.

use alloc::string::String;

use alloy_primitives::{Address, Bytes, B256, U256};

use crate::orders::{AppOrder, DatasetOrder, RequestOrder, WorkerpoolOrder};

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
    /// The request order.
    pub request: RequestOrder,
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

    #[inline(never)]
    fn string(&mut self) -> Decoded<String> {
        let tail = self.tail()?;
        core::str::from_utf8(tail).map(String::from).map_err(|_| InvalidCalldata)
    }
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
fn request_order(data: &[u8], base: usize, at: usize) -> Decoded<RequestOrder> {
    let mut f = Fields::new(data, tuple(data, base, at, REQUEST_WORDS)?);
    Ok(RequestOrder {
        app: f.address()?,
        appmaxprice: f.uint()?,
        dataset: f.address()?,
        datasetmaxprice: f.uint()?,
        workerpool: f.address()?,
        workerpoolmaxprice: f.uint()?,
        requester: f.address()?,
        volume: f.uint()?,
        tag: f.b256()?,
        category: f.uint()?,
        trust: f.uint()?,
        beneficiary: f.address()?,
        callback: f.address()?,
        params: f.string()?,
        salt: f.b256()?,
        sign: f.bytes()?,
    })
}

/// Decodes `(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder)`, the parameters of
/// `matchOrders`, `sponsorMatchOrders` and `computeDealVolume`, from the calldata after the
/// selector.
///
/// # Errors
/// [`InvalidCalldata`] where Solidity's ABI decoder reverts (see the module docs).
pub fn decode_orders(params: &[u8]) -> Decoded<Orders> {
    Ok(Orders {
        app: app_order(params, 0, 0)?,
        dataset: dataset_order(params, 0, WORD)?,
        workerpool: workerpool_order(params, 0, 2 * WORD)?,
        request: request_order(params, 0, 3 * WORD)?,
    })
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
    use crate::orders::{assertDatasetDealCompatibilityCall, matchOrdersCall};
    use alloc::vec::Vec;
    use alloy_sol_types::{SolCall, SolType};
    use proptest::prelude::*;

    type OrdersParams = (AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder);
    type DatasetParams = (DatasetOrder, alloy_sol_types::sol_data::FixedBytes<32>);

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
            Orders { app, dataset, workerpool, request }
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
            match OrdersParams::abi_decode_params_validate(&data) {
                Err(_) => prop_assert!(ours.is_err(), "alloy rejects, we accept: {:?}", ours),
                Ok((app, dataset, workerpool, request)) => {
                    // Beyond alloy: nothing (alloy validates UTF-8 and addresses as we do).
                    prop_assert_eq!(ours, Ok(Orders { app, dataset, workerpool, request }));
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

    #[test]
    fn call_types_encode_the_same_parameters() {
        let o = Orders {
            request: RequestOrder { params: "{}".into(), sign: Bytes::from(alloc::vec![7; 65]), ..Default::default() },
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
    fn rejects_dirty_addresses_short_calldata_and_bad_utf8() {
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
        // Non-UTF-8 params.
        let o = Orders { request: RequestOrder { params: "ab".into(), ..Default::default() }, ..Default::default() };
        let mut bad = encode(&o);
        let at = bad.windows(2).rposition(|w| w == b"ab").unwrap();
        bad[at] = 0xff;
        assert!(decode_orders(&bad).is_err());
        assert!(OrdersParams::abi_decode_params_validate(&bad).is_err());
    }
}
