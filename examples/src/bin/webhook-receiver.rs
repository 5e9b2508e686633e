//! `webhook-receiver`: an HTTP server that receives the webhooks of Speakr, Hedy, Heilo and
//! Healthie, verifies them, drops duplicates and prints one line per delivery.
//!
//! ```text
//! SPEAKR_WEBHOOK_SECRET=… HEILO_SIGNING_SECRET=… webhook-receiver [--listen 127.0.0.1:8787]
//! webhook-receiver --hedy-secret whsec_… --healthie-secret whsec_… --healthie-path '/hooks/healthie?tenant=7'
//! ```
//!
//! | route | verifier | secret (flag, or environment variable) |
//! |---|---|---|
//! | `POST /hooks/speakr` | `Speakr-Signature` | `--speakr-secret`, `SPEAKR_WEBHOOK_SECRET` |
//! | `POST /hooks/hedy` | `X-Hedy-Signature` | `--hedy-secret`, `HEDY_WEBHOOK_SECRET` |
//! | `POST /hooks/heilo` | `heilo-signature` (300 s window) | `--heilo-secret`, `HEILO_SIGNING_SECRET` |
//! | `POST /hooks/healthie` | `Content-Digest` + `Signature` | `--healthie-secret`, `HEALTHIE_WEBHOOK_SECRET` |
//!
//! A route is mounted only when its secret is set; repeat a flag to accept a second secret
//! during a rotation (prefer the environment: command lines are visible to other users).
//! Healthie signs the path and query it was registered with: pass it with `--healthie-path`
//! when it differs from `/hooks/healthie` (a proxy in front, a query string).
//!
//! Each delivery goes through webhook-verify's axum extractor (body limit, then signature on
//! the raw bytes: 401, 400 or 413 on failure), then the vendor crate's typed parser (422 if
//! the body is not the vendor's event, without recording it), then a dedup store shared by
//! all routes: the first delivery of an idempotency key is claimed, processed (here: printed
//! as `speakr recording.created key=… first recording=4`) and marked done; a repeat is
//! answered 200 and printed as `… duplicate`. Heilo's `webhook.subscription.verify` handshake
//! is answered with the challenge echo that its strict mode requires.
//!
//! ## Replicas
//! With `--redis URL` (or `WEBHOOK_REDIS_URL`) the dedup store lives in Redis, so that several
//! replicas behind a load balancer process each delivery once between them:
//!
//! ```text
//! webhook-receiver --listen 127.0.0.1:8787 --redis redis://127.0.0.1:6379/ &
//! webhook-receiver --listen 127.0.0.1:8788 --redis redis://127.0.0.1:6379/ &
//! ```
//!
//! A delivery that another replica is processing is answered 503 (`… in-progress`), so the
//! vendor retries it; if that replica dies, its claim expires after `--lease` seconds and the
//! retry is processed. When Redis is down or slow (`--redis-timeout-ms`), every delivery is
//! answered 503 (`… error: …`) and the vendor retries later: nothing is processed without the
//! store, so nothing is processed twice or lost. `--handler-ms` makes each processing take that
//! long, to watch a replica take over.
//!
//! The first line on standard output is `listening on http://ADDR` (`--listen 127.0.0.1:0`
//! picks a free port), then one line per route saying whether it is mounted. Ctrl-C stops
//! the server after the requests in flight.
//!
//! Run it: `cargo run -p examples --bin webhook-receiver -- --speakr-secret s3cret`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use clap::Parser;
use webhook_verify::axum::{VerifiedWebhook, WebhookRejection, WebhookVerifier};
use webhook_verify::dedup::redis::RedisDedup;
use webhook_verify::heilo::HandshakeResponse;
use webhook_verify::{
    dedup, healthie, hedy, heilo, speakr, Claim, DedupStore, InMemoryDedup, Verify,
};

