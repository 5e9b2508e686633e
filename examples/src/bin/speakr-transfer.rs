//! Memory of a large Speakr upload and download through `speakr-client`.
//!
//! 1. Writes a 200 MiB file into a temporary directory.
//! 2. Starts a Speakr-like server in a **separate process** (this binary run with `--serve`), so
//!    that its memory does not count: it streams the multipart body, hashes the file part with
//!    SHA-256 as it arrives and reports the text fields, and serves a 200 MiB audio body through
//!    Speakr's `302` to a pre-signed URL.
//! 3. Uploads the file with `SpeakrClient` and checks that the server got the exact bytes and
//!    fields.
//! 4. Downloads the audio to disk with the streamed download and checks its hash.
//! 5. Prints this process's peak RSS (`VmHWM`) after each step.
//!
//! Run it in release mode: `cargo run --release -p examples --bin speakr-transfer`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use speakr_client::SpeakrClient;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

const SIZE: u64 = 200 * 1024 * 1024;
const CHUNK: usize = 1024 * 1024;
const TOKEN: &str = "transfer-token";
const UPLOAD_SEED: u64 = 0x5EED_0001;
const AUDIO_SEED: u64 = 0x5EED_0002;
const UPLOAD_RESPONSE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../speakr-client/fixtures/recording_upload.json"
));

/// What the server reports about an upload (one JSON line on its stdout).
#[derive(Debug, Serialize, Deserialize)]
struct UploadReport {
    sha256: String,
    bytes: u64,
    file_name: Option<String>,
    fields: BTreeMap<String, String>,
}

#[tokio::main]
async fn main() -> Result<()> {
    if std::env::args().any(|a| a == "--serve") {
        return serve().await;
    }
    run().await
}

// ---------------------------------------------------------------------------------------------
// Client side (the process that is measured)

async fn run() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("speakr-transfer-{}", std::process::id()));
    tokio::fs::create_dir_all(&dir).await?;
    let result = measure(&dir).await;
    tokio::fs::remove_dir_all(&dir).await.ok();
    result
}

async fn measure(dir: &Path) -> Result<()> {
    println!("speakr-transfer: {} MiB each way", SIZE / (1024 * 1024));
    report("start")?;

    // 1. The file to upload, written in 1 MiB chunks.
    let upload_path = dir.join("meeting.wav");
    let started = Instant::now();
    let expected_upload = write_generated(&upload_path, UPLOAD_SEED).await?;
    println!(
        "1. wrote {} ({:.1} s)",
        upload_path.display(),
        started.elapsed().as_secs_f64()
    );
    report("after creating the file")?;

    // 2. The server, in a child process.
    let exe = std::env::current_exe()?;
    let mut child = tokio::process::Command::new(exe)
        .arg("--serve")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout from the server")?;
    let mut lines = BufReader::new(stdout).lines();
    let port: u16 = lines
        .next_line()
        .await?
        .and_then(|l| l.strip_prefix("LISTENING ").map(str::to_owned))
        .ok_or("the server did not start")?
        .parse()?;
    println!(
        "2. server process {} listening on 127.0.0.1:{port}",
        child.id().unwrap_or_default()
    );

    let speakr = SpeakrClient::builder(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .without_rate_limits()
        .build()?;

    // 3. Upload.
    let started = Instant::now();
    let recording = speakr
        .recordings()
        .upload_file(&upload_path)
        .content_type("audio/wav")
        .title("Two hundred mebibytes")
        .notes("memory check")
        .language("en")
        .meeting_date("2026-11-20T10:00:00")
        .folder_id(1)
        .tag_ids([1, 2])
        .keep_audio_only(true)
        .send()
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    let line = lines
        .next_line()
        .await?
        .ok_or("the server reported nothing")?;
    let got: UploadReport = serde_json::from_str(&line)?;
    let want_fields: BTreeMap<String, String> = [
        ("title", "Two hundred mebibytes"),
        ("notes", "memory check"),
        ("language", "en"),
        ("meeting_date", "2026-11-20T10:00:00"),
        ("folder_id", "1"),
        ("tag_ids[0]", "1"),
        ("tag_ids[1]", "2"),
        ("keep_audio_only", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    check(got.bytes == SIZE, "the server got every byte")?;
    check(
        got.sha256 == expected_upload,
        "the server's SHA-256 matches the file",
    )?;
    check(got.fields == want_fields, "the server got every text field")?;
    check(
        got.file_name.as_deref() == Some("meeting.wav"),
        "the file name",
    )?;
    println!(
        "3. uploaded in {seconds:.1} s ({:.0} MiB/s): recording #{} {}; server sha256 {}… matches, {} fields match",
        SIZE as f64 / 1048576.0 / seconds,
        recording.id,
        recording.status,
        &got.sha256[..16],
        got.fields.len()
    );
    report("after the upload")?;

    // 4. Download (302 to a pre-signed URL, fetched without the token) straight to disk.
    let download_path = dir.join("audio.mp3");
    let started = Instant::now();
    let written = speakr
        .recordings()
        .audio(1)
        .download(true)
        .save_to(&download_path)
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    let got = hash_file(&download_path).await?;
    let want = hash_generated(AUDIO_SEED);
    check(written == SIZE, "every audio byte was written")?;
    check(got == want, "the downloaded file's SHA-256 matches")?;
    println!(
        "4. downloaded {} bytes in {seconds:.1} s ({:.0} MiB/s); sha256 {}… matches",
        written,
        SIZE as f64 / 1048576.0 / seconds,
        &got[..16]
    );
    report("after the download")?;

    child.kill().await.ok();
    let hwm = vm_hwm_kib()?;
    println!(
        "5. peak RSS of this (client) process: {:.1} MiB (goal < 64 MiB)",
        hwm as f64 / 1024.0
    );
    check(hwm < 64 * 1024, "peak RSS under 64 MiB")?;
    Ok(())
}

fn check(ok: bool, what: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

/// Peak resident set size of this process so far, in KiB (`VmHWM` of `/proc/self/status`).
fn vm_hwm_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status")?;
    Ok(line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()?)
}

fn report(step: &str) -> Result<()> {
    println!(
        "   peak RSS (VmHWM) {step}: {:.1} MiB",
        vm_hwm_kib()? as f64 / 1024.0
    );
    Ok(())
}

/// Deterministic pseudo-random bytes (xorshift64), chunk by chunk.
struct Generator {
    state: u64,
    left: u64,
}

impl Generator {
    fn new(seed: u64) -> Self {
        Generator {
            state: seed | 1,
            left: SIZE,
        }
    }

    fn next_chunk(&mut self, buf: &mut Vec<u8>) -> bool {
        if self.left == 0 {
            return false;
        }
        let n = usize::try_from(self.left.min(CHUNK as u64)).unwrap_or(CHUNK);
        buf.clear();
        while buf.len() < n {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            let take = (n - buf.len()).min(8);
            buf.extend_from_slice(&self.state.to_le_bytes()[..take]);
        }
        self.left -= n as u64;
        true
    }
}

async fn write_generated(path: &Path, seed: u64) -> Result<String> {
    let mut file = tokio::fs::File::create(path).await?;
    let mut generator = Generator::new(seed);
    let mut hasher = Sha256::new();
    let mut buf = Vec::with_capacity(CHUNK);
    while generator.next_chunk(&mut buf) {
        hasher.update(&buf);
        file.write_all(&buf).await?;
    }
    file.sync_all().await?;
    Ok(hex::encode(hasher.finalize()))
}

fn hash_generated(seed: u64) -> String {
    let mut generator = Generator::new(seed);
    let mut hasher = Sha256::new();
    let mut buf = Vec::with_capacity(CHUNK);
    while generator.next_chunk(&mut buf) {
        hasher.update(&buf);
    }
    hex::encode(hasher.finalize())
}

async fn hash_file(path: &Path) -> Result<String> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

// ---------------------------------------------------------------------------------------------
// Server side (the child process; its memory is not measured)

async fn serve() -> Result<()> {
    let app = Router::new()
        .route("/api/v1/recordings/upload", post(upload))
        .route("/api/v1/recordings/{id}/audio", get(audio_redirect))
        .route("/storage/audio.mp3", get(presigned_audio))
        .layer(DefaultBodyLimit::disable());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let mut out = tokio::io::stdout();
    out.write_all(format!("LISTENING {port}\n").as_bytes())
        .await?;
    out.flush().await?;
    axum::serve(listener, app).await?;
    Ok(())
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"))
}

fn login_redirect() -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, "/login?next=%2Fapi%2Fv1")],
    )
        .into_response()
}

