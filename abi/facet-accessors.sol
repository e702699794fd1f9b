library IAccessorsFacet {
    struct Account {
        uint256 stake;
        uint256 locked;
    }
    struct AppInfo {
        address owner;
        string m_appName;
        string m_appType;
        bytes m_appMultiaddr;
        bytes32 m_appChecksum;
        bytes m_appMREnclave;
    }
    struct Category {
        string name;
        string description;
        uint256 workClockTimeRef;
    }
    struct DatasetInfo {
        address owner;
        string m_datasetName;
        bytes m_datasetMultiaddr;
        bytes32 m_datasetChecksum;
    }
    struct Deal {
        Resource app;
        Resource dataset;
        Resource workerpool;
        uint256 trust;
        uint256 category;
        bytes32 tag;
        address requester;
        address beneficiary;
        address callback;
        string params;
        uint256 startTime;
        uint256 botFirst;
        uint256 botSize;
        uint256 workerStake;
        uint256 schedulerRewardRatio;
        address sponsor;
    }
    struct Resource {
        address pointer;
        address owner;
        uint256 price;
    }
    struct WorkerpoolInfo {
        address owner;
        string m_workerpoolDescription;
        uint256 m_workerStakeRatioPolicy;
        uint256 m_schedulerRewardRatioPolicy;
    }
}

interface IFacetAccessors {
    function allowance(address account, address spender) external view returns (uint256);
    function appregistry() external view returns (address);
    function balanceOf(address account) external view returns (uint256);
    function callbackgas() external view returns (uint256);
    function contribution_deadline_ratio() external view returns (uint256);
    function countCategory() external view returns (uint256);
    function datasetregistry() external view returns (address);
    function decimals() external view returns (uint8);
    function eip712domain_separator() external view returns (bytes32);
    function final_deadline_ratio() external view returns (uint256);
    function frozenOf(address account) external view returns (uint256);
    function groupmember_purpose() external view returns (uint256);
    function kitty_address() external view returns (address);
    function kitty_min() external view returns (uint256);
    function kitty_ratio() external view returns (uint256);
    function name() external view returns (string memory);
    function reveal_deadline_ratio() external view returns (uint256);
    function symbol() external view returns (string memory);
    function teebroker() external view returns (address);
    function token() external view returns (address);
    function totalSupply() external view returns (uint256);
    function viewAccount(address account) external view returns (IAccessorsFacet.Account memory);
    function viewApp(address app) external view returns (IAccessorsFacet.AppInfo memory);
    function viewCategory(uint256 catid) external view returns (IAccessorsFacet.Category memory);
    function viewConsumed(bytes32 id) external view returns (uint256);
    function viewDataset(address dataset) external view returns (IAccessorsFacet.DatasetInfo memory);
    function viewDeal(bytes32 id) external view returns (IAccessorsFacet.Deal memory);
    function viewPresigned(bytes32 id) external view returns (address);
    function viewScore(address worker) external view returns (uint256);
    function viewWorkerpool(address workerpool) external view returns (IAccessorsFacet.WorkerpoolInfo memory);
    function workerpool_stake_ratio() external view returns (uint256);
    function workerpoolregistry() external view returns (address);
}