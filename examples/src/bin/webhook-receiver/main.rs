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
//! the raw bytes: 401, 400 or 413 on failure, see below), then the vendor crate's typed
//! parser (422 if the body is not the vendor's event, without recording it), then a dedup
//! store shared by all routes: the first delivery of an idempotency key is claimed,
//! processed (here: printed as `speakr recording.created key=… first recording=4`) and
//! marked done; a repeat is answered 200 and printed as `… duplicate`. Heilo's
//! `webhook.subscription.verify` handshake is answered with the challenge echo that its
//! strict mode requires.
//!
//! ## Deliveries it cannot verify
//! A delivery whose signature, digest or timestamp does not check out with any configured
//! secret is answered as `--on-unverified` says, and printed as `… rejected STATUS: reason`:
//!
//! - `reject` (the default): `401 Unauthorized`, the usual answer to a bad signature.
//! - `retry`: `503 Service Unavailable` with `Retry-After: 30`, so that the vendor sends it
//!   again later.
//!
//! Why it matters: Speakr treats any 4xx other than 408 and 429 as a permanent failure (no
//! retry, counted toward pausing the webhook after 10 in a row), while it retries a 5xx up
//! to four times, 30 s, 120 s, 600 s and 3600 s apart (its own schedule, whatever
//! `Retry-After` says). It signs each attempt when it sends it, with the webhook's current
//! secret. So during a secret rotation, a delivery signed with a secret the receiver does
//! not know yet is lost with `reject`; with `retry`, its retry, signed with the new secret,
//! is processed once the receiver has that secret. Use `retry` around a rotation; `reject`
//! shows a wrong secret in the vendor's delivery log at once, where `retry` shows it only
//! after the last retry. What no retry can fix is answered the same either way: 400 for a
//! missing or malformed signature header, 413 for a body over `--body-limit`.
//!
//! ## Transcripts to a directory
//! With `--transcripts-dir DIR`, every verified event that means "this meeting's transcript
//! is ready" (the `transcripts` crate's `MeetingEvent`: Speakr
//! `recording.transcription.completed`, Hedy `session.ended`, Heilo `call.completed` and
//! `call.transcribed`, Healthie `appointment.transcript_available`) becomes a file,
//! `DIR/<vendor>-<id>.transcript.<ext>`, in `--transcript-format`: `txt` (the default,
//! `Speaker: text` lines), `vtt`, `srt` or `json` (lossless), the same for every vendor. A
//! transcript without times (Hedy's, Heilo's) asked for as `vtt` or `srt` is written as `txt`,
//! as `export` does. The id is kept as is when it is made of ASCII letters, digits, `-` and
//! `_`; any other byte is written `%XX`.
//!
//! The transcript is the one the delivery carries (Hedy's `session.ended`, Heilo's events),
//! else it is fetched with the vendor's API client, whose credentials come from:
//!
//! | vendor | the delivery carries the text | API access for fetching |
//! |---|---|---|
//! | Speakr | never: `GET /recordings/{id}/transcript?format=json` (segments, speakers, times) | `--speakr-url` or `SPEAKR_URL`, and `SPEAKR_TOKEN` |
//! | Hedy | usually (`transcript`); else `GET /sessions/{id}` | `HEDY_API_KEY`, `--hedy-base-url` (EU: `https://eu-api.hedy.bot`) |
//! | Heilo | usually (`transcript_original`, `null` when unavailable); else `GET /calls/{id}` | `HEILO_API_KEY`, `--heilo-base-url` |
//! | Healthie | never: `query Appointment`, then each AI-Scribe WebVTT from its expiring URL, downloaded without credentials | `HEALTHIE_API_KEY`, `--healthie-endpoint` (staging: `https://staging-api.gethealthie.com/graphql`) |
//!
//! The receiver refuses to start when Speakr's or Healthie's route is mounted without API
//! access. Hedy and Heilo run without it; a delivery of theirs that carries no transcript
//! then fails as below, with a line naming the variable to set.
//!
//! Each transcript-ready delivery is processed inside its dedup claim: the transcript is
//! taken or fetched (one attempt, within half the `--lease`), rendered, and written durably:
//! a hidden temporary file in `DIR`, written and fsynced, renamed to its name, then `DIR`
//! fsynced. Only then is the claim completed and the delivery answered 200, printed as
//! `speakr recording.transcription.completed key=… wrote speakr-1.transcript.vtt segments=2
//! from=api` (`from=delivery` when the delivery carried the text). If the fetch fails, finds no
//! transcript, or the file cannot be written, the claim is released and the delivery
//! answered `503` with `Retry-After` (30 s, or longer when the vendor's API asked for it),
//! printed as `… failed: reason`: the vendor's retry is processed again, by whichever replica
//! gets it. A repeat of a written delivery is a `duplicate`, with no second fetch. A later
//! transcript-ready event for the same meeting (Speakr re-transcribing a recording, Heilo's
//! `call.transcribed` after `call.completed`) replaces the file with the newer transcript, so
//! `DIR` holds one whole file per meeting. Other events are printed as without the flag. A
//! crash between the write and the rename leaves a hidden `.NAME.….partial` file, never a
//! half file under a final name.
//!
//! Speakr, end to end: `recording.transcription.completed` names `recording_id` 1; the
//! receiver fetches `GET /api/v1/recordings/1/transcript?format=json` (segments with
//! `speaker`, `start_time`, `end_time`, `sentence`) and, with `--transcript-format vtt`, writes
//! `speakr-1.transcript.vtt` with a `<v SPEAKER_00>` cue per segment:
//!
//! ```text
//! SPEAKR_WEBHOOK_SECRET=… SPEAKR_URL=https://speakr.example.com SPEAKR_TOKEN=… \
//!   webhook-receiver --transcripts-dir transcripts --transcript-format vtt
//! ```
//!
//! Healthie's AI-Scribe flow: `appointment.transcript_available` is a thin payload (the
//! appointment's id in `resource_id`); the receiver asks for the appointment with API version
//! `2026-01-01`, takes its completed transcripts (the processed recording when there is one,
//! else the live captures, joined in order), downloads each WebVTT file from its expiring,
//! pre-signed URL with no API key or other credential, and writes
//! `healthie-<appointment>.transcript.vtt` with the speakers of its `<v …>` spans:
//!
//! ```text
//! HEALTHIE_WEBHOOK_SECRET=whsec_… HEALTHIE_API_KEY=… \
//!   webhook-receiver --transcripts-dir transcripts --transcript-format vtt
//! ```
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
//! retry is processed. A delivery whose processing is its line costs Redis one round trip: its
//! claim, which also records earlier deliveries as done (when no claim comes, they are recorded
//! within 5 ms; until then another replica answers a repeat 503, like an in-progress one, and
//! Ctrl-C records them before exiting). A transcript written with `--transcripts-dir` is
//! recorded before its 200. When Redis is down or slow (`--redis-timeout-ms`), every delivery is
//! answered 503 (`… error: …`) and the vendor retries later: nothing is processed without the
//! store, so nothing is processed twice or lost. `--handler-ms` makes each processing take that
//! long, to watch a replica take over. With `--transcripts-dir`, replicas sharing one Redis
//! and one directory write each transcript once between them: the replica holding the claim
//! writes the file, the others answer `in-progress` until it is done, then `duplicate`.
//!
//! The first line on standard output is `listening on http://ADDR` (`--listen 127.0.0.1:0`
//! picks a free port), then one line per route saying whether it is mounted, then, with
//! `--transcripts-dir`, lines starting `transcripts:` that say where each vendor's
//! transcripts come from. Ctrl-C stops the server after the requests in flight.
//!
//! Run it: `cargo run -p examples --bin webhook-receiver -- --speakr-secret s3cret`.

