//! ABI export of the Boost matching facet (`--features export-abi`, driven by `cargo xtask abi`).
//!
//! - `abi`: Stylus' Solidity interface of the `#[public]` methods (none but the fallback).
//! - `events`: a JSON array of ABI items: the two order-taking functions from
//!   `poco_core::orders::*Call::abi()`, the facet's events and OpenZeppelin `SafeCast`'s
//!   error. `OrdersMatched` and the escrow events are exported by the matching and escrow
//!   facets, so that `abi/hub.json` lists each once.

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_core::orders::{matchOrdersBoostCall, sponsorMatchOrdersBoostCall};
use poco_facet_boost_match::{DealSponsoredBoost, SafeCastOverflowedUintDowncast, SchedulerNoticeBoost};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![
            matchOrdersBoostCall::abi().into(),
            sponsorMatchOrdersBoostCall::abi().into(),
            SchedulerNoticeBoost::abi().into(),
            DealSponsoredBoost::abi().into(),
            SafeCastOverflowedUintDowncast::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_boost_match::print_from_args();
}
