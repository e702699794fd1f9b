//! ABI export of the matching facet (`--features export-abi`, driven by `cargo xtask abi`):
//! `abi` prints the functions as a Solidity interface, `events` the events and errors as JSON.

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_facet_matching::{DealSponsored, IncompatibleDatasetOrder, OrdersMatched, SchedulerNotice};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![
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
