interface IHubRouter {
    error FunctionNotFound(bytes4 _functionSelector);
}