//! `export`: Speakr recordings, with their transcripts and summaries, as JSON Lines.
//!
//! ```text
//! export --url https://speakr.example.com --token TOKEN [--status completed] [--since 2026-01-01] [--out FILE]
//! export --mock                       # the built-in mock server: no account, no network
//! ```
//!
//! Writes one JSON object per recording (`id`, `title`, `status`, `created_at`,
//! `meeting_date`, `duration`, `tags`, `transcript`, `summary`) to standard output, or to
//! `--out FILE`. The recordings are streamed page by page (nothing is held in memory beyond
//! the current page); each one's transcript (JSON segments) and summary are fetched in turn.
//! `transcript` is `{"segments": [...]}`, `{"text": ...}` when Speakr stored plain text,
//! `{"error": ...}` when it stored a processing failure, and `null` when the recording has
//! no transcript (404); `summary` is `null` when there is none.
//!
//! The server comes from `--url` and `--token` (or `SPEAKR_URL` and `SPEAKR_TOKEN`); without a
//! URL, or with `--mock`, the export runs against speakr-client's mock server and says so on
//! standard error. Progress goes to standard error. Any other error stops the export with a
//! message and exit status 1.
//!
//! Run it: `cargo run -p examples --bin export -- --mock`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use futures::TryStreamExt;
use serde_json::{json, Value};
use speakr_client::mock::MockSpeakr;
use speakr_client::recordings::{JsonTranscript, Recording, StatusFilter};
use speakr_client::SpeakrClient;

type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

/// Export Speakr recordings with transcripts and summaries as JSON Lines.
#[derive(Debug, Parser)]
#[command(name = "export", version, long_about = None)]
struct Cli {
    /// The Speakr instance, e.g. `https://speakr.example.com` (without it: the mock server).
    #[arg(long, env = "SPEAKR_URL")]
    url: Option<String>,
    /// The API token (needed with --url).
    #[arg(long, env = "SPEAKR_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Export from speakr-client's built-in mock server (no account, no network).
    #[arg(long)]
    mock: bool,
    /// Only recordings in this state.
    #[arg(long, value_enum)]
    status: Option<StatusArg>,
    /// Only recordings from this date on (YYYY-MM-DD, Speakr's `date_from`).
    #[arg(long, value_parser = iso_date)]
    since: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// The listing's `status` filter.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusArg {
    All,
    Pending,
    Processing,
    Completed,
    Failed,
}

impl From<StatusArg> for StatusFilter {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::All => StatusFilter::All,
            StatusArg::Pending => StatusFilter::Pending,
            StatusArg::Processing => StatusFilter::Processing,
            StatusArg::Completed => StatusFilter::Completed,
            StatusArg::Failed => StatusFilter::Failed,
        }
    }
}

fn iso_date(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then(|| s.to_owned())
        .ok_or_else(|| format!("expected a date as YYYY-MM-DD, got {s:?}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    // Keep the mock server (if any) alive for the whole export.
    let (speakr, _mock) = match cli.url.as_deref().filter(|_| !cli.mock) {
        Some(url) => {
            let token = cli
                .token
                .as_deref()
                .ok_or("--url needs --token (or SPEAKR_TOKEN)")?;
            (SpeakrClient::new(url, token)?, None)
        }
        None => {
            if !cli.mock {
                eprintln!("export: no --url or SPEAKR_URL given, using the built-in mock server");
            }
            let mock = MockSpeakr::start().await;
            eprintln!("export: mock Speakr server at {}", mock.uri());
            (mock.client()?, Some(mock))
        }
    };
    let mut out: BufWriter<Box<dyn Write>> = BufWriter::new(match &cli.out {
        Some(path) => Box::new(
            File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    });

    let mut list = speakr.recordings().list().per_page(50);
    if let Some(status) = cli.status {
        list = list.status(status.into());
    }
    if let Some(since) = &cli.since {
        list = list.date_from(since.as_str());
    }
    let mut recordings = list.into_stream();
    let mut count = 0u64;
    while let Some(recording) = recordings
        .try_next()
        .await
        .map_err(|e| format!("listing recordings: {e}"))?
    {
        let line = export_one(&speakr, &recording).await?;
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        out.flush()?;
        count += 1;
        eprintln!(
            "export: #{} {} ({})",
            recording.id,
            recording.title.as_deref().unwrap_or("(untitled)"),
            describe(&line["transcript"])
        );
    }
    let target = cli
        .out
        .as_ref()
        .map_or("standard output".into(), |p| p.display().to_string());
    eprintln!("export: {count} recordings written to {target}");
    Ok(())
}

/// One recording's line: its metadata, transcript and summary.
async fn export_one(speakr: &SpeakrClient, r: &Recording) -> Result<Value> {
    let recordings = speakr.recordings();
    let transcript = match recordings.transcript_segments(r.id).await {
        Ok(t) => transcript_json(&t),
        Err(e) if e.is_not_found() => Value::Null,
        Err(e) => return Err(format!("transcript of recording #{}: {e}", r.id).into()),
    };
    let summary = if r.has_summary == Some(false) {
        None
    } else {
        match recordings.summary(r.id).await {
            Ok(s) => s.summary,
            Err(e) if e.is_not_found() => None,
            Err(e) => return Err(format!("summary of recording #{}: {e}", r.id).into()),
        }
    };
    Ok(json!({
        "id": r.id,
        "title": r.title,
        "status": r.status.as_str(),
        "created_at": r.created_at,
        "meeting_date": r.meeting_date,
        "duration": r.audio_duration,
        "tags": r.tags.iter().map(|t| json!({ "id": t.id, "name": t.name })).collect::<Vec<_>>(),
        "transcript": transcript,
        "summary": summary,
    }))
}

fn transcript_json(t: &JsonTranscript) -> Value {
    if let Some(failure) = t.transcription_error() {
        return json!({ "error": failure.message.or(failure.title) });
    }
    match &t.raw {
        Some(text) if t.segments.is_empty() => json!({ "text": text }),
        _ => {
            let segments: Vec<Value> = t
                .segments
                .iter()
                .map(|s| {
                    json!({
                        "speaker": s.speaker,
                        "start": s.start_time,
                        "end": s.end_time,
                        "text": s.sentence,
                    })
                })
                .collect();
            json!({ "segments": segments })
        }
    }
}

fn describe(transcript: &Value) -> String {
    match transcript.get("segments").and_then(Value::as_array) {
        Some(segments) => format!("{} segments", segments.len()),
        None if transcript.get("error").is_some() => "transcription failed".into(),
        None if transcript.is_null() => "no transcript".into(),
        None => "text transcript".into(),
    }
}
