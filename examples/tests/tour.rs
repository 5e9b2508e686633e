//! Runs the `tour` binary, the README's first command, as a process: it needs no account and
//! no network, exits 0, and shows the shared transport and all four vendors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Stdio};

#[test]
fn the_tour_shows_every_vendor_and_exits_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_tour"))
        .stdin(Stdio::null())
        .env_remove("HEALTHIE_API_KEY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let sections: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    let crates: Vec<&str> = sections
        .iter()
        .filter_map(|l| l.strip_prefix("== ")?.split(':').next())
        .collect();
    assert_eq!(
        crates,
        [
            "client-core",
            "speakr-client",
            "heilo-client",
            "hedy-client",
            "healthie-client",
            "transcripts"
        ],
        "{stdout}"
    );
    // The Healthie section: three pages, a VTT, a decoded error, a verified delivery per
    // dialect, and the event's appointment.
    for expected in [
        "over 3 pages",
        "lines of VTT",
        "error decoded: kind QueryTooComplex",
        "in the Legacy dialect",
        "in the Guide dialect",
        "in the Rfc9421 dialect",
        "the event's appointment: 1001",
        // One transcript per vendor, in one model, rendered the same way.
        "speakr 1 ",
        "hedy sess_7Qm2xK9aL0 ",
        "healthie 1001 ",
        "(from call.completed)",
        "as WebVTT: ",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in:\n{stdout}");
    }
}