/// Receive, verify and deduplicate Speakr, Hedy, Heilo and Healthie webhooks.
#[derive(Debug, Parser)]
#[command(name = "webhook-receiver", version, long_about = None)]
struct Cli {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Speakr webhook secret (repeat during a rotation).
    #[arg(long, env = "SPEAKR_WEBHOOK_SECRET", hide_env_values = true)]
    speakr_secret: Vec<String>,
    /// Hedy signing secret (repeat during a rotation).
    #[arg(long, env = "HEDY_WEBHOOK_SECRET", hide_env_values = true)]
    hedy_secret: Vec<String>,
    /// Heilo subscription signing secret (repeat during a rotation).
    #[arg(long, env = "HEILO_SIGNING_SECRET", hide_env_values = true)]
    heilo_secret: Vec<String>,
    /// Healthie webhook secret, `whsec_` prefix included (repeat during a rotation).
    #[arg(long, env = "HEALTHIE_WEBHOOK_SECRET", hide_env_values = true)]
    healthie_secret: Vec<String>,
    /// The path and query registered with Healthie (what its signature covers).
    #[arg(long, default_value = "/hooks/healthie")]
    healthie_path: String,
    /// Largest accepted body, in bytes (413 beyond).
    #[arg(long, default_value_t = 256 * 1024)]
    body_limit: usize,
    /// Keep the dedup keys in this Redis (`redis://[:password@]host:port/db`), shared by every
    /// replica using the same prefix; in memory when absent.
    #[arg(long, env = "WEBHOOK_REDIS_URL", hide_env_values = true)]
    redis: Option<String>,
    /// The prefix of the Redis keys.
    #[arg(long, default_value = dedup::redis::DEFAULT_PREFIX)]
    redis_prefix: String,
    /// Timeout of each Redis call, in milliseconds.
    #[arg(long, default_value_t = 500)]
    redis_timeout_ms: u64,
    /// Seconds a claim lasts: a replica that dies while processing frees its delivery then.
    #[arg(long, default_value_t = 60)]
    lease: u64,
    /// Milliseconds each processing takes (a stand-in for real work).
    #[arg(long, default_value_t = 0)]
    handler_ms: u64,
}

/// The event type and a short description of what it is about.
type Parse = fn(&[u8]) -> Result<(String, String), serde_json::Error>;

/// One route's state: its vendor, verifier and parser, and the shared dedup store.
#[derive(Clone)]
struct Hook {
    vendor: &'static str,
    verifier: WebhookVerifier,
    parse: Parse,
    dedup: Arc<dyn DedupStore>,
    handler_time: Duration,
}

