//! Cross-crate contract and fault-injection tests live in `tests/`.
