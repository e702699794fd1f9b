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

library IAdminFacet {
    struct EIP712Domain {
        string name;
        string version;
        uint256 chainId;
        address verifyingContract;
    }
}

library IBoostPushFacet {
    struct DealBoost {
        address appOwner;
        uint96 appPrice;
        address datasetOwner;
        uint96 datasetPrice;
        address workerpoolOwner;
        uint96 workerpoolPrice;
        address requester;
        uint96 workerReward;
        address callback;
        uint40 deadline;
        uint16 botFirst;
        uint16 botSize;
        bytes3 shortTag;
        address sponsor;
    }
}

library ITaskAccessorsFacet {
    struct Contribution {
        uint8 status;
        bytes32 resultHash;
        bytes32 resultSeal;
        address enclaveChallenge;
        uint256 weight;
    }
    struct Task {
        uint8 status;
        bytes32 dealid;
        uint256 idx;
        uint256 timeref;
        uint256 contributionDeadline;
        uint256 revealDeadline;
        uint256 finalDeadline;
        bytes32 consensusValue;
        uint256 revealCounter;
        uint256 winnerCounter;
        address[] contributors;
        bytes32 resultDigest;
        bytes results;
        uint256 resultsTimestamp;
        bytes resultsCallback;
    }
}

interface IHub {
    error CallerIsNotTheRequester();
    error CannotAddFunctionToDiamondThatAlreadyExists(bytes4 _selector);
    error CannotAddSelectorsToZeroAddress(bytes4[] _selectors);
    error CannotRemoveFunctionThatDoesNotExist(bytes4 _selector);
    error CannotRemoveImmutableFunction(bytes4 _selector);
    error CannotReplaceFunctionThatDoesNotExists(bytes4 _selector);
    error CannotReplaceFunctionWithTheSameFunctionFromTheSameFacet(bytes4 _selector);
    error CannotReplaceFunctionsFromFacetWithZeroAddress(bytes4[] _selectors);
    error CannotReplaceImmutableFunction(bytes4 _selector);
    error FunctionNotFound(bytes4 _functionSelector);
    error IncompatibleDatasetOrder(string reason);
    error IncorrectFacetCutAction(uint8 _action);
    error InitializationFunctionReverted(address _initializationContractAddress, bytes _calldata);
    error NoBytecodeAtAddress(address _contractAddress, string _message);
    error NoSelectorsProvidedForFacetForCut(address _facetAddress);
    error NotContractOwner(address _user, address _contractOwner);
    error OperationFailed();
    error RemoveFacetAddressMustBeZeroAddress(address _facetAddress);
    error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value);
    error UnsupportedOperation(bytes4 selector);

    event AccurateContribution(address indexed worker, bytes32 indexed taskid);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event BroadcastAppOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) apporder);
    event BroadcastDatasetOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) datasetorder);
    event BroadcastRequestOrder((address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) requestorder);
    event BroadcastWorkerpoolOrder((address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) workerpoolorder);
    event ClosedAppOrder(bytes32 appHash);
    event ClosedDatasetOrder(bytes32 datasetHash);
    event ClosedRequestOrder(bytes32 requestHash);
    event ClosedWorkerpoolOrder(bytes32 workerpoolHash);
    event CreateCategory(uint256 catid, string name, string description, uint256 workClockTimeRef);
    event DealSponsored(bytes32 dealId, address sponsor);
    event DealSponsoredBoost(bytes32 dealId, address sponsor);
    event DiamondCut((address, uint8, bytes4[])[] _diamondCut, address _init, bytes _calldata);
    event FaultyContribution(address indexed worker, bytes32 indexed taskid);
    event Lock(address owner, uint256 amount);
    event OrdersMatched(bytes32 dealid, bytes32 appHash, bytes32 datasetHash, bytes32 workerpoolHash, bytes32 requestHash, uint256 volume);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event ResultPushedBoost(bytes32 dealId, uint256 index, bytes results);
    event Reward(address owner, uint256 amount, bytes32 ref);
    event SchedulerNotice(address indexed workerpool, bytes32 dealid);
    event SchedulerNoticeBoost(address indexed workerpool, bytes32 dealId, address app, address dataset, uint256 category, bytes32 tag, string params, address beneficiary);
    event Seize(address owner, uint256 amount, bytes32 ref);
    event SignedAppOrder(bytes32 appHash);
    event SignedDatasetOrder(bytes32 datasetHash);
    event SignedRequestOrder(bytes32 requestHash);
    event SignedWorkerpoolOrder(bytes32 workerpoolHash);
    event TaskClaimed(bytes32 indexed taskid);
    event TaskConsensus(bytes32 indexed taskid, bytes32 consensus);
    event TaskContribute(bytes32 indexed taskid, address indexed worker, bytes32 hash);
    event TaskFinalize(bytes32 indexed taskid, bytes results);
    event TaskInitialize(bytes32 indexed taskid, address indexed workerpool);
    event TaskReopen(bytes32 indexed taskid);
    event TaskReveal(bytes32 indexed taskid, address indexed worker, bytes32 digest);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Unlock(address owner, uint256 amount);

    fallback() external payable;

    receive() external payable;

    function allowance(address account, address spender) external view returns (uint256);
    function appregistry() external view returns (address);
    function approve(address spender, uint256 value) external returns (bool);
    function approveAndCall(address spender, uint256 value, bytes memory extra_data) external returns (bool);
    function assertDatasetDealCompatibility((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, bytes32 dealId) external view;
    function balanceOf(address account) external view returns (uint256);
    function broadcastAppOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory) external;
    function broadcastDatasetOrder((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory) external;
    function broadcastRequestOrder((address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory) external;
    function broadcastWorkerpoolOrder((address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory) external;
    function callbackgas() external view returns (uint256);
    function changeRegistries(address app_registry, address dataset_registry, address workerpool_registry) external;
    function claim(bytes32 task_id) external;
    function claimArray(bytes32[] memory task_ids) external returns (bool);
    function claimBoost(bytes32 deal_id, uint256 index) external;
    function computeDealVolume((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory appOrder, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory workerpoolOrder, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory requestOrder) external view returns (uint256);
    function configure(address token, string memory name, string memory symbol, uint8 decimals, address app_registry, address dataset_registry, address workerpool_registry, address v3_iexec_hub) external;
    function contribute(bytes32 task_id, bytes32 result_hash, bytes32 result_seal, address enclave_challenge, bytes memory enclave_sign, bytes memory authorization_sign) external;
    function contributeAndFinalize(bytes32 task_id, bytes32 result_digest, bytes memory results, bytes memory results_callback, address enclave_challenge, bytes memory enclave_sign, bytes memory authorization_sign) external;
    function contribution_deadline_ratio() external view returns (uint256);
    function countCategory() external view returns (uint256);
    function createCategory(string memory name, string memory description, uint256 work_clock_time_ref) external returns (uint256);
    function datasetregistry() external view returns (address);
    function decimals() external view returns (uint8);
    function decreaseAllowance(address spender, uint256 subtracted_value) external returns (bool);
    function deposit(uint256 amount) external returns (bool);
    function depositFor(uint256 amount, address target) external returns (bool);
    function depositForArray(uint256[] memory amounts, address[] memory targets) external returns (bool);
    function diamondCut((address, uint8, bytes4[])[] memory _diamondCut, address _init, bytes memory _calldata) external;
    function domain() external view returns (IAdminFacet.EIP712Domain memory);
    function eip712domain_separator() external view returns (bytes32);
    function facetAddress(bytes4 selector) external view returns (address);
    function facetAddresses() external view returns (address[] memory);
    function facetFunctionSelectors(address facet) external view returns (bytes4[] memory);
    function facets() external view returns ((address, bytes4[])[] memory facets_);
    function final_deadline_ratio() external view returns (uint256);
    function finalize(bytes32 task_id, bytes memory results, bytes memory results_callback) external;
    function frozenOf(address account) external view returns (uint256);
    function groupmember_purpose() external view returns (uint256);
    function importScore(address worker) external;
    function increaseAllowance(address spender, uint256 added_value) external returns (bool);
    function initialize(bytes32 deal_id, uint256 idx) external returns (bytes32);
    function initializeAndClaimArray(bytes32[] memory deal_ids, uint256[] memory indexes) external returns (bool);
    function initializeArray(bytes32[] memory deal_ids, uint256[] memory indexes) external returns (bool);
    function kitty_address() external view returns (address);
    function kitty_min() external view returns (uint256);
    function kitty_ratio() external view returns (uint256);
    function manageAppOrder(((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes), uint8, bytes) memory) external;
    function manageDatasetOrder(((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes), uint8, bytes) memory) external;
    function manageRequestOrder(((address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes), uint8, bytes) memory) external;
    function manageWorkerpoolOrder(((address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes), uint8, bytes) memory) external;
    function matchOrders((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory) external returns (bytes32);
    function matchOrdersBoost((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory appOrder, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory workerpoolOrder, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory requestOrder) external returns (bytes32);
    function name() external view returns (string memory);
    function owner() external view returns (address);
    function pushResultBoost(bytes32 deal_id, uint256 index, bytes memory results, bytes memory results_callback, bytes memory authorization_sign, address enclave_challenge, bytes memory enclave_sign) external;
    function receiveApproval(address sender, uint256 amount, address token, bytes memory data) external returns (bool);
    function recover() external returns (uint256);
    function reopen(bytes32 task_id) external;
    function resultFor(bytes32 id) external view returns (bytes memory);
    function reveal(bytes32 task_id, bytes32 result_digest) external;
    function reveal_deadline_ratio() external view returns (uint256);
    function setCallbackGas(uint256 callback_gas) external;
    function setTeeBroker(address teebroker) external;
    function sponsorMatchOrders((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory) external returns (bytes32);
    function sponsorMatchOrdersBoost((address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory appOrder, (address, uint256, uint256, bytes32, address, address, address, bytes32, bytes) memory datasetOrder, (address, uint256, uint256, bytes32, uint256, uint256, address, address, address, bytes32, bytes) memory workerpoolOrder, (address, uint256, address, uint256, address, uint256, address, uint256, bytes32, uint256, uint256, address, address, string, bytes32, bytes) memory requestOrder) external returns (bytes32);
    function supportsInterface(bytes4 interface_id) external view returns (bool);
    function symbol() external view returns (string memory);
    function teebroker() external view returns (address);
    function token() external view returns (address);
    function totalSupply() external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function transferOwnership(address new_owner) external;
    function updateDomainSeparator() external;
    function verifyPresignature(address identity, bytes32 hash) external view returns (bool);
    function verifyPresignatureOrSignature(address identity, bytes32 hash, bytes memory signature) external view returns (bool);
    function verifySignature(address identity, bytes32 hash, bytes memory signature) external view returns (bool);
    function viewAccount(address account) external view returns (IAccessorsFacet.Account memory);
    function viewAccountABILegacy(address account) external view returns (uint256, uint256);
    function viewApp(address app) external view returns (IAccessorsFacet.AppInfo memory);
    function viewCategory(uint256 catid) external view returns (IAccessorsFacet.Category memory);
    function viewCategoryABILegacy(uint256 catid) external view returns (string memory, string memory, uint256);
    function viewConfigABILegacy(bytes32 id) external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
    function viewConsumed(bytes32 id) external view returns (uint256);
    function viewContribution(bytes32 task_id, address worker) external view returns (ITaskAccessorsFacet.Contribution memory);
    function viewContributionABILegacy(bytes32 task_id, address worker) external view returns (uint8, bytes32, bytes32, address);
    function viewDataset(address dataset) external view returns (IAccessorsFacet.DatasetInfo memory);
    function viewDeal(bytes32 id) external view returns (IAccessorsFacet.Deal memory);
    function viewDealABILegacy_pt1(bytes32 id) external view returns (address, address, uint256, address, address, uint256, address, address, uint256);
    function viewDealABILegacy_pt2(bytes32 id) external view returns (uint256, bytes32, address, address, address, string memory);
    function viewDealBoost(bytes32 id) external view returns (IBoostPushFacet.DealBoost memory);
    function viewPresigned(bytes32 id) external view returns (address);
    function viewScore(address worker) external view returns (uint256);
    function viewTask(bytes32 id) external view returns (ITaskAccessorsFacet.Task memory);
    function viewTaskABILegacy(bytes32 id) external view returns (uint8, bytes32, uint256, uint256, uint256, uint256, uint256, bytes32, uint256, uint256, address[] memory, bytes memory);
    function viewWorkerpool(address workerpool) external view returns (IAccessorsFacet.WorkerpoolInfo memory);
    function withdraw(uint256 amount) external returns (bool);
    function withdrawTo(uint256 amount, address target) external returns (bool);
    function workerpool_stake_ratio() external view returns (uint256);
    function workerpoolregistry() external view returns (address);
}