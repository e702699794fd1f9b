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
    /// Whether the two states differ after it by design, so that the rest of the case is
    /// not compared.
    pub ends_case: bool,
    /// Whether it explains this step.
    applies: fn(action: &str, sol: &Outcome, ours: &Outcome) -> bool,
}

/// Every exception of the run. Where 6.1.0's Solidity 0.6 escrow (SafeMath) and 6.2.0's
/// Solidity 0.8 escrow (explicit checks) could differ, both revert bare, and our hub does
/// too: no exception is needed there (README, "Differential testing").
pub const EXCEPTIONS: &[Exception] = &[Exception {
    name: "boost-sponsor-pays",
    readme: "README.md, Architecture: \"PoCo Boost pays from the sponsor, as the classic path does\"",
    ends_case: true,
    // A Boost deal someone else sponsored: PoCo's pushResultBoost seizes the task price
    // from deal.requester (who locked nothing for it; it reverts or takes the requester's
    // other locked funds), our hub from the sponsor who locked it. Their claims then refund
    // different accounts. Only these actions, whatever the two outcomes.
    applies: |action, _, _| matches!(action, "pushResultBoost (sponsored deal)" | "claimBoost (sponsored deal)"),
}];

/// The exception that explains a difference on `action`, if any.
pub fn excuse(action: &str, sol: &Outcome, ours: &Outcome) -> Option<&'static Exception> {
    EXCEPTIONS.iter().find(|e| (e.applies)(action, sol, ours))
}
