//! `export`: every meeting, recording, call or session of an account, with its transcript,
//! summary and (Speakr, on request) audio, into a directory.
//!
//! ```text
//! export <hedy|speakr|heilo|healthie> --out DIR [--since YYYY-MM-DD] [--until YYYY-MM-DD]
//!        [--base-url URL] [--audio] [--concurrency N] [--region us|eu]
//!        [--environment production|staging]
//! ```
//!
//! Credentials come from the environment: `HEDY_API_KEY` (with `--region`), `SPEAKR_URL` and
//! `SPEAKR_TOKEN`, `HEILO_API_KEY`, `HEALTHIE_API_KEY` (with `--environment`). `--base-url` replaces the vendor's address (a proxy, a
//! test server). With neither credentials nor `--base-url`, the export runs against the
//! vendor's built-in mock server on 127.0.0.1, and its first line says so.
//!
//! For each item, `DIR` gets `ID.json` (the vendor's record as received), `ID.transcript.txt`
//! (Healthie: `ID.transcript.vtt`), `ID.summary.txt` where the vendor has them, `ID.audio.EXT` with `--audio` (Speakr; streamed
//! to disk), and a line in `index.jsonl`. Every file is written under a hidden temporary name
//! and renamed when whole; the index line comes last. A second run skips the items in the
//! index (and re-exports those that were still changing, such as a recording being
//! transcribed), and finishes an item an interrupted run left half done, reusing its whole
//! files: nothing is fetched twice, duplicated or lost.
//!
//! Progress is a bar on a terminal, plain lines otherwise. An item that fails is named with
//! its error and the run goes on; a failure to write `DIR` (a full disk) ends it. The run
//! ends with `N exported, N skipped, N failed`, and exits with status 1 if anything failed,
//! 130 when Ctrl-C stopped it (after the items in flight).
//!
//! Run it: `cargo run -p examples --bin export -- speakr --out export-speakr`.

mod healthie;
mod hedy;
mod heilo;
mod output;
mod progress;
mod speakr;
mod vendor;

use std::collections::HashSet;
use std::fmt::Debug;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, ValueEnum};
use futures::StreamExt;
use serde_json::{json, Map, Value};
use tokio::sync::watch;

use output::{safe_name, Index, LocalError, OutDir, StreamError};
use progress::Progress;
use vendor::{FetchError, Listed, Vendor, Window};

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
                    let client = HedyClient::builder(mock.api_key())
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
                    let client = SpeakrClient::new(mock.uri(), mock.token())?;
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
                    let client = HeiloClient::builder(mock.api_key())
                        .base_url(mock.base_url())
                        .build()?;
                    let line = mock_line("Heilo", "HEILO_API_KEY", &mock.base_url());
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
                    let client = HealthieClient::builder(mock.api_key())
                        .endpoint(mock.endpoint())
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
                        builder = builder.endpoint(url);
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
    NotStarted,
}

