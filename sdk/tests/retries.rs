//! Retries: transient failures of operations that are safe to repeat are retried, re-signed;
//! CreateSecret never is; Retry-After is honoured. Counted on the server, never timed.

mod common;

use common::*;
use keygate_sdk::{ClientOptions, Error, RetryPolicy, SecretString, alibaba, azure, tencent};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "requestId": "R", "code": "Ok", "message": "success",
        "data": {"totalSize": 0, "pageNumber": 1, "pageSize": 10, "items": []}
    }))
}

fn pop_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"RequestId": "R", "Code": code, "Message": "m"}))
}

/// A server answering `first` once (or `times` times), then `then` for good.
async fn answering_then(first: ResponseTemplate, times: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn alibaba_client(server: &MockServer, retry: RetryPolicy) -> alibaba::Client {
    alibaba::Client::builder(alibaba::Credentials::new("AK", "SK"))
        .options(options(server).retry_policy(retry))
        .build()
        .unwrap()
}

async fn list(
    client: &alibaba::Client,
) -> Result<keygate_sdk::Response<alibaba::types::ListSecretReferencesResponse>, Error> {
    client
        .list_secret_references()
        .secret_id("sec-1")
        .send()
        .await
}

#[tokio::test]
async fn a_503_then_200_succeeds_on_the_second_attempt_with_a_fresh_signature() {
    let server = answering_then(pop_error(503, "ServiceUnavailable"), 1, ok_list()).await;
    let response = list(&alibaba_client(&server, fast_retries()))
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let nonces: Vec<_> = requests
        .iter()
        .map(|r| header(r, "x-acs-signature-nonce"))
        .collect();
    assert_ne!(nonces[0], nonces[1], "a retry is re-signed, never replayed");
}

#[tokio::test]
async fn create_secret_is_never_retried() {
    let server = answering_then(pop_error(503, "ServiceUnavailable"), 1, ok_list()).await;
    let client = alibaba_client(&server, fast_retries());
    let error = client
        .create_secret()
        .body(alibaba::types::CreateSecretRequest::builder().secret_data(SecretString::from("v")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(503), Some("ServiceUnavailable"))
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn alibaba_throttling_under_400_is_retried() {
    let server = answering_then(pop_error(400, "Throttling.User"), 1, ok_list()).await;
    list(&alibaba_client(&server, fast_retries()))
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let server = answering_then(pop_error(400, "MissingParameter"), 1, ok_list()).await;
    let error = list(&alibaba_client(&server, fast_retries()))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("MissingParameter"));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn attempts_stop_at_the_policy_maximum() {
    let server = answering_then(pop_error(503, "ServiceUnavailable"), 10, ok_list()).await;
    let error = list(&alibaba_client(
        &server,
        fast_retries().with_max_attempts(3),
    ))
    .await
    .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn retry_policy_none_sends_once() {
    let server = answering_then(pop_error(503, "ServiceUnavailable"), 1, ok_list()).await;
    list(&alibaba_client(&server, RetryPolicy::none()))
        .await
        .unwrap_err();
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    // The policy waits at most 20 ms: a Retry-After of an hour is not shortened, the SDK gives up.
    let busy = pop_error(503, "ServiceUnavailable").insert_header("Retry-After", "3600");
    let server = answering_then(busy, 1, ok_list()).await;
    let error = list(&alibaba_client(&server, fast_retries()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        request_count(&server).await,
        1,
        "no retry sooner than the server asked"
    );

    // A Retry-After the policy can wait for is waited for, and the call goes through.
    let soon = pop_error(503, "ServiceUnavailable").insert_header("Retry-After", "0");
    let server = answering_then(soon, 1, ok_list()).await;
    list(&alibaba_client(&server, fast_retries()))
        .await
        .unwrap();
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn tencent_in_body_throttling_is_retried_also_as_post() {
    let throttled = ResponseTemplate::new(200)
        .set_body_json(json!({"code": 4400, "message": "Request frequency exceeds the limit"}));
    let ok = ResponseTemplate::new(200)
        .set_body_json(json!({"code": 0, "totalCount": 0, "apiKeyStatusSet": []}));
    let server = answering_then(throttled, 1, ok).await;
    let client = tencent::Client::builder(tencent::Credentials::new("AKID", "SK"))
        .region("ap-guangzhou")
        .request_method(tencent::RequestMethod::Post)
        .options(options(&server).retry_policy(fast_retries()))
        .build()
        .unwrap();
    client.describe_api_keys_status().send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method.as_str() == "POST"));
}

#[tokio::test]
async fn azure_list_secrets_is_a_read_and_is_retried() {
    let server = answering_then(
        ResponseTemplate::new(429)
            .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "throttled"}})),
        1,
        ResponseTemplate::new(200).set_body_json(json!({"primaryKey": "p", "secondaryKey": "s"})),
    )
    .await;
    let client = azure::Client::builder(azure::Credentials::bearer("t"))
        .options(options(&server).retry_policy(fast_retries()))
        .build()
        .unwrap();
    let keys = client
        .subscription_list_secrets()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .send()
        .await
        .unwrap();
    assert_eq!(keys.attempts(), 2);
    let requests = server.received_requests().await.unwrap();
    let ids: Vec<_> = requests
        .iter()
        .map(|r| header(r, "x-ms-client-request-id"))
        .collect();
    assert_eq!(
        ids[0], ids[1],
        "one client request id for all attempts of a call"
    );
}

