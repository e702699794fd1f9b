//! Test host for facets (feature `testing`, never in a deployed build).
//!
//! stylus-sdk's `TestVM` answers every call with the return data of the *last mock set up*,
//! whichever call was matched (spec/STYLUS.md appendix, "TestVM pitfall"). A `matchOrders`
//! makes a dozen different calls (owners, registries, ecrecover, workerpool policies), so
//! facet tests run on [`MockHost`]: a `TestVM` for storage, logs and context, with its own
//! call table that returns each call's own data, answers an un-mocked call like an
//! account without code (success, no data), and records the calls made.

extern crate std;

use alloc::{boxed::Box, rc::Rc, vec::Vec};
use core::cell::RefCell;
use std::collections::HashMap;

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{
    host::VM,
    stylus_core::{
        AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host, MemoryAccess,
        MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess, UnsafeDeploymentAccess,
    },
    testing::TestVM,
};

/// Result of a mocked call: return data, or revert data.
pub type CallResult = Result<Vec<u8>, Vec<u8>>;

#[derive(Default)]
struct Calls {
    mocks: HashMap<(Address, Vec<u8>), CallResult>,
    made: Vec<(Address, Vec<u8>)>,
    gas: Vec<u64>,
    return_data: Vec<u8>,
}

/// A `TestVM` whose calls return their own mocked data (see the module doc).
#[derive(Clone)]
pub struct MockHost {
    /// The wrapped VM: storage, logs, sender, timestamp, code, chain id.
    pub vm: TestVM,
    calls: Rc<RefCell<Calls>>,
}

impl Default for MockHost {
    fn default() -> Self {
        Self::new(TestVM::default())
    }
}

impl MockHost {
    /// Wraps `vm`.
    pub fn new(vm: TestVM) -> Self {
        Self { vm, calls: Rc::default() }
    }

    /// A `VM` handle on this host, as contracts and `poco_storage` take it.
    pub fn handle(&self) -> VM {
        VM { host: Box::new(self.clone()) }
    }

    /// Answers calls (static or not, any value) to `to` with exactly `data`.
    pub fn mock(&self, to: Address, data: impl Into<Vec<u8>>, result: CallResult) {
        self.calls.borrow_mut().mocks.insert((to, data.into()), result);
    }

    /// Forgets every mock, the calls made and the logs (`TestVM::clear_mocks`).
    pub fn clear_mocks(&self) {
        let mut calls = self.calls.borrow_mut();
        calls.mocks.clear();
        calls.made.clear();
        calls.gas.clear();
        calls.return_data.clear();
        self.vm.clear_mocks();
    }

    /// Every call made so far: callee and calldata, in order.
    pub fn calls_made(&self) -> Vec<(Address, Vec<u8>)> {
        self.calls.borrow().made.clone()
    }

    /// The gas each call made so far was given (`u64::MAX` when the caller set no limit), in
    /// the order of [`MockHost::calls_made`].
    pub fn call_gas(&self) -> Vec<u64> {
        self.calls.borrow().gas.clone()
    }

    /// The first topic (the event's signature hash) of every log emitted so far, in order.
    pub fn log_signatures(&self) -> Vec<B256> {
        self.vm.get_emitted_logs().iter().map(|(topics, _)| topics.first().copied().unwrap_or_default()).collect()
    }

    /// Marks `account` as a contract (non-empty code), as ERC-1271 and ERC-734 checks test.
    pub fn set_contract(&self, account: Address) {
        self.vm.set_code(account, alloc::vec![0xfe]);
    }

    /// # Safety
    /// `to` points to 20 bytes and `data` to `len` bytes.
    unsafe fn perform(&self, to: *const u8, data: *const u8, len: usize, gas: u64, outs_len: &mut usize) -> u8 {
        let to = Address::from_slice(core::slice::from_raw_parts(to, 20));
        let data = core::slice::from_raw_parts(data, len).to_vec();
        let mut calls = self.calls.borrow_mut();
        let result = calls.mocks.get(&(to, data.clone())).cloned().unwrap_or(Ok(Vec::new()));
        calls.made.push((to, data));
        calls.gas.push(gas);
        let (status, out) = match result {
            Ok(out) => (0, out),
            Err(out) => (1, out),
        };
        *outs_len = out.len();
        calls.return_data = out;
        status
    }
}

