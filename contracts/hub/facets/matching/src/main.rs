//! ABI export of the matching facet (`--features export-abi`, driven by `cargo xtask abi`).
//!
//! - `abi`: Stylus' Solidity interface of the `#[public]` methods (none but the fallback:
//!   every function of this facet takes orders, see the crate docs).
//! - `events`: a JSON array of ABI items (alloy's `JsonAbiExt`): the four order-taking
//!   FUNCTIONS from `poco_core::orders::*Call::abi()` (Stylus' printer would print their
//!   struct parameters without the structs), then the facet's events and its error.

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_core::orders::{
    assertDatasetDealCompatibilityCall, computeDealVolumeCall, matchOrdersCall, sponsorMatchOrdersCall,
};
use poco_facet_matching::{DealSponsored, IncompatibleDatasetOrder, OrdersMatched, SchedulerNotice};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![
            matchOrdersCall::abi().into(),
            sponsorMatchOrdersCall::abi().into(),
            computeDealVolumeCall::abi().into(),
            assertDatasetDealCompatibilityCall::abi().into(),
            SchedulerNotice::abi().into(),
            OrdersMatched::abi().into(),
            DealSponsored::abi().into(),
            IncompatibleDatasetOrder::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_matching::print_from_args();
}
