//! poco-devnet (work in progress).