impl Host for MockHost {}

impl CryptographyAccess for MockHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for MockHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let calls = self.calls.borrow();
        let data = &calls.return_data;
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.calls.borrow().return_data.len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data)
    }
}

// SAFETY: forwards to TestVM with the caller's pointers.
unsafe impl UnsafeDeploymentAccess for MockHost {
    unsafe fn create1(&self, code: *const u8, len: usize, endowment: *const u8, contract: *mut u8, revert_len: *mut usize) {
        self.vm.create1(code, len, endowment, contract, revert_len)
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_len: *mut usize,
    ) {
        self.vm.create2(code, len, endowment, salt, contract, revert_len)
    }
}

impl StorageAccess for MockHost {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.vm.storage_cache_bytes32(key, value)
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear)
    }
}

// SAFETY: reads the caller's pointers as the SDK passes them (20-byte address, `len` bytes).
unsafe impl UnsafeCallAccess for MockHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        len: usize,
        _value: *const u8,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.perform(to, data, len, gas, outs_len)
    }
    unsafe fn static_call_contract(&self, to: *const u8, data: *const u8, len: usize, gas: u64, outs_len: &mut usize) -> u8 {
        self.perform(to, data, len, gas, outs_len)
    }
    unsafe fn delegate_call_contract(&self, to: *const u8, data: *const u8, len: usize, gas: u64, outs_len: &mut usize) -> u8 {
        self.perform(to, data, len, gas, outs_len)
    }
}

impl BlockAccess for MockHost {
    fn block_basefee(&self) -> U256 {
        self.vm.block_basefee()
    }
    fn block_coinbase(&self) -> Address {
        self.vm.block_coinbase()
    }
    fn block_number(&self) -> u64 {
        self.vm.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.vm.block_timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        self.vm.block_gas_limit()
    }
}

