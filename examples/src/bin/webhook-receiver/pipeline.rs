//! The transcript pipeline of `--transcripts-dir`: for a verified "transcript ready" event,
//! the transcript (carried by the delivery, else fetched from the vendor's API), rendered in
//! the chosen format and written durably into the directory.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use transcripts::{Format, MeetingEvent, MeetingSource, Transcript, Vendor};

/// `Retry-After` of a delivery whose transcript could not be written, in seconds, unless the
/// vendor's API named a longer wait: Speakr's first retry delay.
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// The directory transcripts are written to, and their format.
#[derive(Debug)]
pub struct TranscriptDir {
    dir: PathBuf,
    format: Format,
}

impl TranscriptDir {
    /// Create `dir` if needed and check that a file can be written and renamed there.
    pub async fn open(dir: &Path, format: Format) -> io::Result<TranscriptDir> {
        let out = TranscriptDir {
            dir: dir.to_owned(),
            format,
        };
        let probe = out.dir.clone();
        blocking(move || {
            std::fs::create_dir_all(&probe)?;
            let name = ".write-check";
            write_durably(&probe, name, b"")?;
            std::fs::remove_file(probe.join(name))
        })
        .await
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
        Ok(out)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Render `transcript` and write it as `<vendor>-<id>.transcript.<ext>`: `ext` is the
    /// format asked for, or `txt` for a transcript without times asked for as WebVTT or SRT
    /// (as `export` does). Returns the file name once the file and its directory entry are on
    /// disk.
    async fn write(
        &self,
        vendor: Vendor,
        id: &str,
        transcript: &Transcript,
    ) -> Result<String, Failure> {
        let (format, text) = crate::transcript_files::render(self.format, transcript)
            .map_err(|e| Failure::new(format!("cannot render the transcript: {e}")))?;
        let name = format!(
            "{vendor}-{}.transcript.{}",
            crate::transcript_files::safe_name(id),
            format.extension()
        );
        let (dir, file) = (self.dir.clone(), name.clone());
        blocking(move || write_durably(&dir, &file, text.as_bytes()))
            .await
            .map_err(|e| Failure::new(format!("cannot write {name}: {e}")))?;
        Ok(name)
    }
}

/// One route's pipeline: the shared directory, and the vendor's API when it is configured.
#[derive(Clone)]
pub struct Pipeline {
    out: Arc<TranscriptDir>,
    source: Option<Arc<dyn MeetingSource>>,
    /// What to configure to fetch, named in the failure of a delivery that needs a fetch
    /// when `source` is `None`.
    access: &'static str,
    fetch_timeout: Duration,
}

/// What [`Pipeline::process`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The file name in the directory.
    pub name: String,
    /// How many segments the transcript has.
    pub segments: usize,
    /// Whether the transcript was fetched from the vendor's API (else the delivery carried it).
    pub fetched: bool,
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = if self.fetched { "api" } else { "delivery" };
        write!(f, "{} segments={} from={from}", self.name, self.segments)
    }
}

/// Why a transcript was not written: the delivery is answered 503 with `Retry-After`.
#[derive(Debug)]
pub struct Failure {
    reason: String,
    retry_after: Duration,
}

impl Failure {
    fn new(reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            retry_after: RETRY_AFTER,
        }
    }

    /// The `Retry-After` to answer, in whole seconds.
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs().max(1)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl Pipeline {
    /// A pipeline writing to `out`, fetching with `source` (when configured) within
    /// `fetch_timeout`; `access` names what configures the source.
    pub fn new(
        out: Arc<TranscriptDir>,
        source: Option<Arc<dyn MeetingSource>>,
        access: &'static str,
        fetch_timeout: Duration,
    ) -> Pipeline {
        Pipeline {
            out,
            source,
            access,
            fetch_timeout,
        }
    }

    /// The transcript of a transcript-ready `event` (the one it carries, else the vendor's),
    /// written into the directory.
    pub async fn process(&self, event: MeetingEvent) -> Result<Written, Failure> {
        let id = event.meeting_id.as_str();
        let (transcript, fetched) = match event.transcript {
            Some(carried) => (carried, false),
            None => (self.fetch(event.vendor, id).await?, true),
        };
        let name = self.out.write(event.vendor, id, &transcript).await?;
        Ok(Written {
            name,
            segments: transcript.segments.len(),
            fetched,
        })
    }

    async fn fetch(&self, vendor: Vendor, id: &str) -> Result<Transcript, Failure> {
        let Some(source) = &self.source else {
            return Err(Failure::new(format!(
                "the delivery carries no transcript and there is no {vendor} API access to fetch \
                 meeting `{id}`'s: set {}",
                self.access
            )));
        };
        match tokio::time::timeout(self.fetch_timeout, source.transcript(id)).await {
            Ok(Ok(Some(transcript))) => Ok(transcript),
            Ok(Ok(None)) => Err(Failure::new(format!(
                "{vendor} has no transcript for meeting `{id}` (yet)"
            ))),
            Ok(Err(e)) => {
                let mut failure = Failure::new(format!("fetching the transcript: {e}"));
                if let Some(wait) = e.api_error().and_then(client_core::Error::retry_after) {
                    failure.retry_after = failure.retry_after.max(wait);
                }
                Err(failure)
            }
            Err(_) => Err(Failure::new(format!(
                "fetching {vendor} meeting `{id}`'s transcript took over {} s",
                self.fetch_timeout.as_secs()
            ))),
        }
    }
}

/// Run blocking file work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(io::Error::other)?
}

/// Write `bytes` to `dir/name` so that the name only ever shows a whole file, and the file
/// survives a crash once this returns: a hidden temporary file in `dir` (unique to this
/// process and call, so replicas sharing the directory never write the same one), written
/// and fsynced, renamed over `name`, then the directory fsynced so that the rename is on disk.
fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}.{}-{}-{nanos:x}.partial",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, dir.join(name))?;
        sync_dir(dir)
    })();
    if written.is_err() {
        // Best effort: after a failed rename the temporary file is still there.
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Make the directory's entries (a rename) durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Windows has no directory fsync; a rename there is made durable by the file system.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_durable_write_leaves_only_the_file() {
        let dir = std::env::temp_dir().join(format!("receiver-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        write_durably(&dir, "x.txt", b"one").unwrap();
        write_durably(&dir, "x.txt", b"two").unwrap();
        assert_eq!(std::fs::read(dir.join("x.txt")).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["x.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
