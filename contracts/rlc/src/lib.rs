//! RLC (work in progress).
