library IBoostPushFacet {
    struct DealBoost {
        address appOwner;
        uint96 appPrice;
        address datasetOwner;
        uint96 datasetPrice;
        address workerpoolOwner;
        uint96 workerpoolPrice;
        address requester;
        uint96 workerReward;
        address callback;
        uint40 deadline;
        uint16 botFirst;
        uint16 botSize;
        bytes3 shortTag;
        address sponsor;
    }
}

interface IFacetBoostPush {
    event ResultPushedBoost(bytes32 dealId, uint256 index, bytes results);

    function claimBoost(bytes32 deal_id, uint256 index) external;
    function pushResultBoost(bytes32 deal_id, uint256 index, bytes memory results, bytes memory results_callback, bytes memory authorization_sign, address enclave_challenge, bytes memory enclave_sign) external;
    function viewDealBoost(bytes32 id) external view returns (IBoostPushFacet.DealBoost memory);
}