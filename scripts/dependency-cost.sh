#!/usr/bin/env bash
# What depending on one of this workspace's crates costs a user, beside the SDKs users know:
# a minimal consumer of each is built from a clean target directory, one after another, and the
# crates it pulls in (normal dependencies, the consumer excluded) and its cold `cargo build`
# time are printed side by side. Run by hand, not in CI (it builds four dependency trees from
# scratch): `bash scripts/dependency-cost.sh`.
#
#   hedy-client         one `sessions().list().send()` call (default features: rustls)
#   webhook-verify      one `hedy::Verifier::verify` (default features)
#   octocrab            one `issues(..).list().send()` call (default features)
#   svix                one `Webhook::verify` (default features)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${DEPENDENCY_COST_DIR:-$(mktemp -d)}
echo "consumers in $work"

consumer() { # name, dependency line, main.rs
  local name=$1 dep=$2 main=$3
  mkdir -p "$work/$name/src"
  cat > "$work/$name/Cargo.toml" <<TOML
[package]
name = "consumer-$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$dep

[workspace]
TOML
  printf '%s\n' "$main" > "$work/$name/src/main.rs"
}

consumer hedy "hedy-client = { path = \"$root/hedy-client\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }" '
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), hedy_client::Error> {
    let hedy = hedy_client::HedyClient::new("key")?;
    let page = hedy.sessions().list().limit(10).send().await?;
    println!("{}", page.items.len());
    Ok(())
}'

consumer webhook-verify "webhook-verify = { package = \"meeting-sdks-webhook-verify\", path = \"$root/webhook-verify\" }
http = \"1\"" '
fn main() {
    let verifier = webhook_verify::hedy::Verifier::new("secret");
    let ok = verifier.verify(&http::HeaderMap::new(), b"{}").is_ok();
    println!("{ok}");
}'

consumer octocrab "octocrab = \"0.54\"
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }" '
#[tokio::main(flavor = "current_thread")]
async fn main() -> octocrab::Result<()> {
    let github = octocrab::instance();
    let page = github.issues("rust-lang", "rust").list().per_page(10).send().await?;
    println!("{}", page.items.len());
    Ok(())
}'

consumer svix "svix = \"2\"
http = \"1\"" '
fn main() {
    let wh = svix::webhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let ok = wh.verify(b"{}", &http::HeaderMap::new()).is_ok();
    println!("{ok}");
}'

printf '\n%-16s %8s %12s\n' consumer crates "cold build"
for name in hedy webhook-verify octocrab svix; do
  dir="$work/$name"
  (cd "$dir" && cargo generate-lockfile -q)
  crates=$(cd "$dir" && cargo tree -q -e normal --prefix none | sed 's/ (\*)//' | sort -u | grep -vc "^consumer-")
  rm -rf "$dir/target"
  start=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build -q 2>/dev/null)
  end=$(date +%s.%N)
  printf '%-16s %8s %11.1fs\n' "$name" "$crates" "$(echo "$end - $start" | bc)"
done