mod app;
mod pipeline;
#[path = "../../transcript_files.rs"]
mod transcript_files;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use client_core::RetryPolicy;
use transcripts::MeetingSource;
use webhook_verify::dedup;

use app::{Config, Dedup, Lines, OnUnverified};
use pipeline::{Pipeline, TranscriptDir};
use transcript_files::TranscriptFormatArg;

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
    /// The answer to a delivery whose signature, digest or timestamp does not verify: 401
    /// (`reject`) or 503 with `Retry-After: 30` (`retry`).
    ///
    /// Speakr never retries a 4xx other than 408 and 429 (and pauses the webhook after 10 in
    /// a row), but retries a 5xx up to four times, 30 s to 1 h apart, signing each attempt
    /// with the webhook's current secret. During a secret rotation, `reject` loses the
    /// deliveries signed with a secret the receiver does not know yet; with `retry` they
    /// come back and are processed once it has that secret. Malformed (400) and oversize
    /// (413) requests are answered the same either way.
    #[arg(long, value_enum, default_value_t = OnUnverified::Reject)]
    on_unverified: OnUnverified,
    /// Write the transcript of every "transcript ready" event into this directory (created if
    /// needed), as `<vendor>-<id>.transcript.<ext>`, before answering 200.
    #[arg(long, value_name = "DIR")]
    transcripts_dir: Option<PathBuf>,
    /// With --transcripts-dir, how transcripts are written, the same for every vendor: `txt`
    /// (`Speaker: text` lines), `vtt`, `srt` or `json` (lossless). Transcripts without times
    /// are written as `txt`.
    #[arg(long, value_enum, default_value_t = TranscriptFormatArg::Txt)]
    transcript_format: TranscriptFormatArg,
    /// With --transcripts-dir: the Speakr instance to fetch transcripts from (with the API
    /// token in SPEAKR_TOKEN).
    #[arg(long, env = "SPEAKR_URL")]
    speakr_url: Option<String>,
    /// With --transcripts-dir: Hedy's API address instead of the US region's (the EU region,
    /// a proxy, a test server); the key is HEDY_API_KEY.
    #[arg(long)]
    hedy_base_url: Option<String>,
    /// With --transcripts-dir: Heilo's API address, `/api/v1` included (a proxy, a test
    /// server); the key is HEILO_API_KEY.
    #[arg(long)]
    heilo_base_url: Option<String>,
    /// With --transcripts-dir: Healthie's GraphQL endpoint instead of production's (staging,
    /// a proxy, a test server); the key is HEALTHIE_API_KEY.
    #[arg(long)]
    healthie_endpoint: Option<String>,
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

