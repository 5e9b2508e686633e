//! The receiver's router, built from a [`Config`]: one route per vendor whose secret is set,
//! the handler each delivery goes through (verify, handshake, parse, dedup, process, print)
//! and the dedup store. `main.rs` builds the config from the command line; the load
//! benchmark (`benches/receiver_load.rs`) includes this file with `#[path]` and builds the same
//! router in-process.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use transcripts::MeetingEvent;
use webhook_verify::axum::{VerifiedWebhook, WebhookRejection, WebhookVerifier};
use webhook_verify::dedup::redis::RedisDedup;
use webhook_verify::heilo::HandshakeResponse;
use webhook_verify::{
    dedup, healthie, hedy, heilo, speakr, Claim, Claimed, DedupStore, InMemoryDedup, Verified,
    Verify,
};

use crate::pipeline::Pipeline;

/// What to answer to a delivery that does not verify (`--on-unverified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnUnverified {
    /// 401 Unauthorized: a permanent failure for Speakr (no retry).
    Reject,
    /// 503 Service Unavailable with `Retry-After`: the vendor retries.
    Retry,
}

/// `Retry-After` of the 503 answered with `--on-unverified retry`, in seconds: Speakr's
/// first retry delay.
const UNVERIFIED_RETRY_AFTER: &str = "30";

/// Where the line printed for each delivery goes: a writer shared by every route, written
/// one whole line at a time under its lock.
#[derive(Clone)]
pub struct Lines(Arc<Mutex<dyn Write + Send>>);

impl Lines {
    /// Standard output (line-buffered: one write per line), as deployed.
    pub fn stdout() -> Lines {
        Lines::to(std::io::stdout())
    }

    /// Any writer (the load benchmark gives it a `LineWriter` on the null device: the same
    /// writes as standard output, without flooding the terminal).
    pub fn to(out: impl Write + Send + 'static) -> Lines {
        Lines(Arc::new(Mutex::new(out)))
    }

    fn line(&self, args: fmt::Arguments<'_>) {
        let mut out = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // A lost line must not fail the delivery.
        let _ = writeln!(out, "{args}");
    }
}

/// Print one line to `$lines` ([`Lines`]), formatted like `println!`.
macro_rules! say {
    ($lines:expr, $($arg:tt)*) => {
        $lines.line(format_args!($($arg)*))
    };
}

/// Everything the router is built from.
pub struct Config {
    /// Speakr webhook secrets (none: the route is not mounted).
    pub speakr_secret: Vec<String>,
    /// Hedy signing secrets.
    pub hedy_secret: Vec<String>,
    /// Heilo subscription signing secrets.
    pub heilo_secret: Vec<String>,
    /// Healthie webhook secrets.
    pub healthie_secret: Vec<String>,
    /// The path and query registered with Healthie (what its signature covers).
    pub healthie_path: String,
    /// Largest accepted body, in bytes.
    pub body_limit: usize,
    /// The dedup store shared by every route.
    pub dedup: Dedup,
    /// How long each processing takes (a stand-in for real work).
    pub handler_time: Duration,
    /// The answer to a delivery that does not verify.
    pub on_unverified: OnUnverified,
    /// With `--transcripts-dir`: the pipeline of each vendor, by vendor name.
    pub pipelines: HashMap<&'static str, Pipeline>,
    /// Where the line of each delivery goes.
    pub lines: Lines,
}

/// Healthie retries for up to three days: dedup keys are remembered that long.
pub const DEDUP_TTL: Duration = Duration::from_secs(3 * 24 * 3600);

/// How long the completion of a delivery whose processing is its printed line waits for the
/// next claim to carry it to Redis ([`RedisDedup::complete_later`]): under load each such
/// delivery costs one round trip, its claim. The price: for up to this long after it was
/// answered 200, another replica still sees it claimed and answers a repeat 503 (the vendor
/// retries) instead of 200; and if the process dies in that window, the delivery may be
/// processed again once its lease ends (never lost). A transcript written to disk is recorded
/// before its 200 instead: next to a fetch and an fsync the second round trip is small.
pub const COMPLETION_DELAY: Duration = Duration::from_millis(5);

/// The dedup store shared by every route.
#[derive(Clone)]
pub struct Dedup(Store);

