//! Fault injection over real sockets: each vendor's throttling and 5xx answers, documented
//! 5xx responses, latency, dropped connections; rates, "the next N", runtime changes.

use std::time::{Duration, Instant};

use bytes::Bytes;
use keygate_mock::{AuthMode, Engine, Fault, MockRequest, MockServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{ALIBABA_REFS_PATH, AZURE_PATH, HUAWEI_PATH, client, json_of, server};

async fn huawei(s: &MockServer) -> reqwest::Response {
    client()
        .get(format!("{}{HUAWEI_PATH}", s.url()))
        .send()
        .await
        .expect("sent")
}

async fn huawei_status(s: &MockServer) -> u16 {
    huawei(s).await.status().as_u16()
}

async fn alibaba(s: &MockServer) -> reqwest::Response {
    client()
        .get(format!("{}{ALIBABA_REFS_PATH}", s.url()))
        .header("x-acs-action", "ListSecretReferences")
        .header("x-acs-version", "2024-03-27")
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn the_next_two_calls_are_throttled_with_retry_after_then_served() {
    let s = MockServer::builder()
        .auth(AuthMode::Off)
        .fault(Fault::throttled().operation("ListAiApiKeys").times(2))
        .start()
        .await
        .expect("starts");
    for _ in 0..2 {
        let response = huawei(&s).await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "1");
        assert!(response.headers().contains_key("x-request-id"));
        assert_eq!(json_of(response).await["error_code"], "APIG.0308");
    }
    assert_eq!(huawei_status(&s).await, 200);
    assert!(s.faults().rules().is_empty(), "a used-up rule is gone");
}

#[tokio::test]
async fn a_documented_503_fails_the_first_requests_then_the_sample_comes_back() {
    let s = server(AuthMode::Off).await;
    s.faults()
        .set([Fault::documented(503)
            .example("ServiceUnavailable")
            .vendor("alibaba")
            .times(2)])
        .expect("alibaba documents 503");
    for _ in 0..2 {
        let response = alibaba(&s).await;
        assert_eq!(response.status(), 503);
        let body = json_of(response).await;
        assert_eq!(body["Code"], "ServiceUnavailable");
    }
    let response = alibaba(&s).await;
    assert_eq!(response.status(), 200);
    assert_eq!(json_of(response).await["data"]["totalSize"], 25);
}

#[tokio::test]
async fn each_vendor_answers_its_own_internal_error_and_throttling() {
    let s = server(AuthMode::Off).await;
    s.faults()
        .set([Fault::internal_error().vendor("azure")])
        .expect("set");
    let azure = client()
        .post(format!("{}{AZURE_PATH}?api-version=2024-05-01", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(azure.status(), 500);
    assert_eq!(json_of(azure).await["error"]["code"], "InternalServerError");

    s.faults()
        .set([Fault::throttled().vendor("tencent")])
        .expect("set");
    let tencent = client()
        .get(format!(
            "{}/v2/index.php?Action=DescribeApiKeysStatus&Region=gz",
            s.url()
        ))
        .send()
        .await
        .expect("sent");
    assert_eq!(tencent.status(), 200, "Tencent errors travel as HTTP 200");
    let body = json_of(tencent).await;
    assert_eq!(
        (body["code"].as_i64(), body["codeDesc"].as_str()),
        (Some(4400), Some("LimitExceeded"))
    );

    s.faults().clear();
    assert_eq!(huawei_status(&s).await, 200);
}

#[tokio::test]
async fn rates_are_reproducible_from_the_seed() {
    async fn statuses(s: &MockServer) -> Vec<u16> {
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(huawei_status(s).await);
        }
        out
    }
    let rule = || Fault::internal_error().rate(0.5);
    let first = MockServer::builder()
        .auth(AuthMode::Off)
        .fault(rule())
        .fault_seed(42)
        .start()
        .await
        .expect("starts");
    let run = statuses(&first).await;
    assert!(run.contains(&500) && run.contains(&200), "{run:?}");
    // Another server with the same seed, and the first one re-seeded: the same sequence.
    let second = MockServer::builder()
        .auth(AuthMode::Off)
        .fault(rule())
        .fault_seed(42)
        .start()
        .await
        .expect("starts");
    assert_eq!(statuses(&second).await, run);
    first.faults().seed(42);
    assert_eq!(statuses(&first).await, run);
}

#[tokio::test]
async fn latency_delays_the_answer_by_at_least_the_configured_time() {
    let delay = Duration::from_millis(300);
    let s = server(AuthMode::Off).await;
    s.faults()
        .set([Fault::latency(delay).operation("ListAiApiKeys")])
        .expect("set");
    let started = Instant::now();
    assert_eq!(huawei_status(&s).await, 200);
    // A lower bound only: the mock must not answer sooner; how much later is not its call.
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
}

/// Sends a raw GET and reads until the server closes; the bytes it answered with.
async fn raw_exchange(s: &MockServer, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(s.address()).await.expect("connect");
    let head = format!("GET {path} HTTP/1.1\r\nHost: mock\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut seen = Vec::new();
    // A reset is a close too; the guard only bounds a broken build.
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut seen)).await;
    seen
}

#[tokio::test]
async fn a_dropped_connection_closes_without_any_response_bytes() {
    let s = server(AuthMode::Off).await;
    s.faults()
        .set([Fault::drop_connection().operation("ListAiApiKeys").times(1)])
        .expect("set");
    assert_eq!(raw_exchange(&s, HUAWEI_PATH).await, b"");
    // As an HTTP client sees it: an error, no status.
    s.faults()
        .set([Fault::drop_connection().operation("ListAiApiKeys").times(1)])
        .expect("set");
    let error = client()
        .get(format!("{}{HUAWEI_PATH}", s.url()))
        .send()
        .await
        .expect_err("no response");
    assert!(error.status().is_none(), "{error}");
    // The server is still up for everybody.
    assert_eq!(huawei_status(&s).await, 200);
}

#[tokio::test]
async fn faults_come_after_auth_and_validation_and_do_not_use_up_their_budget_there() {
    let s = server(AuthMode::Presence).await;
    s.faults()
        .set([Fault::drop_connection().operation("ListAiApiKeys").times(1)])
        .expect("set");
    // Refused requests are answered as always, and leave the rule armed.
    assert_eq!(huawei_status(&s).await, 401);
    let invalid = client()
        .get(format!("{}{HUAWEI_PATH}?limit=x", s.url()))
        .header("x-auth-token", "t")
        .send()
        .await
        .expect("sent");
    assert_eq!(invalid.status(), 400);
    assert_eq!(s.faults().rules().len(), 1);
    // The first request the service would serve is the one dropped.
    let dropped = client()
        .get(format!("{}{HUAWEI_PATH}", s.url()))
        .header("x-auth-token", "t")
        .send()
        .await;
    assert!(dropped.is_err());
    // A Prefer header does not bypass a fault either.
    s.faults().set([Fault::throttled()]).expect("set");
    let preferred = client()
        .get(format!("{}{HUAWEI_PATH}", s.url()))
        .header("x-auth-token", "t")
        .header("prefer", "code=404")
        .send()
        .await
        .expect("sent");
    assert_eq!(preferred.status(), 429);
}

#[tokio::test]
async fn rules_naming_what_is_not_served_are_refused_and_change_nothing() {
    let s = server(AuthMode::Off).await;
    s.faults().set([Fault::throttled().times(5)]).expect("set");
    for bad in [
        Fault::throttled().operation("NoSuchOperation"),
        Fault::throttled().vendor("nobody"),
        Fault::error("throtled"),
        Fault::documented(503),
        Fault::documented(503).vendor("alibaba").example("Nope"),
        Fault::throttled().rate(1.5),
    ] {
        let error = s.faults().set([bad.clone()]).expect_err(&bad.to_string());
        assert!(!error.to_string().is_empty());
    }
    assert_eq!(s.faults().rules(), [Fault::throttled().times(5)]);
    let refused = MockServer::builder()
        .fault(Fault::throttled().operation("NoSuchOperation"))
        .start()
        .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn several_rules_add_latency_and_the_first_answer_wins() {
    let delay = Duration::from_millis(100);
    let s = server(AuthMode::Off).await;
    s.faults()
        .set([
            Fault::latency(delay),
            Fault::internal_error().operation("ListAiApiKeys").times(1),
            Fault::throttled().times(1),
        ])
        .expect("set");
    let started = Instant::now();
    assert_eq!(huawei_status(&s).await, 500);
    assert!(started.elapsed() >= delay);
    // The throttling rule was not tried for that request, so it answers the next one.
    assert_eq!(huawei_status(&s).await, 429);
    assert_eq!(huawei_status(&s).await, 200);
}

#[test]
fn transports_of_their_own_get_the_delay_and_the_drop_from_reply() {
    let engine = Engine::builder()
        .auth(AuthMode::Off)
        .fault(Fault::drop_connection().with_latency(Duration::from_millis(5)))
        .build()
        .expect("engine");
    let request = || {
        MockRequest::new(
            http::Method::GET,
            HUAWEI_PATH.parse().expect("uri"),
            http::HeaderMap::new(),
            Bytes::new(),
        )
    };
    let reply = engine.reply(&request());
    assert_eq!(reply.delay, Duration::from_millis(5));
    assert!(reply.response.is_none());
    // `handle` cannot close a connection: it answers the service's internal error.
    let response = engine.handle(&request());
    assert_eq!(response.status, 500);
    let body: Value = serde_json::from_slice(&response.body).expect("json");
    assert_eq!(body["error_code"], "APIG.9999");
}