async fn run(cli: Cli) -> Result<(), Fatal> {
    let lease = Duration::from_secs(cli.lease.max(1));
    let timeout = Duration::from_millis(cli.redis_timeout_ms.max(1));
    let dedup = Dedup::new(cli.redis.as_deref(), &cli.redis_prefix, lease, timeout)?;
    if cli.redis.is_some() {
        eprintln!(
            "webhook-receiver: dedup in Redis, keys {}:*",
            cli.redis_prefix
        );
    }
    // With --transcripts-dir: a pipeline per mounted vendor (checked before listening).
    let (pipelines, transcript_report) = transcript_pipelines(&cli, lease).await?;
    let (app, mut report) = app::router(Config {
        speakr_secret: cli.speakr_secret,
        hedy_secret: cli.hedy_secret,
        heilo_secret: cli.heilo_secret,
        healthie_secret: cli.healthie_secret,
        healthie_path: cli.healthie_path,
        body_limit: cli.body_limit,
        dedup: dedup.clone(),
        handler_time: Duration::from_millis(cli.handler_ms),
        on_unverified: cli.on_unverified,
        pipelines,
        lines: Lines::stdout(),
    });
    if !report.iter().any(|line| line.starts_with("mounted")) {
        return Err("no secret given: set at least one (see --help)".into());
    }
    report.extend(transcript_report);

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
    // Completions still waiting for a claim to carry them: record them before exiting.
    if let Err(e) = dedup.flush().await {
        eprintln!("webhook-receiver: {e}");
    }
    Ok(())
}

/// A non-blank environment variable.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The fetch clients try each request once: the vendor's retry of the delivery (answered
/// 503) is the retry, and no handler holds a delivery open while backing off.
fn one_attempt(builder: client_core::ClientBuilder) -> client_core::ClientBuilder {
    builder.retry_policy(RetryPolicy::never())
}

type Fatal = Box<dyn std::error::Error>;

