//! Cross-crate contract and fault-injection tests live in `tests/`.
//!
//! This library only carries READMEs, so that their code examples are compiled as doc tests
//! and stay true to the crates' APIs: the workspace's, and the transcripts crate's (the other
//! published crates include their README as their crate documentation).
#![deny(missing_docs)]

#[doc = include_str!("../../README.md")]
#[allow(unused_doc_comments)]
pub mod readme {}

#[doc = include_str!("../../transcripts/README.md")]
#[allow(unused_doc_comments)]
pub mod transcripts_readme {}
