//! The output directory: files written atomically (a hidden `.NAME.partial` first, synced,
//! then renamed to `NAME`), and `index.jsonl`, one line per exported item.
//!
//! A file under its final name is therefore always whole. The index is appended one line at
//! a time after every file of its item is in place; a line cut short by a crash is dropped
//! (and the index rewritten, atomically) when the next run reads it, so that item is simply
//! exported again.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use client_core::ByteStream;
use futures::StreamExt;
use serde_json::Value;
use tokio::fs::{self, File, OpenOptions};
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

/// The index's file name.
pub const INDEX: &str = "index.jsonl";

const PARTIAL: &str = ".partial";

/// A failure to write to the output directory: it ends the run.
#[derive(Debug)]
pub struct LocalError {
    /// The file that could not be written (or read).
    pub path: PathBuf,
    /// Why.
    pub source: io::Error,
}

impl fmt::Display for LocalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for LocalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn local(path: &Path) -> impl FnOnce(io::Error) -> LocalError + '_ {
    move |source| LocalError {
        path: path.to_owned(),
        source,
    }
}

/// How streaming a download to a file ended, when it did not succeed.
#[derive(Debug)]
pub enum StreamError {
    /// The download failed (the item fails).
    Remote(client_core::Error),
    /// The file could not be written (the run ends).
    Local(LocalError),
}

/// The output directory.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
}

impl OutDir {
    /// Create `dir` if needed, remove the partial files an interrupted run left, and check
    /// that a file can be written there.
    pub async fn open(dir: &Path) -> Result<OutDir, LocalError> {
        fs::create_dir_all(dir).await.map_err(local(dir))?;
        let mut entries = fs::read_dir(dir).await.map_err(local(dir))?;
        while let Some(entry) = entries.next_entry().await.map_err(local(dir))? {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(PARTIAL) {
                let path = entry.path();
                fs::remove_file(&path).await.map_err(local(&path))?;
            }
        }
        let out = OutDir {
            dir: dir.to_owned(),
        };
        // A probe the size of a typical record, so that a full disk is reported up front.
        let probe = out.partial(".write-check");
        let written = write_file(&probe, vec![b' '; 4096]).await;
        let removed = fs::remove_file(&probe).await;
        written.map_err(local(&probe))?;
        removed.map_err(local(&probe))?;
        Ok(out)
    }

    /// The final path of `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn partial(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}{PARTIAL}"))
    }

    /// Whether `name` is in place (and so whole).
    pub async fn exists(&self, name: &str) -> bool {
        fs::try_exists(self.path(name)).await.unwrap_or(false)
    }

    /// Remove `name` if it is there (best effort: a file left behind is only stale).
    pub async fn remove(&self, name: &str) {
        let _ = fs::remove_file(self.path(name)).await;
    }

    /// Read `name`.
    pub async fn read(&self, name: &str) -> Result<Vec<u8>, LocalError> {
        let path = self.path(name);
        fs::read(&path).await.map_err(local(&path))
    }

    /// Write `bytes` to `name` atomically.
    pub async fn write(&self, name: &str, bytes: &[u8]) -> Result<(), LocalError> {
        let partial = self.partial(name);
        let written = write_file(&partial, bytes.to_vec()).await;
        self.finish(name, &partial, written.map_err(local(&partial)))
            .await
    }

    /// Stream `download` to `name` atomically, chunk by chunk (never whole in memory).
    /// Returns the bytes written.
    pub async fn write_stream(
        &self,
        name: &str,
        mut download: ByteStream,
    ) -> Result<u64, StreamError> {
        let partial = self.partial(name);
        let expected = download.content_length();
        let mut file = match File::create(&partial).await {
            Ok(f) => f,
            Err(e) => return Err(StreamError::Local(local(&partial)(e))),
        };
        let mut written: u64 = 0;
        let outcome = loop {
            match download.next().await {
                None => break Ok(()),
                Some(Err(e)) => break Err(StreamError::Remote(e)),
                Some(Ok(chunk)) => {
                    // `flush` waits for the write and reports its error (`write_all` alone
                    // may leave it to a later call).
                    let write = async {
                        file.write_all(&chunk).await?;
                        file.flush().await
                    };
                    if let Err(e) = write.await {
                        break Err(StreamError::Local(local(&partial)(e)));
                    }
                    written += chunk.len() as u64;
                }
            }
        };
        let outcome = outcome.and_then(|()| match expected {
            Some(n) if n != written => Err(StreamError::Remote(client_core::Error::new(
                client_core::ErrorKind::Transport,
                format!("the download ended after {written} of {n} bytes"),
            ))),
            _ => Ok(()),
        });
        let outcome = match outcome {
            Ok(()) => file
                .sync_all()
                .await
                .map_err(|e| StreamError::Local(local(&partial)(e))),
            Err(e) => Err(e),
        };
        drop(file);
        match outcome {
            Ok(()) => self
                .finish(name, &partial, Ok(()))
                .await
                .map(|()| written)
                .map_err(StreamError::Local),
            Err(e) => {
                // Best effort: the next run removes it anyway.
                let _ = fs::remove_file(&partial).await;
                Err(e)
            }
        }
    }

    /// Rename `partial` to `name` after a successful write; remove it after a failed one.
    async fn finish(
        &self,
        name: &str,
        partial: &Path,
        written: Result<(), LocalError>,
    ) -> Result<(), LocalError> {
        match written {
            Ok(()) => {
                let path = self.path(name);
                fs::rename(partial, &path).await.map_err(local(&path))
            }
            Err(e) => {
                // Best effort: the next run removes it anyway.
                let _ = fs::remove_file(partial).await;
                Err(e)
            }
        }
    }
}

