//! A listing that loops (the same items on every page, "more" every time) ends the export
//! with an error naming the pagination, after a bounded number of requests, and the items it
//! did list are exported once each.

use serde_json::{json, Value};
use wiremock::{Mock, Request, ResponseTemplate};

use crate::harness::*;

/// Check a run against a looping listing: exit 1, the pagination error named, each of `ids`
/// exported once, and `listing_requests` requests to the listing after the first `from`.
async fn check_looping_run(v: &Vendor, from: usize, ids: &[String], listing_requests: usize) {
    let dir = scratch(&format!("looping-{}", v.name()));
    let out = export_to(v, &dir, &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", report(&out));
    let stderr = export_lines(&out.stderr);
    let stopped = stderr
        .iter()
        .find(|l| l.starts_with("export: listing stopped early: pagination error: "))
        .unwrap_or_else(|| panic!("{}", report(&out)));
    assert!(
        stopped.contains("page 2") && stopped.contains("repeats only items already yielded"),
        "{stopped}"
    );
    assert!(
        stderr.contains(
            &"export: the listing's pages did not add up, so it was stopped; the items listed before were exported"
                .to_owned()
        ),
        "{}",
        report(&out)
    );
    let n = ids.len();
    assert!(
        export_lines(&out.stdout).contains(&format!("export: {n} exported, 0 skipped, 0 failed")),
        "{}",
        report(&out)
    );
    // `check_complete` fails on an id twice in the index.
    check_complete(&dir, ids);
    let sent = counts(&v.paths().await, from);
    assert_eq!(
        sent.get(v.list_route()),
        Some(&listing_requests),
        "{sent:?}"
    );
    for id in ids {
        assert_eq!(sent.get(&v.item_route(id)), Some(&1), "{id}: {sent:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn page_number(req: &Request, name: &str) -> u64 {
    req.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1)
}

#[tokio::test]
async fn a_speakr_listing_that_repeats_its_page_is_stopped() {
    let v = Vendor::start("speakr").await;
    let Vendor::Speakr(mock) = &v else {
        unreachable!()
    };
    // The first two recordings on every page, `has_next: true` every time, while
    // `total_pages` says 2.
    let first: Value = mock
        .client()
        .unwrap()
        .core()
        .get("/recordings")
        .query("per_page", 2)
        .send_json()
        .await
        .unwrap();
    let items = first["recordings"].clone();
    let ids: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    Mock::given(|req: &Request| key(req) == "/api/v1/recordings")
        .respond_with(move |req: &Request| {
            let page = page_number(req, "page");
            ResponseTemplate::new(200).set_body_json(json!({
                "recordings": items,
                "pagination": {
                    "page": page, "per_page": 100, "total": 4, "total_pages": 2,
                    "has_next": true, "has_prev": page > 1,
                }
            }))
        })
        .with_priority(1)
        .mount(v.server())
        .await;
    let setup = v.paths().await.len();
    check_looping_run(&v, setup, &ids, 2).await;
}

#[tokio::test]
async fn a_heilo_listing_that_repeats_its_page_is_stopped() {
    let v = Vendor::start("heilo").await;
    let Vendor::Heilo(mock) = &v else {
        unreachable!()
    };
    // The same two calls on every page, `has_more: true` every time.
    let mut first: Value = mock
        .client()
        .unwrap()
        .core()
        .get("/calls")
        .query("limit", 2)
        .send_json()
        .await
        .unwrap();
    first["data"]["has_more"] = json!(true);
    let ids: Vec<String> = first["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["call_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    Mock::given(|req: &Request| key(req) == "/calls")
        .respond_with(move |req: &Request| {
            let mut page = first.clone();
            page["data"]["page"] = json!(page_number(req, "page"));
            ResponseTemplate::new(200).set_body_json(page)
        })
        .with_priority(1)
        .mount(v.server())
        .await;
    let setup = v.paths().await.len();
    check_looping_run(&v, setup, &ids, 2).await;
}
