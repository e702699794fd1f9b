//! poco-registry-common (work in progress).
