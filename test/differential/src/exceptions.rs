//! The differences the harness accepts: each is deliberate or comes from the oracle's
//! version, is recognised by its exact shape (an action and both outcomes), and points at
//! the README line that explains it. The state views after the step are compared all the
//! same: an excused step must leave both deployments in the same state.

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

/// Every exception of the run. None is needed so far: where 6.1.0's Solidity 0.6 escrow
/// (SafeMath) and 6.2.0's Solidity 0.8 escrow (explicit checks) could differ, both revert
/// bare, and our hub does too (README, "Differential testing").
pub const EXCEPTIONS: &[Exception] = &[];

/// The exception that explains a difference on `action`, if any.
pub fn excuse(action: &str, sol: &Outcome, ours: &Outcome) -> Option<&'static Exception> {
    EXCEPTIONS.iter().find(|e| (e.applies)(action, sol, ours))
}
