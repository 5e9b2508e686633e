//! The Heilo part of the tour (driven by heilo-client's mock server, which answers with
//! fixtures made from Heilo's API reference: no Heilo server has been observed).

use futures::TryStreamExt;
use heilo_client::calls::Direction;
use heilo_client::error::ErrorCode;
use heilo_client::mock::MockHeilo;
use heilo_client::webhooks::{verify_and_parse, Event, EventType, Verifier};
use heilo_client::webhooks_api::{NewWebhookSubscription, VerificationMode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub async fn run() -> super::TourResult {
    println!("== heilo-client: the Heilo API (mock, fixtures made from the API reference)");
    let mock = MockHeilo::start().await;
    let heilo = mock.client()?;

    // Key introspection: the connection test.
    let me = heilo.me().await?;
    println!(
        "key {} ({:?}), scopes {:?}, {} requests/hour",
        me.api_key_id,
        me.environment.as_ref().map(|e| e.as_str()),
        me.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        me.rate_limit_per_hour.unwrap_or_default()
    );

    // Every call, two per page, fetched lazily.
    let calls: Vec<_> = heilo
        .calls()
        .list()
        .limit(2)
        .into_stream()
        .try_collect()
        .await?;
    println!("streamed {} calls over 3 pages:", calls.len());
    for c in &calls {
        println!(
            "  {} {:<8} {:<10} {:>5} s  {}",
            &c.call_id[..8],
            c.direction.as_ref().map(|d| d.as_str()).unwrap_or("?"),
            c.crm_status.as_ref().map(|s| s.as_str()).unwrap_or("?"),
            c.duration
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            c.transcript_processed
                .as_ref()
                .and_then(|t| t.subject.as_deref().or(t.summary.as_deref()))
                .unwrap_or("(no analysis)")
        );
    }
    let inbound = heilo
        .calls()
        .list()
        .direction(Direction::Inbound)
        .send()
        .await?;
    println!("inbound only: {} calls", inbound.items.len());

    // One call.
    let first = calls.first().ok_or("the mock has no calls")?;
    let call = heilo.calls().get(first.call_id.clone()).await?;
    println!(
        "call {}: {} from {}",
        call.call_id,
        call.caller_name.as_deref().unwrap_or("(unknown caller)"),
        call.caller_phone.as_deref().unwrap_or("?")
    );

    // Errors, decoded from Heilo's JSON error body.
    match heilo
        .calls()
        .get("00000000-0000-0000-0000-000000000000")
        .await
    {
        Ok(c) => println!("unexpected: found call {}", c.call_id),
        Err(e) => println!(
            "error decoded: kind {:?}, status {}, code {:?}, message {:?}",
            e.kind(),
            e.status().map(|s| s.as_u16()).unwrap_or_default(),
            ErrorCode::of(&e),
            e.message()
        ),
    }
    let stranger = mock.client_with_key("hk_live_not-a-key")?;
    if let Err(e) = stranger.me().await {
        println!("bad key: {e}");
    }

    // A webhook subscription; its signing secret comes back once.
    let created = heilo
        .webhooks()
        .create(
            NewWebhookSubscription::new(
                "https://crm.example.com/hooks/heilo",
                [EventType::CallCompleted, EventType::CallOutboundAttempted],
            )
            .verification_mode(VerificationMode::Strict),
        )
        .await?;
    println!("subscription created: {:?}", created.subscription.id);
    let verifier = created.verifier().ok_or("no signing secret came back")?;

    // A receiver: verifies the signature on the raw body, answers the handshake.
    let receiver = MockServer::start().await;
    let check = verifier.clone();
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(move |req: &Request| {
            match verify_and_parse(&check, &req.headers, &req.body) {
                Ok(event) => match event.handshake_response() {
                    Some(reply) => ResponseTemplate::new(200)
                        .set_body_raw(reply.body().clone(), "application/json"),
                    None => ResponseTemplate::new(200),
                },
                Err(e) => ResponseTemplate::new(e.status().as_u16()),
            }
        })
        .mount(&receiver)
        .await;
    let url = format!("{}/hook", receiver.uri());

    // Strict mode: Heilo sends a challenge, the receiver echoes it.
    let answer = mock
        .verify_subscription(&url, Some("tour-challenge"))
        .await?;
    println!(
        "handshake answered: {} {}",
        answer.status.as_u16(),
        String::from_utf8_lossy(&answer.body)
    );

    // A signed call.completed delivery, verified and parsed.
    let delivery = MockHeilo::delivery("call.completed")?;
    let answer = mock.deliver(&url, &delivery).await?;
    println!("delivery answered: {}", answer.status.as_u16());
    let received = receiver.received_requests().await.unwrap_or_default();
    let request = received.last().ok_or("the receiver got nothing")?;
    let event = verify_and_parse(&verifier, &request.headers, &request.body)?;
    if let Event::CallCompleted(done) = &event.event {
        println!(
            "delivery verified: {} for call {}, {:?} s, idempotency key {}",
            event.event_type(),
            done.call_id,
            done.duration,
            event.idempotency_key
        );
    }
    let mut tampered = request.body.clone();
    tampered.extend_from_slice(b" ");
    match verify_and_parse(
        &Verifier::new(mock.webhook_secret()),
        &request.headers,
        &tampered,
    ) {
        Ok(_) => println!("unexpected: a tampered delivery verified"),
        Err(e) => println!("tampered delivery rejected: {e}"),
    }
    println!();
    Ok(())
}
