//! The per-route cells of a [`GcraLimiter`](super::GcraLimiter): one set of cells per route
//! template, made on the template's first request, for servers that keep a separate bucket per
//! route (Flask-Limiter's default limits count `/recordings/{id}/summary` once for every id).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use tokio::time::Instant;

use super::{Cell, Quota};

/// Decides whether a route template pays no per-route quota.
pub(super) type ExemptRoute = dyn Fn(&str) -> bool + Send + Sync;

/// Above this many routes, idle ones are dropped before a new route gets its cells, so a
/// program that builds many templates does not keep cells that no longer matter.
const PRUNE_ABOVE: usize = 256;

/// The per-route quotas and the cells of the routes seen so far.
#[derive(Default)]
pub(super) struct RouteCells {
    quotas: Vec<Quota>,
    exempt: Option<Arc<ExemptRoute>>,
    cells: HashMap<String, Vec<Cell>>,
}

impl fmt::Debug for RouteCells {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteCells")
            .field("quotas", &self.quotas)
            .field("exempt", &self.exempt.is_some())
            .field("routes", &self.cells.len())
            .finish()
    }
}

impl RouteCells {
    pub(super) fn new(quotas: Vec<Quota>, exempt: Option<Arc<ExemptRoute>>) -> Self {
        RouteCells {
            quotas,
            exempt,
            cells: HashMap::new(),
        }
    }

    /// The quota every route gets.
    pub(super) fn quotas(&self) -> &[Quota] {
        &self.quotas
    }

    /// The cells of `route`, made now if it has none yet; `None` when no per-route quota
    /// applies to it (none configured, or the route is exempt).
    pub(super) fn cells_for(&mut self, route: &str, now: Instant) -> Option<&mut [Cell]> {
        if self.quotas.is_empty() || self.exempt.as_ref().is_some_and(|exempt| exempt(route)) {
            return None;
        }
        let key = route_key(route);
        if !self.cells.contains_key(&key) && self.cells.len() >= PRUNE_ABOVE {
            self.cells
                .retain(|_, cells| cells.iter().any(|cell| !cell.is_idle(now)));
        }
        let quotas = &self.quotas;
        let cells = self
            .cells
            .entry(key)
            .or_insert_with(|| quotas.iter().copied().map(Cell::new).collect());
        Some(cells.as_mut_slice())
    }
}

/// The bucket of a route template: the template with every `{name}` placeholder written `{}`,
/// so two spellings of one server route (`/tags/{id}`, `/tags/{tag_id}`) share a bucket.
pub(super) fn route_key(route: &str) -> String {
    let mut key = String::with_capacity(route.len());
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        key.push_str(&rest[..open]);
        key.push_str("{}");
        rest = &rest[open + close + 1..];
    }
    key.push_str(rest);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_names_do_not_matter() {
        assert_eq!(
            route_key("/recordings/{id}/summary"),
            "/recordings/{}/summary"
        );
        assert_eq!(
            route_key("/recordings/{id}/tags/{tag_id}"),
            route_key("/recordings/{id}/tags/{id}")
        );
        assert_eq!(route_key("/tags"), "/tags");
        assert_eq!(route_key(""), "");
        assert_eq!(route_key("/odd/{unclosed"), "/odd/{unclosed");
        assert_eq!(route_key("/a/{x}/b/{"), "/a/{}/b/{");
    }
}
