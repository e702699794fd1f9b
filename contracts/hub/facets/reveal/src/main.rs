//! ABI export of the reveal facet (`--features export-abi`, driven by `cargo xtask abi`). Its
//! events are the task lifecycle's, exported once by the tasks facet: `events` prints an
//! empty list.

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<alloy_json_abi::AbiItem<'static>> = Vec::new();
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_reveal::print_from_args();
}