/// What every item's export shares.
struct Job {
    vendor: Box<dyn Vendor>,
    out: OutDir,
    index: Index,
    audio: bool,
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
    let mut wait_stop = stop_rx.clone();
    loop {
        let next = tokio::select! {
            next = listing.next() => next,
            _ = wait_stop.wait_for(|s| *s) => break,
        };
        match next {
            None => break,
            Some(Err(e)) => {
                listing_error = Some(e);
                break;
            }
            Some(Ok(item)) => {
                if !seen.insert(item.id.clone()) {
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

    let job = Arc::new(Job {
        vendor,
        out,
        index,
        audio: cli.audio,
    });
    let progress = Progress::new(todo.len() as u64);
    let mut done = 0u64;
    let mut exported = 0u64;
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut fatal: Option<LocalError> = None;
    let mut not_started = 0u64;
    let halt = Arc::new(AtomicBool::new(false));
    {
        let mut results = futures::stream::iter(todo)
            .map(|item| {
                let job = job.clone();
                let stop = stop_rx.clone();
                let halt = halt.clone();
                async move {
                    if stopped(&stop) || halt.load(Ordering::Relaxed) {
                        return (item.id, Outcome::NotStarted);
                    }
                    let outcome = export_item(&job, &item).await;
                    (item.id, outcome)
                }
            })
            .buffer_unordered(usize::from(cli.concurrency));
        while let Some((id, outcome)) = results.next().await {
            match outcome {
                Outcome::Exported => exported += 1,
                Outcome::Failed(error) => {
                    progress.note(&format!(
                        "export: {} {id} failed: {error}",
                        job.vendor.name()
                    ));
                    failed.push((id, error));
                }
                Outcome::Fatal(error) => {
                    // Start no more items: a full disk will not empty itself.
                    halt.store(true, Ordering::Relaxed);
                    if fatal.is_none() {
                        progress.note(&format!("export: {error}; stopping"));
                        fatal = Some(error);
                    }
                    failed.push((id, "not written".to_owned()));
                }
                Outcome::NotStarted => {
                    not_started += 1;
                    continue;
                }
            }
            done += 1;
            progress.item_done(done, failed.len() as u64);
        }
    }
    progress.finish();
    let job = Arc::into_inner(job).ok_or("an item's export outlived the run")?;
    job.index.compact(&job.out).await?;

    for (id, error) in &failed {
        eprintln!("export: failed: {id}: {error}");
    }
    if let Some(e) = &listing_error {
        eprintln!("export: listing stopped early: {e}");
    }
    let interrupted = *stop_rx.borrow();
    let mut summary = format!(
        "export: {exported} exported, {skipped} skipped, {} failed",
        failed.len()
    );
    if interrupted {
        summary.push_str(&format!(" (interrupted: {not_started} not started)"));
    }
    println!("{summary}");
    if let Some(e) = fatal {
        return Err(e.into());
    }
    Ok(if !failed.is_empty() || listing_error.is_some() {
        ExitCode::FAILURE
    } else if interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

/// Export one item: its record, transcript, summary and audio, then its index line. Whole
/// files an interrupted run left are reused, unless the index says the item was still
/// changing.
async fn export_item(job: &Job, item: &Listed) -> Outcome {
    match try_export_item(job, item).await {
        Ok(()) => Outcome::Exported,
        Err(ItemError::Fetch(what, e)) => Outcome::Failed(format!("{what}: {e}")),
        Err(ItemError::Local(e)) => Outcome::Fatal(e),
    }
}

enum ItemError {
    Fetch(&'static str, FetchError),
    Local(LocalError),
}

impl From<LocalError> for ItemError {
    fn from(e: LocalError) -> Self {
        ItemError::Local(e)
    }
}

async fn try_export_item(job: &Job, item: &Listed) -> Result<(), ItemError> {
    let (vendor, out) = (&job.vendor, &job.out);
    let reuse = job
        .index
        .get(&item.id)
        .is_none_or(|e| e.line.get("settled").and_then(Value::as_bool) == Some(true));
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
                .map_err(|e| ItemError::Fetch("record", e))?;
            let record = serde_json::from_slice::<Value>(&body).map_err(|e| {
                ItemError::Fetch("record", FetchError::Shape(format!("not JSON: {e}")))
            })?;
            out.write(&record_name, &body).await?;
            record
        }
    };
    files.insert("record".into(), json!(record_name));

    let name = format!("{base}.transcript.{}", vendor.transcript_extension());
    if reuse && out.exists(&name).await {
        files.insert("transcript".into(), json!(name));
    } else if let Some(text) = vendor
        .transcript(item, &record)
        .await
        .map_err(|e| ItemError::Fetch("transcript", e))?
    {
        out.write(&name, text.as_bytes()).await?;
        files.insert("transcript".into(), json!(name));
    }

    let name = format!("{base}.summary.txt");
    if reuse && out.exists(&name).await {
        files.insert("summary".into(), json!(name));
    } else if let Some(text) = vendor
        .summary(item, &record)
        .await
        .map_err(|e| ItemError::Fetch("summary", e))?
    {
        out.write(&name, text.as_bytes()).await?;
        files.insert("summary".into(), json!(name));
    }

    if job.audio {
        if let Some(extension) = vendor.audio_extension(&record) {
            let name = format!("{base}.audio.{extension}");
            if reuse && out.exists(&name).await {
                files.insert("audio".into(), json!(name));
            } else if let Some(download) = vendor
                .audio(item)
                .await
                .map_err(|e| ItemError::Fetch("audio", e))?
            {
                match out.write_stream(&name, download).await {
                    Ok(_) => {
                        files.insert("audio".into(), json!(name));
                    }
                    Err(StreamError::Remote(e)) => {
                        return Err(ItemError::Fetch("audio", FetchError::Api(e)))
                    }
                    Err(StreamError::Local(e)) => return Err(e.into()),
                }
            }
        }
    }

    let line = json!({
        "id": item.id,
        "date": item.date,
        "title": item.title,
        "files": files,
        "settled": vendor.settled(&record),
        "audio_checked": job.audio,
    });
    job.index.append(&line).await?;
    Ok(())
}
