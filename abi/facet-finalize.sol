interface IFacetFinalize {
    function contributeAndFinalize(bytes32 task_id, bytes32 result_digest, bytes memory results, bytes memory results_callback, address enclave_challenge, bytes memory enclave_sign, bytes memory authorization_sign) external;
    function finalize(bytes32 task_id, bytes memory results, bytes memory results_callback) external;
}