//! A fake Speakr server (feature `mock`) answering from responses recorded on a real Speakr
//! v0.9.4 server (the crate's `fixtures/`), for tests, examples and demos.
//!
//! Available with the crate feature `mock`.
//!
//! It checks the token (in any of the four forms; anything else gets Speakr's `302` to
//! `/login`), pages over a set of recordings with the `status` filter and the `date_from` /
//! `date_to` window on `created_at` (a bare `date_to` date excludes that day, as on the real
//! server), accepts uploads, serves audio through a `302` to a pre-signed storage URL that
//! must be fetched without the token, and signs and `POST`s the 20 recorded webhook
//! deliveries ([`MockSpeakr::deliveries`]) to a URL on request, with its own secret (the one
//! `POST /webhooks` returns).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use speakr_client::mock::MockSpeakr;
//!
//! let mock = MockSpeakr::start().await;
//! let speakr = mock.client()?;
//! let all: Vec<_> = speakr.recordings().list().per_page(2).into_stream().try_collect().await?;
//! assert_eq!(all.len(), 4);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use bytes::Bytes;
use client_core::mock::{json, mount_fallback, query, route, HeaderIs};
use client_core::{ErrorKind, HeaderMap};
use serde::Deserialize;
use wiremock::{Match, MockServer, Request, Respond, ResponseTemplate};

use crate::{Error, SpeakrClient, Timestamp};

pub use client_core::mock::Delivered;

/// The token the mock accepts.
pub const MOCK_TOKEN: &str = "speakr-mock-token";

/// The mock's webhook secret: the one its `POST /webhooks` returns and its deliveries are
/// signed with (the secret of the recorded deliveries).
pub const MOCK_WEBHOOK_SECRET: &str = "MpGN-JInbG9w7xis_0O9d5wUaicyt2taYQTpQssdcJc";

macro_rules! fixture {
    ($name:literal) => {
        client_core::mock_fixture!("", $name)
    };
}

/// A running fake Speakr server.
#[derive(Debug)]
pub struct MockSpeakr {
    server: MockServer,
}

impl MockSpeakr {
    client_core::vendor_mock_methods!(MOCK_TOKEN, MOCK_WEBHOOK_SECRET);

    /// Start the server on a free local port with every route mounted.
    pub async fn start() -> MockSpeakr {
        let server = MockServer::start().await;
        let mock = MockSpeakr { server };
        mock.mount_routes().await;
        mock
    }

    /// A client for this server with the mock's token (bearer) and no client-side rate limit.
    pub fn client(&self) -> Result<SpeakrClient, Error> {
        SpeakrClient::builder(MOCK_TOKEN)
            .base_url(self.uri())
            .without_rate_limits()
            .build()
    }

