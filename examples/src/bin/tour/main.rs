//! The tour: every SDK in the workspace, driven against local in-process servers.
//! No account and no network are needed: `cargo run -p examples --bin tour`.

mod core;
mod healthie;
mod hedy;
mod heilo;
mod speakr;
mod transcripts;

type TourResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main]
async fn main() -> TourResult {
    core::run().await?;
    speakr::run().await?;
    heilo::run().await?;
    hedy::run().await?;
    healthie::run().await?;
    transcripts::run().await?;
    Ok(())
}
