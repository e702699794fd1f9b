//! The two deployments side by side and the comparison of every transaction and view.
//!
//! Each deployment has a devnet of its own, with the same dev accounts and the same clock:
//! a devnet seals one block per transaction, so two transactions on one chain never share a
//! block timestamp, while PoCo stores and compares timestamps (a deal's start time, every
//! deadline). With one chain each, every step runs on both at the same block time, and the
//! accounts (the same keys) are the same addresses on both.

use std::collections::BTreeMap;

use alloy::primitives::{hex, Address, Bytes, Log, B256, U256};
use anyhow::{anyhow, bail, Context, Result};
use poco_client::{deploy_poco, Artifacts, PocoDeployment};
use poco_devnet::{
    rpc::{self, DevnetHandle},
    DevnetConfig, TxRequest,
};

use crate::{exceptions, mapping::Mapping, npm::PocoPackage, solidity::deploy_solidity_poco};

/// Gas of every transaction: above any PoCo transaction of the run on either side, so that
/// no outcome depends on one side's gas price for the same work.
pub const TX_GAS: u64 = 8_000_000;

/// One deployment on its devnet.
pub struct Chain {
    /// The devnet.
    pub devnet: DevnetHandle,
    /// Keeps its JSON-RPC server (used for the deployment) alive.
    _server: jsonrpsee::server::ServerHandle,
    /// The deployed contracts.
    pub poco: PocoDeployment,
    /// The snapshot every case starts from.
    base: Option<u64>,
}

/// What a transaction or a call did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Whether it succeeded.
    pub success: bool,
    /// Return data, or revert data.
    pub output: Bytes,
    /// The logs it emitted (none when it failed).
    pub logs: Vec<Log>,
    /// Why the EVM halted, when it did (out of gas, invalid opcode...).
    pub halt: Option<String>,
}

/// A call to make on one side.
#[derive(Clone, Debug)]
pub struct Call {
    /// Sender.
    pub from: Address,
    /// Callee.
    pub to: Address,
    /// Calldata.
    pub data: Bytes,
}

/// What a run covered.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Transactions compared, by action: (succeeded on both, refused on both).
    pub actions: BTreeMap<String, (u64, u64)>,
    /// Views compared.
    pub views: u64,
    /// Steps where a named exception excused a difference, by exception.
    pub excused: BTreeMap<&'static str, u64>,
    /// Refusals by action and revert reason (as the Solidity side gave it).
    pub refusals: BTreeMap<String, u64>,
}

/// A revert's reason for tallies: the `Error(string)` text, `Panic(code)`, a custom error's
/// selector, or "bare".
pub fn reason(output: &[u8]) -> String {
    use alloy::sol_types::{Panic, Revert, SolError};
    if output.is_empty() {
        return "bare".into();
    }
    if let Ok(r) = Revert::abi_decode(output) {
        return r.reason;
    }
    if let Ok(p) = Panic::abi_decode(output) {
        return format!("Panic({})", p.code);
    }
    format!("0x{}", hex::encode(output.get(..4).unwrap_or(output)))
}

/// Both deployments, the mapping between them, and the clock.
pub struct Pair {
    /// Keeps the JSON-RPC servers' runtime alive.
    _runtime: tokio::runtime::Runtime,
    /// Solidity PoCo from iExec's bytecode.
    pub sol: Chain,
    /// Our Stylus hub.
    pub ours: Chain,
    /// Our values as the Solidity side's.
    pub map: Mapping,
    /// Seconds to add before the next transaction.
    wait: u64,
    /// What was compared.
    pub tally: Tally,
    /// The exception of the last step, when it leaves the deployments apart by design.
    divergence: Option<&'static str>,
}

