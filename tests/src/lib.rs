//! Cross-crate contract and fault-injection tests live in `tests/`.
//!
//! This library only carries the README, so that its code examples are compiled as doc tests
//! and stay true to the crates' APIs.
#![deny(missing_docs)]

#[doc = include_str!("../../README.md")]
#[allow(unused_doc_comments)]
pub mod readme {}
