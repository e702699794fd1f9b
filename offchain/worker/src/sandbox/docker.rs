//! iExec's `DOCKER` apps, through the docker CLI when the machine has one: the image named
//! by the app's multiaddr, with no network, the input folder mounted read-only, the output
//! folder writable, iExec's environment, and the memory and wall-time limits (fuel has no
//! meaning outside wasmi). A machine without docker refuses such apps
//! ([`docker_available`] is false): the worker then reports the task unsupported and does
//! not contribute.

use std::{process::Stdio, time::Duration};

use tokio::process::Command;

use super::{AppRun, Limits, RunError, RunOutput, CAPTURE_BYTES, GUEST_IN, GUEST_OUT};

/// Whether a docker CLI answers here (`docker version` succeeds within 10 s).
pub async fn docker_available() -> bool {
    let probe = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .status();
    matches!(tokio::time::timeout(Duration::from_secs(10), probe).await, Ok(Ok(status)) if status.success())
}

/// Runs `image` as iExec's worker runs an app container. `name` names the container (the
/// task id), so that a run past its wall time can be killed.
pub async fn run_docker(image: &str, name: &str, run: &AppRun, limits: &Limits) -> Result<RunOutput, RunError> {
    if !docker_available().await {
        return Err(RunError::Docker(
            "this machine has no working docker CLI, so it cannot run DOCKER apps; run the worker where docker is installed, or use a WebAssembly app".into(),
        ));
    }
    let mount = |host: &std::path::Path, guest: &str, ro: bool| {
        format!("type=bind,source={},target={guest}{}", host.display(), if ro { ",readonly" } else { "" })
    };
    let mut cmd = Command::new("docker");
    cmd.args(["run", "--rm", "--name", name, "--network", "none"])
        .arg(format!("--memory={}b", limits.memory_bytes))
        .args(["--mount", &mount(&run.input_dir, GUEST_IN, true)])
        .args(["--mount", &mount(&run.output_dir, GUEST_OUT, false)]);
    for (key, value) in &run.env {
        cmd.args(["--env", &format!("{key}={value}")]);
    }
    cmd.arg(image).args(&run.args).stdin(Stdio::null()).kill_on_drop(true);
    let output = tokio::time::timeout(limits.wall_time, cmd.output()).await;
    match output {
        Ok(Ok(out)) => {
            let text = |b: &[u8]| String::from_utf8_lossy(&b[..b.len().min(CAPTURE_BYTES)]).into_owned();
            Ok(RunOutput { exit_code: out.status.code().unwrap_or(-1), fuel_used: 0, stdout: text(&out.stdout), stderr: text(&out.stderr) })
        }
        Ok(Err(e)) => Err(RunError::Docker(format!("starting `docker run`: {e}"))),
        Err(_) => {
            // The CLI was killed on drop; the container may still run: kill it by name.
            let _ = Command::new("docker").args(["kill", name]).stdout(Stdio::null()).stderr(Stdio::null()).status().await;
            Err(RunError::WallTime { limit: limits.wall_time })
        }
    }
}
