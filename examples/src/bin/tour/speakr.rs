//! The Speakr part of the tour (driven by speakr-client's mock server, which answers with
//! responses recorded from a real Speakr v0.9.4 server).

use futures::TryStreamExt;
use speakr_client::mock::MockSpeakr;
use speakr_client::recordings::TranscriptFormat;
use speakr_client::webhooks::{verify_and_parse, Verifier};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub async fn run() -> super::TourResult {
    println!("== speakr-client: a Speakr server (mock, recorded responses)");
    let mock = MockSpeakr::start().await;
    let speakr = mock.client()?;

    // Every recording, two per page, fetched lazily.
    let recordings: Vec<_> = speakr
        .recordings()
        .list()
        .per_page(2)
        .into_stream()
        .try_collect()
        .await?;
    println!("streamed {} recordings over 2 pages:", recordings.len());
    for r in &recordings {
        println!(
            "  #{} {:<24} {:<9} created {}",
            r.id,
            r.title.as_deref().unwrap_or("(untitled)"),
            r.status,
            r.created_at.as_ref().map(|t| t.as_str()).unwrap_or("?")
        );
    }

    // One recording with its transcript.
    let rec = speakr.recordings().get(1).send().await?;
    let transcript = speakr
        .recordings()
        .transcript(1, TranscriptFormat::Json)
        .await?;
    println!(
        "recording #{} \"{}\": {:.1} s of audio, {} transcript segments",
        rec.id,
        rec.title.as_deref().unwrap_or(""),
        rec.audio_duration.unwrap_or_default(),
        transcript.segments().map(<[_]>::len).unwrap_or(0)
    );
    for s in transcript.segments().unwrap_or_default() {
        println!("  [{}] {}", s.speaker.as_deref().unwrap_or("?"), s.sentence);
    }

    // An error, decoded from the server's JSON body.
    match speakr.recordings().get(999).send().await {
        Ok(r) => println!("unexpected: found recording #{}", r.id),
        Err(e) => println!(
            "error decoded: kind {:?}, status {}, message {:?}",
            e.kind(),
            e.status().map(|s| s.as_u16()).unwrap_or_default(),
            e.message()
        ),
    }
    // A refused token: Speakr redirects to /login; the client reports an auth error.
    let stranger = speakr_client::SpeakrClient::new(mock.uri(), "not-a-token")?;
    if let Err(e) = stranger.users().me().await {
        println!("bad token: {e}");
    }

    // A webhook delivery: the mock signs a recorded delivery and POSTs it to a local receiver,
    // which verifies the signature on the raw body and parses the typed event.
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let deliveries = MockSpeakr::deliveries()?;
    let first_created = deliveries
        .iter()
        .find(|d| d.event_type == "recording.created")
        .ok_or("no recording.created delivery")?;
    mock.deliver(&format!("{}/hook", receiver.uri()), first_created)
        .await?;
    let received = receiver.received_requests().await.unwrap_or_default();
    let request = received.first().ok_or("the receiver got nothing")?;
    let verifier = Verifier::new(mock.webhook_secret());
    let event = verify_and_parse(&verifier, &request.headers, &request.body)?;
    println!(
        "delivery verified: {} for recording {:?}, idempotency key {}",
        event.event_type(),
        event.event.recording_id(),
        event.idempotency_key
    );
    let mut tampered = request.body.clone();
    tampered.extend_from_slice(b" ");
    match verify_and_parse(&verifier, &request.headers, &tampered) {
        Ok(_) => println!("unexpected: a tampered delivery verified"),
        Err(e) => println!("tampered delivery rejected: {e}"),
    }
    println!();
    Ok(())
}
