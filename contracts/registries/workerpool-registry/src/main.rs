//! Prints the Solidity interface of the workerpool-registry program (`--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    poco_workerpool_registry::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {}
