//! The WebAssembly sandbox: the example app over a dataset, what an app cannot reach, and
//! every limit with its error.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic here is a failed test

use std::{fs, path::Path, sync::Arc, time::Duration};

use alloy::primitives::{Address, B256};
use poco_worker::{
    apps::build_example,
    digest::{task_result, ComputedFile},
    fetch::{fetch_checked, sha256, FetchError, FetchPolicy},
    sandbox::{run_wasm, AppRun, Limits, RunError, TaskEnv},
};

fn wordcount() -> Arc<Vec<u8>> {
    Arc::new(fs::read(build_example("wordcount").unwrap()).unwrap())
}

/// A task folder with `iexec_in` (holding `files`) and `iexec_out`.
fn task_dir(files: &[(&str, &str)]) -> (tempfile::TempDir, AppRun) {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("iexec_in"), dir.path().join("iexec_out"));
    fs::create_dir(&input).unwrap();
    fs::create_dir(&output).unwrap();
    for (name, text) in files {
        fs::write(input.join(name), text).unwrap();
    }
    (dir, AppRun { input_dir: input, output_dir: output, ..Default::default() })
}

fn env_with_dataset(name: &str) -> Vec<(String, String)> {
    TaskEnv { task_id: B256::repeat_byte(7), dataset: Address::repeat_byte(9), dataset_filename: name.into(), bot_size: 1, ..Default::default() }
        .vars()
}

fn small() -> Limits {
    Limits { fuel: 2_000_000_000, memory_bytes: 64 << 20, wall_time: Duration::from_secs(30) }
}

fn module(wat: &str) -> Arc<Vec<u8>> {
    Arc::new(wat::parse_str(wat).unwrap())
}

#[tokio::test]
async fn the_example_app_counts_its_dataset_and_writes_what_the_digest_reads() {
    let (_dir, mut run) = task_dir(&[("0xdata", "The cat and the dog. THE END")]);
    run.env = env_with_dataset("0xdata");
    run.args = vec!["2".into()];
    let out = run_wasm(wordcount(), run.clone(), small()).await.unwrap();
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    assert!(out.fuel_used > 0);
    let result = fs::read_to_string(run.output_dir.join("result.txt")).unwrap();
    assert_eq!(result, "words: 7\ndistinct: 5\n3 the\n1 and\n");
    let computed = ComputedFile::read(&run.output_dir).unwrap();
    assert_eq!(computed.deterministic_output_path.as_deref(), Some("/iexec_out/result.txt"));
    let digest = task_result(&run.output_dir, &computed, Address::ZERO).unwrap().digest;
    assert_eq!(digest, sha256(result.as_bytes()));
    // Deterministic: the same inputs give the same digest on another run.
    let (_dir2, mut again) = task_dir(&[("0xdata", "The cat and the dog. THE END")]);
    again.env = env_with_dataset("0xdata");
    again.args = vec!["2".into()];
    run_wasm(wordcount(), again.clone(), small()).await.unwrap();
    let computed = ComputedFile::read(&again.output_dir).unwrap();
    assert_eq!(task_result(&again.output_dir, &computed, Address::ZERO).unwrap().digest, digest);
}

#[tokio::test]
async fn the_app_sees_no_file_outside_its_two_folders() {
    let (dir, mut run) = task_dir(&[]);
    fs::write(dir.path().join("secret"), "worker key").unwrap();
    let etc = Path::new("/etc/hostname");
    for name in ["../secret", "../../secret", &etc.display().to_string()] {
        run.env = env_with_dataset(name);
        let out = run_wasm(wordcount(), run.clone(), small()).await.unwrap();
        assert_eq!(out.exit_code, 1, "{name} was readable: {}", out.stderr);
        assert!(out.stderr.contains("reading"), "{}", out.stderr);
        assert!(!run.output_dir.join("result.txt").exists());
    }
}

#[tokio::test]
async fn the_input_folder_is_read_only_and_nothing_else_is_writable() {
    let (_dir, mut run) = task_dir(&[("data", "words")]);
    for out_dir in ["/iexec_in", "/tmp", "/iexec_out/../iexec_in"] {
        run.env = env_with_dataset("data");
        run.env.retain(|(k, _)| k != "IEXEC_OUT");
        run.env.push(("IEXEC_OUT".into(), out_dir.into()));
        let out = run_wasm(wordcount(), run.clone(), small()).await.unwrap();
        assert_eq!(out.exit_code, 1, "{out_dir} was writable");
        assert!(out.stderr.contains("writing"), "{}", out.stderr);
        assert_eq!(fs::read_dir(&run.input_dir).unwrap().count(), 1, "the input folder changed");
    }
}

