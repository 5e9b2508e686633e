//! `export`: every meeting, recording, call or session of an account, with its transcript,
//! summary and (Speakr, on request) audio, into a directory.
//!
//! ```text
//! export <hedy|speakr|heilo|healthie> --out DIR [--since YYYY-MM-DD] [--until YYYY-MM-DD]
//!        [--base-url URL] [--audio] [--concurrency N] [--region us|eu]
//!        [--environment production|staging] [--transcript-format txt|vtt|srt|json]
//! ```
//!
//! Credentials come from the environment: `HEDY_API_KEY` (with `--region`), `SPEAKR_URL` and
//! `SPEAKR_TOKEN`, `HEILO_API_KEY`, `HEALTHIE_API_KEY` (with `--environment`). `--base-url`
//! replaces the vendor's address (a proxy, a test server). With neither credentials nor
//! `--base-url`, the export runs against the vendor's built-in mock server on 127.0.0.1, and
//! its first line says so.
//!
//! `--since` and `--until` are UTC days, both inclusive, applied to the field each vendor's
//! listing filters on (Speakr and Heilo: `created_at`; Hedy: `startTime`; Healthie: `date`);
//! each index line names that field (`date_field`) beside its value (`date`).
//!
//! For each item, `DIR` gets `ID.json` (the vendor's record as received), `ID.transcript.EXT`
//! (every vendor's transcript in the one model of the `transcripts` crate, written as
//! `--transcript-format` says: `txt` by default, `Speaker: text` lines; `vtt`, `srt`, or the
//! lossless `json`; a transcript without times, as Hedy's, is written as `txt` whatever the
//! format, since WebVTT and SRT need times and inventing them would be a lie), `ID.summary.txt`
//! where the vendor has them,
//! `ID.audio.EXT` with `--audio` (Speakr; streamed to disk, `EXT` from the download's
//! `Content-Type`: `mp3` for Speakr's MP3, whatever the uploaded file was), and a line in
//! `index.jsonl` with the normalized fields (`meeting`: vendor, id, title, start, duration,
//! segment count, speakers). Every file is written under a hidden temporary name and renamed when whole;
//! the index line comes last. A second run skips the items in the
//! index (and re-exports those that were still changing, such as a recording being
//! transcribed), and finishes an item an interrupted run left half done, reusing its whole
//! files: nothing is fetched twice, duplicated or lost.
//!
//! Progress is a bar on a terminal, plain lines otherwise. An item that fails is named with
//! its error and the run goes on; a failure to write `DIR` (a full disk) ends it. When the
//! vendor says a quota is spent (a 429), a near reset is waited for; otherwise no more items
//! start, the items in flight finish, and the run ends saying which route's quota is spent:
//! the items left are not failed, and the same command resumes them later. The run ends with
//! `N exported, N skipped, N failed`, and exits with status 1 if anything failed, 130 when
//! Ctrl-C stopped it (after the items in flight), 75 (`EX_TEMPFAIL`) when a spent quota did.
//!
//! Run it: `cargo run -p examples --bin export -- speakr --out export-speakr`.

mod healthie;
mod hedy;
mod heilo;
mod output;
mod progress;
mod speakr;
#[path = "../../transcript_files.rs"]
mod transcript_files;
mod vendor;

use std::collections::HashSet;
use std::fmt::Debug;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use client_core::ErrorKind;
use futures::StreamExt;
use serde_json::{json, Map, Value};
use tokio::sync::watch;

use output::{Index, LocalError, OutDir, StreamError};
use progress::Progress;
use transcript_files::{safe_name, TranscriptFormatArg};
use vendor::{audio_extension, FetchError, Listed, Part, Vendor, Window};

