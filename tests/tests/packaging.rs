//! What each published package carries, read from cargo itself (`cargo metadata` and
//! `cargo package --list`): the crates.io metadata, the licence files, README and CHANGELOG,
//! no tests, benches or fuzz targets, and nothing that needs an unpublished crate.
//!
//! The packages' contents are checked as listed, without building them; `.ci/run` then packages
//! and verifies them for real (`cargo publish --workspace --dry-run`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The packages published on crates.io, in publication order (RELEASING.md).
const PUBLISHED: [&str; 7] = [
    "meeting-sdks-core",
    "meeting-sdks-webhook-verify",
    "hedy-client",
    "speakr-client",
    "heilo-client",
    "healthie-client",
    "meeting-sdks-transcripts",
];

/// The workspace members that stay in the repository.
const UNPUBLISHED: [&str; 3] = ["examples", "tests", "test-support"];

/// The crates.io category slugs the packages may use.
const CATEGORIES: [&str; 12] = [
    "api-bindings",
    "asynchronous",
    "authentication",
    "cryptography",
    "multimedia",
    "network-programming",
    "parser-implementations",
    "parsing",
    "text-processing",
    "web-programming",
    "web-programming::http-client",
    "web-programming::http-server",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(args)
        .current_dir(workspace_root())
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The workspace's packages as `cargo metadata` describes them.
fn packages() -> Vec<Value> {
    let metadata: Value =
        serde_json::from_str(&cargo(&["metadata", "--no-deps", "--format-version", "1"])).unwrap();
    metadata["packages"].as_array().unwrap().clone()
}

fn package<'a>(packages: &'a [Value], name: &str) -> &'a Value {
    packages
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no package {name} in the workspace"))
}

fn publishable(p: &Value) -> bool {
    // `publish = false` is an empty list of registries; absent means crates.io.
    p["publish"].as_array().is_none_or(|r| !r.is_empty())
}

#[test]
fn exactly_the_library_crates_are_published() {
    let packages = packages();
    let published: BTreeSet<&str> = packages
        .iter()
        .filter(|p| publishable(p))
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(published, BTreeSet::from(PUBLISHED));
    for name in UNPUBLISHED {
        assert!(!publishable(package(&packages, name)), "{name}");
    }
}

#[test]
fn every_published_package_has_its_metadata() {
    let packages = packages();
    for name in PUBLISHED {
        let p = package(&packages, name);
        let text = |key: &str| p[key].as_str().unwrap_or_default().to_owned();
        assert!(text("description").len() > 20, "{name}: description");
        assert_eq!(text("license"), "MIT OR Apache-2.0", "{name}");
        assert_eq!(text("rust_version"), "1.88", "{name}");
        assert_eq!(
            text("repository"),
            "https://github.com/meeting-sdks/meeting-sdks",
            "{name}"
        );
        assert!(text("homepage").starts_with("https://"), "{name}: homepage");
        assert_eq!(
            text("documentation"),
            format!("https://docs.rs/{name}"),
            "{name}"
        );
        assert!(text("readme").ends_with("README.md"), "{name}: readme");

        let keywords = p["keywords"].as_array().unwrap();
        assert!((1..=5).contains(&keywords.len()), "{name}: {keywords:?}");
        for k in keywords {
            let k = k.as_str().unwrap();
            assert!(
                k.len() <= 20
                    && k.starts_with(|c: char| c.is_ascii_alphabetic())
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_+".contains(c)),
                "{name}: keyword {k:?}"
            );
        }
        let categories = p["categories"].as_array().unwrap();
        assert!((1..=5).contains(&categories.len()), "{name}");
        for c in categories {
            assert!(CATEGORIES.contains(&c.as_str().unwrap()), "{name}: {c}");
        }

        let docs_rs = &p["metadata"]["docs"]["rs"];
        assert_eq!(docs_rs["all-features"], true, "{name}: docs.rs");
        assert_eq!(
            docs_rs["rustdoc-args"],
            serde_json::json!(["--cfg", "docsrs"]),
            "{name}: docs.rs"
        );
    }
}

#[test]
fn published_packages_depend_only_on_published_crates() {
    let packages = packages();
    for name in PUBLISHED {
        for dep in package(&packages, name)["dependencies"].as_array().unwrap() {
            let dep_name = dep["name"].as_str().unwrap();
            let dev = dep["kind"] == "dev";
            if UNPUBLISHED.contains(&dep_name) {
                // Cargo drops a path-only dev-dependency from the published manifest; anything
                // else would need the unpublished crate.
                assert!(
                    dev && dep["req"] == "*",
                    "{name} needs unpublished {dep_name}"
                );
            } else if dep["path"].is_string() && !dev {
                // A workspace crate: named with a version, so the registry can resolve it.
                assert_ne!(dep["req"], "*", "{name} → {dep_name} has no version");
                assert!(PUBLISHED.contains(&dep_name), "{name} → {dep_name}");
            }
        }
    }
}

#[test]
fn every_package_lists_its_licences_docs_and_sources_only() {
    let root = workspace_root();
    let mit = std::fs::read(root.join("LICENSE-MIT")).unwrap();
    let apache = std::fs::read(root.join("LICENSE-APACHE")).unwrap();
    let packages = packages();
    for name in PUBLISHED {
        let files: Vec<String> = cargo(&["package", "--list", "--allow-dirty", "-p", name])
            .lines()
            .map(str::to_owned)
            .collect();
        for required in [
            "Cargo.toml",
            "README.md",
            "CHANGELOG.md",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "src/lib.rs",
        ] {
            assert!(files.iter().any(|f| f == required), "{name}: no {required}");
        }
        for f in &files {
            for dir in ["tests/", "benches/", "fuzz/", "examples/"] {
                assert!(!f.starts_with(dir), "{name} ships {f}");
            }
        }

        let dir = Path::new(package(&packages, name)["manifest_path"].as_str().unwrap())
            .parent()
            .unwrap()
            .to_path_buf();
        // The licence files are the workspace's (symlinks in the repository, packaged as files).
        assert_eq!(
            std::fs::read(dir.join("LICENSE-MIT")).unwrap(),
            mit,
            "{name}"
        );
        assert_eq!(
            std::fs::read(dir.join("LICENSE-APACHE")).unwrap(),
            apache,
            "{name}"
        );
        // Nothing shipped mentions the unpublished test helpers (the manifests are checked
        // above through cargo's view of the dependencies).
        for f in &files {
            if matches!(
                f.as_str(),
                "Cargo.toml" | "Cargo.toml.orig" | "Cargo.lock" | ".cargo_vcs_info.json"
            ) {
                continue;
            }
            let content = std::fs::read(dir.join(f)).unwrap();
            let content = String::from_utf8_lossy(&content);
            assert!(
                !content.contains("test-support") && !content.contains("test_support"),
                "{name}: {f} refers to test-support"
            );
        }

        // The README is the crate's page: its name, an install line, the MSRV.
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(
            readme.starts_with(&format!("# {name}\n")),
            "{name}: README title"
        );
        assert!(
            readme.contains(&format!("cargo add {name}"))
                || readme.contains(&format!("package = \"{name}\"")),
            "{name}: README install line"
        );
        assert!(readme.contains("1.88"), "{name}: README MSRV");
        let changelog = std::fs::read_to_string(dir.join("CHANGELOG.md")).unwrap();
        assert!(
            changelog.contains("Keep a Changelog") && changelog.contains("## [0.1.0]"),
            "{name}: CHANGELOG"
        );
    }
}
