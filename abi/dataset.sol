interface IDataset {
    function initialize(string memory dataset_name, bytes memory dataset_multiaddr, bytes32 dataset_checksum) external;
    function m_datasetChecksum() external view returns (bytes32);
    function m_datasetMultiaddr() external view returns (bytes memory);
    function m_datasetName() external view returns (string memory);
    function owner() external view returns (address);
    function registry() external view returns (address);
    function setName(address ens, string memory name) external;
}