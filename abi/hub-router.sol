interface IHubRouter {
    error FunctionNotFound(bytes4 _functionSelector);

    function deposit(uint256 amount) external returns (bool);
    function depositFor(uint256 amount, address target) external returns (bool);
    function withdraw(uint256 amount) external returns (bool);
    function withdrawTo(uint256 amount, address target) external returns (bool);
}