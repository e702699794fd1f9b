//! ERC-721 tests.