#[tokio::test]
async fn an_endless_loop_runs_out_of_fuel() {
    let wasm = module(r#"(module (memory (export "memory") 1) (func (export "_start") (loop br 0)))"#);
    let (_dir, run) = task_dir(&[]);
    let limits = Limits { fuel: 5_000_000, ..small() };
    let err = run_wasm(wasm, run, limits).await.unwrap_err();
    assert!(matches!(err, RunError::OutOfFuel { limit: 5_000_000 }), "{err}");
}

#[tokio::test]
async fn an_endless_loop_with_fuel_to_spare_hits_the_wall_time() {
    let wasm = module(r#"(module (memory (export "memory") 1) (func (export "_start") (loop br 0)))"#);
    let (_dir, run) = task_dir(&[]);
    let limits = Limits { fuel: u64::MAX / 2, wall_time: Duration::from_millis(300), ..small() };
    let started = std::time::Instant::now();
    let err = run_wasm(wasm, run, limits).await.unwrap_err();
    assert!(matches!(err, RunError::WallTime { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_sleeping_app_hits_the_wall_time() {
    // poll_oneoff on one relative clock subscription of 30 s (WASI preview 1 layout:
    // userdata u64 @0, tag u8 @8 = clock, clock id u32 @16, timeout u64 @24, precision
    // u64 @32, flags u16 @40).
    let wasm = module(
        r#"(module
            (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "_start")
              (i64.store (i32.const 24) (i64.const 30000000000))
              (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))))"#,
    );
    let (_dir, run) = task_dir(&[]);
    let limits = Limits { wall_time: Duration::from_millis(300), ..small() };
    let started = std::time::Instant::now();
    let err = run_wasm(wasm, run, limits).await.unwrap_err();
    assert!(matches!(err, RunError::WallTime { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn growing_memory_past_the_limit_is_a_memory_error() {
    let grows = module(
        r#"(module (memory (export "memory") 1)
             (func (export "_start") (drop (memory.grow (i32.const 1024)))))"#,
    );
    let (_dir, run) = task_dir(&[]);
    let limits = Limits { memory_bytes: 16 << 20, ..small() };
    let err = run_wasm(grows, run.clone(), limits).await.unwrap_err();
    assert!(matches!(err, RunError::MemoryLimit { max_bytes } if max_bytes == 16 << 20), "{err}");
    // A module whose initial memory is over the limit does not even start.
    let big = module(r#"(module (memory (export "memory") 512) (func (export "_start")))"#);
    let err = run_wasm(big, run.clone(), limits).await.unwrap_err();
    assert!(matches!(err, RunError::MemoryLimit { .. }), "{err}");
    // Within the limit, the same growth is fine.
    let err = run_wasm(module(r#"(module (memory (export "memory") 1) (func (export "_start") (drop (memory.grow (i32.const 16)))))"#), run, limits).await;
    assert!(err.is_ok(), "{err:?}");
}

#[tokio::test]
async fn a_trapping_module_and_an_exit_code_are_reported() {
    let (_dir, run) = task_dir(&[]);
    let trap = module(r#"(module (memory (export "memory") 1) (func (export "_start") unreachable))"#);
    let err = run_wasm(trap, run.clone(), small()).await.unwrap_err();
    assert!(matches!(&err, RunError::Trap(m) if m.contains("unreachable")), "{err}");
    let exits = module(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             (memory (export "memory") 1) (func (export "_start") (call $exit (i32.const 3))))"#,
    );
    assert_eq!(run_wasm(exits, run.clone(), small()).await.unwrap().exit_code, 3);
    let err = run_wasm(Arc::new(b"not wasm".to_vec()), run.clone(), small()).await.unwrap_err();
    assert!(matches!(err, RunError::InvalidModule(_)), "{err}");
    let no_start = module(r#"(module (memory (export "memory") 1))"#);
    let err = run_wasm(no_start, run.clone(), small()).await.unwrap_err();
    assert!(err.to_string().contains("_start"), "{err}");
    // A socket import links (WASI has it) but there is no socket to use: no network.
    let net = module(
        r#"(module (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
             (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             (memory (export "memory") 1)
             (func (export "_start") (call $exit (call $accept (i32.const 3) (i32.const 0) (i32.const 0)))))"#,
    );
    let code = run_wasm(net, run, small()).await.unwrap().exit_code;
    assert_ne!(code, 0, "sock_accept succeeded");
}

#[tokio::test]
async fn an_app_served_over_http_runs_only_with_its_checksum() {
    let wasm = wordcount();
    let body = wasm.as_ref().clone();
    let app = axum::Router::new().route("/wordcount.wasm", axum::routing::get(move || async move { body.clone() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wordcount.wasm", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let policy = FetchPolicy::default();
    let fetched = fetch_checked("app", &url, sha256(&wasm), &policy).await.unwrap();
    assert_eq!(fetched, *wasm);
    let err = fetch_checked("app", &url, sha256(b"another module"), &policy).await.unwrap_err();
    assert!(matches!(err, FetchError::Checksum { .. }), "{err}");
    let missing = url.replace("wordcount", "nothing");
    assert!(matches!(fetch_checked("app", &missing, B256::ZERO, &policy).await, Err(FetchError::Download { .. })));
}
