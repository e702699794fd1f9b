//! Prints the Solidity interface of the dataset program (`--features export-abi`).

#[cfg(feature = "export-abi")]
fn main() {
    poco_dataset::print_from_args();
}

#[cfg(not(feature = "export-abi"))]
fn main() {}