/// Export an account's items, with transcripts and summaries, into a directory.
#[derive(Debug, Parser)]
#[command(name = "export", version, long_about = None)]
struct Cli {
    /// The platform.
    #[arg(value_enum)]
    vendor: VendorArg,
    /// The directory to write (created if needed; a later run continues it).
    #[arg(long)]
    out: PathBuf,
    /// Only items from this day on (YYYY-MM-DD).
    #[arg(long, value_parser = iso_date)]
    since: Option<String>,
    /// Only items up to this day, inclusive (YYYY-MM-DD).
    #[arg(long, value_parser = iso_date)]
    until: Option<String>,
    /// The API's address instead of the vendor's (Speakr: instead of SPEAKR_URL; Heilo:
    /// including `/api/v1`; Healthie: the GraphQL endpoint).
    #[arg(long)]
    base_url: Option<String>,
    /// Also save each item's audio (Speakr), streamed to disk.
    #[arg(long)]
    audio: bool,
    /// How many items to fetch at once, within the vendor's rate limits.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    concurrency: u16,
    /// Hedy: the region of the account.
    #[arg(long, value_enum, default_value_t = RegionArg::Us)]
    region: RegionArg,
    /// Healthie: the environment of the account.
    #[arg(long, value_enum, default_value_t = EnvironmentArg::Production)]
    environment: EnvironmentArg,
    /// How transcripts are written, the same for every vendor: `txt` (`Speaker: text`
    /// lines), `vtt`, `srt` or `json` (lossless). Transcripts without times are written as
    /// `txt`.
    #[arg(long, value_enum, default_value_t = TranscriptFormatArg::Txt)]
    transcript_format: TranscriptFormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EnvironmentArg {
    Production,
    Staging,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum VendorArg {
    Hedy,
    Speakr,
    Heilo,
    Healthie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RegionArg {
    Us,
    Eu,
}

/// A calendar date as `YYYY-MM-DD`.
fn iso_date(s: &str) -> Result<String, String> {
    let bad = || format!("expected a date as YYYY-MM-DD, got {s:?}");
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return Err(bad());
    }
    let number = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(bad());
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if day == 0 || day > days {
        return Err(bad());
    }
    Ok(s.to_owned())
}

/// An error that stops the run before or between items.
type Fatal = Box<dyn std::error::Error + Send + Sync>;

/// A non-empty environment variable.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The vendor to export from, the mock server it runs against (kept alive for the run), and
/// the line that says where the items come from.
type Source = (Box<dyn Vendor>, Option<Box<dyn Debug + Send>>, String);

async fn source(cli: &Cli) -> Result<Source, Fatal> {
    let base_url = cli.base_url.clone();
    Ok(match cli.vendor {
        VendorArg::Hedy => {
            use hedy_client::mock::MockHedy;
            use hedy_client::{HedyClient, Region};
            match (env("HEDY_API_KEY"), base_url) {
                (None, None) => {
                    let mock = MockHedy::start().await;
                    let client = HedyClient::builder(mock.credential())
                        .base_url(mock.uri())
                        .build()?;
                    let line = mock_line("Hedy", "HEDY_API_KEY", &mock.uri());
                    (
                        Box::new(hedy::Hedy::new(client)),
                        Some(Box::new(mock)),
                        line,
                    )
                }
                (None, Some(_)) => return Err("--base-url needs HEDY_API_KEY".into()),
                (Some(key), url) => {
                    let region = match cli.region {
                        RegionArg::Us => Region::Us,
                        RegionArg::Eu => Region::Eu,
                    };
                    let mut builder = HedyClient::builder(key).region(region);
                    let address = url.clone().unwrap_or(region.base_url().to_owned());
                    if let Some(url) = url {
                        builder = builder.base_url(url);
                    }
                    let line = format!("export: Hedy sessions from {address}");
                    (Box::new(hedy::Hedy::new(builder.build()?)), None, line)
                }
            }
        }
        VendorArg::Speakr => {
            use speakr_client::mock::MockSpeakr;
            use speakr_client::SpeakrClient;
            let url = base_url.or(env("SPEAKR_URL"));
            match (url, env("SPEAKR_TOKEN")) {
                (None, None) => {
                    let mock = MockSpeakr::start().await;
                    let client = SpeakrClient::new(mock.uri(), mock.credential())?;
                    let line = mock_line("Speakr", "SPEAKR_URL, SPEAKR_TOKEN", &mock.uri());
                    (
                        Box::new(speakr::Speakr::new(client)),
                        Some(Box::new(mock)),
                        line,
                    )
                }
                (Some(_), None) => return Err("SPEAKR_TOKEN is not set".into()),
                (None, Some(_)) => return Err("SPEAKR_TOKEN needs SPEAKR_URL or --base-url".into()),
                (Some(url), Some(token)) => {
                    let client = SpeakrClient::new(&url, token)?;
                    let line = format!("export: Speakr recordings from {url}");
                    (Box::new(speakr::Speakr::new(client)), None, line)
                }
            }
        }
        VendorArg::Heilo => {
            use heilo_client::mock::MockHeilo;
            use heilo_client::HeiloClient;
            match (env("HEILO_API_KEY"), base_url) {
                (None, None) => {
                    let mock = MockHeilo::start().await;
                    let client = HeiloClient::builder(mock.credential())
                        .base_url(mock.uri())
                        .build()?;
                    let line = mock_line("Heilo", "HEILO_API_KEY", &mock.uri());
                    (
                        Box::new(heilo::Heilo::new(client)),
                        Some(Box::new(mock)),
                        line,
                    )
                }
                (None, Some(_)) => return Err("--base-url needs HEILO_API_KEY".into()),
                (Some(key), url) => {
                    let mut builder = HeiloClient::builder(key);
                    let address = url
                        .clone()
                        .unwrap_or("https://www.heilo.io/api/v1".to_owned());
                    if let Some(url) = url {
                        builder = builder.base_url(url);
                    }
                    let line = format!("export: Heilo calls from {address}");
                    (Box::new(heilo::Heilo::new(builder.build()?)), None, line)
                }
            }
        }
        VendorArg::Healthie => {
            use healthie_client::mock::MockHealthie;
            use healthie_client::{Environment, HealthieClient};
            match (env("HEALTHIE_API_KEY"), base_url) {
                (None, None) => {
                    let mock = MockHealthie::start().await;
                    let client = HealthieClient::builder(mock.credential())
                        .base_url(mock.endpoint())
                        .build()?;
                    let line = mock_line("Healthie", "HEALTHIE_API_KEY", &mock.endpoint());
                    (
                        Box::new(healthie::Healthie::new(client)),
                        Some(Box::new(mock)),
                        line,
                    )
                }
                (None, Some(_)) => return Err("--base-url needs HEALTHIE_API_KEY".into()),
                (Some(key), url) => {
                    let environment = match cli.environment {
                        EnvironmentArg::Production => Environment::Production,
                        EnvironmentArg::Staging => Environment::Staging,
                    };
                    let mut builder = HealthieClient::builder(key).environment(environment);
                    let address = url.clone().unwrap_or(environment.endpoint().to_owned());
                    if let Some(url) = url {
                        builder = builder.base_url(url);
                    }
                    let line = format!("export: Healthie appointments from {address}");
                    (
                        Box::new(healthie::Healthie::new(builder.build()?)),
                        None,
                        line,
                    )
                }
            }
        }
    })
}

fn mock_line(vendor: &str, credentials: &str, url: &str) -> String {
    format!(
        "export: no credentials ({credentials}) and no --base-url: exporting from the built-in {vendor} mock server at {url}"
    )
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("export: {e}");
            ExitCode::FAILURE
        }
    }
}