/// Create `path` with `bytes` and sync it, on the blocking pool with `std::fs` (whose errors,
/// such as a full disk, are reported by the call that met them).
async fn write_file(path: &Path, bytes: Vec<u8>) -> io::Result<()> {
    let path = path.to_owned();
    let task = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut file = std::fs::File::create(&path)?;
        file.write_all(&bytes)?;
        file.sync_all()
    });
    task.await.map_err(io::Error::other)?
}

/// What the index says of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The whole line.
    pub line: Value,
}

impl Entry {
    /// Whether a run asking for audio (`audio`) has nothing left to do for this item.
    pub fn is_complete(&self, audio: bool) -> bool {
        let flag = |key: &str| self.line.get(key).and_then(Value::as_bool) == Some(true);
        flag("settled") && (!audio || flag("audio_checked"))
    }
}

/// `index.jsonl`: the items exported so far, one JSON line each, keyed by `id`.
#[derive(Debug)]
pub struct Index {
    path: PathBuf,
    entries: HashMap<String, Entry>,
    file: Mutex<File>,
    repeated: AtomicBool,
}

impl Index {
    /// Read the index in `out` (if any), dropping a line cut short and keeping the last line
    /// of each id; rewrite it atomically when it needed either. Then open it for appending.
    pub async fn load(out: &OutDir) -> Result<Index, LocalError> {
        let path = out.path(INDEX);
        let text = match fs::read(&path).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(local(&path)(e)),
        };
        let (order, entries, clean) = parse(&text);
        if !clean {
            write_lines(out, &order, &entries).await?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .await
            .map_err(local(&path))?;
        Ok(Index {
            path,
            entries,
            file: Mutex::new(file),
            repeated: AtomicBool::new(false),
        })
    }

    /// The entry of `id`, if it was exported before this run.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Append the line of an item whose files are all in place.
    pub async fn append(&self, line: &Value) -> Result<(), LocalError> {
        if let Some(id) = line.get("id").and_then(Value::as_str) {
            if self.entries.contains_key(id) {
                self.repeated.store(true, Ordering::Relaxed);
            }
        }
        let mut bytes = line.to_string().into_bytes();
        bytes.push(b'\n');
        let mut file = self.file.lock().await;
        let write = async {
            file.write_all(&bytes).await?;
            file.flush().await?;
            file.sync_data().await
        };
        write.await.map_err(local(&self.path))
    }

    /// At the end of a run: when an item was exported again (its record changed since), rewrite
    /// the index atomically with one line per item.
    pub async fn compact(self, out: &OutDir) -> Result<(), LocalError> {
        let file = self.file.into_inner();
        drop(file);
        if !self.repeated.load(Ordering::Relaxed) {
            return Ok(());
        }
        let text = fs::read(&self.path).await.map_err(local(&self.path))?;
        let (order, entries, _) = parse(&text);
        write_lines(out, &order, &entries).await
    }
}

/// The ids in first-seen order, the last entry of each, and whether the text was clean (no
/// cut or unreadable line, no repeated id).
fn parse(text: &[u8]) -> (Vec<String>, HashMap<String, Entry>, bool) {
    let mut order = Vec::new();
    let mut entries: HashMap<String, Entry> = HashMap::new();
    let mut clean = true;
    let mut rest = text;
    while !rest.is_empty() {
        let Some(end) = rest.iter().position(|b| *b == b'\n') else {
            // The last line was cut short.
            clean = false;
            break;
        };
        let line = &rest[..end];
        rest = &rest[end + 1..];
        let parsed: Option<Value> = serde_json::from_slice(line).ok();
        let id = parsed
            .as_ref()
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        match (parsed, id) {
            (Some(line), Some(id)) => {
                if entries.insert(id.clone(), Entry { line }).is_some() {
                    clean = false;
                } else {
                    order.push(id);
                }
            }
            _ => clean = false,
        }
    }
    (order, entries, clean)
}

async fn write_lines(
    out: &OutDir,
    order: &[String],
    entries: &HashMap<String, Entry>,
) -> Result<(), LocalError> {
    let mut text = Vec::new();
    for id in order {
        if let Some(entry) = entries.get(id) {
            text.extend_from_slice(entry.line.to_string().as_bytes());
            text.push(b'\n');
        }
    }
    out.write(INDEX, &text).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::transcript_files::safe_name;

    #[test]
    fn a_cut_line_and_a_repeated_id_make_the_index_unclean() {
        let (order, entries, clean) =
            parse(b"{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\"}\n{\"id\":\"a\",\"n\":2}\n{\"id\":\"c\"");
        assert!(!clean);
        assert_eq!(order, ["a", "b"]);
        assert_eq!(entries["a"].line["n"], 2);
        assert!(!entries.contains_key("c"));
        let (order, _, clean) = parse(b"{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        assert!(clean);
        assert_eq!(order, ["a", "b"]);
        let (_, _, clean) = parse(b"not json\n");
        assert!(!clean);
    }

    #[test]
    fn names_are_safe() {
        assert_eq!(safe_name("sess_7Qm2-x"), "sess_7Qm2-x");
        assert_eq!(safe_name("../etc/passwd"), "%2E%2E%2Fetc%2Fpasswd");
        assert_eq!(safe_name("a b"), "a%20b");
    }
}
