//! [`RateLimits`]: the client-side quotas of one vendor client, as data. Every vendor crate
//! presets them from its vendor's documentation (`<Vendor>Client::documented_rate_limits()`),
//! and every vendor builder takes them through the same `rate_limits` method.

use std::fmt;
use std::sync::Arc;

use crate::clock::{Clock, TokioClock};

use super::{GcraLimiter, Quota, RateLimiter, Unlimited};

/// Whether a route template is left out of the per-route quotas.
pub type ExemptRoutes = fn(&str) -> bool;

/// The client-side quotas of a client: one overall quota, quotas per request class (a vendor
/// names the classes its documentation limits, for example `webhook_create`), quotas that each
/// route template gets on its own, and whether `X-RateLimit-Remaining: 0` pauses requests.
///
/// A request waits until every quota that applies to it allows it; none lets a window of its
/// period hold more than its quota (see [`Quota`]). [`RateLimits::limiter`] turns them into a
/// [`GcraLimiter`] (or [`Unlimited`] when nothing is limited).
///
/// ```
/// use client_core::{Quota, RateLimits};
/// let limits = RateLimits::off()
///     .with_overall(Quota::per_minute(200).with_tenth_burst())
///     .with_class("webhook_create", Quota::per_minute(5));
/// assert_eq!(limits.class("webhook_create"), Some(Quota::per_minute(5)));
/// // One quota off again, the others kept:
/// let limits = limits.with_class("webhook_create", None);
/// assert_eq!(limits.class("webhook_create"), None);
/// ```
#[derive(Clone)]
pub struct RateLimits {
    overall: Option<Quota>,
    classes: Vec<(&'static str, Quota)>,
    per_route: Vec<Quota>,
    exempt_routes: Option<ExemptRoutes>,
    adapt_to_headers: bool,
}

impl fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimits")
            .field("overall", &self.overall)
            .field("classes", &self.classes)
            .field("per_route", &self.per_route)
            .field("exempt_routes", &self.exempt_routes.is_some())
            .field("adapt_to_headers", &self.adapt_to_headers)
            .finish()
    }
}

impl RateLimits {
    /// No client-side limit at all (the server's 429s and their `Retry-After` still apply).
    pub fn off() -> Self {
        RateLimits {
            overall: None,
            classes: Vec::new(),
            per_route: Vec::new(),
            exempt_routes: None,
            adapt_to_headers: false,
        }
    }

    /// `quota` for every request, and nothing else.
    pub fn overall(quota: Quota) -> Self {
        RateLimits::off().with_overall(quota)
    }

    /// The quota every request pays into (`None`: none).
    pub fn with_overall(mut self, quota: impl Into<Option<Quota>>) -> Self {
        self.overall = quota.into();
        self
    }

    /// The quota of one request class, replacing any it had (`None`: the class pays only the
    /// overall quota). The vendor crate documents which classes its requests name.
    pub fn with_class(mut self, class: &'static str, quota: impl Into<Option<Quota>>) -> Self {
        self.classes.retain(|(name, _)| *name != class);
        if let Some(quota) = quota.into() {
            self.classes.push((class, quota));
        }
        self
    }

    /// The quotas each route template gets on its own (one per window, for example an hour and
    /// a day), replacing those it had; empty: no per-route quota. See
    /// [`GcraLimiterBuilder::per_route`](super::GcraLimiterBuilder::per_route).
    pub fn with_per_route(mut self, quotas: impl IntoIterator<Item = Quota>) -> Self {
        self.per_route = quotas.into_iter().collect();
        self
    }

    /// Route templates that pay no per-route quota (the server does not count them).
    pub fn with_exempt_routes(mut self, exempt: ExemptRoutes) -> Self {
        self.exempt_routes = Some(exempt);
        self
    }

    /// Whether a response saying `X-RateLimit-Remaining: 0` pauses requests until its reset.
    pub fn with_adapt_to_headers(mut self, on: bool) -> Self {
        self.adapt_to_headers = on;
        self
    }

