//! The Hedy part of the tour, driven by hedy-client's mock server. Its responses are
//! **constructed** from the project's wire-format research, not recorded from Hedy.

use futures::TryStreamExt;
use hedy_client::error::ErrorCode;
use hedy_client::mock::MockHedy;
use hedy_client::topics::NewTopic;
use hedy_client::webhooks::{verify_and_parse, BodyForm, Event, EventType, Verifier};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub async fn run() -> super::TourResult {
    println!("== hedy-client: a Hedy server (mock, constructed responses)");
    let mock = MockHedy::start().await;
    let hedy = mock.client()?;

    // Every session, two per page (`pagination.next` sent back as `after`), fetched lazily.
    let sessions: Vec<_> = hedy
        .sessions()
        .list()
        .limit(2)
        .into_stream()
        .try_collect()
        .await?;
    println!(
        "streamed {} sessions over 3 pages (duration as sent: seconds or minutes, the sources disagree):",
        sessions.len()
    );
    for s in &sessions {
        println!(
            "  {} {:<22} {:<10} started {} duration {}",
            s.session_id,
            s.title
                .as_deref()
                .filter(|t| !t.is_empty())
                .unwrap_or("(untitled)"),
            s.session_type.as_ref().map(|t| t.as_str()).unwrap_or("?"),
            s.start_time.as_ref().map(|t| t.as_str()).unwrap_or("?"),
            s.duration.unwrap_or_default()
        );
    }

    // One session with its highlights.
    let session = hedy.sessions().get("sess_7Qm2xK9aL0").await?;
    let highlights = hedy
        .sessions()
        .highlights(&session.session_id)
        .send()
        .await?
        .items;
    println!(
        "session {} \"{}\": {:.0} s from start to end, recap: {}",
        session.session_id,
        session.title.as_deref().unwrap_or(""),
        session.duration_from_times().unwrap_or_default(),
        session.recap.as_deref().unwrap_or("-")
    );
    for h in &highlights {
        println!(
            "  highlight {} at {:.1} min: {}",
            h.highlight_id,
            h.time_index_ms.unwrap_or_default() as f64 / 60_000.0,
            h.main_idea.as_deref().unwrap_or("")
        );
    }

    // A topic: bounds are checked before sending, and a create is never sent twice.
    let topic = hedy
        .topics()
        .create(
            NewTopic::new("Sales")
                .color("#4A90D9")
                .topic_context("Track objections and next steps."),
        )
        .await?;
    println!(
        "created topic {} \"{}\" ({})",
        topic.id,
        topic.name.as_deref().unwrap_or(""),
        topic.color.as_deref().unwrap_or("")
    );
    if let Err(e) = hedy
        .topics()
        .create(NewTopic::new("Sales").color("blue"))
        .await
    {
        println!("refused before sending: {e}");
    }

    // An error, decoded from Hedy's `{success: false, error: {code, message}}` body.
    match hedy.sessions().get("sess_unknown").await {
        Ok(s) => println!("unexpected: found session {}", s.session_id),
        Err(e) => println!(
            "error decoded: kind {:?}, status {}, code {:?}, message {:?}",
            e.kind(),
            e.status().map(|s| s.as_u16()).unwrap_or_default(),
            ErrorCode::of(&e),
            e.message()
        ),
    }

    // A webhook delivery: the mock signs a `session.ended` body (the flat form real deliveries
    // use) and POSTs it to a local receiver, which verifies the raw body and parses the event.
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let sample = MockHedy::delivery(&EventType::SessionEnded, BodyForm::Flat)
        .ok_or("no session.ended sample")?;
    mock.deliver(&format!("{}/hook", receiver.uri()), &sample)
        .await?;
    let received = receiver.received_requests().await.unwrap_or_default();
    let request = received.first().ok_or("the receiver got nothing")?;
    let verifier = Verifier::new(mock.webhook_secret());
    let delivery = verify_and_parse(&verifier, &request.headers, &request.body)?;
    if let Event::SessionEnded(ended) = &delivery.event {
        println!(
            "delivery verified: {} ({:?} body) for {} with {} highlight(s), idempotency key {}",
            delivery.event_type(),
            delivery.form,
            ended.session_id,
            ended.highlights.as_ref().map(Vec::len).unwrap_or(0),
            delivery.idempotency_key
        );
    }
    let mut tampered = request.body.clone();
    tampered.extend_from_slice(b" ");
    match verify_and_parse(&verifier, &request.headers, &tampered) {
        Ok(_) => println!("unexpected: a tampered delivery verified"),
        Err(e) => println!("tampered delivery rejected: {e}"),
    }
    println!();
    Ok(())
}
