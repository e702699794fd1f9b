interface IFacetDiamond {
    error CannotAddFunctionToDiamondThatAlreadyExists(bytes4 _selector);
    error CannotAddSelectorsToZeroAddress(bytes4[] _selectors);
    error CannotRemoveFunctionThatDoesNotExist(bytes4 _selector);
    error CannotRemoveImmutableFunction(bytes4 _selector);
    error CannotReplaceFunctionThatDoesNotExists(bytes4 _selector);
    error CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet(bytes4 _selector);
    error CannotReplaceFunctionsFromFacetWithZeroAddress(bytes4[] _selectors);
    error CannotReplaceImmutableFunction(bytes4 _selector);
    error IncorrectFacetCutAction(uint8 _action);
    error InitializationFunctionReverted(address _initializationContractAddress, bytes _calldata);
    error NoBytecodeAtAddress(address _contractAddress, string _message);
    error NoSelectorsProvidedForFacetForCut(address _facetAddress);
    error NotContractOwner(address _user, address _contractOwner);
    error RemoveFacetAddressMustBeZeroAddress(address _facetAddress);

    event DiamondCut((address, uint8, bytes4[])[] _diamondCut, address _init, bytes _calldata);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    function diamondCut((address, uint8, bytes4[])[] memory _diamondCut, address _init, bytes memory _calldata) external;
    function facetAddress(bytes4 selector) external view returns (address);
    function facetAddresses() external view returns (address[] memory);
    function facetFunctionSelectors(address facet) external view returns (bytes4[] memory);
    function facets() external view returns ((address, bytes4[])[] memory facets_);
    function owner() external view returns (address);
    function supportsInterface(bytes4 interface_id) external view returns (bool);
    function transferOwnership(address new_owner) external;
}