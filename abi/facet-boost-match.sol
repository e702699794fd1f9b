interface IFacetBoostMatch {
    error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value);

    event DealSponsoredBoost(bytes32 dealId, address sponsor);
    event SchedulerNoticeBoost(address indexed workerpool, bytes32 dealId, address app, address dataset, uint256 category, bytes32 tag, string params, address beneficiary);

    function matchOrdersBoost((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory appOrder, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory workerpoolOrder, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory requestOrder) external returns (bytes32);
    function sponsorMatchOrdersBoost((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory appOrder, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory workerpoolOrder, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory requestOrder) external returns (bytes32);
}