//! The date window: its last day is exported whole for every vendor, and the index records
//! the field the window was applied to.

use serde_json::Value;

use crate::harness::*;

/// Each vendor's listed items of one day (the window's last), and what the index must say.
struct Case {
    vendor: &'static str,
    since: &'static str,
    until: &'static str,
    /// The ids in the window, with the value of the windowed field each one has.
    expected: &'static [(&'static str, &'static str)],
    date_field: &'static str,
}

const CASES: [Case; 4] = [
    // Every recording was created on 2026-11-22; recording 1's meeting_date is 2026-11-20.
    Case {
        vendor: "speakr",
        since: "2026-11-22",
        until: "2026-11-22",
        expected: &[
            ("1", "2026-11-22T07:35:50.375621"),
            ("2", "2026-11-22T07:36:15.529751"),
            ("3", "2026-11-22T07:36:15.908732"),
            ("4", "2026-11-22T07:36:16.306698"),
        ],
        date_field: "created_at",
    },
    Case {
        vendor: "heilo",
        since: "2026-06-04",
        until: "2026-06-06",
        expected: &[
            (
                "6b1d3c2e-8f4a-4e5b-9c7d-1a2b3c4d5e01",
                "2026-06-04T09:15:00Z",
            ),
            (
                "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c02",
                "2026-06-05T16:40:12Z",
            ),
            (
                "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f03",
                "2026-06-06T08:05:44Z",
            ),
        ],
        date_field: "created_at",
    },
    Case {
        vendor: "hedy",
        since: "2026-03-02",
        until: "2026-03-02",
        expected: &[("sess_3Bv8pR1cN4", "2026-03-02T09:30:00Z")],
        date_field: "startTime",
    },
    // 15:00 at UTC-5 is 20:00 UTC, still on the 12th.
    Case {
        vendor: "healthie",
        since: "2026-11-05",
        until: "2026-11-12",
        expected: &[
            ("1002", "2026-11-07T15:00:00-05:00"),
            ("1003", "2026-11-12T15:00:00-05:00"),
        ],
        date_field: "date",
    },
];

#[tokio::test]
async fn the_last_day_of_the_window_is_exported_and_indexed_by_the_field_it_filters() {
    for case in &CASES {
        let v = Vendor::start(case.vendor).await;
        let dir = scratch(&format!("last-day-{}", case.vendor));
        let out = export_to(&v, &dir, &["--since", case.since, "--until", case.until]).await;
        assert_eq!(out.status.code(), Some(0), "{}", report(&out));
        let n = case.expected.len();
        assert!(
            export_lines(&out.stdout)
                .contains(&format!("export: {n} exported, 0 skipped, 0 failed")),
            "{}",
            report(&out)
        );
        let ids: Vec<String> = case
            .expected
            .iter()
            .map(|(id, _)| (*id).to_owned())
            .collect();
        let lines = check_complete(&dir, &ids);
        for (id, date) in case.expected {
            let line = &lines[*id];
            assert_eq!(
                line["date_field"], case.date_field,
                "{}: {line}",
                case.vendor
            );
            assert_eq!(line["date"], *date, "{}: {line}", case.vendor);
        }

        // What the listing asked the server for: the day after the last, at midnight.
        match case.vendor {
            "speakr" => {
                assert_eq!(
                    queries(&v, "/api/v1/recordings").await,
                    ["page=1&per_page=100&date_from=2026-11-22&date_to=2026-11-23"]
                );
                // The index's date is the record's created_at, not its meeting_date.
                let record: Value =
                    serde_json::from_slice(&std::fs::read(dir.join("1.json")).unwrap()).unwrap();
                assert_eq!(record["created_at"], lines["1"]["date"]);
                assert_eq!(record["meeting_date"], "2026-11-20T10:00:00");
            }
            "heilo" => assert_eq!(
                queries(&v, "/calls").await,
                ["page=1&limit=100&dateFrom=2026-06-04T00%3A00%3A00Z&dateTo=2026-06-07T00%3A00%3A00Z"]
            ),
            "hedy" => {
                // No filter on the server: the sessions of other days are listed, not fetched.
                let sent = v.paths().await;
                let fetched: Vec<&String> =
                    sent.iter().filter(|p| p.starts_with("/sessions/")).collect();
                assert_eq!(fetched, ["/sessions/sess_3Bv8pR1cN4"]);
            }
            _ => {
                let received = v.server().received_requests().await.unwrap();
                let listings: Vec<Value> = received
                    .iter()
                    .filter(|r| key(r) == "graphql:Appointments:")
                    .map(|r| serde_json::from_slice(&r.body).unwrap())
                    .collect();
                assert_eq!(listings.len(), 1);
                let variables = &listings[0]["variables"];
                assert_eq!(variables["startDate"], "2026-11-05T00:00:00Z");
                assert_eq!(variables["endDate"], "2026-11-13T00:00:00Z");
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn a_window_ending_the_day_before_exports_nothing_from_speakr() {
    // Speakr's `date_to=2026-11-22` means "created before the 22nd": a window ending on the
    // 21st holds none of the recordings created on the 22nd.
    let v = Vendor::start("speakr").await;
    let dir = scratch("day-before-speakr");
    let out = export_to(&v, &dir, &["--until", "2026-11-21"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", report(&out));
    assert!(
        export_lines(&out.stdout).contains(&"export: 0 exported, 0 skipped, 0 failed".to_owned()),
        "{}",
        report(&out)
    );
    assert_eq!(
        queries(&v, "/api/v1/recordings").await,
        ["page=1&per_page=100&date_to=2026-11-22"]
    );
    assert_eq!(v.paths().await, ["/api/v1/recordings"]);
    assert!(index(&dir).is_empty());
    std::fs::remove_dir_all(&dir).ok();
}
