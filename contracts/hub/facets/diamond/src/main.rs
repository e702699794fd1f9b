//! ABI export of the diamond facet (`--features export-abi`, driven by `cargo xtask abi`).

use alloy_json_abi::AbiItem;
use alloy_sol_types::JsonAbiExt;
use poco_hub_base::diamond::*;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("events") {
        let items: Vec<AbiItem<'static>> = vec![
            diamondCutCall::abi().into(),
            facetsCall::abi().into(),
            DiamondCut::abi().into(),
            OwnershipTransferred::abi().into(),
            NotContractOwner::abi().into(),
            CannotAddFunctionToDiamondThatAlreadyExists::abi().into(),
            CannotAddSelectorsToZeroAddress::abi().into(),
            CannotRemoveFunctionThatDoesNotExist::abi().into(),
            CannotRemoveImmutableFunction::abi().into(),
            CannotReplaceFunctionThatDoesNotExists::abi().into(),
            CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet::abi().into(),
            CannotReplaceFunctionsFromFacetWithZeroAddress::abi().into(),
            CannotReplaceImmutableFunction::abi().into(),
            IncorrectFacetCutAction::abi().into(),
            InitializationFunctionReverted::abi().into(),
            NoBytecodeAtAddress::abi().into(),
            NoSelectorsProvidedForFacetForCut::abi().into(),
            RemoveFacetAddressMustBeZeroAddress::abi().into(),
        ];
        println!("{}", serde_json::to_string(&items).unwrap_or_default());
        return;
    }
    poco_facet_diamond::print_from_args();
}
