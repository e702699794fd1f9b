//! Checks that every `sol!` struct of poco-core has PoCo's ABI layout: field names, types and
//! order, against (1) the canonical shapes copied from PoCo's published ABI
//! (`IexecInterfaceToken.json`, `IexecPocoBoostAccessorsFacet.json`), (2) the function
//! selectors PoCo's ABI lists for functions taking these tuples, and (3) the reference JSON
//! itself when the workspace's `shared/` folder is present.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::BTreeMap;

use alloy_primitives::keccak256;
use alloy_sol_types::SolStruct;
use poco_core::{assets, deal, orders, task};

/// Each struct name → alloy's root type `Name(type name,…)` of our struct.
fn ours() -> BTreeMap<&'static str, String> {
    fn root<T: SolStruct>() -> String {
        T::eip712_root_type().into_owned()
    }
    BTreeMap::from([
        ("Account", root::<assets::Account>()),
        ("AppInfo", root::<assets::AppInfo>()),
        ("AppOrder", root::<orders::AppOrder>()),
        ("AppOrderOperation", root::<orders::AppOrderOperation>()),
        ("Category", root::<assets::Category>()),
        ("Contribution", root::<task::Contribution>()),
        ("DatasetInfo", root::<assets::DatasetInfo>()),
        ("DatasetOrder", root::<orders::DatasetOrder>()),
        (
            "DatasetOrderOperation",
            root::<orders::DatasetOrderOperation>(),
        ),
        ("Deal", root::<deal::Deal>()),
        ("DealBoost", root::<deal::DealBoost>()),
        ("EIP712Domain", root::<orders::EIP712Domain>()),
        ("RequestOrder", root::<orders::RequestOrder>()),
        (
            "RequestOrderOperation",
            root::<orders::RequestOrderOperation>(),
        ),
        ("Resource", root::<deal::Resource>()),
        ("Task", root::<task::Task>()),
        ("WorkerpoolInfo", root::<assets::WorkerpoolInfo>()),
        ("WorkerpoolOrder", root::<orders::WorkerpoolOrder>()),
        (
            "WorkerpoolOrderOperation",
            root::<orders::WorkerpoolOrderOperation>(),
        ),
    ])
}

