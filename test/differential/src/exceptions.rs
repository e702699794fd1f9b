//! The differences the harness accepts: each is deliberate or comes from the oracle's
//! version, is recognised by its exact shape (an action and both outcomes), and points at
//! the README line that explains it. The state views after the step are compared all the
//! same: an excused step must leave both deployments in the same state.

use alloy::primitives::Bytes;

use crate::pair::Outcome;

/// A named, documented difference.
#[derive(Debug)]
pub struct Exception {
    /// Short name, counted in the run's tally.
    pub name: &'static str,
    /// Where the README explains it.
    pub readme: &'static str,
    /// Whether it explains this step.
    applies: fn(action: &str, sol: &Outcome, ours: &Outcome) -> bool,
}

/// `Panic(uint256)` with code 0x11 (arithmetic overflow or underflow).
fn is_panic_0x11(b: &Bytes) -> bool {
    b.len() == 36 && b.starts_with(&[0x4e, 0x48, 0x7b, 0x71]) && b.get(35) == Some(&0x11)
}

/// Every exception of the run.
pub const EXCEPTIONS: &[Exception] = &[Exception {
    name: "escrow-v6-underflow",
    readme: "README.md, Differential testing: \"6.1.0's escrow and ERC-20 facets are Solidity 0.6\"",
    // 6.1.0's IexecERC20Core / IexecEscrowTokenFacet subtract with SafeMathExtended (a bare
    // `require`), 6.2.0's v8 facets with an explicit check and a bare `revert()`; our hub
    // does as 6.2.0. Both are bare reverts, so only a Panic on one side would differ:
    // accepted when the Solidity side reverts bare and ours with Panic(0x11) on an escrow
    // or ERC-20 action.
    applies: |action, sol, ours| {
        matches!(action, "withdraw" | "transfer" | "transferFrom" | "decreaseAllowance")
            && !sol.success
            && !ours.success
            && sol.output.is_empty()
            && is_panic_0x11(&ours.output)
    },
}];

/// The exception that explains a difference on `action`, if any.
pub fn excuse(action: &str, sol: &Outcome, ours: &Outcome) -> Option<&'static Exception> {
    EXCEPTIONS.iter().find(|e| (e.applies)(action, sol, ours))
}
