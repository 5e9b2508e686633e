//! A quota spent by someone else: the export stops taking items, marks none of them failed,
//! says which route's quota is spent, exits with 75, and the next run finishes the export.
//! A quota whose reset is near is waited for instead.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use wiremock::{Mock, Request, ResponseTemplate};

use crate::harness::*;

const SPENT_SPEAKR_SUMMARY: &str = "export: the Speakr quota for GET /recordings/{id}/summary is spent; run the same command again later to resume";

/// Make the Speakr mock's summary route answer `allowed` times, then Speakr's HTML 429 until
/// `recovered` is set.
async fn spend_speakr_summaries(v: &Vendor, allowed: usize) -> Arc<AtomicBool> {
    let Vendor::Speakr(mock) = v else {
        unreachable!()
    };
    let body = speakr_summary_body(mock, "1").await;
    let recovered = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicUsize::new(0));
    let flag = recovered.clone();
    Mock::given(|req: &Request| {
        req.url.path().starts_with("/api/v1/recordings/") && req.url.path().ends_with("/summary")
    })
    .respond_with(move |_: &Request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        if n < allowed || flag.load(Ordering::SeqCst) {
            ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")
        } else {
            speakr_quota_spent()
        }
    })
    .with_priority(1)
    .mount(v.server())
    .await;
    recovered
}

