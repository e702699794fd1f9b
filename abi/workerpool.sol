interface IWorkerpool {
    event PolicyUpdate(uint256 oldWorkerStakeRatioPolicy, uint256 newWorkerStakeRatioPolicy, uint256 oldSchedulerRewardRatioPolicy, uint256 newSchedulerRewardRatioPolicy);

    function changePolicy(uint256 new_worker_stake_ratio_policy, uint256 new_scheduler_reward_ratio_policy) external;
    function initialize(string memory workerpool_description) external;
    function m_schedulerRewardRatioPolicy() external view returns (uint256);
    function m_workerStakeRatioPolicy() external view returns (uint256);
    function m_workerpoolDescription() external view returns (string memory);
    function owner() external view returns (address);
    function policies() external view returns (uint256, uint256);
    function registry() external view returns (address);
    function setName(address ens, string memory name) external;
}