/// Stream the multipart body: hash the file part chunk by chunk, keep the text fields.
async fn upload(headers: HeaderMap, mut form: Multipart) -> Response {
    if !authorized(&headers) {
        return login_redirect();
    }
    let mut report = UploadReport {
        sha256: String::new(),
        bytes: 0,
        file_name: None,
        fields: BTreeMap::new(),
    };
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            report.file_name = field.file_name().map(str::to_owned);
            let mut hasher = Sha256::new();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        report.bytes += chunk.len() as u64;
                        hasher.update(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
                }
            }
            report.sha256 = hex::encode(hasher.finalize());
        } else {
            match field.text().await {
                Ok(text) => {
                    report.fields.insert(name, text);
                }
                Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
            }
        }
    }
    if let Ok(line) = serde_json::to_string(&report) {
        let mut out = tokio::io::stdout();
        let _ = out.write_all(format!("{line}\n").as_bytes()).await;
        let _ = out.flush().await;
    }
    (
        StatusCode::ACCEPTED,
        [(header::CONTENT_TYPE, "application/json")],
        UPLOAD_RESPONSE,
    )
        .into_response()
}

/// Speakr answers the audio route with a 302 to a pre-signed storage URL.
async fn audio_redirect(UrlPath(id): UrlPath<u64>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return login_redirect();
    }
    (
        StatusCode::FOUND,
        [(
            header::LOCATION,
            format!("/storage/audio.mp3?recording={id}&X-Amz-Signature=s"),
        )],
    )
        .into_response()
}

/// The pre-signed URL: refuses the API token, streams the generated audio.
async fn presigned_audio(request: Request) -> Response {
    if request.headers().contains_key(header::AUTHORIZATION) {
        return (
            StatusCode::FORBIDDEN,
            "a pre-signed URL takes no Authorization",
        )
            .into_response();
    }
    let stream = futures::stream::unfold(Generator::new(AUDIO_SEED), |mut generator| async move {
        let mut buf = Vec::with_capacity(CHUNK);
        generator.next_chunk(&mut buf).then(|| {
            (
                Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)),
                generator,
            )
        })
    });
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "audio/mpeg".to_owned()),
            (header::CONTENT_LENGTH, SIZE.to_string()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=test.wav".to_owned(),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