impl ChainAccess for MockHost {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for MockHost {
    fn balance(&self, account: Address) -> U256 {
        self.vm.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.vm.code(account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.vm.code_size(account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl MemoryAccess for MockHost {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for MockHost {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.vm.msg_reentrant()
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for MockHost {
    fn evm_gas_left(&self) -> u64 {
        self.vm.evm_gas_left()
    }
    fn evm_ink_left(&self) -> u64 {
        self.vm.evm_ink_left()
    }
    fn tx_gas_price(&self) -> U256 {
        self.vm.tx_gas_price()
    }
    fn tx_ink_price(&self) -> u32 {
        self.vm.tx_ink_price()
    }
}

impl RawLogAccess for MockHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}

/// The name `lib.rs` announces for this host.
pub type MockVM = MockHost;

/// A deal with every field distinct from its neighbours (prices, owners, counters), so that
/// a view returning one field in place of another fails; `requester` asks for the deal,
/// `beneficiary` also pays (sponsor).
pub fn sample_deal(requester: Address, beneficiary: Address) -> poco_core::deal::Deal {
    use poco_core::deal::{Deal, Resource};
    let resource = |n: u8| Resource {
        pointer: Address::repeat_byte(n),
        owner: Address::repeat_byte(n + 1),
        price: U256::from(n) * U256::from(1000),
    };
    Deal {
        app: resource(1),
        dataset: resource(3),
        workerpool: resource(5),
        trust: U256::from(3),
        category: U256::from(2),
        tag: B256::repeat_byte(7),
        requester,
        beneficiary,
        callback: Address::repeat_byte(9),
        params: "{\"iexec_args\":\"x\"}".into(),
        startTime: U256::from(1_700_000_000u64),
        botFirst: U256::from(4),
        botSize: U256::from(6),
        workerStake: U256::from(77),
        schedulerRewardRatio: U256::from(1),
        sponsor: beneficiary,
    }
}

/// An EOA with a real secp256k1 key: signs like a wallet, and [`Signer::sign_on`] mocks the
/// ecrecover precompile with what it would recover, so the hub's signature checks run their
/// real code path.
pub struct Signer {
    key: k256::ecdsa::SigningKey,
    /// The account's address.
    pub address: Address,
}

impl Signer {
    /// The key `[seed; 32]` (seed ≠ 0).
    pub fn new(seed: u8) -> Self {
        #[allow(clippy::expect_used)] // test code: a constant non-zero scalar is a valid key
        let key = k256::ecdsa::SigningKey::from_bytes(&[seed; 32].into()).expect("valid key");
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&alloy_primitives::keccak256(&point.as_bytes()[1..])[12..]);
        Self { key, address }
    }

    /// 65-byte `r ‖ s ‖ v` signature of `hash` (EIP-2098 64-byte form when `compact`).
    pub fn sign(&self, hash: &B256, compact: bool) -> Vec<u8> {
        #[allow(clippy::expect_used)] // test code: signing a 32-byte prehash cannot fail
        let (sig, recid) = self.key.sign_prehash_recoverable(hash.as_slice()).expect("signing");
        let mut out = sig.to_bytes().to_vec();
        if compact {
            out[32] |= recid.to_byte() << 7;
        } else {
            out.push(27 + recid.to_byte());
        }
        out
    }

    /// Signs `hash` (65 bytes) and mocks `host`'s ecrecover precompile for it.
    pub fn sign_on(&self, host: &MockHost, hash: &B256) -> Vec<u8> {
        let sig = self.sign(hash, false);
        mock_ecrecover(host, hash, &sig);
        sig
    }

    /// `personal_sign` of a 32-byte message (EIP-191), with the precompile mocked.
    pub fn sign_message_on(&self, host: &MockHost, message: &B256) -> Vec<u8> {
        self.sign_on(host, &poco_core::messages::eth_signed_message_hash(message))
    }
}

/// Mocks the ecrecover precompile for `(hash, sig)` with the signer k256 recovers.
pub fn mock_ecrecover(host: &MockHost, hash: &B256, sig: &[u8]) {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
    use poco_core::signature::{ecrecover_input, parse_signature, ECRECOVER_PRECOMPILE};
    #[allow(clippy::expect_used)] // test code: only well-formed signatures are mocked
    let (signer, input) = {
        let parsed = parse_signature(sig).expect("64 or 65 bytes");
        let signature = Signature::from_scalars(parsed.r.0, parsed.s.0).expect("scalars");
        let recid = RecoveryId::from_byte(parsed.v - 27).expect("v");
        let key = VerifyingKey::recover_from_prehash(hash.as_slice(), &signature, recid).expect("recoverable");
        let point = key.to_encoded_point(false);
        (Address::from_slice(&alloy_primitives::keccak256(&point.as_bytes()[1..])[12..]), ecrecover_input(hash, &parsed))
    };
    host.mock(ECRECOVER_PRECOMPILE, input.to_vec(), Ok(signer.into_word().to_vec()));
}

/// A deal as `matchOrders` leaves it, for the lifecycle facets' tests: recorded in storage,
/// the sponsor's payment and the scheduler's stake locked in the escrow, workers funded.
pub struct MatchedDeal {
    /// The host (hub address [`MatchedDeal::HUB`], clock at the deal's start).
    pub host: MockHost,
    /// The deal's id.
    pub deal_id: B256,
    /// The recorded deal.
    pub deal: poco_core::deal::Deal,
    /// The workerpool owner, who signs worker authorizations.
    pub scheduler: Signer,
    /// Funded workers (1,000,000 nRLC each, nothing locked).
    pub workers: Vec<Signer>,
}

impl MatchedDeal {
    /// The hub's address in these tests.
    pub const HUB: Address = Address::new([0xc0; 20]);
    /// The deal's start time.
    pub const START: u64 = 1_700_000_000;
    /// The category's `workClockTimeRef` (category 0, "XS").
    pub const TIMEREF: u64 = 300;

    /// A matched deal of `volume` tasks at `trust` with PoCo's reference prices scaled up
    /// (app 1000, dataset 3000, workerpool 5000 nRLC; stake ratio 30 %, scheduler 1 %),
    /// tasks `[4, 4 + volume)`, five funded workers.
    pub fn new(trust: u64, volume: u64) -> Self {
        use crate::{escrow, poco_storage};
        use poco_core::deal::{Deal, Resource};
        let host = MockHost::default();
        host.vm.set_contract_address(Self::HUB);
        host.vm.set_block_timestamp(Self::START);
        let scheduler = Signer::new(0x50);
        let workers: Vec<Signer> = (1..=5).map(|i| Signer::new(0x60 + i)).collect();
        let requester = Address::repeat_byte(0xa1);
        let resource = |pointer: u8, owner: Address, price: u64| Resource {
            pointer: Address::repeat_byte(pointer),
            owner,
            price: U256::from(price),
        };
        let deal = Deal {
            app: resource(0x0a, Address::repeat_byte(0xa2), 1000),
            dataset: resource(0x0d, Address::repeat_byte(0xa3), 3000),
            workerpool: resource(0x0e, scheduler.address, 5000),
            trust: U256::from(trust),
            category: U256::ZERO,
            tag: B256::ZERO,
            requester,
            beneficiary: requester,
            callback: Address::ZERO,
            params: "{}".into(),
            startTime: U256::from(Self::START),
            botFirst: U256::from(4),
            botSize: U256::from(volume),
            workerStake: U256::from(1500),
            schedulerRewardRatio: U256::from(1),
            sponsor: requester,
        };
        let deal_id = B256::repeat_byte(0xde);
        {
            let vm = host.handle();
            let mut s = poco_storage(&vm);
            s.categories.grow().work_clock_time_ref.set(U256::from(Self::TIMEREF));
            #[allow(clippy::expect_used)] // test code: the fixture's amounts fit
            {
                s.deals.setter(deal_id).store(&deal).expect("deal fits");
                let payment = U256::from(9000 * volume);
                escrow::mint(&vm, &mut s, requester, payment).expect("mint");
                escrow::lock(&vm, &mut s, requester, payment).expect("lock");
                let stake = U256::from(1500 * volume);
                escrow::mint(&vm, &mut s, scheduler.address, stake).expect("mint");
                escrow::lock(&vm, &mut s, scheduler.address, stake).expect("lock");
                for w in &workers {
                    escrow::mint(&vm, &mut s, w.address, U256::from(1_000_000)).expect("mint");
                }
            }
        }
        Self { host, deal_id, deal, scheduler, workers }
    }

    /// Task `i` of the bag (absolute index `botFirst + i`).
    pub fn task_id(&self, i: u64) -> B256 {
        poco_core::ids::task_id(&self.deal_id, &(self.deal.botFirst + U256::from(i)))
    }

    /// The scheduler's authorization of `worker` on `task_id` (no enclave), mocked.
    pub fn authorize(&self, worker: Address, task_id: B256) -> Vec<u8> {
        let message = poco_core::messages::worker_authorization_hash(&worker, &task_id, &Address::ZERO);
        self.scheduler.sign_message_on(&self.host, &message)
    }

    /// `(balance, frozen)` of `account`.
    pub fn account(&self, account: Address) -> (U256, U256) {
        let vm = self.host.handle();
        let s = crate::poco_storage(&vm);
        let a = s.accounts.getter(account);
        (a.balance(), a.frozen())
    }

    /// Sets the clock.
    pub fn at(&self, timestamp: u64) {
        self.host.vm.set_block_timestamp(timestamp);
    }

    /// Sets the sender of the next calls.
    pub fn from(&self, sender: Address) {
        self.host.vm.set_sender(sender);
    }
}