impl Pair {
    /// Starts two devnets and deploys Solidity PoCo on one, our hub on the other, each with
    /// account 0 as owner of everything.
    pub fn start() -> Result<Self> {
        let npm = PocoPackage::fetch()?;
        let artifacts = Artifacts::of_this_workspace();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
        let owner = poco_e2e::account(0)?;
        let (sol, ours) = runtime.block_on(async {
            let start = |label: &'static str| async move {
                let devnet = DevnetHandle::spawn(DevnetConfig::default()).with_context(|| format!("starting the {label} devnet"))?;
                let (addr, server) = rpc::serve(devnet.clone(), "127.0.0.1:0".parse()?).await?;
                anyhow::Ok((devnet, addr, server))
            };
            let (sol_devnet, sol_addr, sol_server) = start("Solidity").await?;
            let (our_devnet, our_addr, our_server) = start("Stylus").await?;
            let p = poco_e2e::provider(sol_addr, owner.clone())?;
            let sol_poco = deploy_solidity_poco(&p, owner.address(), &artifacts, &npm).await.context("deploying Solidity PoCo")?;
            let p = poco_e2e::provider(our_addr, owner.clone())?;
            let our_poco = deploy_poco(&p, owner.address(), &artifacts).await.context("deploying our hub")?;
            anyhow::Ok((
                Chain { devnet: sol_devnet, _server: sol_server, poco: sol_poco, base: None },
                Chain { devnet: our_devnet, _server: our_server, poco: our_poco, base: None },
            ))
        })?;
        let mut map = Mapping::default();
        for (name, s, o) in [
            ("hub", sol.poco.hub, ours.poco.hub),
            ("RLC", sol.poco.rlc, ours.poco.rlc),
            ("app registry", sol.poco.app_registry, ours.poco.app_registry),
            ("dataset registry", sol.poco.dataset_registry, ours.poco.dataset_registry),
            ("workerpool registry", sol.poco.workerpool_registry, ours.poco.workerpool_registry),
        ] {
            map.add_address(name, s, o);
        }
        Ok(Self { _runtime: runtime, sol, ours, map, wait: 0, tally: Tally::default(), divergence: None })
    }

    /// Saves both chains as the start of every case ([`Pair::reset`]).
    pub fn save_base(&mut self) -> Result<()> {
        for chain in [&mut self.sol, &mut self.ours] {
            chain.base = Some(chain.devnet.run_blocking(|d| d.snapshot())?);
        }
        Ok(())
    }

    /// Both chains back at the saved base, with `map` as the mapping of that time.
    pub fn reset(&mut self, map: Mapping) -> Result<()> {
        for chain in [&mut self.sol, &mut self.ours] {
            let id = chain.base.context("no base snapshot saved")?;
            let back = chain.devnet.run_blocking(move |d| d.revert_to(id))?;
            if !back {
                bail!("snapshot {id} is gone");
            }
            chain.base = Some(chain.devnet.run_blocking(|d| d.snapshot())?);
        }
        self.map = map;
        self.wait = 0;
        Ok(())
    }

    /// The exception of the last step if it ends the comparison of the case (the states
    /// differ by design from there on).
    pub fn take_divergence(&mut self) -> Option<&'static str> {
        self.divergence.take()
    }

    /// Moves both clocks `seconds` forward before the next transaction.
    pub fn wait(&mut self, seconds: u64) {
        self.wait = self.wait.saturating_add(seconds);
    }

    /// The latest block timestamp of the Solidity chain (both are equal after a step).
    pub fn now(&self) -> Result<u64> {
        Ok(self.sol.devnet.run_blocking(|d| d.latest_block().header.timestamp)?)
    }

    /// The block time of the next step on both chains.
    fn next_time(&mut self) -> Result<u64> {
        let latest = |c: &Chain| c.devnet.run_blocking(|d| d.latest_block().header.timestamp);
        Ok(latest(&self.sol)?.max(latest(&self.ours)?) + 1 + std::mem::take(&mut self.wait))
    }

    /// Deploys the same creation code from `from` on both chains (a test contract both
    /// sides use, such as PoCo's ERC-1271 wallet mock); returns its address on each.
    pub fn create_each(&mut self, from: Address, code: Bytes) -> Result<[Address; 2]> {
        let at = self.next_time()?;
        let run = |c: &Chain| -> Result<Address> {
            let code = code.clone();
            let rec = c.devnet.run_blocking(move |d| {
                d.set_next_block_timestamp(at)?;
                d.send(TxRequest { from, to: None, data: code, gas: Some(TX_GAS), ..Default::default() })
            })??;
            rec.outcome.contract_address.filter(|_| rec.outcome.success).context("creation failed")
        };
        Ok([run(&self.sol)?, run(&self.ours)?])
    }

    /// Sends `sol` and `ours` as one step at the same block time, and compares what they
    /// did: success, return or revert data and logs, our values mapped to the Solidity
    /// side's. A difference fails, unless a named exception ([`exceptions`]) explains it.
    pub fn send(&mut self, action: &str, sol: Call, ours: Call) -> Result<(Outcome, Outcome)> {
        let at = self.next_time()?;
        let run = |c: &Chain, call: Call| -> Result<Outcome> {
            let rec = c.devnet.run_blocking(move |d| {
                d.set_next_block_timestamp(at)?;
                d.send(TxRequest { from: call.from, to: Some(call.to), data: call.data, gas: Some(TX_GAS), ..Default::default() })
            })??;
            let o = rec.outcome;
            Ok(Outcome { success: o.success, output: o.output, logs: o.logs, halt: o.halt })
        };
        let s = run(&self.sol, sol)?;
        let o = run(&self.ours, ours)?;
        if let Err(difference) = compare(&self.map, &s, &o) {
            let Some(e) = exceptions::excuse(action, &s, &o) else {
                bail!("{action}: {difference}\n  Solidity: {}\n  ours:     {}", self.show(&s, false), self.show(&o, true));
            };
            *self.tally.excused.entry(e.name).or_default() += 1;
            if e.ends_case {
                self.divergence = Some(e.name);
            }
            return Ok((s, o));
        }
        let entry = self.tally.actions.entry(action.to_string()).or_default();
        if s.success {
            entry.0 += 1;
        } else {
            entry.1 += 1;
            *self.tally.refusals.entry(format!("{action}: {}", reason(&s.output))).or_default() += 1;
        }
        Ok((s, o))
    }

    /// Calls a view on both sides (at the latest block) and compares the results.
    pub fn view(&mut self, what: &str, sol: Call, ours: Call) -> Result<Bytes> {
        let run = |c: &Chain, call: Call| -> Result<Outcome> {
            let o = c.devnet.run_blocking(move |d| {
                d.call(&TxRequest { from: call.from, to: Some(call.to), data: call.data, ..Default::default() })
            })??;
            Ok(Outcome { success: o.success, output: o.output, logs: Vec::new(), halt: o.halt })
        };
        let s = run(&self.sol, sol)?;
        let o = run(&self.ours, ours)?;
        self.tally.views += 1;
        if let Err(difference) = compare(&self.map, &s, &o) {
            bail!("view {what}: {difference}\n  Solidity: {}\n  ours:     {}", self.show(&s, false), self.show(&o, true));
        }
        Ok(s.output)
    }

    /// Calls a view on each side without comparing: for values that differ by
    /// construction (a registry's prediction of an entry's address), to map them.
    pub fn call_each(&self, sol: Call, ours: Call) -> Result<[Bytes; 2]> {
        Ok([call_on(&self.sol, sol)?, call_on(&self.ours, ours)?])
    }

    /// Calls a view of the Solidity deployment only (to choose an action, not to compare).
    pub fn call_solidity(&self, call: Call) -> Result<Bytes> {
        call_on(&self.sol, call)
    }

    /// An outcome for a report (our side with its values mapped).
    fn show(&self, o: &Outcome, mapped: bool) -> String {
        let bytes = |b: &[u8]| if mapped { hex::encode_prefixed(self.map.bytes(b)) } else { hex::encode_prefixed(b) };
        let mut s = format!("{} {}", if o.success { "ok" } else { "REVERT" }, bytes(&o.output));
        if let Some(h) = &o.halt {
            s.push_str(&format!(" halt={h}"));
        }
        for l in &o.logs {
            let topics: Vec<String> = l
                .topics()
                .iter()
                .map(|t| if mapped { self.map.word(*t) } else { *t })
                .map(|t| self.map.name(&t).map_or_else(|| t.to_string(), str::to_string))
                .collect();
            let address = if mapped { self.map.address(l.address) } else { l.address };
            s.push_str(&format!("\n    log {address} [{}] {}", topics.join(", "), bytes(&l.data.data)));
        }
        s
    }
}