    /// The bytes the mock serves as the audio of recording `id`.
    pub fn audio_bytes(id: u64) -> Vec<u8> {
        let mut state = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..32 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    /// The 20 webhook deliveries recorded from the real server, in the order they arrived.
    pub fn deliveries() -> Result<Vec<Delivery>, Error> {
        #[derive(Deserialize)]
        struct File {
            deliveries: Vec<Entry>,
        }
        #[derive(Deserialize)]
        struct Entry {
            headers: std::collections::BTreeMap<String, String>,
            raw_body: String,
        }
        let file: File = serde_json::from_str(fixture!("webhook_deliveries_received.json"))
            .map_err(|e| Error::new(ErrorKind::Decode, "bad delivery fixture").with_source(e))?;
        Ok(file
            .deliveries
            .into_iter()
            .map(|e| {
                let header = |name: &str| e.headers.get(name).cloned().unwrap_or_default();
                Delivery {
                    delivery_id: header("Speakr-Delivery-Id"),
                    event_type: header("Speakr-Event"),
                    body: Bytes::from(e.raw_body),
                }
            })
            .collect())
    }

    /// Sign `delivery` with the mock's secret (webhook-verify's Speakr signer, with a fresh
    /// `Speakr-Timestamp`) and `POST` it to `url` once, as Speakr does. Returns what the
    /// receiver answered, whatever its status; an error only when no answer came.
    pub async fn deliver(&self, url: &str, delivery: &Delivery) -> Result<Delivered, Error> {
        let now = Timestamp::from_system_time(std::time::SystemTime::now());
        let headers: HeaderMap = webhook_verify::speakr::sign_delivery(
            MOCK_WEBHOOK_SECRET,
            &delivery.delivery_id,
            &delivery.event_type,
            now.as_str(),
            &delivery.body,
        )
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.to_string()))?
        .into_iter()
        .collect();
        client_core::mock::deliver(url, "Speakr-Webhook/1.0", headers, delivery.body.clone()).await
    }

    /// [`MockSpeakr::deliver`] every recorded delivery, in order; returns the answers.
    pub async fn deliver_all(&self, url: &str) -> Result<Vec<Delivered>, Error> {
        let mut answers = Vec::new();
        for d in MockSpeakr::deliveries()? {
            answers.push(self.deliver(url, &d).await?);
        }
        Ok(answers)
    }

    /// Answer `verb` on `template` under `/api/v1` to requests with the mock's token.
    async fn mount(&self, verb: &str, template: &str, responder: impl Respond + 'static) {
        route(verb, &format!("/api/v1{template}"))
            .and(TokenAuth)
            .respond_with(responder)
            .mount(&self.server)
            .await;
    }

    async fn mount_routes(&self) {
        self.mount("GET", "/stats", |req: &Request| {
            if query(req, "scope").as_deref() == Some("all") {
                json(200, fixture!("stats_all.json"))
            } else {
                json(200, fixture!("stats.json"))
            }
        })
        .await;
        self.mount("GET", "/users/me", json(200, fixture!("users_me.json")))
            .await;

        // Recordings.
        self.mount("GET", "/recordings", RecordingPager::new())
            .await;
        self.mount("POST", "/recordings/upload", |req: &Request| {
            let has_file = contains_bytes(&req.body, b"name=\"file\"");
            if has_file {
                json(202, fixture!("recording_upload.json"))
            } else {
                json(400, fixture!("recording_upload_nofile.json"))
            }
        })
        .await;
        self.mount("GET", "/recordings/{id}", |req: &Request| {
            match path_id(req) {
                Some(1) if query(req, "format").as_deref() == Some("minimal") => {
                    json(200, fixture!("recording_get_minimal.json"))
                }
                Some(1) => json(200, fixture!("recording_get.json")),
                Some(3) => json(200, fixture!("recording_failed_get.json")),
                _ => json(404, fixture!("recording_get_404.json")),
            }
        })
        .await;
        self.mount("GET", "/recordings/{id}/transcript", |req: &Request| {
            if path_id(req) == Some(3) {
                return json(200, fixture!("recording_failed_transcript_json.json"));
            }
            match query(req, "format").as_deref() {
                Some("text") => json(200, fixture!("recording_transcript_text.json")),
                Some("srt") => json(200, fixture!("recording_transcript_srt.json")),
                Some("vtt") => json(200, fixture!("documented/transcript_vtt.json")),
                _ => json(200, fixture!("recording_transcript_json.json")),
            }
        })
        .await;
        // The batch routes first: `/recordings/{id}` matches their path too, and the route
        // mounted first answers.
        let simple: [(&str, &str, u16, &'static str); 30] = [
            (
                "PATCH",
                "/recordings/batch",
                200,
                fixture!("batch_patch.json"),
            ),
            (
                "DELETE",
                "/recordings/batch",
                200,
                fixture!("batch_delete.json"),
            ),
            (
                "GET",
                "/recordings/{id}/summary",
                200,
                fixture!("recording_summary.json"),
            ),
            (
                "PUT",
                "/recordings/{id}/summary",
                200,
                fixture!("recording_summary_put.json"),
            ),
            (
                "GET",
                "/recordings/{id}/notes",
                200,
                fixture!("recording_notes.json"),
            ),
            (
                "PUT",
                "/recordings/{id}/notes",
                200,
                fixture!("recording_notes_put.json"),
            ),
            (
                "DELETE",
                "/recordings/{id}",
                200,
                fixture!("recording_delete.json"),
            ),
            (
                "POST",
                "/recordings/{id}/regenerate_title",
                200,
                fixture!("recording_regenerate_title.json"),
            ),
            (
                "GET",
                "/recordings/{id}/events",
                200,
                fixture!("recording_events.json"),
            ),
            (
                "GET",
                "/recordings/{id}/events/ics",
                404,
                fixture!("recording_events_ics_404.json"),
            ),
            (
                "POST",
                "/recordings/{id}/tags",
                200,
                fixture!("recording_tags_add.json"),
            ),
            (
                "DELETE",
                "/recordings/{id}/tags/{id}",
                200,
                fixture!("recording_tag_remove.json"),
            ),
            (
                "GET",
                "/recordings/{id}/speakers",
                200,
                fixture!("recording_speakers.json"),
            ),
            (
                "PUT",
                "/recordings/{id}/speakers/assign",
                200,
                fixture!("speakers_assign.json"),
            ),
            (
                "POST",
                "/recordings/{id}/speakers/identify",
                200,
                fixture!("recording_identify_speakers.json"),
            ),
            (
                "POST",
                "/recordings/{id}/transcribe",
                200,
                fixture!("recording_transcribe.json"),
            ),
            (
                "POST",
                "/recordings/{id}/summarize",
                200,
                fixture!("recording_summarize.json"),
            ),
            (
                "POST",
                "/recordings/{id}/chat",
                200,
                fixture!("recording_chat.json"),
            ),
            (
                "POST",
                "/recordings/batch/transcribe",
                200,
                fixture!("batch_transcribe.json"),
            ),
            ("GET", "/tags", 200, fixture!("tags_list.json")),
            ("PUT", "/tags/{id}", 200, fixture!("tag_update.json")),
            ("DELETE", "/tags/{id}", 200, fixture!("tag_delete.json")),
            ("GET", "/speakers", 200, fixture!("speakers_list.json")),
            ("POST", "/speakers", 201, fixture!("speakers_create.json")),
            (
                "PUT",
                "/speakers/{id}",
                200,
                fixture!("documented/speaker_update.json"),
            ),
            (
                "DELETE",
                "/speakers/{id}",
                200,
                fixture!("documented/speaker_delete.json"),
            ),
            ("GET", "/folders", 200, fixture!("folders_list.json")),
            ("POST", "/folders", 201, fixture!("folders_create.json")),
            (
                "DELETE",
                "/folders/{id}",
                200,
                fixture!("documented/folder_delete.json"),
            ),
            (
                "GET",
                "/transcription",
                200,
                fixture!("transcription_info.json"),
            ),
        ];
        for (verb, p, status, body) in simple {
            self.mount(verb, p, json(status, body)).await;
        }
        let simple: [(&str, &str, u16, &'static str); 8] = [
            (
                "PATCH",
                "/folders/{id}",
                200,
                fixture!("folder_update.json"),
            ),
            ("PUT", "/folders/{id}", 200, fixture!("folder_update.json")),
            (
                "PUT",
                "/settings/auto-summarization",
                200,
                fixture!("settings_auto_summarization.json"),
            ),
            ("GET", "/webhooks", 200, fixture!("webhooks_list.json")),
            ("PATCH", "/webhooks/{id}", 200, fixture!("webhook_get.json")),
            (
                "POST",
                "/webhooks/{id}/rotate-secret",
                200,
                fixture!("webhook_rotate_secret.json"),
            ),
            (
                "POST",
                "/webhooks/{id}/test",
                202,
                fixture!("webhook_test_fire.json"),
            ),
            (
                "GET",
                "/webhooks/{id}/deliveries/{id}",
                200,
                fixture!("webhook_delivery_get.json"),
            ),
        ];
        for (verb, p, status, body) in simple {
            self.mount(verb, p, json(status, body)).await;
        }
        self.mount("PATCH", "/recordings/{id}", |req: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            match body.as_object() {
                None => json(400, fixture!("recording_patch_empty.json")),
                Some(o) if o.is_empty() => json(400, fixture!("recording_patch_empty.json")),
                Some(o) if o.contains_key("keep_audio_only") => {
                    json(400, fixture!("recording_patch_keep_audio_only.json"))
                }
                Some(_) => json(200, fixture!("recording_patch.json")),
            }
        })
        .await;
        self.mount(
            "GET",
            "/recordings/{id}/status",
            |req: &Request| match path_id(req) {
                Some(3) => json(200, fixture!("recording_failed_status.json")),
                _ => json(200, fixture!("recording_status.json")),
            },
        )
        .await;
        let storage = format!("{}/storage/recordings", self.uri());
        self.mount("GET", "/recordings/{id}/audio", move |req: &Request| {
            let id = path_id(req).unwrap_or(0);
            ResponseTemplate::new(302).insert_header(
                "location",
                format!("{storage}/{id}.mp3?X-Amz-Expires=3600&X-Amz-Signature=mock{id}"),
            )
        })
        .await;
        // The pre-signed storage URL: refuses the API token (a storage service would).
        route("GET", "/storage/recordings/{file}")
            .respond_with(|req: &Request| {
                let id = req
                    .url
                    .path_segments()
                    .and_then(|mut s| s.nth(2))
                    .and_then(|f| f.strip_suffix(".mp3"))
                    .and_then(|id| id.parse().ok())
                    .unwrap_or(0);
                let signed = query(req, "X-Amz-Signature") == Some(format!("mock{id}"));
                if req.headers.contains_key("authorization") || !signed {
                    return ResponseTemplate::new(403).set_body_raw(
                        "<Error><Code>AccessDenied</Code></Error>",
                        "application/xml",
                    );
                }
                ResponseTemplate::new(200)
                    .insert_header("content-disposition", "attachment; filename=test.wav")
                    .set_body_raw(MockSpeakr::audio_bytes(id), "audio/mpeg")
            })
            .mount(&self.server)
            .await;

        // Tags, folders and webhooks with request checks.
        self.mount("POST", "/tags", |req: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            if body
                .get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| !n.is_empty())
            {
                json(201, fixture!("tags_create.json"))
            } else {
                json(400, fixture!("tags_create_missing_name.json"))
            }
        })
        .await;
        self.mount("GET", "/folders/{id}", |req: &Request| match path_id(req) {
            Some(1) => json(200, fixture!("folder_get.json")),
            _ => json(404, fixture!("folder_get_404.json")),
        })
        .await;
        self.mount("POST", "/webhooks", |req: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let events: Vec<&str> = body
                .get("events")
                .and_then(|e| e.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let known = |e: &&str| {
                !matches!(
                    crate::webhooks::EventType::from(*e),
                    crate::webhooks::EventType::Unknown(_)
                )
            };
            if events.is_empty() || !events.iter().all(known) {
                json(400, fixture!("webhook_create_bad_event.json"))
            } else {
                json(201, fixture!("webhook_create.json"))
            }
        })
        .await;
        self.mount("GET", "/webhooks/{id}", |req: &Request| {
            match path_id(req) {
                Some(1) => json(200, fixture!("webhook_get.json")),
                _ => json(404, fixture!("webhook_get_404.json")),
            }
        })
        .await;
        self.mount("DELETE", "/webhooks/{id}", ResponseTemplate::new(204))
            .await;
        self.mount(
            "GET",
            "/webhooks/{id}/deliveries",
            |req: &Request| match query(req, "limit").map(|l| l.parse::<u32>()) {
                Some(Ok(l)) if !(1..=200).contains(&l) => {
                    json(400, r#"{"error": "limit must be between 1 and 200"}"#)
                }
                _ => json(200, fixture!("webhook_deliveries_list.json")),
            },
        )
        .await;
        self.mount(
            "POST",
            "/webhooks/{id}/deliveries/{id}/replay",
            json(202, fixture!("webhook_delivery_replay.json")),
        )
        .await;

        // Fallbacks: an unknown route with a good token is Werkzeug's HTML 404; anything
        // without a good token is the login redirect.
        mount_fallback(
            &self.server,
            TokenAuth,
            ResponseTemplate::new(404).set_body_raw(
                "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n",
                "text/html; charset=utf-8",
            ),
            ResponseTemplate::new(302)
                .insert_header("location", "/login")
                .set_body_raw(
                    fixture!("auth_invalid_token_302.html"),
                    "text/html; charset=utf-8",
                ),
        )
        .await;
    }
}

