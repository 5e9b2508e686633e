//! The Speakr part of the tour (driven by speakr-client's mock server).

pub async fn run() -> super::TourResult {
    Ok(())
}