/// Copied from PoCo's ABI JSON (enums appear as their ABI type `uint8`).
const EXPECTED: &[(&str, &str)] = &[
    ("Account", "Account(uint256 stake,uint256 locked)"),
    ("AppInfo", "AppInfo(address owner,string m_appName,string m_appType,bytes m_appMultiaddr,bytes32 m_appChecksum,bytes m_appMREnclave)"),
    ("AppOrder", "AppOrder(address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt,bytes sign)"),
    ("AppOrderOperation", "AppOrderOperation(AppOrder order,uint8 operation,bytes sign)"),
    ("Category", "Category(string name,string description,uint256 workClockTimeRef)"),
    ("Contribution", "Contribution(uint8 status,bytes32 resultHash,bytes32 resultSeal,address enclaveChallenge,uint256 weight)"),
    ("DatasetInfo", "DatasetInfo(address owner,string m_datasetName,bytes m_datasetMultiaddr,bytes32 m_datasetChecksum)"),
    ("DatasetOrder", "DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt,bytes sign)"),
    ("DatasetOrderOperation", "DatasetOrderOperation(DatasetOrder order,uint8 operation,bytes sign)"),
    ("Deal", "Deal(Resource app,Resource dataset,Resource workerpool,uint256 trust,uint256 category,bytes32 tag,address requester,address beneficiary,address callback,string params,uint256 startTime,uint256 botFirst,uint256 botSize,uint256 workerStake,uint256 schedulerRewardRatio,address sponsor)"),
    ("DealBoost", "DealBoost(address appOwner,uint96 appPrice,address datasetOwner,uint96 datasetPrice,address workerpoolOwner,uint96 workerpoolPrice,address requester,uint96 workerReward,address callback,uint40 deadline,uint16 botFirst,uint16 botSize,bytes3 shortTag,address sponsor)"),
    ("EIP712Domain", "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
    ("RequestOrder", "RequestOrder(address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt,bytes sign)"),
    ("RequestOrderOperation", "RequestOrderOperation(RequestOrder order,uint8 operation,bytes sign)"),
    ("Resource", "Resource(address pointer,address owner,uint256 price)"),
    ("Task", "Task(uint8 status,bytes32 dealid,uint256 idx,uint256 timeref,uint256 contributionDeadline,uint256 revealDeadline,uint256 finalDeadline,bytes32 consensusValue,uint256 revealCounter,uint256 winnerCounter,address[] contributors,bytes32 resultDigest,bytes results,uint256 resultsTimestamp,bytes resultsCallback)"),
    ("WorkerpoolInfo", "WorkerpoolInfo(address owner,string m_workerpoolDescription,uint256 m_workerStakeRatioPolicy,uint256 m_schedulerRewardRatioPolicy)"),
    ("WorkerpoolOrder", "WorkerpoolOrder(address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt,bytes sign)"),
    ("WorkerpoolOrderOperation", "WorkerpoolOrderOperation(WorkerpoolOrder order,uint8 operation,bytes sign)"),
];

#[test]
fn struct_layouts_equal_pocos_abi() {
    let ours = ours();
    assert_eq!(ours.len(), EXPECTED.len());
    for (name, expected) in EXPECTED {
        assert_eq!(ours[name], *expected, "layout of {name}");
    }
}

/// The ABI tuple `(t1,t2,…)` of a struct, nested structs expanded.
fn abi_tuple(name: &str, roots: &BTreeMap<&'static str, String>) -> String {
    let root = &roots[name];
    let inner = &root[name.len() + 1..root.len() - 1];
    let types: Vec<String> = inner
        .split(',')
        .map(|field| {
            let ty = field.split(' ').next().unwrap();
            if roots.contains_key(ty) {
                abi_tuple(ty, roots)
            } else {
                ty.to_string()
            }
        })
        .collect();
    format!("({})", types.join(","))
}

fn selector(signature: &str) -> String {
    format!(
        "0x{}",
        alloy_primitives::hex::encode(&keccak256(signature.as_bytes())[..4])
    )
}

#[test]
fn selectors_of_functions_taking_our_tuples_equal_pocos() {
    let roots = ours();
    let t = |n: &str| abi_tuple(n, &roots);
    let (a, d, w, r) = (
        t("AppOrder"),
        t("DatasetOrder"),
        t("WorkerpoolOrder"),
        t("RequestOrder"),
    );
    assert_eq!(
        a,
        "(address,uint256,uint256,bytes32,address,address,address,bytes32,bytes)"
    );
    let four = format!("({a},{d},{w},{r})");
    let cases = [
        (format!("matchOrders{four}"), "0x156194d4"),
        (format!("sponsorMatchOrders{four}"), "0x2f391533"),
        (format!("computeDealVolume{four}"), "0x66517ca6"),
        (
            format!("assertDatasetDealCompatibility({d},bytes32)"),
            "0x80f03425",
        ),
        (
            format!("manageAppOrder({})", t("AppOrderOperation")),
            "0xb2b07e66",
        ),
        (
            format!("manageDatasetOrder({})", t("DatasetOrderOperation")),
            "0x4b747106",
        ),
        (
            format!("manageWorkerpoolOrder({})", t("WorkerpoolOrderOperation")),
            "0x7e34a077",
        ),
        (
            format!("manageRequestOrder({})", t("RequestOrderOperation")),
            "0x8dd971d5",
        ),
        (format!("broadcastAppOrder({a})"), "0xc52e9de1"),
        (format!("broadcastDatasetOrder({d})"), "0x4c4692de"),
        (format!("broadcastWorkerpoolOrder({w})"), "0x947f5178"),
        (format!("broadcastRequestOrder({r})"), "0x4693d172"),
    ];
    for (signature, expected) in cases {
        assert_eq!(selector(&signature), expected, "{signature}");
    }
}

/// Rebuilds `Name(type name,…)` for every struct of a JSON ABI, keyed by the short name.
fn json_structs(abi: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    fn walk(p: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        let ty = p["type"].as_str().unwrap();
        if !ty.starts_with("tuple") {
            return;
        }
        let short = |internal: &str| {
            internal
                .rsplit('.')
                .next()
                .unwrap()
                .trim_end_matches("[]")
                .to_string()
        };
        let name = short(p["internalType"].as_str().unwrap());
        let mut fields = vec![];
        for c in p["components"].as_array().unwrap() {
            let cty = c["type"].as_str().unwrap();
            let shown = if cty.starts_with("tuple") {
                short(c["internalType"].as_str().unwrap())
            } else {
                cty.to_string()
            };
            fields.push(format!("{shown} {}", c["name"].as_str().unwrap()));
            walk(c, out);
        }
        out.insert(name.clone(), format!("{name}({})", fields.join(",")));
    }
    for item in abi.as_array().unwrap() {
        for key in ["inputs", "outputs"] {
            for p in item[key].as_array().into_iter().flatten() {
                walk(p, out);
            }
        }
    }
}

#[test]
fn struct_layouts_equal_the_reference_json_when_present() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/abi/required");
    if !dir.exists() {
        eprintln!(
            "skipped: {} not found (the hard-coded layouts are still checked)",
            dir.display()
        );
        return;
    }
    let mut from_json = BTreeMap::new();
    for file in [
        "IexecInterfaceToken.json",
        "IexecPocoBoostAccessorsFacet.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let abi = if value.is_array() {
            value
        } else {
            value["abi"].clone()
        };
        json_structs(&abi, &mut from_json);
    }
    let ours = ours();
    assert_eq!(
        from_json.keys().cloned().collect::<Vec<_>>(),
        ours.keys().map(|k| k.to_string()).collect::<Vec<_>>()
    );
    for (name, layout) in &from_json {
        assert_eq!(
            &ours[name.as_str()],
            layout,
            "layout of {name} vs reference JSON"
        );
    }
}