/// A webhook delivery recorded from the real server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// `Speakr-Delivery-Id`.
    pub delivery_id: String,
    /// `Speakr-Event`.
    pub event_type: String,
    /// The exact body.
    pub body: Bytes,
}

/// Accepts the mock token as a bearer token, `X-API-Token`, `API-Token` or `?token=`.
#[derive(Debug, Clone, Copy)]
struct TokenAuth;

impl Match for TokenAuth {
    fn matches(&self, req: &Request) -> bool {
        HeaderIs::bearer(MOCK_TOKEN).matches(req)
            || HeaderIs::new("x-api-token", MOCK_TOKEN).matches(req)
            || HeaderIs::new("api-token", MOCK_TOKEN).matches(req)
            || query(req, "token").as_deref() == Some(MOCK_TOKEN)
    }
}

/// Pages over the recorded recordings (ids 4, 3, 2, 1) like the real listing.
struct RecordingPager {
    recordings: Arc<Vec<serde_json::Value>>,
}

impl RecordingPager {
    fn new() -> Self {
        let mut recordings = Vec::new();
        for page in [
            fixture!("recordings_list_page1.json"),
            fixture!("recordings_list_page2.json"),
        ] {
            if let Ok(serde_json::Value::Object(mut o)) = serde_json::from_str(page) {
                if let Some(serde_json::Value::Array(items)) = o.remove("recordings") {
                    recordings.extend(items);
                }
            }
        }
        RecordingPager {
            recordings: Arc::new(recordings),
        }
    }
}