/// How one item ended.
enum Outcome {
    Exported,
    Failed(String),
    Fatal(LocalError),
    /// The vendor's quota for a route is spent: the item is left for the next run.
    QuotaSpent(Quota),
    NotStarted,
}

/// A quota the vendor said is spent (a 429 the client reported as `RateLimited`): the route it
/// belongs to and the error.
struct Quota {
    route: &'static str,
    error: String,
}

/// The exit status of a run stopped because a quota is spent (`EX_TEMPFAIL`: try again later).
const EXIT_QUOTA: u8 = 75;

/// A quota whose reset is at most this far away is waited for; a later one (or one the server
/// names no time for) stops the run, to be resumed later.
const QUOTA_WAIT_AT_MOST: Duration = Duration::from_secs(120);

/// How many times one item waits for a quota before the run stops instead.
const QUOTA_WAITS_PER_ITEM: u32 = 3;

/// What every item's export shares.
struct Job {
    vendor: Box<dyn Vendor>,
    out: OutDir,
    index: Index,
    audio: bool,
    /// How transcripts are written.
    transcript_format: transcripts::Format,
    progress: Progress,
    /// Set when no more items should start: a local failure, or a spent quota.
    halt: AtomicBool,
}

async fn run(cli: Cli) -> Result<ExitCode, Fatal> {
    let window = Window {
        since: cli.since.clone(),
        until: cli.until.clone(),
    };
    if let (Some(since), Some(until)) = (&window.since, &window.until) {
        if since > until {
            return Err(format!("--since {since} is after --until {until}").into());
        }
    }
    if cli.audio && cli.vendor != VendorArg::Speakr {
        return Err("--audio: only Speakr serves recordings' audio".into());
    }
    let (vendor, _mock, line) = source(&cli).await?;
    println!("{line}");

    let out = OutDir::open(&cli.out).await?;
    let index = Index::load(&out).await?;

    // Ctrl-C: stop listing and starting items; a second one quits at once.
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "export: interrupted: finishing the items in flight (Ctrl-C again quits now)"
            );
            let _ = stop_tx.send(true);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    let stopped = |rx: &watch::Receiver<bool>| *rx.borrow();

    // List first: the total makes the progress and its ETA meaningful.
    let mut listing = vendor.list(&window);
    let mut todo = Vec::new();
    let mut seen = HashSet::new();
    let mut skipped = 0u64;
    let mut listing_error = None;
    let mut quotas: Vec<Quota> = Vec::new();
    let mut wait_stop = stop_rx.clone();
    loop {
        let next = tokio::select! {
            next = listing.next() => next,
            _ = wait_stop.wait_for(|s| *s) => break,
        };
        match next {
            None => break,
            Some(Err(e)) => {
                match e {
                    FetchError::Api(e) if e.is_rate_limited() => quotas.push(Quota {
                        route: vendor.route(Part::Listing),
                        error: e.to_string(),
                    }),
                    e => listing_error = Some(e),
                }
                break;
            }
            Some(Ok(item)) => {
                // The vendor's own filter is only as exact as its documentation: the window
                // is applied to the field it filters on here too (Hedy has no filter at all).
                if !window.contains(item.date.as_deref()) || !seen.insert(item.id.clone()) {
                    continue;
                }
                if index
                    .get(&item.id)
                    .is_some_and(|e| e.is_complete(cli.audio))
                {
                    skipped += 1;
                } else {
                    todo.push(item);
                }
            }
        }
    }
    drop(listing);
    println!(
        "export: {} {} items to fetch, {skipped} already in {}",
        todo.len(),
        vendor.name(),
        cli.out.display()
    );
    if let Some(quota) = quotas.first() {
        eprintln!(
            "export: the {} quota for {} is spent ({}): the listing stopped early",
            vendor.label(),
            quota.route,
            quota.error
        );
    }

    let job = Arc::new(Job {
        vendor,
        out,
        index,
        audio: cli.audio,
        transcript_format: cli.transcript_format.format(),
        progress: Progress::new(todo.len() as u64),
        halt: AtomicBool::new(false),
    });
    let mut done = 0u64;
    let mut exported = 0u64;
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut fatal: Option<LocalError> = None;
    let mut not_started = 0u64;
    let mut not_done = 0u64;
    {
        let mut results = futures::stream::iter(todo)
            .map(|item| {
                let job = job.clone();
                let stop = stop_rx.clone();
                async move {
                    if stopped(&stop) || job.halt.load(Ordering::Relaxed) {
                        return (item.id, Outcome::NotStarted);
                    }
                    let outcome = export_item(&job, &item, stop).await;
                    (item.id, outcome)
                }
            })
            .buffer_unordered(usize::from(cli.concurrency));
        while let Some((id, outcome)) = results.next().await {
            match outcome {
                Outcome::Exported => exported += 1,
                Outcome::Failed(error) => {
                    job.progress.note(&format!(
                        "export: {} {id} failed: {error}",
                        job.vendor.name()
                    ));
                    failed.push((id, error));
                }
                Outcome::Fatal(error) => {
                    // Start no more items: a full disk will not empty itself.
                    job.halt.store(true, Ordering::Relaxed);
                    if fatal.is_none() {
                        job.progress.note(&format!("export: {error}; stopping"));
                        fatal = Some(error);
                    }
                    failed.push((id, "not written".to_owned()));
                }
                Outcome::QuotaSpent(quota) => {
                    // Start no more items; the ones in flight finish (or meet the same
                    // quota). This one is left for the next run: not failed, not in the index.
                    job.halt.store(true, Ordering::Relaxed);
                    if quotas.iter().all(|q| q.route != quota.route) {
                        job.progress.note(&format!(
                            "export: the {} quota for {} is spent ({}): finishing the items in flight, starting no more",
                            job.vendor.label(),
                            quota.route,
                            quota.error
                        ));
                        quotas.push(quota);
                    }
                    not_done += 1;
                    continue;
                }
                Outcome::NotStarted => {
                    not_started += 1;
                    continue;
                }
            }
            done += 1;
            job.progress.item_done(done, failed.len() as u64);
        }
    }
    job.progress.finish();
    let job = Arc::into_inner(job).ok_or("an item's export outlived the run")?;
    job.index.compact(&job.out).await?;

    for (id, error) in &failed {
        eprintln!("export: failed: {id}: {error}");
    }
    if let Some(e) = &listing_error {
        eprintln!("export: listing stopped early: {e}");
        if matches!(e, FetchError::Api(e) if e.kind() == ErrorKind::Pagination) {
            eprintln!(
                "export: the listing's pages did not add up, so it was stopped; the items listed before were exported"
            );
        }
    }
    let interrupted = *stop_rx.borrow();
    let mut summary = format!(
        "export: {exported} exported, {skipped} skipped, {} failed",
        failed.len()
    );
    let mut notes = Vec::new();
    if interrupted {
        notes.push(format!("interrupted: {not_started} not started"));
        if not_done > 0 {
            notes.push(format!("quota spent: {not_done} left for the next run"));
        }
    } else if !quotas.is_empty() {
        let left = not_done + not_started;
        notes.push(format!("quota spent: {left} left for the next run"));
    }
    if !notes.is_empty() {
        summary.push_str(&format!(" ({})", notes.join("; ")));
    }
    println!("{summary}");
    for quota in &quotas {
        eprintln!(
            "export: the {} quota for {} is spent; run the same command again later to resume",
            job.vendor.label(),
            quota.route
        );
    }
    if let Some(e) = fatal {
        return Err(e.into());
    }
    Ok(if !failed.is_empty() || listing_error.is_some() {
        ExitCode::FAILURE
    } else if interrupted {
        ExitCode::from(130)
    } else if !quotas.is_empty() {
        ExitCode::from(EXIT_QUOTA)
    } else {
        ExitCode::SUCCESS
    })
}

