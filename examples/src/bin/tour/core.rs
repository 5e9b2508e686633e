//! The client-core part of the tour.

pub async fn run() -> super::TourResult {
    Ok(())
}