/// The first difference between two outcomes, our side mapped by `map`.
pub fn compare(map: &Mapping, s: &Outcome, o: &Outcome) -> Result<(), String> {
    if s.success != o.success {
        return Err(format!("success {} vs {}", s.success, o.success));
    }
    if s.halt.is_some() != o.halt.is_some() {
        return Err(format!("halt {:?} vs {:?}", s.halt, o.halt));
    }
    if s.output.as_ref() != map.bytes(&o.output).as_slice() {
        return Err(if s.success { "return data differ".into() } else { "revert data differ".into() });
    }
    if s.logs.len() != o.logs.len() {
        return Err(format!("{} logs vs {}", s.logs.len(), o.logs.len()));
    }
    for (i, (a, b)) in s.logs.iter().zip(&o.logs).enumerate() {
        if a.address != map.address(b.address) {
            return Err(format!("log {i}: emitted by {} vs {}", a.address, b.address));
        }
        let topics: Vec<B256> = b.topics().iter().map(|t| map.word(*t)).collect();
        if a.topics() != topics.as_slice() {
            return Err(format!("log {i}: topics differ"));
        }
        if a.data.data.as_ref() != map.bytes(&b.data.data).as_slice() {
            return Err(format!("log {i}: data differ"));
        }
    }
    Ok(())
}

