interface IFacetTasks {
    event AccurateContribution(address indexed worker, bytes32 indexed taskid);
    event FaultyContribution(address indexed worker, bytes32 indexed taskid);
    event TaskClaimed(bytes32 indexed taskid);
    event TaskConsensus(bytes32 indexed taskid, bytes32 consensus);
    event TaskContribute(bytes32 indexed taskid, address indexed worker, bytes32 hash);
    event TaskFinalize(bytes32 indexed taskid, bytes results);
    event TaskInitialize(bytes32 indexed taskid, address indexed workerpool);
    event TaskReopen(bytes32 indexed taskid);
    event TaskReveal(bytes32 indexed taskid, address indexed worker, bytes32 digest);

    function claim(bytes32 task_id) external;
    function claimArray(bytes32[] memory task_ids) external returns (bool);
    function initialize(bytes32 deal_id, uint256 idx) external returns (bytes32);
    function initializeAndClaimArray(bytes32[] memory deal_ids, uint256[] memory indexes) external returns (bool);
    function initializeArray(bytes32[] memory deal_ids, uint256[] memory indexes) external returns (bool);
}