#[tokio::test]
async fn transport_failures_are_retried_for_reads() {
    // A listener that hangs up on the first connection without answering, then answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let (first, _) = listener.accept().await.unwrap();
        drop(first);
        let (mut second, _) = listener.accept().await.unwrap();
        let mut buffer = vec![0u8; 8192];
        let _ = second.read(&mut buffer).await.unwrap();
        let body = r#"{"code":"Ok","data":{"totalSize":0,"items":[]}}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        second.write_all(answer.as_bytes()).await.unwrap();
        2
    });
    let options = ClientOptions::default()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries());
    let client = alibaba::Client::builder(alibaba::Credentials::new("AK", "SK"))
        .options(options)
        .build()
        .unwrap();
    let response = list(&client).await.unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(served.await.unwrap(), 2, "two connections were made");
}

#[tokio::test]
async fn the_retried_answer_is_the_one_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(pop_error(500, "InternalError"))
        .mount(&server)
        .await;
    let error = list(&alibaba_client(&server, fast_retries()))
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(500), Some("InternalError"))
    );
    assert_eq!(request_count(&server).await, 3);
}

// Writes and idempotent deletes: the operation decides, not the HTTP method. Each server
// fails once with an answer that is retried for a read, then succeeds, so a write that was
// retried would come back `Ok`.

/// An ARM error answer: `status` with `{"error": {"code": code, …}}`.
fn azure_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": {"code": code, "message": "m"}}))
}

/// An Azure client for `server`, with retries on.
fn azure_client(server: &MockServer) -> azure::Client {
    azure::Client::builder(azure::Credentials::bearer("t"))
        .options(options(server).retry_policy(fast_retries()))
        .build()
        .unwrap()
}

/// A Tencent client for `server` (GET), with retries on.
fn tencent_client(server: &MockServer) -> tencent::Client {
    tencent::Client::builder(tencent::Credentials::new("AKID", "SK"))
        .region("ap-guangzhou")
        .options(options(server).retry_policy(fast_retries()))
        .build()
        .unwrap()
}

/// Tencent's internal error: HTTP 200 with a retryable code in the body.
fn tencent_6000() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"code": 6000, "message": "Internal server error", "codeDesc": "InternalError"}),
    )
}

/// A Huawei AK/SK client for `server`, with retries on.
fn huawei_client(server: &MockServer) -> keygate_sdk::huawei::Client {
    use keygate_sdk::huawei;
    huawei::Client::builder(huawei::Credentials::ak_sk("AK", "SK"))
        .options(options(server).retry_policy(fast_retries()))
        .build()
        .unwrap()
}

/// Huawei's internal error, as a 503 with the vendor's error body.
fn huawei_503() -> ResponseTemplate {
    ResponseTemplate::new(503)
        .set_body_json(json!({"error_code": "APIG.9999", "error_msg": "System error"}))
}

