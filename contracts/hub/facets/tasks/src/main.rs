//! ABI export of the tasks facet (`--features export-abi`, driven by `cargo xtask abi`).
//!
//! - `abi`: Stylus' Solidity interface of the `#[public]` methods;
//! - `events`: the task lifecycle's events (declared once in `poco_hub_base::task`, emitted
//!   by the tasks, contribute and finalize facets; exported here only, so that `abi/hub.json`
//!   lists each once).

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_hub_base::task::{
    AccurateContribution, FaultyContribution, TaskClaimed, TaskConsensus, TaskContribute, TaskFinalize,
    TaskInitialize, TaskReopen, TaskReveal,
};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![
            AccurateContribution::abi().into(),
            FaultyContribution::abi().into(),
            TaskInitialize::abi().into(),
            TaskContribute::abi().into(),
            TaskConsensus::abi().into(),
            TaskReveal::abi().into(),
            TaskReopen::abi().into(),
            TaskFinalize::abi().into(),
            TaskClaimed::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_tasks::print_from_args();
}