/// An `eth_call` on one chain that must succeed.
fn call_on(c: &Chain, call: Call) -> Result<Bytes> {
    let o = c.devnet.run_blocking(move |d| d.call(&TxRequest { from: call.from, to: Some(call.to), data: call.data, ..Default::default() }))??;
    if !o.success {
        bail!("call reverted: {}", hex::encode_prefixed(&o.output));
    }
    Ok(o.output)
}

/// A 32-byte word as a `U256` (views that return one number).
pub fn word_u256(output: &[u8]) -> Result<U256> {
    let word = output.get(..32).ok_or_else(|| anyhow!("{} bytes, a uint256 expected", output.len()))?;
    Ok(U256::from_be_slice(word))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use alloy::primitives::LogData;

    use super::*;

    fn outcome(success: bool, output: &[u8], logs: Vec<Log>) -> Outcome {
        Outcome { success, output: Bytes::copy_from_slice(output), logs, halt: None }
    }

    fn log(emitter: Address, topic: B256, data: &[u8]) -> Log {
        Log { address: emitter, data: LogData::new_unchecked(vec![topic], Bytes::copy_from_slice(data)) }
    }

    /// Each kind of difference fails the comparison; equal outcomes once mapped pass.
    #[test]
    fn every_difference_is_found_and_mapped_values_are_equal() {
        let (sol_hub, our_hub) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let (sol_deal, our_deal) = (B256::repeat_byte(3), B256::repeat_byte(4));
        let mut map = Mapping::default();
        map.add_address("hub", sol_hub, our_hub);
        map.add("deal", sol_deal, our_deal);
        let sol = outcome(true, sol_deal.as_slice(), vec![log(sol_hub, sol_deal, sol_deal.as_slice())]);
        let ours = outcome(true, our_deal.as_slice(), vec![log(our_hub, our_deal, our_deal.as_slice())]);
        assert_eq!(compare(&map, &sol, &ours), Ok(()));

        assert!(compare(&map, &sol, &outcome(false, our_deal.as_slice(), ours.logs.clone())).is_err());
        assert!(compare(&map, &sol, &outcome(true, &[0u8; 32], ours.logs.clone())).is_err());
        assert!(compare(&map, &sol, &outcome(true, our_deal.as_slice(), vec![])).is_err());
        assert!(compare(&map, &sol, &outcome(true, our_deal.as_slice(), vec![log(sol_deal_emitter(), our_deal, our_deal.as_slice())])).is_err());
        assert!(compare(&map, &sol, &outcome(true, our_deal.as_slice(), vec![log(our_hub, B256::ZERO, our_deal.as_slice())])).is_err());
        assert!(compare(&map, &sol, &outcome(true, our_deal.as_slice(), vec![log(our_hub, our_deal, &[1u8; 32])])).is_err());
        // Revert data: one byte off fails.
        let revert = [0x08u8, 0xc3, 0x79, 0xa0, 1];
        assert_eq!(compare(&map, &outcome(false, &revert, vec![]), &outcome(false, &revert, vec![])), Ok(()));
        assert!(compare(&map, &outcome(false, &revert, vec![]), &outcome(false, &revert[..4], vec![])).is_err());
    }

    fn sol_deal_emitter() -> Address {
        Address::repeat_byte(9)
    }
}
