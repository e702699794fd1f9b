interface IFacetReveal {
    function reveal(bytes32 task_id, bytes32 result_digest) external;
}