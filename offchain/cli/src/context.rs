//! A command's connection to its chain: the chain file entry with the flags applied, the
//! checked JSON-RPC endpoint, the signing key, the PoCo addresses, and transaction sending
//! with reverts explained.

use alloy::{
    network::{EthereumWallet, TransactionBuilder},
    primitives::{Address, Bytes, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{TransactionReceipt, TransactionRequest},
    signers::local::PrivateKeySigner,
};
use anyhow::{anyhow, bail, Context, Result};
use poco_client::{
    bindings::IHub,
    chains::{self, ChainAddresses, ChainConfig, ChainFile},
    keys::KeySource,
    revert::{self, RevertReason},
};

use crate::cli::Global;

/// An open connection to the selected chain.
pub(crate) struct Session {
    /// Chain name (`--chain`).
    pub(crate) name: String,
    /// Its configuration, flags applied.
    pub(crate) chain: ChainConfig,
    /// Provider, signing with the key when there is one.
    pub(crate) provider: DynProvider,
    signer: Option<PrivateKeySigner>,
    addresses: ChainAddresses,
}

impl Session {
    /// Reads the chain file, applies `--rpc` / `--hub`, loads the key (if any), connects and
    /// checks the chain id.
    pub(crate) async fn open(global: &Global) -> Result<Self> {
        let file = ChainFile::discover(global.chain_file.as_deref())?;
        let mut chain = file.chain(&global.chain)?.clone();
        if let Some(rpc) = &global.rpc {
            chain.rpc = rpc.clone();
        }
        let record = chains::record_addresses(&file.record_path(&global.chain))?.unwrap_or_default();
        let flags = ChainAddresses { hub: global.hub, ..Default::default() };
        let addresses = flags.or(chain.addresses).or(record);
        let signer = key_source(global).resolve()?;
        let root = chains::connect(&global.chain, &chain, &file.describe()).await?;
        let provider = match &signer {
            Some(signer) => ProviderBuilder::new()
                .wallet(EthereumWallet::from(signer.clone()))
                .connect_provider(root)
                .erased(),
            None => ProviderBuilder::new().connect_provider(root).erased(),
        };
        Ok(Self { name: global.chain.clone(), chain, provider, signer, addresses })
    }

    /// The signing key, or an error saying how to give one.
    pub(crate) fn signer(&self) -> Result<&PrivateKeySigner> {
        self.signer.as_ref().ok_or_else(|| {
            anyhow!(
                "this command signs: give a key with --keystore PATH (password in --password-file or \
                 POCO_KEYSTORE_PASSWORD), the POCO_PRIVATE_KEY environment variable, or --private-key"
            )
        })
    }

    /// The signer's address.
    pub(crate) fn sender(&self) -> Result<Address> {
        Ok(self.signer()?.address())
    }

    /// `address` if given, else the signer's: whose balances a `show` reads.
    pub(crate) fn who(&self, address: Option<Address>) -> Result<Address> {
        match address {
            Some(a) => Ok(a),
            None => self.sender().context("no address given and no key to take it from"),
        }
    }

    /// The hub, checked to have code.
    pub(crate) async fn hub(&self) -> Result<Address> {
        let Some(hub) = self.addresses.hub else {
            bail!(
                "no hub known for chain `{}`: deploy the protocol (`poco deploy --chain {0}`, or \
                 `poco devnet --deploy` locally) or pass --hub ADDR",
                self.name
            );
        };
        let code = self.provider.get_code_at(hub).await.context("eth_getCode of the hub")?;
        if code.is_empty() {
            bail!(
                "no contract at the hub address {hub} on chain `{}`: the protocol is not deployed there \
                 (deploy it, or pass the right --hub)",
                self.name
            );
        }
        Ok(hub)
    }

    /// RLC: configured, else the hub's `token()`.
    pub(crate) async fn rlc(&self) -> Result<Address> {
        match self.addresses.rlc {
            Some(a) => Ok(a),
            None => Ok(IHub::new(self.hub().await?, &self.provider).token().call().await.context("hub token()")?),
        }
    }

    /// The registry of `kind`: configured, else read from the hub.
    pub(crate) async fn registry(&self, kind: poco_client::assets::AssetKind) -> Result<Address> {
        use poco_client::assets::AssetKind;
        let configured = match kind {
            AssetKind::App => self.addresses.app_registry,
            AssetKind::Dataset => self.addresses.dataset_registry,
            AssetKind::Workerpool => self.addresses.workerpool_registry,
        };
        if let Some(a) = configured {
            return Ok(a);
        }
        let hub = IHub::new(self.hub().await?, &self.provider);
        let read = match kind {
            AssetKind::App => hub.appregistry().call().await,
            AssetKind::Dataset => hub.datasetregistry().call().await,
            AssetKind::Workerpool => hub.workerpoolregistry().call().await,
        };
        read.with_context(|| format!("reading the {kind} registry from the hub"))
    }

    /// PoCo's EIP-712 domain separator on this chain.
    pub(crate) async fn domain_separator(&self) -> Result<B256> {
        Ok(poco_core::eip712::domain_separator(self.chain.chain_id, &self.hub().await?))
    }

    /// Sends `data` to `to` (with `value` wei) and waits for its receipt; a revert is
    /// explained (reason, custom error, what to do), never a bare "execution reverted".
    pub(crate) async fn send(&self, what: &str, to: Address, data: Vec<u8>, value: U256) -> Result<TransactionReceipt> {
        let from = self.sender()?;
        let tx = TransactionRequest::default().with_from(from).with_to(to).with_input(Bytes::from(data)).with_value(value);
        let pending = match self.provider.send_transaction(tx.clone()).await {
            Ok(pending) => pending,
            Err(e) => return Err(explain_transport(what, &e)),
        };
        let receipt = pending.get_receipt().await.with_context(|| format!("{what}: waiting for the receipt"))?;
        if !receipt.status() {
            // Replay it at its block to learn why (the node keeps no revert data in receipts).
            let why = match receipt.block_number {
                Some(block) => match self.provider.call(tx).block(block.saturating_sub(1).into()).await {
                    Err(e) => revert::revert_data(&e).map(|d| revert::decode_revert(&d)),
                    Ok(_) => None,
                },
                None => None,
            };
            let why = why.map(|r| format!(": {}", describe(&r))).unwrap_or_default();
            bail!("{what} failed in transaction {}{why}", receipt.transaction_hash);
        }
        Ok(receipt)
    }
}

/// Where the key comes from, per the flags.
pub(crate) fn key_source(global: &Global) -> KeySource {
    KeySource {
        private_key: global.private_key.clone(),
        keystore: global.keystore.clone(),
        password_file: global.password_file.clone(),
    }
}

/// An RPC failure as one line: a revert decoded with a hint, otherwise the node's message.
pub(crate) fn explain_transport(what: &str, e: &alloy::transports::TransportError) -> anyhow::Error {
    match revert::revert_data(e) {
        Some(data) => anyhow!("{what} {}", describe(&revert::decode_revert(&data))),
        None => anyhow!("{what}: {e}"),
    }
}

/// A contract-call failure (alloy's `call()`), as [`explain_transport`].
pub(crate) fn explain_call(what: &str, e: &alloy::contract::Error) -> anyhow::Error {
    match revert::contract_revert(e) {
        Some(reason) => anyhow!("{what} {}", describe(&reason)),
        None => anyhow!("{what}: {e}"),
    }
}

/// A decoded revert and, when PoCo's reason has a usual cause, what to do about it.
pub(crate) fn describe(reason: &RevertReason) -> String {
    match hint(reason) {
        Some(hint) => format!("{reason} — {hint}"),
        None => reason.to_string(),
    }
}

/// What to do about the reverts users meet most.
fn hint(reason: &RevertReason) -> Option<&'static str> {
    use poco_core::reasons as r;
    match reason {
        RevertReason::Reason(text) => Some(match text.as_str() {
            r::MATCH_VOLUME_ZERO => {
                "an order is cancelled or fully consumed: `poco order show` gives each order's remaining volume; sign a new order"
            }
            r::MATCH_APP_SIGNATURE_INVALID
            | r::MATCH_DATASET_SIGNATURE_INVALID
            | r::MATCH_WORKERPOOL_SIGNATURE_INVALID
            | r::MATCH_REQUEST_SIGNATURE_INVALID => {
                "an order's signature is not its owner's for this hub and chain: sign it again with `poco order sign`"
            }
            r::MATCH_APP_NOT_REGISTERED | r::MATCH_DATASET_NOT_REGISTERED | r::MATCH_WORKERPOOL_NOT_REGISTERED => {
                "an order names an asset this hub's registries do not know"
            }
            r::MATCH_CATEGORY_UNKNOWN => "the category does not exist: `poco category count`",
            r::MATCH_CATEGORY_MISMATCH => "the request and the workerpool order name different categories",
            r::MATCH_TRUST_TOO_HIGH => "the request asks more trust than the workerpool order offers",
            r::MATCH_APP_PRICE_TOO_HIGH | r::MATCH_DATASET_PRICE_TOO_HIGH | r::MATCH_WORKERPOOL_PRICE_TOO_HIGH => {
                "an order's price is above the request's max price"
            }
            t if t.contains("exceeds balance") || t.contains("insufficient") => {
                "not enough funds: `poco account show` / `poco wallet show`, then `poco account deposit`"
            }
            t if t.contains("not the owner") || t.contains("caller is not") => "only the owner may do this",
            _ => return None,
        }),
        RevertReason::Custom { name, .. } if name == "NotContractOwner" => Some("only the hub owner may do this"),
        RevertReason::Empty => Some(
            "PoCo's requirements revert without a reason: check the state first (`poco task show`, `poco deal show`, deadlines)",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_reverts_say_what_to_do() {
        let consumed = describe(&RevertReason::Reason(poco_core::reasons::MATCH_VOLUME_ZERO.into()));
        assert!(consumed.starts_with("reverted: iExecV5-matchOrders-0x60 — ") && consumed.contains("poco order show"), "{consumed}");
        let funds = describe(&RevertReason::Reason("IexecEscrow: Transfer amount exceeds balance".into()));
        assert!(funds.contains("poco account deposit"), "{funds}");
        let bare = describe(&RevertReason::Empty);
        assert!(bare.contains("without a reason") && bare.contains("poco task show"), "{bare}");
        assert_eq!(describe(&RevertReason::Reason("something else".into())), "reverted: something else");
    }
}
