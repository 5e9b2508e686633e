//! The axum extractor, exercised with real HTTP requests to a server on 127.0.0.1.
#![cfg(feature = "axum")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::routing::post;
use axum::Router;
use webhook_verify::axum::{VerifiedWebhook, WebhookVerifier};
use webhook_verify::{healthie, heilo, speakr};

async fn handler(VerifiedWebhook(v): VerifiedWebhook) -> String {
    format!(
        "{} {} {}",
        v.event_type().unwrap_or("-"),
        v.idempotency_key(),
        v.body().len()
    )
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

fn speakr_app(limit: usize) -> Router {
    let state = WebhookVerifier::new(speakr::Verifier::new("s3cret")).body_limit(limit);
    Router::new()
        .route("/hook", post(handler))
        .with_state(state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn speakr_statuses_over_http() {
    let base = serve(speakr_app(1024)).await;
    let client = reqwest::Client::new();
    let body = br#"{"id":"d-1","type":"recording.created","data":{}}"#.to_vec();
    let send = |headers: Vec<(http::HeaderName, http::HeaderValue)>, body: Vec<u8>| {
        let mut req = client.post(format!("{base}/hook")).body(body);
        for (k, v) in headers {
            req = req.header(k.as_str(), v.to_str().unwrap());
        }
        req.send()
    };
    let signed = speakr::sign_delivery(
        "s3cret",
        "d-1",
        "recording.created",
        "2026-01-01T00:00:00Z",
        &body,
    )
    .unwrap();

    // Valid: 200, handler sees the metadata.
    let res = send(signed.clone(), body.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.text().await.unwrap(),
        format!("recording.created d-1 {}", body.len())
    );

    // Tampered body: 401 with a short reason.
    let mut tampered = body.clone();
    tampered[2] ^= 1;
    let res = send(signed.clone(), tampered).await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.text().await.unwrap(),
        "no configured secret matches the signature"
    );

    // Malformed signature header: 400.
    let mut malformed = signed.clone();
    malformed[0].1 = http::HeaderValue::from_static("sha256=nothex");
    let res = send(malformed, body.clone()).await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("speakr-signature"));

    // Missing signature header: 400.
    let res = send(signed[1..].to_vec(), body.clone()).await.unwrap();
    assert_eq!(res.status(), 400);

    // Oversize: 413 (known length) ...
    let big = vec![b'x'; 2048];
    let res = send(speakr::sign("s3cret", &big), big.clone())
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    // ... and 413 for a chunked body of unknown length.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..8).map(|_| Ok(vec![b'y'; 512])).collect();
    let stream = futures::stream::iter(chunks);
    let mut req = client
        .post(format!("{base}/hook"))
        .body(reqwest::Body::wrap_stream(stream));
    for (k, v) in speakr::sign("s3cret", &[b'y'; 4096]) {
        req = req.header(k.as_str(), v.to_str().unwrap());
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heilo_and_healthie_over_http() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let heilo_state = WebhookVerifier::new(heilo::Verifier::new("hk"));
    let healthie_state = WebhookVerifier::new(healthie::Verifier::new(
        "whsec_x",
        "POST",
        "/healthie?tenant=7",
    ));
    let app = Router::new()
        .route("/heilo", post(handler).with_state(heilo_state))
        .route("/healthie", post(handler).with_state(healthie_state));
    let base = serve(app).await;
    let client = reqwest::Client::new();

    let body = br#"{"event_type":"call.completed","event_id":"e-7"}"#;
    let mut req = client.post(format!("{base}/heilo")).body(body.to_vec());
    for (k, v) in heilo::sign_event("hk", now, "e-7", "call.completed", body).unwrap() {
        req = req.header(k.as_str(), v.to_str().unwrap());
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().starts_with("call.completed e-7"));

    // A stale timestamp is a 401.
    let mut req = client.post(format!("{base}/heilo")).body(body.to_vec());
    for (k, v) in heilo::sign_event("hk", now - 3600, "e-7", "call.completed", body).unwrap() {
        req = req.header(k.as_str(), v.to_str().unwrap());
    }
    assert_eq!(req.send().await.unwrap().status(), 401);

    let body = br#"{"resource_id":1,"resource_id_type":"Appointment","event_type":"appointment.updated","changed_fields":["date"]}"#;
    for dialect in [
        healthie::Dialect::Legacy,
        healthie::Dialect::Guide,
        healthie::Dialect::Rfc9421,
    ] {
        let headers = healthie::sign("whsec_x", dialect, "POST", "/healthie?tenant=7", body, now);
        let mut req = client
            .post(format!("{base}/healthie?tenant=7"))
            .body(body.to_vec());
        for (k, v) in &headers {
            if k != http::header::CONTENT_LENGTH {
                req = req.header(k.as_str(), v.to_str().unwrap());
            }
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200, "{dialect}");
        assert!(res
            .text()
            .await
            .unwrap()
            .starts_with("appointment.updated "));
        // Digest mismatch: 401.
        let mut req = client
            .post(format!("{base}/healthie?tenant=7"))
            .body(body[..body.len() - 1].to_vec());
        for (k, v) in &headers {
            if k != http::header::CONTENT_LENGTH {
                req = req.header(k.as_str(), v.to_str().unwrap());
            }
        }
        assert_eq!(req.send().await.unwrap().status(), 401);
    }
}

/// Run the extractor on a request built by hand: `content_length` is sent as given (it may
/// lie), and `chunks` arrive as separate frames of a body of unknown length when there are
/// several of them.
async fn extract(
    limit: usize,
    content_length: Option<&str>,
    chunks: Vec<Vec<u8>>,
) -> Result<bytes::Bytes, http::StatusCode> {
    use axum::extract::FromRequest;

    let state = WebhookVerifier::new(speakr::Verifier::new("s3cret")).body_limit(limit);
    let whole: Vec<u8> = chunks.concat();
    let body = if chunks.len() == 1 {
        axum::body::Body::from(whole.clone())
    } else {
        let frames: Vec<Result<Vec<u8>, std::io::Error>> = chunks.into_iter().map(Ok).collect();
        axum::body::Body::from_stream(futures::stream::iter(frames))
    };
    let mut req = http::Request::post("/hook").body(body).unwrap();
    let headers = speakr::sign_delivery("s3cret", "d-1", "t", "2026-01-01T00:00:00Z", &whole);
    for (k, v) in headers.unwrap() {
        req.headers_mut().insert(k, v);
    }
    if let Some(len) = content_length {
        req.headers_mut().insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from_str(len).unwrap(),
        );
    }
    match VerifiedWebhook::from_request(req, &state).await {
        Ok(VerifiedWebhook(v)) => Ok(v.body().clone()),
        Err(rejection) => Err(rejection.status()),
    }
}

#[tokio::test]
async fn content_length_reserves_but_the_limit_holds() {
    const LIMIT: usize = 64;
    let at_limit = vec![b'a'; LIMIT];
    let over = vec![b'b'; LIMIT + 1];
    let split = |body: &[u8]| body.chunks(10).map(<[u8]>::to_vec).collect::<Vec<_>>();
    let limit = LIMIT.to_string();
    let over_limit = (LIMIT + 1).to_string();
    let too_large = Err(http::StatusCode::PAYLOAD_TOO_LARGE);

    // Exactly at the limit, declared truthfully: accepted, in one frame or several.
    for chunks in [vec![at_limit.clone()], split(&at_limit)] {
        let body = extract(LIMIT, Some(&limit), chunks).await.unwrap();
        assert_eq!(body, at_limit);
    }
    // One byte over, declared truthfully: 413, in one frame or several.
    for chunks in [vec![over.clone()], split(&over)] {
        assert_eq!(extract(LIMIT, Some(&over_limit), chunks).await, too_large);
    }
    // Content-Length lying low: the bytes read are still bounded by the limit.
    assert_eq!(extract(LIMIT, Some("1"), split(&over)).await, too_large);
    let body = extract(LIMIT, Some("1"), split(&at_limit)).await.unwrap();
    assert_eq!(body, at_limit);
    // Content-Length lying high: over the limit it is refused up front ...
    for declared in [over_limit.as_str(), "18446744073709551615"] {
        let res = extract(LIMIT, Some(declared), split(b"short")).await;
        assert_eq!(res, too_large);
    }
    // ... within it, the reservation is capped and the body is what arrived.
    let body = extract(LIMIT, Some(&limit), split(&at_limit[..25]))
        .await
        .unwrap();
    assert_eq!(body, at_limit[..25]);
    // Missing or unparsable Content-Length: the buffer grows, the limit still holds.
    for declared in [None, Some("bogus"), Some("-5")] {
        let body = extract(LIMIT, declared, split(&at_limit)).await.unwrap();
        assert_eq!(body, at_limit);
        assert_eq!(extract(LIMIT, declared, split(&over)).await, too_large);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_exactly_at_the_limit_passes_over_http() {
    let base = serve(speakr_app(1024)).await;
    let client = reqwest::Client::new();
    for (len, status) in [(1024, 200), (1025, 413)] {
        let body = vec![b'z'; len];
        let mut req = client.post(format!("{base}/hook")).body(body.clone());
        let headers = speakr::sign_delivery("s3cret", "d-1", "t", "2026-01-01T00:00:00Z", &body);
        for (k, v) in headers.unwrap() {
            req = req.header(k.as_str(), v.to_str().unwrap());
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), status, "{len} bytes");
    }
}
