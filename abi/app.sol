interface IApp {
    function initialize(string memory app_name, string memory app_type, bytes memory app_multiaddr, bytes32 app_checksum, bytes memory app_mrenclave) external;
    function m_appChecksum() external view returns (bytes32);
    function m_appMREnclave() external view returns (bytes memory);
    function m_appMultiaddr() external view returns (bytes memory);
    function m_appName() external view returns (string memory);
    function m_appType() external view returns (string memory);
    function owner() external view returns (address);
    function registry() external view returns (address);
    function setName(address ens, string memory name) external;
}