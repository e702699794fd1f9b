interface IFacetAccessorsLegacy {
    function viewAccountABILegacy(address account) external view returns (uint256, uint256);
    function viewCategoryABILegacy(uint256 catid) external view returns (string memory, string memory, uint256);
    function viewConfigABILegacy(bytes32 id) external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
    function viewDealABILegacy_pt1(bytes32 id) external view returns (address, address, uint256, address, address, uint256, address, address, uint256);
    function viewDealABILegacy_pt2(bytes32 id) external view returns (uint256, bytes32, address, address, address, string memory);
}