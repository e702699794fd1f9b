//! ABI export of the task view facet (`--features export-abi`, driven by `cargo xtask abi`).
//! The facet declares no events or errors: `facet-task-accessors-abi events` prints an empty
//! list.

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<alloy_json_abi::AbiItem<'static>> = Vec::new();
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_task_accessors::print_from_args();
}