#[derive(Clone)]
enum Store {
    /// Called directly: its operations are synchronous, so no boxed future per call.
    Memory(Arc<InMemoryDedup>),
    /// Shared by replicas; called through [`DedupStore`], plus `complete_later` and `flush`.
    Redis(RedisDedup),
}

impl Dedup {
    /// In Redis at `redis` (keys `<prefix>:<vendor>:<key>`, each call within `timeout`), else
    /// in memory; claims last `lease`.
    pub fn new(
        redis: Option<&str>,
        prefix: &str,
        lease: Duration,
        timeout: Duration,
    ) -> Result<Dedup, webhook_verify::Error> {
        Ok(Dedup(match redis {
            Some(url) => Store::Redis(
                RedisDedup::builder(url)
                    .prefix(prefix)
                    .ttl(DEDUP_TTL)
                    .lease(lease)
                    .timeout(timeout)
                    .build()?,
            ),
            None => Store::Memory(Arc::new(
                InMemoryDedup::new(DEDUP_TTL, dedup::DEFAULT_CAPACITY).with_lease(lease),
            )),
        }))
    }

    /// Send the completions still waiting for a claim (before the process exits).
    pub async fn flush(&self) -> Result<(), webhook_verify::Error> {
        match &self.0 {
            Store::Redis(redis) => redis.flush().await,
            Store::Memory(_) => Ok(()),
        }
    }

    async fn claim(&self, key: &str) -> Result<Claim, webhook_verify::Error> {
        match &self.0 {
            Store::Memory(memory) => Ok(memory.claim_now(key)),
            Store::Redis(redis) => redis.claim(key).await,
        }
    }

    async fn complete(&self, claimed: &Claimed) -> Result<(), webhook_verify::Error> {
        match &self.0 {
            Store::Memory(memory) => {
                memory.complete_now(claimed);
                Ok(())
            }
            Store::Redis(redis) => redis.complete(claimed).await,
        }
    }

    /// [`Dedup::complete`] without a Redis call of its own ([`COMPLETION_DELAY`]).
    fn complete_later(&self, claimed: &Claimed) -> Result<(), webhook_verify::Error> {
        match &self.0 {
            Store::Memory(memory) => {
                memory.complete_now(claimed);
                Ok(())
            }
            Store::Redis(redis) => redis.complete_later(claimed, COMPLETION_DELAY),
        }
    }

    async fn release(&self, claimed: &Claimed) -> Result<(), webhook_verify::Error> {
        match &self.0 {
            Store::Memory(memory) => {
                memory.release_now(claimed);
                Ok(())
            }
            Store::Redis(redis) => redis.release(claimed).await,
        }
    }
}

/// The router, and one line per vendor saying whether its route is mounted (`mounted POST
/// /hooks/speakr`, or `not mounted …` naming the flag and variable of its secret).
pub fn router(config: Config) -> (Router, Vec<String>) {
    let Config {
        speakr_secret,
        hedy_secret,
        heilo_secret,
        healthie_secret,
        healthie_path,
        body_limit,
        dedup,
        handler_time,
        on_unverified,
        mut pipelines,
        lines,
    } = config;
    let healthie_verifier = |s| healthie::Verifier::new(s, "POST", &healthie_path);
    #[rustfmt::skip]
    let hooks: [(&str, &str, Option<WebhookVerifier>, Parse); 4] = [
        ("speakr", "SPEAKR_WEBHOOK_SECRET", verifier(speakr_secret, speakr::Verifier::new), speakr_event),
        ("hedy", "HEDY_WEBHOOK_SECRET", verifier(hedy_secret, hedy::Verifier::new), hedy_event),
        ("heilo", "HEILO_SIGNING_SECRET", verifier(heilo_secret, heilo::Verifier::new), heilo_event),
        ("healthie", "HEALTHIE_WEBHOOK_SECRET", verifier(healthie_secret, healthie_verifier), healthie_event),
    ];

    let (mut app, mut report) = (Router::new(), Vec::new());
    for (vendor, env, verifier, parse) in hooks {
        let route = format!("/hooks/{vendor}");
        let Some(verifier) = verifier else {
            report.push(format!(
                "not mounted {route}: no secret (--{vendor}-secret or {env})"
            ));
            continue;
        };
        let hook = Hook(Arc::new(Route {
            vendor,
            verifier: verifier.body_limit(body_limit),
            parse,
            dedup: dedup.clone(),
            handler_time,
            on_unverified,
            pipeline: pipelines.remove(vendor),
            lines: lines.clone(),
        }));
        app = app.route(&route, post(receive).with_state(hook));
        report.push(format!("mounted POST {route}"));
    }
    (app, report)
}

