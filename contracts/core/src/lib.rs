//! poco-core (work in progress).