impl axum::extract::FromRef<Hook> for WebhookVerifier {
    fn from_ref(hook: &Hook) -> Self {
        hook.verifier.clone()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("webhook-receiver: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    // Healthie retries for up to three days: remember keys that long.
    let ttl = Duration::from_secs(3 * 24 * 3600);
    let lease = Duration::from_secs(cli.lease.max(1));
    let dedup: Arc<dyn DedupStore> = match &cli.redis {
        Some(url) => {
            let store = RedisDedup::builder(url.as_str())
                .prefix(cli.redis_prefix.as_str())
                .ttl(ttl)
                .lease(lease)
                .timeout(Duration::from_millis(cli.redis_timeout_ms.max(1)))
                .build()?;
            eprintln!(
                "webhook-receiver: dedup in Redis, keys {}:*",
                cli.redis_prefix
            );
            Arc::new(store)
        }
        None => Arc::new(InMemoryDedup::new(ttl, dedup::DEFAULT_CAPACITY).with_lease(lease)),
    };
    let healthie_verifier = |s| healthie::Verifier::new(s, "POST", &cli.healthie_path);
    #[rustfmt::skip]
    let hooks: [(&str, &str, Option<WebhookVerifier>, Parse); 4] = [
        ("speakr", "SPEAKR_WEBHOOK_SECRET", verifier(cli.speakr_secret, speakr::Verifier::new), speakr_event),
        ("hedy", "HEDY_WEBHOOK_SECRET", verifier(cli.hedy_secret, hedy::Verifier::new), hedy_event),
        ("heilo", "HEILO_SIGNING_SECRET", verifier(cli.heilo_secret, heilo::Verifier::new), heilo_event),
        ("healthie", "HEALTHIE_WEBHOOK_SECRET", verifier(cli.healthie_secret, healthie_verifier), healthie_event),
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
        let hook = Hook {
            vendor,
            verifier: verifier.body_limit(cli.body_limit),
            parse,
            dedup: dedup.clone(),
            handler_time: Duration::from_millis(cli.handler_ms),
        };
        app = app.route(&route, post(receive).with_state(hook));
        report.push(format!("mounted POST {route}"));
    }
    if !report.iter().any(|line| line.starts_with("mounted")) {
        return Err("no secret given: set at least one (see --help)".into());
    }

    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.listen))?;
    println!("listening on http://{}", listener.local_addr()?);
    for line in report {
        println!("{line}");
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("webhook-receiver: shutting down");
        })
        .await?;
    Ok(())
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
            let status = rejection.status().as_u16();
            println!("{vendor} rejected {status}: {}", rejection.error);
            return rejection.into_response();
        }
    };
    let key = delivery.idempotency_key();

    // Heilo's activation handshake: every attempt needs the echo, so no dedup here.
    if vendor == "heilo" {
        if let Ok(Some(reply)) = HandshakeResponse::from_verified(&delivery) {
            println!("heilo webhook.subscription.verify key={key} handshake");
            let content_type = [(header::CONTENT_TYPE, HandshakeResponse::CONTENT_TYPE)];
            return (content_type, reply.body()).into_response();
        }
    }

    let (event_type, about) = match (hook.parse)(delivery.body()) {
        Ok(parsed) => parsed,
        Err(e) => {
            println!("{vendor} unparsable key={key}: {e}");
            return (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response();
        }
    };
    // One store for every route: the keys are namespaced by vendor.
    let stored_key = format!("{vendor}:{key}");
    match hook.dedup.claim(&stored_key).await {
        Ok(Claim::Acquired(claimed)) => {
            // The processing: here a line, after the configured time.
            if !hook.handler_time.is_zero() {
                tokio::time::sleep(hook.handler_time).await;
            }
            println!("{vendor} {event_type} key={key} first{about}");
            // Processed: answer 200 even if the store cannot record it now (it keeps trying
            // while the claim holds the key).
            if let Err(e) = hook.dedup.complete(&claimed).await {
                eprintln!("webhook-receiver: {vendor} key={key}: {e}");
            }
        }
        Ok(Claim::Done) => println!("{vendor} {event_type} key={key} duplicate"),
        Ok(Claim::InProgress { retry_after }) => {
            // Another replica is processing it: the vendor retries, and the delivery is
            // processed again if that replica dies before finishing.
            println!("{vendor} {event_type} key={key} in-progress");
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
            println!("{vendor} {event_type} key={key} error: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
        }
    }
    (StatusCode::OK, "ok").into_response()
}

fn speakr_event(body: &[u8]) -> Result<(String, String), serde_json::Error> {
    let e = speakr_client::webhooks::parse(body)?;
    let about = e.event.recording_id().map(|id| format!(" recording={id}"));
    Ok((e.event_type().to_string(), about.unwrap_or_default()))
}

fn hedy_event(body: &[u8]) -> Result<(String, String), serde_json::Error> {
    let e = hedy_client::webhooks::parse(body)?;
    let about = e.event.session_id().map(|id| format!(" session={id}"));
    Ok((e.event_type().to_string(), about.unwrap_or_default()))
}

fn heilo_event(body: &[u8]) -> Result<(String, String), serde_json::Error> {
    let e = heilo_client::webhooks::parse(body)?;
    let about = e.resource_id.as_ref().map(|id| format!(" resource={id}"));
    Ok((e.event_type().to_string(), about.unwrap_or_default()))
}

/// Healthie's thin payload, parsed by healthie-client: the event type and the resource.
fn healthie_event(body: &[u8]) -> Result<(String, String), serde_json::Error> {
    let e = healthie_client::webhooks::ThinEvent::parse(body).map_err(serde::de::Error::custom)?;
    let about = match e.resource_id_type.as_deref() {
        Some(kind) => format!(" resource={kind}/{}", e.resource_id),
        None => format!(" resource={}", e.resource_id),
    };
    Ok((e.event_type.to_string(), about))
}
