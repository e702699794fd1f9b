interface IRlc {
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event Transfer(address indexed from, address indexed to, uint256 value);

    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function approveAndCall(address spender, uint256 value, bytes memory extra_data) external;
    function balanceOf(address account) external view returns (uint256);
    function burn(uint256 value) external returns (bool);
    function decimals() external view returns (uint8);
    function initialSupply() external view returns (uint256);
    function name() external view returns (string memory);
    function owner() external view returns (address);
    function symbol() external view returns (string memory);
    function totalSupply() external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function transferOwnership(address new_owner) external;
    function version() external view returns (string memory);
}