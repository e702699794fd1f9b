interface IFacetOrders {
    event BroadcastAppOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) apporder);
    event BroadcastDatasetOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) datasetorder);
    event BroadcastRequestOrder((address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) requestorder);
    event BroadcastWorkerpoolOrder((address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) workerpoolorder);
    event ClosedAppOrder(bytes32 appHash);
    event ClosedDatasetOrder(bytes32 datasetHash);
    event ClosedRequestOrder(bytes32 requestHash);
    event ClosedWorkerpoolOrder(bytes32 workerpoolHash);
    event SignedAppOrder(bytes32 appHash);
    event SignedDatasetOrder(bytes32 datasetHash);
    event SignedRequestOrder(bytes32 requestHash);
    event SignedWorkerpoolOrder(bytes32 workerpoolHash);

    function broadcastAppOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory) external;
    function broadcastDatasetOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory) external;
    function broadcastRequestOrder((address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory) external;
    function broadcastWorkerpoolOrder((address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory) external;
    function manageAppOrder(((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes), uint8, bytes) memory) external;
    function manageDatasetOrder(((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes), uint8, bytes) memory) external;
    function manageRequestOrder(((address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes), uint8, bytes) memory) external;
    function manageWorkerpoolOrder(((address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes), uint8, bytes) memory) external;
    function verifyPresignature(address identity, bytes32 hash) external view returns (bool);
    function verifyPresignatureOrSignature(address identity, bytes32 hash, bytes memory signature) external view returns (bool);
    function verifySignature(address identity, bytes32 hash, bytes memory signature) external view returns (bool);
}