/// Export one item: its record, transcript, summary and audio, then its index line. Whole
/// files an interrupted run left are reused, unless the index says the item was still
/// changing. A spent quota whose reset is near is waited for (unless the run is stopping);
/// otherwise the item is left for the next run.
async fn export_item(job: &Job, item: &Listed, mut stop: watch::Receiver<bool>) -> Outcome {
    let mut waits = 0;
    loop {
        let (part, e) = match try_export_item(job, item).await {
            Ok(()) => return Outcome::Exported,
            Err(ItemError::Local(e)) => return Outcome::Fatal(e),
            Err(ItemError::Fetch(part, FetchError::Api(e))) if e.is_rate_limited() => (part, e),
            Err(ItemError::Fetch(part, e)) => return Outcome::Failed(format!("{part}: {e}")),
        };
        let route = job.vendor.route(part);
        let wait = e.retry_after().filter(|w| *w <= QUOTA_WAIT_AT_MOST);
        match wait {
            Some(wait)
                if waits < QUOTA_WAITS_PER_ITEM
                    && !job.halt.load(Ordering::Relaxed)
                    && !*stop.borrow() =>
            {
                waits += 1;
                job.progress.note(&format!(
                    "export: the {} quota for {route} is spent for {:.0} s: {} {} waits",
                    job.vendor.label(),
                    wait.as_secs_f64().ceil(),
                    job.vendor.name(),
                    item.id
                ));
                let stopping = async {
                    // A closed channel means no Ctrl-C can come: wait the whole time.
                    if stop.wait_for(|s| *s).await.is_err() {
                        std::future::pending::<()>().await;
                    }
                };
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stopping => {
                        return Outcome::QuotaSpent(Quota {
                            route,
                            error: e.to_string(),
                        });
                    }
                }
            }
            _ => {
                return Outcome::QuotaSpent(Quota {
                    route,
                    error: e.to_string(),
                })
            }
        }
    }
}

