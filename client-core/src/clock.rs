//! Time as the retry loop and the rate limiter see it.
//!
//! Production code uses [`TokioClock`]. Tests use tokio's paused clock, or a [`RecordingClock`],
//! which returns from every sleep at once and records how long it was asked to wait, so backoff
//! and `Retry-After` handling can be asserted exactly against a real local server.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

/// A source of the current time and of sleeps.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Instant;
    /// Wait for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The real clock: `tokio::time` (which a test may pause).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock whose sleeps return at once, advance its virtual time and are recorded.
#[derive(Clone, Default)]
pub struct RecordingClock {
    state: Arc<Mutex<RecordingState>>,
}

#[derive(Default)]
struct RecordingState {
    offset: Duration,
    sleeps: Vec<Duration>,
}

impl RecordingClock {
    /// A new clock with no sleeps recorded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state
            .lock()
            .map(|s| s.sleeps.clone())
            .unwrap_or_default()
    }

    /// Move virtual time forward without recording a sleep.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut s) = self.state.lock() {
            s.offset += by;
        }
    }
}

impl fmt::Debug for RecordingClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingClock")
            .field("sleeps", &self.sleeps())
            .finish()
    }
}

impl Clock for RecordingClock {
    fn now(&self) -> Instant {
        let offset = self.state.lock().map(|s| s.offset).unwrap_or_default();
        Instant::now() + offset
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if let Ok(mut s) = self.state.lock() {
            s.offset += duration;
            s.sleeps.push(duration);
        }
        Box::pin(std::future::ready(()))
    }
}
