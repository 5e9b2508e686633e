//! The client-core part of the tour: a local in-process server answering like a vendor API,
//! and the shared transport doing pagination, a 429 with `Retry-After`, and error decoding.

use std::time::Instant;

use client_core::{Auth, Client, Page, Paginator, RetryPolicy};
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Meeting {
    id: u64,
    title: String,
}

#[derive(Debug, Deserialize)]
struct MeetingPage {
    meetings: Vec<Meeting>,
    has_more: bool,
}

pub async fn run() -> super::TourResult {
    println!("== client-core: the shared transport, against a local server");
    let server = MockServer::start().await;
    for page in 1..=3u64 {
        let meetings: Vec<_> = (1..=2)
            .map(|i| {
                let id = (page - 1) * 2 + i;
                json!({"id": id, "title": format!("Meeting {id}"), "a_field_we_ignore": true})
            })
            .collect();
        Mock::given(method("GET"))
            .and(path("/api/v1/meetings"))
            .and(query_param("page", page.to_string()))
            .and(header("authorization", "Bearer demo-token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"meetings": meetings, "has_more": page < 3})),
            )
            .mount(&server)
            .await;
    }
    // The first call to /busy is refused with a 429 asking for a one-second pause.
    Mock::given(method("GET"))
        .and(path("/api/v1/busy"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .insert_header("content-type", "text/html")
                .set_body_string("<html><title>429 Too Many Requests</title></html>"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/busy"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 9, "title": "Finally"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/meetings/404"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "Recording not found", "code": "not_found"})),
        )
        .mount(&server)
        .await;

    let client = Client::builder(format!("{}/api/v1", server.uri()))
        .auth(Auth::bearer("demo-token"))
        .retry_policy(RetryPolicy::default())
        .vendor("demo")
        .build()?;

    // Pagination: every item of three pages, fetched lazily with one page of prefetch.
    let lister = client.clone();
    let meetings: Vec<Meeting> = Paginator::page_number(1, move |n| {
        let client = lister.clone();
        async move {
            let page: MeetingPage = client.get("/meetings").query("page", n).send_json().await?;
            Ok(Page::new(page.meetings).has_more(page.has_more))
        }
    })
    .items()
    .try_collect()
    .await?;
    let titles: Vec<&str> = meetings.iter().map(|m| m.title.as_str()).collect();
    println!(
        "paginated {} meetings over 3 pages: {}",
        meetings.len(),
        titles.join(", ")
    );

    // Retry: the 429 with Retry-After: 1 is waited out, then the call succeeds.
    let started = Instant::now();
    let meeting: Meeting = client.get("/busy").send_json().await?;
    println!(
        "429 with Retry-After: 1 handled: got meeting {} \"{}\" after {:.1} s",
        meeting.id,
        meeting.title,
        started.elapsed().as_secs_f64()
    );

    // Errors: the vendor's JSON error body becomes a typed error.
    match client
        .get("/meetings/{id}")
        .param(404)
        .send_json::<Meeting>()
        .await
    {
        Ok(m) => println!("unexpected: found {m:?}"),
        Err(e) => println!(
            "error decoded: kind {:?}, status {}, code {:?}, message {:?}, retryable {}",
            e.kind(),
            e.status().map(|s| s.as_u16()).unwrap_or_default(),
            e.vendor_code(),
            e.message(),
            e.is_retryable()
        ),
    }
    println!();
    Ok(())
}