/// A parsed delivery: its event type, a short description of what it is about, and, when
/// asked for, the vendor-neutral meeting event if it concerns a meeting.
struct Parsed {
    event_type: String,
    about: String,
    meeting: Option<MeetingEvent>,
}

/// Parse a body; with `meeting`, also convert it to a [`MeetingEvent`]. Only a route with a
/// transcript pipeline asks: the conversion reads a carried transcript into segments, work
/// that nothing else uses.
type Parse = fn(&Verified, bool) -> Result<Parsed, webhook_verify::Error>;

/// One route's state, behind one `Arc`: axum clones the state for every request.
#[derive(Clone)]
struct Hook(Arc<Route>);

impl std::ops::Deref for Hook {
    type Target = Route;

    fn deref(&self) -> &Route {
        &self.0
    }
}

/// One route: its vendor, verifier and parser, and the shared dedup store.
struct Route {
    vendor: &'static str,
    verifier: WebhookVerifier,
    parse: Parse,
    dedup: Dedup,
    handler_time: Duration,
    on_unverified: OnUnverified,
    /// With `--transcripts-dir`: what turns a transcript-ready event into a file.
    pipeline: Option<Pipeline>,
    lines: Lines,
}

impl axum::extract::FromRef<Hook> for WebhookVerifier {
    fn from_ref(hook: &Hook) -> Self {
        hook.verifier.clone()
    }
}

/// A verifier for `secrets`, or `None` (route not mounted) when there is none.
fn verifier<V: Verify + 'static>(
    secrets: Vec<String>,
    make: impl FnOnce(Vec<String>) -> V,
) -> Option<WebhookVerifier> {
    (!secrets.is_empty()).then(|| WebhookVerifier::new(make(secrets)))
}

/// One delivery: verified by the extractor, then handshake, parse, dedup, print.
async fn receive(
    State(hook): State<Hook>,
    delivery: Result<VerifiedWebhook, WebhookRejection>,
) -> Response {
    let vendor = hook.vendor;
    let delivery = match delivery {
        Ok(VerifiedWebhook(delivery)) => delivery,
        Err(rejection) => {
            // A signature, digest or timestamp that does not verify is what a secret rotation
            // produces; malformed or oversize requests would fail the same way again.
            let retry = rejection.status() == StatusCode::UNAUTHORIZED
                && hook.on_unverified == OnUnverified::Retry;
            let status = if retry {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                rejection.status()
            };
            say!(
                hook.lines,
                "{vendor} rejected {}: {}",
                status.as_u16(),
                rejection.error
            );
            if retry {
                let retry_after = [(header::RETRY_AFTER, UNVERIFIED_RETRY_AFTER)];
                return (status, retry_after, rejection.error.to_string()).into_response();
            }
            return rejection.into_response();
        }
    };
    let key = delivery.idempotency_key();

    // Heilo's activation handshake: every attempt needs the echo, so no dedup here.
    if vendor == "heilo" {
        if let Ok(Some(reply)) = HandshakeResponse::from_verified(&delivery) {
            say!(
                hook.lines,
                "heilo webhook.subscription.verify key={key} handshake"
            );
            let content_type = [(header::CONTENT_TYPE, HandshakeResponse::CONTENT_TYPE)];
            return (content_type, reply.body()).into_response();
        }
    }

    let Parsed {
        event_type,
        about,
        meeting,
    } = match (hook.parse)(&delivery, hook.pipeline.is_some()) {
        Ok(parsed) => parsed,
        Err(e) => {
            say!(hook.lines, "{vendor} unparsable key={key}: {e}");
            return (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response();
        }
    };
    // One store for every route: the keys are namespaced by vendor.
    let dedup = &hook.dedup;
    let stored_key = format!("{vendor}:{key}");
    match dedup.claim(&stored_key).await {
        Ok(Claim::Acquired(claimed)) => {
            // The processing: here a line, after the configured time.
            if !hook.handler_time.is_zero() {
                tokio::time::sleep(hook.handler_time).await;
            }
            let ready = meeting.filter(MeetingEvent::is_transcript_ready);
            // Processed: answer 200 even if the store cannot record it now (it keeps trying
            // while the claim holds the key).
            let recorded = match (&hook.pipeline, ready) {
                // With --transcripts-dir: done only once the file is on disk, and recorded
                // before the answer.
                (Some(pipeline), Some(event)) => match pipeline.process(event).await {
                    Ok(written) => {
                        say!(
                            hook.lines,
                            "{vendor} {event_type} key={key} wrote {written}"
                        );
                        dedup.complete(&claimed).await
                    }
                    Err(failure) => {
                        // Not processed: give the key back so that the vendor's retry is.
                        say!(
                            hook.lines,
                            "{vendor} {event_type} key={key} failed: {failure}"
                        );
                        if let Err(e) = dedup.release(&claimed).await {
                            eprintln!("webhook-receiver: {vendor} key={key}: {e}");
                        }
                        let seconds = failure.retry_after_secs().to_string();
                        return (
                            StatusCode::SERVICE_UNAVAILABLE,
                            [(header::RETRY_AFTER, seconds)],
                            failure.to_string(),
                        )
                            .into_response();
                    }
                },
                // Recorded with the next claim: one Redis round trip per delivery.
                _ => {
                    say!(hook.lines, "{vendor} {event_type} key={key} first{about}");
                    dedup.complete_later(&claimed)
                }
            };
            if let Err(e) = recorded {
                eprintln!("webhook-receiver: {vendor} key={key}: {e}");
            }
        }
        Ok(Claim::Done) => say!(hook.lines, "{vendor} {event_type} key={key} duplicate"),
        Ok(Claim::InProgress { retry_after }) => {
            // Another replica is processing it: the vendor retries, and the delivery is
            // processed again if that replica dies before finishing.
            say!(hook.lines, "{vendor} {event_type} key={key} in-progress");
            let seconds = retry_after.map_or(1, |d| d.as_secs().max(1)).to_string();
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, seconds)],
                "in progress elsewhere",
            )
                .into_response();
        }
        Err(e) => {
            // No store, no decision: never accept a delivery that may be a duplicate.
            say!(hook.lines, "{vendor} {event_type} key={key} error: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
        }
    }
    (StatusCode::OK, "ok").into_response()
}

