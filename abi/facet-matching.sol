interface IFacetMatching {
    error IncompatibleDatasetOrder(string reason);

    event DealSponsored(bytes32 dealId, address sponsor);
    event OrdersMatched(bytes32 dealid, bytes32 appHash, bytes32 datasetHash, bytes32 workerpoolHash, bytes32 requestHash, uint256 volume);
    event SchedulerNotice(address indexed workerpool, bytes32 dealid);

    function assertDatasetDealCompatibility((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, bytes32 dealId) external view;
    function computeDealVolume((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory appOrder, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory workerpoolOrder, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory requestOrder) external view returns (uint256);
    function matchOrders((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory) external returns (bytes32);
    function sponsorMatchOrders((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory) external returns (bytes32);
}