/// With `--transcripts-dir`, the pipeline of each vendor whose route is mounted, with its
/// API client when its credentials are set, and the lines that say where each vendor's
/// transcripts come from. Fails when Speakr or Healthie is mounted without API access: their
/// deliveries never carry the transcript. Without `--transcripts-dir`, nothing.
async fn transcript_pipelines(
    cli: &Cli,
    lease: Duration,
) -> Result<(HashMap<&'static str, Pipeline>, Vec<String>), Fatal> {
    let (mut pipelines, mut report) = (HashMap::new(), Vec::new());
    let Some(dir) = &cli.transcripts_dir else {
        return Ok((pipelines, report));
    };
    let format = cli.transcript_format.format();
    let out = Arc::new(
        TranscriptDir::open(dir, format)
            .await
            .map_err(|e| format!("--transcripts-dir: cannot write there: {e}"))?,
    );
    let untimed = if format.needs_times() {
        " (transcripts without times as txt)"
    } else {
        ""
    };
    report.push(format!(
        "transcripts: writing {format}{untimed} to {}",
        out.path().display()
    ));
    // The claim must outlive the processing, or another replica could take the delivery
    // over: half the lease for the fetch leaves the rest for the write.
    let fetch_timeout = (lease / 2).max(Duration::from_secs(1));
    let mounted = |secrets: &[String]| !secrets.is_empty();
    let needs = |what: &str| {
        format!("--transcripts-dir: {what}, or leave that route unmounted (no webhook secret)")
    };
    let mut add = |vendor: &'static str,
                   source: Option<Arc<dyn MeetingSource>>,
                   access: &'static str,
                   line: String| {
        report.push(format!("transcripts: {vendor} {line}"));
        let pipeline = Pipeline::new(out.clone(), source, access, fetch_timeout);
        pipelines.insert(vendor, pipeline);
    };

    if mounted(&cli.speakr_secret) {
        let access = "--speakr-url (or SPEAKR_URL) and SPEAKR_TOKEN";
        let url = cli.speakr_url.as_deref().filter(|u| !u.trim().is_empty());
        let (Some(url), Some(token)) = (url, env("SPEAKR_TOKEN")) else {
            return Err(needs(&format!(
                "Speakr's deliveries carry no transcript, so it is fetched from the Speakr                  API: set {access}"
            ))
            .into());
        };
        let client = speakr_client::SpeakrClient::builder(token)
            .base_url(url)
            .configure(one_attempt)
            .build()?;
        add(
            "speakr",
            Some(Arc::new(client)),
            access,
            format!("fetched from {url}"),
        );
    }
    if mounted(&cli.hedy_secret) {
        let access = "HEDY_API_KEY (and --hedy-base-url outside the US region)";
        let url = cli.hedy_base_url.clone();
        let address = url
            .clone()
            .unwrap_or(hedy_client::Region::Us.base_url().to_owned());
        match env("HEDY_API_KEY") {
            Some(key) => {
                let mut builder = hedy_client::HedyClient::builder(key).configure(one_attempt);
                if let Some(url) = url {
                    builder = builder.base_url(url);
                }
                let line = format!("from the delivery, else fetched from {address}");
                add("hedy", Some(Arc::new(builder.build()?)), access, line);
            }
            None => add(
                "hedy",
                None,
                access,
                "from the delivery only: no HEDY_API_KEY, so a delivery without the                  transcript is answered 503"
                    .to_owned(),
            ),
        }
    }
    if mounted(&cli.heilo_secret) {
        let access = "HEILO_API_KEY";
        let url = cli.heilo_base_url.clone();
        let address = url
            .clone()
            .unwrap_or(heilo_client::DEFAULT_BASE_URL.to_owned());
        match env("HEILO_API_KEY") {
            Some(key) => {
                let mut builder = heilo_client::HeiloClient::builder(key).configure(one_attempt);
                if let Some(url) = url {
                    builder = builder.base_url(url);
                }
                let line = format!("from the delivery, else fetched from {address}");
                add("heilo", Some(Arc::new(builder.build()?)), access, line);
            }
            None => add(
                "heilo",
                None,
                access,
                "from the delivery only: no HEILO_API_KEY, so a delivery without the                  transcript is answered 503"
                    .to_owned(),
            ),
        }
    }
    if mounted(&cli.healthie_secret) {
        let access = "HEALTHIE_API_KEY (and --healthie-endpoint outside production)";
        let Some(key) = env("HEALTHIE_API_KEY") else {
            return Err(needs(&format!(
                "Healthie's deliveries carry no transcript, so it is fetched from the                  appointment's AI-Scribe files through the Healthie API: set {access}"
            ))
            .into());
        };
        let endpoint = cli
            .healthie_endpoint
            .clone()
            .unwrap_or(healthie_client::PRODUCTION_ENDPOINT.to_owned());
        let client = healthie_client::HealthieClient::builder(key)
            .base_url(endpoint.as_str())
            .configure(one_attempt)
            .build()?;
        add(
            "healthie",
            Some(Arc::new(client)),
            access,
            format!("fetched from {endpoint}"),
        );
    }
    Ok((pipelines, report))
}
