library ITaskAccessorsFacet {
    struct Contribution {
        uint8 status;
        bytes32 resultHash;
        bytes32 resultSeal;
        address enclaveChallenge;
        uint256 weight;
    }
    struct Task {
        uint8 status;
        bytes32 dealid;
        uint256 idx;
        uint256 timeref;
        uint256 contributionDeadline;
        uint256 revealDeadline;
        uint256 finalDeadline;
        bytes32 consensusValue;
        uint256 revealCounter;
        uint256 winnerCounter;
        address[] contributors;
        bytes32 resultDigest;
        bytes results;
        uint256 resultsTimestamp;
        bytes resultsCallback;
    }
}

interface IFacetTaskAccessors {
    function resultFor(bytes32 id) external view returns (bytes memory);
    function viewContribution(bytes32 task_id, address worker) external view returns (ITaskAccessorsFacet.Contribution memory);
    function viewContributionABILegacy(bytes32 task_id, address worker) external view returns (uint8, bytes32, bytes32, address);
    function viewTask(bytes32 id) external view returns (ITaskAccessorsFacet.Task memory);
    function viewTaskABILegacy(bytes32 id) external view returns (uint8, bytes32, uint256, uint256, uint256, uint256, uint256, bytes32, uint256, uint256, address[] memory, bytes memory);
}