    /// The overall quota.
    pub fn overall_quota(&self) -> Option<Quota> {
        self.overall
    }

    /// The quota of `class`.
    pub fn class(&self, class: &str) -> Option<Quota> {
        self.classes
            .iter()
            .find(|(name, _)| *name == class)
            .map(|(_, q)| *q)
    }

    /// Every class quota, in the order they were set.
    pub fn classes(&self) -> impl Iterator<Item = (&'static str, Quota)> + '_ {
        self.classes.iter().copied()
    }

    /// The per-route quotas.
    pub fn per_route(&self) -> &[Quota] {
        &self.per_route
    }

    /// Whether `X-RateLimit-Remaining: 0` pauses requests.
    pub fn adapts_to_headers(&self) -> bool {
        self.adapt_to_headers
    }

    /// Whether nothing at all is limited.
    pub fn is_off(&self) -> bool {
        self.overall.is_none()
            && self.classes.is_empty()
            && self.per_route.is_empty()
            && !self.adapt_to_headers
    }

    /// A limiter enforcing these limits. Clients built with the same limiter share its quotas
    /// (give one to every client using the same key, through the builder's `configure`).
    pub fn limiter(&self) -> Arc<dyn RateLimiter> {
        self.limiter_with_clock(Arc::new(TokioClock))
    }

    /// A limiter enforcing these limits on another clock (tests and simulations: a fake clock
    /// runs a day of traffic in a moment).
    pub fn limiter_with_clock(&self, clock: Arc<dyn Clock>) -> Arc<dyn RateLimiter> {
        if self.is_off() {
            return Arc::new(Unlimited);
        }
        let mut builder = GcraLimiter::builder()
            .adapt_to_headers(self.adapt_to_headers)
            .clock(clock);
        // With no overall quota, a cell that never limits on its own keeps the header
        // adaptation working. Its burst is the whole quota: with a burst of one, requests made
        // at the same instant would each wait its one-nanosecond interval, which a timer
        // rounds up to a millisecond.
        builder = builder.overall(
            self.overall
                .unwrap_or(Quota::per_second(u32::MAX).with_burst(u32::MAX)),
        );
        for (class, quota) in &self.classes {
            builder = builder.class(*class, *quota);
        }
        for quota in &self.per_route {
            builder = builder.per_route(*quota);
        }
        if let Some(exempt) = self.exempt_routes {
            builder = builder.exempt_routes(exempt);
        }
        Arc::new(builder.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_is_unlimited_and_anything_else_is_not() {
        assert!(RateLimits::off().is_off());
        assert_eq!(format!("{:?}", RateLimits::off().limiter()), "Unlimited");
        let only_headers = RateLimits::off().with_adapt_to_headers(true);
        assert!(!only_headers.is_off());
        assert_ne!(format!("{:?}", only_headers.limiter()), "Unlimited");
    }

    #[test]
    fn classes_replace_and_remove() {
        let l = RateLimits::overall(Quota::per_minute(10))
            .with_class("a", Quota::per_minute(1))
            .with_class("b", Quota::per_minute(2))
            .with_class("a", Quota::per_minute(3));
        assert_eq!(
            l.classes().collect::<Vec<_>>(),
            [("b", Quota::per_minute(2)), ("a", Quota::per_minute(3))]
        );
        let l = l.with_class("b", None);
        assert_eq!(l.class("b"), None);
        assert_eq!(l.overall_quota(), Some(Quota::per_minute(10)));
        let debug = format!("{:?}", l.limiter());
        assert!(debug.contains("\"a\""), "{debug}");
    }

    #[test]
    fn per_route_replaces() {
        let l = RateLimits::off()
            .with_per_route([Quota::per_hour(9), Quota::per_day(45)])
            .with_exempt_routes(|r| r.contains("/status"));
        assert_eq!(l.per_route().len(), 2);
        assert_eq!(l.with_per_route([]).per_route(), &[]);
    }
}
