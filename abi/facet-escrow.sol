interface IFacetEscrow {
    error CallerIsNotTheRequester();
    error OperationFailed();
    error UnsupportedOperation(bytes4 selector);

    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Lock(address owner, uint256 amount);
    event Reward(address owner, uint256 amount, bytes32 ref);
    event Seize(address owner, uint256 amount, bytes32 ref);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Unlock(address owner, uint256 amount);

    fallback() external payable;

    receive() external payable;

    function approve(address spender, uint256 value) external returns (bool);
    function approveAndCall(address spender, uint256 value, bytes memory extra_data) external returns (bool);
    function decreaseAllowance(address spender, uint256 subtracted_value) external returns (bool);
    function depositForArray(uint256[] memory amounts, address[] memory targets) external returns (bool);
    function increaseAllowance(address spender, uint256 added_value) external returns (bool);
    function receiveApproval(address sender, uint256 amount, address token, bytes memory data) external returns (bool);
    function recover() external returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}