#[tokio::test]
async fn alibaba_update_secret_is_not_retried_on_a_503() {
    let ok = ResponseTemplate::new(200).set_body_json(json!({"code": "Ok"}));
    let server = answering_then(pop_error(503, "ServiceUnavailable"), 1, ok).await;
    let error = alibaba_client(&server, fast_retries())
        .update_secret()
        .secret_id("sec-1")
        .body(alibaba::types::UpdateSecretRequest::builder().secret_data(SecretString::from("v")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn alibaba_delete_secret_is_retried_after_a_503() {
    let ok = ResponseTemplate::new(200).set_body_json(json!({"code": "Ok"}));
    let server = answering_then(pop_error(503, "ServiceUnavailable"), 1, ok).await;
    let response = alibaba_client(&server, fast_retries())
        .delete_secret()
        .secret_id("sec-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn huawei_create_app_code_auto_is_a_put_that_is_not_retried() {
    let ok = ResponseTemplate::new(201).set_body_json(json!({"id": "code-1"}));
    let server = answering_then(huawei_503(), 1, ok).await;
    let error = huawei_client(&server)
        .create_app_code_auto_v2()
        .project_id("p")
        .instance_id("i")
        .app_id("a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(503), Some("APIG.9999"))
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn huawei_delete_ai_api_key_is_retried_after_a_503() {
    let server = answering_then(huawei_503(), 1, ResponseTemplate::new(204)).await;
    let response = huawei_client(&server)
        .delete_ai_api_key()
        .project_id("p")
        .instance_id("i")
        .app_id("a")
        .ai_api_key_id("32dc8ca22d1b4b9cb94022186880576b")
        .send()
        .await
        .unwrap();
    assert_eq!((response.status(), response.attempts()), (204, 2));
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn azure_update_is_a_patch_that_is_not_retried() {
    let ok = ResponseTemplate::new(200).set_body_json(json!({"name": "sid1"}));
    let server = answering_then(azure_error(503, "ServiceUnavailable"), 1, ok).await;
    let error = azure_client(&server)
        .subscription_update()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .if_match("*")
        .body(azure::types::SubscriptionUpdateParameters::default())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(503), Some("ServiceUnavailable"))
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn azure_regenerate_primary_key_is_not_retried() {
    let server = answering_then(
        azure_error(503, "ServiceUnavailable"),
        1,
        ResponseTemplate::new(204),
    )
    .await;
    let error = azure_client(&server)
        .subscription_regenerate_primary_key()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn azure_delete_with_if_match_is_retried_with_the_same_if_match() {
    let server = answering_then(
        azure_error(503, "ServiceUnavailable"),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let response = azure_client(&server)
        .subscription_delete()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .if_match("\"AAAAAAAAAAa=\"")
        .send()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    let requests = server.received_requests().await.unwrap();
    let if_match: Vec<_> = requests.iter().map(|r| header(r, "if-match")).collect();
    assert_eq!(if_match, ["\"AAAAAAAAAAa=\"", "\"AAAAAAAAAAa=\""]);
}

#[tokio::test]
async fn tencent_disable_api_key_is_not_retried_even_on_code_6000() {
    let ok = ResponseTemplate::new(200)
        .set_body_json(json!({"code": 0, "message": "", "codeDesc": "Success"}));
    let server = answering_then(tencent_6000(), 1, ok).await;
    let error = tencent_client(&server)
        .disable_api_key()
        .secret_id("AKIDXXXXWKipDlK")
        .send()
        .await
        .unwrap_err();
    assert_eq!((error.status(), error.code()), (Some(200), Some("6000")));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn tencent_describe_api_key_is_retried_on_code_6000() {
    let ok = ResponseTemplate::new(200)
        .set_body_json(json!({"code": 0, "secretID": "AKIDXXXXWKipDlK", "secretKey": "k"}));
    let server = answering_then(tencent_6000(), 1, ok).await;
    let response = tencent_client(&server)
        .describe_api_key()
        .secret_id("AKIDXXXXWKipDlK")
        .send()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(request_count(&server).await, 2);
}
