//! Prints the Solidity interface of the dataset-registry program (`--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    poco_dataset_registry::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {}
