//! ABI export of the Boost settlement facet (`--features export-abi`, driven by
//! `cargo xtask abi`).
//!
//! - `abi`: Stylus' Solidity interface of the `#[public]` methods (`pushResultBoost`,
//!   `claimBoost`, `viewDealBoost` with its `DealBoost` struct);
//! - `events`: `ResultPushedBoost`. `TaskClaimed` and the escrow events it also emits are
//!   exported by the tasks and escrow facets, so that `abi/hub.json` lists each once.

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_facet_boost_push::ResultPushedBoost;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![ResultPushedBoost::abi().into()];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_boost_push::print_from_args();
}
