# Sourced by scripts/test and scripts/cast-demo: the environment of every host build.
#
# Clippy runs inside the host builds rather than as a build of its own: the workspace's
# crates are compiled by clippy-driver (rustc plus clippy's lints, producing the same
# artifacts) with warnings denied, so linting costs no second compilation of the dependency
# tree. The wasm32 builds of `cargo xtask wasm` are left to plain rustc (xtask strips both
# variables). Host builds also all take one feature list (`cargo xtask features`), so that
# they share compiled artifacts.
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
export RUSTC_WORKSPACE_WRAPPER
export RUSTFLAGS="-D warnings"
