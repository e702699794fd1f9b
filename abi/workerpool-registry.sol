interface IWorkerpoolRegistry {
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    function approve(address to, uint256 token_id) external;
    function balanceOf(address owner) external view returns (uint256);
    function baseURI() external view returns (string memory);
    function createWorkerpool(address workerpool_owner, string memory workerpool_description) external returns (address);
    function getApproved(uint256 token_id) external view returns (address);
    function initialize(address previous) external;
    function initialized() external view returns (bool);
    function isApprovedForAll(address owner, address operator) external view returns (bool);
    function isRegistered(address entry) external view returns (bool);
    function master() external view returns (address);
    function name() external view returns (string memory);
    function owner() external view returns (address);
    function ownerOf(uint256 token_id) external view returns (address);
    function predictWorkerpool(address workerpool_owner, string memory workerpool_description) external view returns (address);
    function previous() external view returns (address);
    function proxyCode() external view returns (bytes memory);
    function proxyCodeHash() external view returns (bytes32);
    function renounceOwnership() external;
    function safeTransferFrom(address from, address to, uint256 token_id) external;
    function safeTransferFrom(address from, address to, uint256 token_id, bytes memory data) external;
    function setApprovalForAll(address operator, bool approved) external;
    function setBaseURI(string memory base_uri) external;
    function setName(address ens, string memory name) external;
    function supportsInterface(bytes4 interface_id) external view returns (bool);
    function symbol() external view returns (string memory);
    function tokenByIndex(uint256 index) external view returns (uint256);
    function tokenOfOwnerByIndex(address owner, uint256 index) external view returns (uint256);
    function tokenURI(uint256 token_id) external view returns (string memory);
    function totalSupply() external view returns (uint256);
    function transferFrom(address from, address to, uint256 token_id) external;
    function transferOwnership(address new_owner) external;
}