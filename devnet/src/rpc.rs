//! JSON-RPC (todo)
