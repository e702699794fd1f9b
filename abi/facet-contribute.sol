interface IFacetContribute {
    function contribute(bytes32 task_id, bytes32 result_hash, bytes32 result_seal, address enclave_challenge, bytes memory enclave_sign, bytes memory authorization_sign) external;
    function reopen(bytes32 task_id) external;
}