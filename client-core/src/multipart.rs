//! `multipart/form-data` bodies whose file parts stream from disk or any `AsyncRead`: a 200 MiB
//! upload never sits in memory. A multipart request is sent at most once, since its body cannot
//! be replayed.

use std::borrow::Cow;
use std::path::Path;

use reqwest::multipart::{Form, Part};
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

use crate::error::{Error, ErrorKind};

/// A `multipart/form-data` body under construction.
#[derive(Debug)]
pub struct Multipart {
    form: Form,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart { form: Form::new() }
    }

    /// Add a text field.
    pub fn text(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.form = self.form.text(name, value.into());
        self
    }

    /// Add a file part whose bytes stream from `path` (length taken from the file's metadata).
    /// The part's file name is the path's file name unless `file_name` is given.
    pub async fn file(
        self,
        name: impl Into<Cow<'static, str>>,
        path: impl AsRef<Path>,
        file_name: Option<String>,
        content_type: Option<&str>,
    ) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await.map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot open {} for upload: {e}", path.display()),
            )
            .with_source(e)
        })?;
        let length = file.metadata().await?.len();
        let file_name = file_name.unwrap_or_else(|| {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "upload".to_owned())
        });
        self.reader(name, file_name, file, Some(length), content_type)
    }

    /// Add a file part whose bytes stream from `reader`. Give `length` when known: some servers
    /// need a `Content-Length` on each part.
    pub fn reader<R>(
        mut self,
        name: impl Into<Cow<'static, str>>,
        file_name: impl Into<String>,
        reader: R,
        length: Option<u64>,
        content_type: Option<&str>,
    ) -> Result<Self, Error>
    where
        R: AsyncRead + Send + 'static,
    {
        let body = reqwest::Body::wrap_stream(ReaderStream::with_capacity(reader, 64 * 1024));
        let part = match length {
            Some(len) => Part::stream_with_length(body, len),
            None => Part::stream(body),
        }
        .file_name(file_name.into());
        let part = part
            .mime_str(content_type.unwrap_or("application/octet-stream"))
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, format!("bad content type: {e}")))?;
        self.form = self.form.part(name, part);
        Ok(self)
    }

    /// Add an in-memory file part.
    pub fn bytes(
        mut self,
        name: impl Into<Cow<'static, str>>,
        file_name: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
        content_type: Option<&str>,
    ) -> Result<Self, Error> {
        let part = Part::bytes(bytes.into())
            .file_name(file_name.into())
            .mime_str(content_type.unwrap_or("application/octet-stream"))
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, format!("bad content type: {e}")))?;
        self.form = self.form.part(name, part);
        Ok(self)
    }

    pub(crate) fn into_form(self) -> Form {
        self.form
    }
}