enum ItemError {
    Fetch(Part, FetchError),
    Local(LocalError),
}

impl From<LocalError> for ItemError {
    fn from(e: LocalError) -> Self {
        ItemError::Local(e)
    }
}

/// The audio file names an earlier run may have left for an item: the one its index line
/// names, then one per extension the export gives audio (earlier versions named the file after
/// the original's extension, or `audio` without one).
fn audio_candidates(base: &str, indexed: Option<&str>, original: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = indexed.map(str::to_owned).into_iter().collect();
    let extensions = original
        .into_iter()
        .chain(["mp3", "wav", "m4a", "ogg", "webm", "flac", "bin", "audio"]);
    for ext in extensions {
        let name = format!("{base}.audio.{ext}");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

async fn try_export_item(job: &Job, item: &Listed) -> Result<(), ItemError> {
    let (vendor, out) = (&job.vendor, &job.out);
    let entry = job.index.get(&item.id);
    let reuse = entry.is_none_or(|e| e.line.get("settled").and_then(Value::as_bool) == Some(true));
    let base = safe_name(&item.id);
    let mut files = Map::new();

    let record_name = format!("{base}.json");
    let on_disk = if reuse && !vendor.record_expires() && out.exists(&record_name).await {
        serde_json::from_slice::<Value>(&out.read(&record_name).await?).ok()
    } else {
        None
    };
    let record = match on_disk {
        Some(record) => record,
        None => {
            let body = vendor
                .record(item)
                .await
                .map_err(|e| ItemError::Fetch(Part::Record, e))?;
            let record = serde_json::from_slice::<Value>(&body).map_err(|e| {
                ItemError::Fetch(Part::Record, FetchError::Shape(format!("not JSON: {e}")))
            })?;
            out.write(&record_name, &body).await?;
            record
        }
    };
    files.insert("record".into(), json!(record_name));

    // The file is named after the format it was written in: the one asked for, or `txt` for
    // a transcript without times. A whole file of an earlier run in either is reused.
    let format = job.transcript_format;
    let candidates =
        [format, transcripts::Format::Text].map(|f| format!("{base}.transcript.{}", f.extension()));
    let mut existing = None;
    for name in &candidates {
        if reuse && out.exists(name).await {
            // Read back, so that its index fields are the same as when it was written.
            let format = name.rsplit('.').next().and_then(|ext| ext.parse().ok());
            let text = out.read(name).await?;
            let read_back = format
                .and_then(|f: transcripts::Format| f.parse(&String::from_utf8_lossy(&text)).ok());
            if let Some(t) = read_back {
                existing = Some((name.clone(), t));
                break;
            }
        }
    }
    let mut transcript_fields = Map::new();
    let summarize = |fields: &mut Map<String, Value>, t: &transcripts::Transcript| {
        fields.insert("segments".into(), json!(t.segments.len()));
        fields.insert("speakers".into(), json!(t.speakers()));
        if let Some(language) = &t.language {
            fields.insert("language".into(), json!(language));
        }
    };
    if let Some((name, transcript)) = existing {
        files.insert("transcript".into(), json!(name));
        summarize(&mut transcript_fields, &transcript);
    } else if let Some(transcript) = vendor
        .transcript(item, &record)
        .await
        .map_err(|e| ItemError::Fetch(Part::Transcript, e))?
    {
        let (written_as, text) = transcript_files::render(format, &transcript)
            .map_err(|e| ItemError::Fetch(Part::Transcript, FetchError::Shape(e.to_string())))?;
        let name = format!("{base}.transcript.{}", written_as.extension());
        out.write(&name, text.as_bytes()).await?;
        files.insert("transcript".into(), json!(name));
        summarize(&mut transcript_fields, &transcript);
    }

    let name = format!("{base}.summary.txt");
    if reuse && out.exists(&name).await {
        files.insert("summary".into(), json!(name));
    } else if let Some(text) = vendor
        .summary(item, &record)
        .await
        .map_err(|e| ItemError::Fetch(Part::Summary, e))?
    {
        out.write(&name, text.as_bytes()).await?;
        files.insert("summary".into(), json!(name));
    }

    if job.audio && vendor.has_audio(&record) {
        // The extension comes from the download's `Content-Type`, known only once it
        // answers: a file an earlier run left is found under any of the names it may have.
        let original = vendor.original_extension(&record);
        let indexed = entry
            .and_then(|e| e.line.pointer("/files/audio"))
            .and_then(Value::as_str);
        let candidates = audio_candidates(&base, indexed, original.as_deref());
        let mut existing = None;
        for name in &candidates {
            if out.exists(name).await {
                existing = Some(name.clone());
                break;
            }
        }
        match existing {
            Some(name) if reuse => {
                files.insert("audio".into(), json!(name));
            }
            _ => {
                let download = vendor
                    .audio(item)
                    .await
                    .map_err(|e| ItemError::Fetch(Part::Audio, e))?;
                if let Some(download) = download {
                    let name = format!("{base}.audio.{}", audio_extension(&download, original));
                    match out.write_stream(&name, download).await {
                        Ok(_) => {
                            // A file of the item's earlier audio under another name goes.
                            for old in candidates.iter().filter(|c| **c != name) {
                                out.remove(old).await;
                            }
                            files.insert("audio".into(), json!(name));
                        }
                        Err(StreamError::Remote(e)) => {
                            return Err(ItemError::Fetch(Part::Audio, FetchError::Api(e)))
                        }
                        Err(StreamError::Local(e)) => return Err(e.into()),
                    }
                }
            }
        }
    }

    // The normalized fields, the same for every vendor.
    let mut meeting = Map::new();
    if let Some(m) = vendor.meeting(&record) {
        meeting.insert("vendor".into(), json!(m.vendor.as_str()));
        meeting.insert("id".into(), json!(m.id));
        meeting.insert("title".into(), json!(m.title));
        meeting.insert("start".into(), json!(m.start));
        meeting.insert(
            "duration_ms".into(),
            json!(m.duration.map(|d| d.as_millis() as u64)),
        );
        meeting.insert("participants".into(), json!(m.participants));
    }
    meeting.extend(transcript_fields);
    let line = json!({
        "id": item.id,
        "date_field": item.date_field,
        "date": item.date,
        "title": item.title,
        "meeting": meeting,
        "files": files,
        "settled": vendor.settled(&record),
        "audio_checked": job.audio,
    });
    job.index.append(&line).await?;
    Ok(())
}