fn summaries(paths: &[String], from: usize) -> Vec<String> {
    paths[from..]
        .iter()
        .filter(|p| p.ends_with("/summary"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_spent_speakr_quota_stops_the_run_and_the_next_run_finishes_it() {
    let v = Vendor::start("speakr").await;
    let ids = v.ids().await; // 4, 3, 2, 1
    let recovered = spend_speakr_summaries(&v, 2).await;
    let dir = scratch("quota-speakr");
    let setup = v.paths().await.len();
    let out = export_to(&v, &dir, &["--concurrency", "1"]).await;
    assert_eq!(out.status.code(), Some(75), "{}", report(&out));
    let stdout = export_lines(&out.stdout);
    assert!(
        stdout.contains(
            &"export: 2 exported, 0 skipped, 0 failed (quota spent: 2 left for the next run)"
                .to_owned()
        ),
        "{}",
        report(&out)
    );
    let stderr = export_lines(&out.stderr);
    assert_eq!(
        stderr.last().unwrap(),
        SPENT_SPEAKR_SUMMARY,
        "{}",
        report(&out)
    );
    assert!(
        !stderr.iter().any(|l| l.contains("failed")),
        "{}",
        report(&out)
    );
    // The third recording met the 429 once (no retry: the hour is spent), the fourth was
    // never started.
    let sent = v.paths().await;
    assert_eq!(
        summaries(&sent, setup),
        [
            "/api/v1/recordings/4/summary",
            "/api/v1/recordings/3/summary",
            "/api/v1/recordings/2/summary"
        ]
    );
    assert!(!sent[setup..]
        .iter()
        .any(|p| p.starts_with("/api/v1/recordings/1/")));
    check_complete(&dir, &ids[..2]);
    // The stopped recording's whole files stay for the next run.
    assert!(dir.join("2.json").is_file() && dir.join("2.transcript.txt").is_file());

    // The hour is over: the same command finishes the export, fetching only what is missing.
    recovered.store(true, Ordering::SeqCst);
    let before = v.paths().await.len();
    let again = export_to(&v, &dir, &["--concurrency", "1"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", report(&again));
    assert!(
        export_lines(&again.stdout).contains(&"export: 2 exported, 2 skipped, 0 failed".to_owned()),
        "{}",
        report(&again)
    );
    let sent = counts(&v.paths().await, before);
    let expected: std::collections::BTreeMap<String, usize> = [
        ("/api/v1/recordings", 1),
        ("/api/v1/recordings/2/summary", 1),
        ("/api/v1/recordings/1/transcript", 1),
        ("/api/v1/recordings/1/summary", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(sent, expected);
    check_complete(&dir, &ids);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn items_in_flight_when_the_quota_is_spent_are_left_whole_for_the_next_run() {
    // Four recordings at once: the first summary is answered, the other three meet the 429.
    let v = Vendor::start("speakr").await;
    let ids = v.ids().await;
    let recovered = spend_speakr_summaries(&v, 1).await;
    let dir = scratch("quota-in-flight");
    let setup = v.paths().await.len();
    let out = export_to(&v, &dir, &["--concurrency", "4"]).await;
    assert_eq!(out.status.code(), Some(75), "{}", report(&out));
    assert!(
        export_lines(&out.stdout).contains(
            &"export: 1 exported, 0 skipped, 0 failed (quota spent: 3 left for the next run)"
                .to_owned()
        ),
        "{}",
        report(&out)
    );
    let stderr = export_lines(&out.stderr);
    assert_eq!(
        stderr.last().unwrap(),
        SPENT_SPEAKR_SUMMARY,
        "{}",
        report(&out)
    );
    assert_eq!(summaries(&v.paths().await, setup).len(), 4);
    let done = index(&dir);
    assert_eq!(done.len(), 1);
    assert_no_partial_files(&dir);

    recovered.store(true, Ordering::SeqCst);
    let again = export_to(&v, &dir, &[]).await;
    assert_eq!(again.status.code(), Some(0), "{}", report(&again));
    assert!(
        export_lines(&again.stdout).contains(&"export: 3 exported, 1 skipped, 0 failed".to_owned()),
        "{}",
        report(&again)
    );
    check_complete(&dir, &ids);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_spent_listing_quota_stops_the_run_resumably() {
    let v = Vendor::start("speakr").await;
    let Vendor::Speakr(mock) = &v else {
        unreachable!()
    };
    // The listing as the mock serves it (one page), once the hour is over.
    let page = mock
        .client()
        .unwrap()
        .core()
        .get("/recordings")
        .query("page", 1)
        .query("per_page", 100)
        .send_bytes()
        .await
        .unwrap()
        .to_vec();
    let spent = Arc::new(AtomicBool::new(true));
    let flag = spent.clone();
    Mock::given(|req: &Request| key(req) == "/api/v1/recordings")
        .respond_with(move |_: &Request| {
            if flag.load(Ordering::SeqCst) {
                speakr_quota_spent()
            } else {
                ResponseTemplate::new(200).set_body_raw(page.clone(), "application/json")
            }
        })
        .with_priority(1)
        .mount(v.server())
        .await;
    let setup = v.paths().await.len();
    let dir = scratch("quota-listing");
    let out = export_to(&v, &dir, &[]).await;
    assert_eq!(out.status.code(), Some(75), "{}", report(&out));
    assert_eq!(
        export_lines(&out.stderr).last().unwrap(),
        "export: the Speakr quota for GET /recordings is spent; run the same command again later to resume",
        "{}",
        report(&out)
    );
    assert!(
        export_lines(&out.stdout).contains(
            &"export: 0 exported, 0 skipped, 0 failed (quota spent: 0 left for the next run)"
                .to_owned()
        ),
        "{}",
        report(&out)
    );
    assert_eq!(v.paths().await[setup..], ["/api/v1/recordings"]);
    assert!(index(&dir).is_empty());

    spent.store(false, Ordering::SeqCst);
    let again = export_to(&v, &dir, &[]).await;
    assert_eq!(again.status.code(), Some(0), "{}", report(&again));
    check_complete(&dir, &v.ids().await);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_quota_spent_for_an_hour_stops_any_vendor() {
    // Heilo: a 429 asking for an hour (beyond the client's longest wait: reported at once).
    let v = Vendor::start("heilo").await;
    let Vendor::Heilo(mock) = &v else {
        unreachable!()
    };
    let ids = v.ids().await;
    let body = mock
        .client()
        .unwrap()
        .core()
        .get("/calls/{id}")
        .param(&ids[1])
        .send_bytes()
        .await
        .unwrap()
        .to_vec();
    let spent = Arc::new(AtomicBool::new(true));
    let flag = spent.clone();
    let route = v.item_route(&ids[1]);
    Mock::given(move |req: &Request| key(req) == route)
        .respond_with(move |_: &Request| {
            if flag.load(Ordering::SeqCst) {
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "3600")
                    .set_body_raw(
                        include_str!(concat!(
                            env!("CARGO_MANIFEST_DIR"),
                            "/../heilo-client/fixtures/documented/error_rate_limited_429.json"
                        )),
                        "application/json",
                    )
            } else {
                ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")
            }
        })
        .with_priority(1)
        .mount(v.server())
        .await;
    let dir = scratch("quota-heilo");
    let setup = v.paths().await.len();
    let out = export_to(&v, &dir, &["--concurrency", "1"]).await;
    assert_eq!(out.status.code(), Some(75), "{}", report(&out));
    assert_eq!(
        export_lines(&out.stderr).last().unwrap(),
        "export: the Heilo quota for GET /calls/{id} is spent; run the same command again later to resume",
        "{}",
        report(&out)
    );
    let left = ids.len() - 1;
    assert!(
        export_lines(&out.stdout).contains(&format!(
            "export: 1 exported, 0 skipped, 0 failed (quota spent: {left} left for the next run)"
        )),
        "{}",
        report(&out)
    );
    let sent = counts(&v.paths().await, setup);
    assert_eq!(sent.get(&v.item_route(&ids[1])), Some(&1), "{sent:?}");
    for id in &ids[2..] {
        assert!(
            !sent.contains_key(&v.item_route(id)),
            "{id} started: {sent:?}"
        );
    }
    check_complete(&dir, &ids[..1]);

    // Past the hour: the same command finishes the export, fetching only what is missing.
    spent.store(false, Ordering::SeqCst);
    let before = v.paths().await.len();
    let again = export_to(&v, &dir, &[]).await;
    assert_eq!(again.status.code(), Some(0), "{}", report(&again));
    assert!(
        export_lines(&again.stdout)
            .contains(&format!("export: {left} exported, 1 skipped, 0 failed")),
        "{}",
        report(&again)
    );
    let sent = counts(&v.paths().await, before);
    assert_eq!(sent.get(v.list_route()), Some(&1), "{sent:?}");
    assert_eq!(sent.get(&v.item_route(&ids[0])), None, "{sent:?}");
    for id in &ids[1..] {
        assert_eq!(sent.get(&v.item_route(id)), Some(&1), "{id}: {sent:?}");
    }
    check_complete(&dir, &ids);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_quota_that_resets_soon_is_waited_for() {
    // Hedy: the first session's record answers 429 with `Retry-After: 1` three times (the
    // client's own attempts, each after the wait), then the export waits a second and asks
    // again.
    let v = Vendor::start("hedy").await;
    let ids = v.ids().await;
    let route = v.item_route(&ids[0]);
    Mock::given(move |req: &Request| key(req) == route)
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_raw(
                    include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/../hedy-client/fixtures/constructed/error_rate_limit_exceeded_429.json"
                    )),
                    "application/json",
                ),
        )
        .up_to_n_times(3)
        .with_priority(1)
        .mount(v.server())
        .await;
    let dir = scratch("quota-wait");
    let setup = v.paths().await.len();
    let out = export_to(&v, &dir, &["--concurrency", "1"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", report(&out));
    let n = ids.len();
    assert!(
        export_lines(&out.stdout).contains(&format!("export: {n} exported, 0 skipped, 0 failed")),
        "{}",
        report(&out)
    );
    assert_eq!(
        export_lines(&out.stderr),
        [format!(
            "export: the Hedy quota for GET /sessions/{{sessionId}} is spent for 1 s: hedy {} waits",
            ids[0]
        )],
        "{}",
        report(&out)
    );
    let sent = counts(&v.paths().await, setup);
    assert_eq!(sent.get(&v.item_route(&ids[0])), Some(&4), "{sent:?}");
    check_complete(&dir, &ids);
    std::fs::remove_dir_all(&dir).ok();
}
