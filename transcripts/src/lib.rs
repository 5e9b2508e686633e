#![doc = include_str!("../README.md")]
//!
//! # Where things are
//!
//! The model: [`Transcript`], [`Segment`], [`Meeting`], [`Vendor`], [`Source`]. The formats:
//! [`Format`] with [`RenderOptions`], and the modules [`vtt`], [`srt`], [`text`] and [`json`]
//! (its schema is documented there). The vendor conversions: [`speakr`], [`healthie`],
//! [`hedy`], [`heilo`]. The vendor-neutral source and event: [`source`] ([`MeetingSource`],
//! [`Window`]) and [`event`] ([`MeetingEvent`], [`event::Verifiers`]).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
pub mod event;
mod format;
pub mod json;
mod lines;
mod model;
pub mod source;
pub mod srt;
pub mod text;
mod time;
pub mod vtt;

#[cfg(feature = "healthie")]
pub mod healthie;
#[cfg(feature = "hedy")]
pub mod hedy;
#[cfg(feature = "heilo")]
pub mod heilo;
#[cfg(feature = "speakr")]
pub mod speakr;

pub use error::{ConvertError, ParseError, ParseErrorKind, RenderError};
pub use event::{EventKind, MeetingEvent};
pub use format::{decode, Format, MissingTimes, Parsed, RenderOptions, UnknownFormat};
pub use model::{Meeting, Segment, Source, Transcript, UnknownVendor, Vendor};
pub use source::{MeetingSource, SourceError, Window};