impl Respond for RecordingPager {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let page = query(req, "page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
            .max(1);
        let per_page = query(req, "per_page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(25)
            .clamp(1, 100);
        let wanted: &[&str] = match query(req, "status").as_deref() {
            Some("pending") => &["PENDING"],
            Some("processing") => &["PROCESSING", "SUMMARIZING"],
            Some("completed") => &["COMPLETED"],
            Some("failed") => &["FAILED"],
            _ => &[],
        };
        // `date_from` / `date_to` bound `created_at` as the server does: a bare date is
        // midnight at the start of that day, so `date_to=2026-11-22` leaves out every
        // recording created on 22 November. A bound that does not parse is ignored.
        let bound =
            |key: &str| query(req, key).and_then(|v| Timestamp::from(v.as_str()).to_system_time());
        let (from, to) = (bound("date_from"), bound("date_to"));
        let matching: Vec<&serde_json::Value> = self
            .recordings
            .iter()
            .filter(|r| {
                wanted.is_empty() || r["status"].as_str().is_some_and(|s| wanted.contains(&s))
            })
            .filter(|r| {
                if from.is_none() && to.is_none() {
                    return true;
                }
                let created = r["created_at"]
                    .as_str()
                    .and_then(|t| Timestamp::from(t).to_system_time());
                created.is_some_and(|c| from.is_none_or(|f| c >= f) && to.is_none_or(|t| c <= t))
            })
            .collect();
        let total = matching.len() as u64;
        let total_pages = total.div_ceil(per_page);
        let start = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
        let items: Vec<&serde_json::Value> = matching
            .into_iter()
            .skip(start)
            .take(usize::try_from(per_page).unwrap_or(usize::MAX))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "recordings": items,
            "pagination": {
                "page": page,
                "per_page": per_page,
                "total": total,
                "total_pages": total_pages,
                "has_next": page < total_pages,
                "has_prev": page > 1,
            }
        }))
    }
}

/// The first id in `/api/v1/<resource>/<id>/…`.
fn path_id(req: &Request) -> Option<u64> {
    req.url.path_segments()?.nth(3)?.parse().ok()
}

/// Whether `needle` occurs in `haystack`.
fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
