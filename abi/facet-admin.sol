library IAdminFacet {
    struct EIP712Domain {
        string name;
        string version;
        uint256 chainId;
        address verifyingContract;
    }
}

interface IFacetAdmin {
    event CreateCategory(uint256 catid, string name, string description, uint256 workClockTimeRef);

    function changeRegistries(address app_registry, address dataset_registry, address workerpool_registry) external;
    function configure(address token, string memory name, string memory symbol, uint8 decimals, address app_registry, address dataset_registry, address workerpool_registry, address v3_iexec_hub) external;
    function createCategory(string memory name, string memory description, uint256 work_clock_time_ref) external returns (uint256);
    function domain() external view returns (IAdminFacet.EIP712Domain memory);
    function importScore(address worker) external;
    function setCallbackGas(uint256 callback_gas) external;
    function setTeeBroker(address teebroker) external;
    function updateDomainSeparator() external;
}