// Each parses the delivery the extractor verified, keeping the verifier's idempotency key
// (`parse_verified`: the body is not hashed again).

fn speakr_event(delivery: &Verified, meeting: bool) -> Result<Parsed, webhook_verify::Error> {
    let e = speakr_client::webhooks::parse_verified(delivery)?;
    let about = e.event.recording_id().map(|id| format!(" recording={id}"));
    Ok(Parsed {
        event_type: e.event_type().to_string(),
        about: about.unwrap_or_default(),
        meeting: meeting.then(|| MeetingEvent::try_from(&e).ok()).flatten(),
    })
}

fn hedy_event(delivery: &Verified, meeting: bool) -> Result<Parsed, webhook_verify::Error> {
    let e = hedy_client::webhooks::parse_verified(delivery)?;
    let about = e.event.session_id().map(|id| format!(" session={id}"));
    Ok(Parsed {
        event_type: e.event_type().to_string(),
        about: about.unwrap_or_default(),
        meeting: meeting.then(|| MeetingEvent::try_from(&e).ok()).flatten(),
    })
}

fn heilo_event(delivery: &Verified, meeting: bool) -> Result<Parsed, webhook_verify::Error> {
    let e = heilo_client::webhooks::parse_verified(delivery)?;
    let about = e.resource_id.as_ref().map(|id| format!(" resource={id}"));
    Ok(Parsed {
        event_type: e.event_type().to_string(),
        about: about.unwrap_or_default(),
        meeting: meeting.then(|| MeetingEvent::try_from(&e).ok()).flatten(),
    })
}

/// Healthie's thin payload: the event type and the resource.
fn healthie_event(delivery: &Verified, meeting: bool) -> Result<Parsed, webhook_verify::Error> {
    let e = healthie_client::webhooks::parse_verified(delivery)?;
    let about = match e.event.resource_id_type.as_deref() {
        Some(kind) => format!(" resource={kind}/{}", e.event.resource_id),
        None => format!(" resource={}", e.event.resource_id),
    };
    Ok(Parsed {
        event_type: e.event_type().to_string(),
        about,
        meeting: meeting.then(|| MeetingEvent::try_from(&e).ok()).flatten(),
    })
}
