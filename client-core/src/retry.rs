//! Retry policy: full-jitter exponential backoff, `Retry-After`, vendor reset headers and a
//! per-client retry budget (a token bucket) that stops retry storms.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName};

use crate::model::Timestamp;

/// How a vendor's reset header expresses the moment the quota refills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetFormat {
    /// Seconds from now (`X-RateLimit-Reset: 30`).
    DeltaSeconds,
    /// A Unix timestamp in seconds (`X-RateLimit-Reset: 1767225600`).
    UnixSeconds,
    /// An ISO-8601 date-time (`X-RateLimit-Reset: 2026-06-03T13:00:00Z`).
    Iso8601,
    /// Any of them: numbers above one billion are read as Unix time, smaller ones as seconds
    /// from now, and anything else as an ISO-8601 date-time.
    Auto,
}

/// When and how often a failed request is sent again.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Total attempts, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// The backoff before the first retry is drawn from `[0, base]`.
    pub base_delay: Duration,
    /// The backoff never exceeds this.
    pub max_delay: Duration,
    /// A server-requested wait longer than this is not slept: the call fails with
    /// `RateLimited` carrying `retry_after`, so the caller decides.
    pub max_retry_after: Duration,
    /// A vendor header giving the quota reset, read when `Retry-After` is absent.
    pub reset_header: Option<(HeaderName, ResetFormat)>,
    /// Whether a rate-limit error that names no wait (no `Retry-After`, no reset header) is
    /// retried after the usual backoff (default `true`).
    ///
    /// Turn it off for a vendor whose bare 429 means a long window is spent: Speakr answers
    /// 429 without any header once a route's hourly quota is used up, so a retry a second later
    /// is refused again. The call then fails after one attempt with
    /// [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited) (and no `retry_after`), and
    /// the caller decides when to try again. A 429 that does name a wait is handled as always.
    pub retry_unhinted_rate_limits: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            reset_header: None,
            retry_unhinted_rate_limits: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that sends every request once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The full-jitter backoff before retry number `retry` (1 for the first retry):
    /// a uniform draw from `[0, min(max_delay, base_delay * 2^(retry-1))]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The upper bound of [`RetryPolicy::backoff`] for retry number `retry`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wait the server asked for: `Retry-After` (seconds or HTTP-date), else the vendor's
    /// reset header.
    pub fn server_wait(&self, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
        if let Some(wait) = parse_retry_after(headers, now) {
            return Some(wait);
        }
        let (name, format) = self.reset_header.as_ref()?;
        let value = headers.get(name)?.to_str().ok()?.trim();
        parse_reset(value, *format, now)
    }
}

/// Read `Retry-After` as delta-seconds or as an HTTP-date (a date in the past means "now").
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(1e9)));
        }
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Read a reset header value in the given format.
pub fn parse_reset(value: &str, format: ResetFormat, now: SystemTime) -> Option<Duration> {
    let until = |at: SystemTime| at.duration_since(now).unwrap_or(Duration::ZERO);
    let number = value.parse::<f64>().ok();
    if format == ResetFormat::Iso8601 || (format == ResetFormat::Auto && number.is_none()) {
        return Timestamp::from(value).to_system_time().map(until);
    }
    let number = number.filter(|n| n.is_finite() && *n >= 0.0)?;
    let as_unix = match format {
        ResetFormat::DeltaSeconds => false,
        ResetFormat::UnixSeconds => true,
        ResetFormat::Auto | ResetFormat::Iso8601 => number > 1e9,
    };
    if as_unix {
        Some(until(
            SystemTime::UNIX_EPOCH + Duration::from_secs_f64(number),
        ))
    } else {
        Some(Duration::from_secs_f64(number.min(1e9)))
    }
}

/// A token bucket shared by all requests of a client (and its clones): every retry costs
/// tokens, every success refunds some. When it is empty, failures are returned at once
/// instead of retried, so an outage does not multiply the load on the server.
#[derive(Debug, Clone)]
pub struct RetryBudget {
    inner: Arc<BudgetInner>,
}

#[derive(Debug)]
struct BudgetInner {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refund: u32,
    tokens: AtomicU32,
}

impl Default for RetryBudget {
    /// 500 tokens; a retry costs 5, a retry after a timeout 10, a success refunds 1.
    fn default() -> Self {
        RetryBudget::new(500, 5, 10, 1)
    }
}

impl RetryBudget {
    /// A full bucket of `capacity` tokens with the given costs and refund.
    pub fn new(capacity: u32, retry_cost: u32, timeout_cost: u32, success_refund: u32) -> Self {
        RetryBudget {
            inner: Arc::new(BudgetInner {
                capacity,
                retry_cost,
                timeout_cost,
                success_refund,
                tokens: AtomicU32::new(capacity),
            }),
        }
    }

    /// A budget that never runs out.
    pub fn unlimited() -> Self {
        RetryBudget::new(u32::MAX, 0, 0, 0)
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.inner.tokens.load(Ordering::Relaxed)
    }

    /// Take the cost of one retry; false (and nothing taken) when the bucket cannot pay.
    pub fn try_acquire(&self, after_timeout: bool) -> bool {
        let cost = if after_timeout {
            self.inner.timeout_cost
        } else {
            self.inner.retry_cost
        };
        self.inner
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Refund after a successful response.
    pub fn record_success(&self) {
        let cap = self.inner.capacity;
        let refund = self.inner.success_refund;
        let _ = self
            .inner
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(refund).min(cap))
            });
    }
}

/// Whether a status is worth retrying.
pub fn is_retryable_status(status: http::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn retry_after_seconds_and_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(parse_retry_after(&h, now), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(12));
        h.insert("retry-after", HeaderValue::from_str(&date).unwrap());
        assert_eq!(parse_retry_after(&h, now), Some(Duration::from_secs(12)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        h.insert("retry-after", HeaderValue::from_str(&past).unwrap());
        assert_eq!(parse_retry_after(&h, now), Some(Duration::ZERO));
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(parse_retry_after(&h, now), None);
    }

    #[test]
    fn reset_header_formats() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_reset("30", ResetFormat::Auto, now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_reset("1700000045", ResetFormat::Auto, now),
            Some(Duration::from_secs(45))
        );
        assert_eq!(parse_reset("-3", ResetFormat::Auto, now), None);
        let at = crate::Timestamp::from_system_time(now + Duration::from_secs(90));
        assert_eq!(
            parse_reset(at.as_str(), ResetFormat::Auto, now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(parse_reset("soon", ResetFormat::Auto, now), None);
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(500));
        assert_eq!(p.backoff_ceiling(2), Duration::from_secs(1));
        assert_eq!(p.backoff_ceiling(10), Duration::from_secs(20));
        assert_eq!(p.backoff_ceiling(100), Duration::from_secs(20));
        for retry in 1..8 {
            assert!(p.backoff(retry) <= p.backoff_ceiling(retry));
        }
    }

    #[test]
    fn budget_drains_and_refills() {
        let b = RetryBudget::new(10, 5, 10, 5);
        assert!(b.try_acquire(false));
        assert!(b.try_acquire(false));
        assert!(!b.try_acquire(false));
        b.record_success();
        assert!(b.try_acquire(false));
        assert!(!b.try_acquire(true));
    }
}
