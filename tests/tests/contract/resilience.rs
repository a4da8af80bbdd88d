//! SDK resilience against the mock's injected faults: retries follow the policy and honour
//! `Retry-After`, operations that are not safe to repeat are never retried, timeouts fire, and
//! every failure is a typed error.

use std::time::{Duration, Instant};

use keygate_mock::{Fault, MockServer};
use keygate_sdk::RetryPolicy;

use crate::sdk_calls::{self, Target};

async fn mock_with(fault: Fault) -> MockServer {
    MockServer::builder()
        .engine(sdk_calls::verifying_engine().fault(fault))
        .start()
        .await
        .expect("mock starts")
}

/// Retries with delays short enough for a test; `Retry-After` is honoured up to `max_delay`.
fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_secs(2))
}

async fn list_ai_api_keys(
    target: &Target,
) -> Result<
    keygate_sdk::Response<keygate_sdk::huawei::types::ListAiApiKeysResponse>,
    keygate_sdk::Error,
> {
    target
        .huawei()
        .list_ai_api_keys()
        .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .send()
        .await
}

#[tokio::test]
async fn throttled_reads_are_retried_within_the_policy_and_after_retry_after() {
    // Huawei's throttling answer is 429 APIG.0308 with `Retry-After: 1`.
    let server = mock_with(Fault::throttled().operation("ListAiApiKeys").times(2)).await;
    let target = Target {
        retry: quick_retries(3),
        ..Target::new(server.url())
    };
    let started = Instant::now();
    let page = list_ai_api_keys(&target)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(page.attempts(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "waited {:?}, Retry-After asked 2 x 1 s",
        started.elapsed()
    );

    // Two more throttled answers against a policy of two attempts: the caller sees the 429.
    server
        .faults()
        .set([Fault::throttled().operation("ListAiApiKeys").times(2)])
        .unwrap();
    let target = Target {
        retry: quick_retries(2),
        ..Target::new(server.url())
    };
    let error = list_ai_api_keys(&target)
        .await
        .expect_err("out of attempts");
    assert_eq!(
        (error.status(), error.code()),
        (Some(429), Some("APIG.0308"))
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_not_waited_for() {
    let server = mock_with(Fault::throttled().operation("ListAiApiKeys").times(1)).await;
    let policy = quick_retries(3).with_max_delay(Duration::from_millis(100));
    let target = Target {
        retry: policy,
        ..Target::new(server.url())
    };
    let error = list_ai_api_keys(&target)
        .await
        .expect_err("gives up instead of waiting 1 s");
    assert_eq!(error.status(), Some(429));
    server.shutdown().await;
}

#[tokio::test]
async fn create_secret_is_never_retried() {
    // Alibaba's documented 503, once: a retry would succeed, so success would mean a retry.
    let server = mock_with(Fault::documented(503).operation("CreateSecret").times(1)).await;
    let target = Target {
        retry: quick_retries(5),
        ..Target::new(server.url())
    };
    let outcome = sdk_calls::call("CreateSecret", &target).await;
    let error = outcome.err().expect("the 503 reaches the caller");
    assert_eq!(
        (error.status(), error.code()),
        (Some(503), Some("ServiceUnavailable"))
    );
    // The fault is used up: the next call is answered normally, so only one request was made.
    assert!(sdk_calls::call("CreateSecret", &target).await.is_ok());
    server.shutdown().await;
}

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried_for_reads() {
    let server = mock_with(Fault::internal_error().operation("ListAiApiKeys").times(1)).await;
    let target = Target {
        retry: quick_retries(3),
        ..Target::new(server.url())
    };
    assert_eq!(
        list_ai_api_keys(&target).await.expect("retried").attempts(),
        2
    );

    server
        .faults()
        .set([Fault::drop_connection().operation("ListAiApiKeys").times(1)])
        .unwrap();
    assert_eq!(
        list_ai_api_keys(&target).await.expect("retried").attempts(),
        2
    );

    // Tencent throttles with HTTP 200 and code 4400: retried too, over POST as over GET.
    server
        .faults()
        .set([Fault::throttled()
            .operation("DescribeApiKeysStatus")
            .times(1)])
        .unwrap();
    let tencent = target.with_variant(&[("method", "POST")]);
    let answer = sdk_calls::call("DescribeApiKeysStatus", &tencent).await;
    assert!(answer.is_ok(), "Tencent 4400 is retried");
    server.shutdown().await;
}

#[tokio::test]
async fn every_injected_failure_is_a_typed_error() {
    let server = mock_with(Fault::internal_error().operation("ListAiApiKeys")).await;
    let target = Target::new(server.url());
    let error = list_ai_api_keys(&target).await.expect_err("500");
    assert!(
        matches!(error, keygate_sdk::Error::Service { .. }),
        "{error:?}"
    );
    assert_eq!(
        (error.status(), error.code()),
        (Some(500), Some("APIG.9999"))
    );
    assert!(error.request_id().is_some());

    server
        .faults()
        .set([Fault::drop_connection().operation("ListAiApiKeys")])
        .unwrap();
    let error = list_ai_api_keys(&target).await.expect_err("dropped");
    assert!(
        matches!(error, keygate_sdk::Error::Transport { .. }),
        "{error:?}"
    );

    server
        .faults()
        .set([Fault::latency(Duration::from_secs(1)).operation("ListAiApiKeys")])
        .unwrap();
    let slow = Target {
        timeout: Some(Duration::from_millis(200)),
        ..target.clone()
    };
    let error = list_ai_api_keys(&slow).await.expect_err("timed out");
    assert!(
        error.is_timeout() && matches!(error, keygate_sdk::Error::Timeout { .. }),
        "{error:?}"
    );
    server.shutdown().await;
}
