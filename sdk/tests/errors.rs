//! Every failure comes back as a typed `keygate_sdk::Error` with the vendor's code, message,
//! HTTP status and request id, and without the response body.

mod common;

use std::time::Duration;

use common::*;
use keygate_sdk::{
    ClientOptions, Error, RetryPolicy, SecretString, alibaba, azure, huawei, tencent,
};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn alibaba_client(options: ClientOptions) -> alibaba::Client {
    alibaba::Client::builder(alibaba::Credentials::new("AK", "alibaba-secret"))
        .options(options)
        .build()
        .unwrap()
}

async fn alibaba_list(options: ClientOptions) -> Result<(), Error> {
    alibaba_client(options)
        .list_secret_references()
        .secret_id("sec-1")
        .send()
        .await
        .map(drop)
}

fn huawei_client(server: &MockServer) -> huawei::Client {
    huawei::Client::builder(huawei::Credentials::ak_sk("AK", "huawei-secret"))
        .options(options(server))
        .build()
        .unwrap()
}

async fn huawei_list(client: &huawei::Client) -> Result<(), Error> {
    client
        .list_ai_api_keys()
        .project_id("p")
        .instance_id("i")
        .app_id("a")
        .send()
        .await
        .map(drop)
}

async fn azure_list(
    client: &azure::Client,
) -> Result<azure::types::SubscriptionKeysContract, Error> {
    client
        .subscription_list_secrets()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .send()
        .await
        .map(keygate_sdk::Response::into_inner)
}

fn azure_client(server: &MockServer) -> azure::Client {
    azure::Client::builder(azure::Credentials::bearer("azure-token"))
        .options(options(server))
        .build()
        .unwrap()
}

#[tokio::test]
async fn alibaba_pop_error_with_the_header_request_id() {
    let server = answering(
        ResponseTemplate::new(404).insert_header("x-acs-request-id", "HEADER-ID").set_body_json(json!({
            "RequestId": "BODY-ID", "HostId": "apig.cn-hangzhou.aliyuncs.com",
            "Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.",
            "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound"
        })),
    )
    .await;
    let error = alibaba_list(options(&server)).await.unwrap_err();
    let Error::Service {
        vendor,
        operation,
        status,
        code,
        message,
        request_id,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*vendor, *operation, *status),
        ("alibaba", "ListSecretReferences", 404)
    );
    assert_eq!(code, "InvalidAccessKeyId.NotFound");
    assert_eq!(message, "Specified access key is not found.");
    assert_eq!(
        request_id.as_deref(),
        Some("HEADER-ID"),
        "the header wins over the body"
    );
    assert_eq!(
        error.to_string(),
        "alibaba ListSecretReferences failed: InvalidAccessKeyId.NotFound (HTTP 404): Specified access key is not found. (request id HEADER-ID)"
    );
}

#[tokio::test]
async fn alibaba_body_request_id_without_the_header() {
    let server = answering(ResponseTemplate::new(400).set_body_json(json!({
        "RequestId": "BODY-ID", "Code": "MissingParameter", "Message": "The input parameter secretId is not supplied."
    })))
    .await;
    let error = alibaba_list(options(&server)).await.unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.request_id()),
        (Some(400), Some("MissingParameter"), Some("BODY-ID"))
    );
    assert_eq!(
        error.message(),
        Some("The input parameter secretId is not supplied.")
    );
}

#[tokio::test]
async fn tencent_http_200_with_a_code_is_an_error() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({
        "code": 4100, "message": "Authentication failed. Signature does not match", "codeDesc": "AuthFailure"
    })))
    .await;
    let client = tencent::Client::builder(tencent::Credentials::new("AKID", "tencent-secret"))
        .region("ap-guangzhou")
        .options(options(&server))
        .build()
        .unwrap();
    let error = client.describe_api_keys_status().send().await.unwrap_err();
    assert!(
        matches!(error, Error::Service { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("4100"));
    assert_eq!(
        error.message(),
        Some("Authentication failed. Signature does not match")
    );
    assert_eq!(error.request_id(), None, "Tencent's body has none");
}

#[tokio::test]
async fn huawei_errors_with_header_or_body_request_id() {
    let server = answering(ResponseTemplate::new(400).insert_header("X-Request-Id", "hdr-1").set_body_json(json!({
        "error_code": "APIG.2012",
        "error_msg": "Invalid parameter value,parameterName:app_id. Please refer to the support documentation"
    })))
    .await;
    let error = huawei_list(&huawei_client(&server)).await.unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.request_id()),
        (Some(400), Some("APIG.2012"), Some("hdr-1"))
    );

    let server = answering(ResponseTemplate::new(401).set_body_json(json!({
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
        "request_id": "body-2"
    })))
    .await;
    let error = huawei_list(&huawei_client(&server)).await.unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.request_id()),
        (Some(401), Some("APIGW.0301"), Some("body-2"))
    );
}

#[tokio::test]
async fn azure_arm_error() {
    let server = answering(ResponseTemplate::new(403).insert_header("x-ms-request-id", "ms-req-1").set_body_json(json!({
        "error": {"code": "AuthorizationFailed", "message": "The client does not have authorization."}
    })))
    .await;
    let error = azure_list(&azure_client(&server)).await.unwrap_err();
    assert_eq!(
        (
            error.vendor(),
            error.status(),
            error.code(),
            error.message(),
            error.request_id()
        ),
        (
            Some("azure"),
            Some(403),
            Some("AuthorizationFailed"),
            Some("The client does not have authorization."),
            Some("ms-req-1")
        )
    );
}

/// Every way of printing an error, source chain included.
fn all_text(error: &Error) -> String {
    let mut text = format!("{error} | {error:?} | {error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(&format!(" | {s} | {s:?}"));
        source = s.source();
    }
    text
}

#[tokio::test]
async fn a_body_that_does_not_fit_the_schema_is_decode_without_the_body() {
    let body = r#"{"primaryKey": ["leaked-key-7f3a"], "secondaryKey": "other-key-9c1d"}"#;
    let server = answering(
        ResponseTemplate::new(200)
            .insert_header("x-ms-request-id", "ms-req-2")
            .set_body_raw(body, "application/json"),
    )
    .await;
    let error = azure_list(&azure_client(&server)).await.unwrap_err();
    let Error::Decode {
        status,
        content_type,
        length,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*status, content_type.as_deref(), *length),
        (200, Some("application/json"), body.len())
    );
    assert_eq!(request_id.as_deref(), Some("ms-req-2"));
    let text = all_text(&error);
    assert!(
        !text.contains("leaked-key-7f3a") && !text.contains("other-key-9c1d"),
        "{text}"
    );
    assert!(
        text.contains("does not match the documented schema"),
        "{text}"
    );
}

#[tokio::test]
async fn a_non_json_body_is_decode_without_the_body() {
    let server = answering(
        ResponseTemplate::new(200).set_body_raw("<html>key=html-secret-1</html>", "text/html"),
    )
    .await;
    let error = azure_list(&azure_client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert!(!all_text(&error).contains("html-secret-1"));
    assert!(all_text(&error).contains("text/html"));
}

#[tokio::test]
async fn an_error_status_without_the_vendor_body_is_decode_with_its_status() {
    let server = answering(
        ResponseTemplate::new(502).set_body_raw("<html>bad gateway secret-2</html>", "text/html"),
    )
    .await;
    let error = huawei_list(&huawei_client(&server)).await.unwrap_err();
    assert!(
        matches!(error, Error::Decode { status: 502, .. }),
        "{error:?}"
    );
    assert!(!all_text(&error).contains("secret-2"));
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(30))).await;
    let options = options(&server).timeout(Duration::from_millis(200));
    let error = alibaba_list(options).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                vendor: "alibaba",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_timeout());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let options = ClientOptions::default()
        .endpoint(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(RetryPolicy::none());
    let error = alibaba_list(options).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                vendor: "alibaba",
                operation: "ListSecretReferences",
                ..
            }
        ),
        "{error:?}"
    );
    let text = all_text(&error);
    assert!(
        !text.contains("http://") && !text.contains("/v1/secrets"),
        "no URL in the error: {text}"
    );
    assert!(
        text.contains("Connection refused"),
        "the cause stays in the chain: {text}"
    );
}

#[tokio::test]
async fn a_missing_required_parameter_is_an_invalid_request_and_sends_nothing() {
    let server = answering(ResponseTemplate::new(200)).await;
    let error = huawei_client(&server)
        .list_ai_api_keys()
        .project_id("p")
        .app_id("a")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { message } if message.contains("instance_id")),
        "{error:?}"
    );
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn a_failing_token_provider_is_a_credentials_error() {
    let server = answering(ResponseTemplate::new(200)).await;
    let credentials = azure::Credentials::token_provider(|| async {
        Err::<SecretString, _>("AAD unreachable".into())
    });
    let client = azure::Client::builder(credentials)
        .options(options(&server))
        .build()
        .unwrap();
    let error = azure_list(&client).await.unwrap_err();
    assert!(matches!(error, Error::Credentials { .. }), "{error:?}");
    assert_eq!(
        std::error::Error::source(&error).unwrap().to_string(),
        "AAD unreachable"
    );
    assert_eq!(
        request_count(&server).await,
        0,
        "nothing is sent without a token"
    );
}

#[tokio::test]
async fn a_value_that_breaks_a_pattern_is_an_invalid_request() {
    let error: Error = alibaba::types::CreateSecretRequestName::try_from("not valid!")
        .unwrap_err()
        .into();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
}

#[tokio::test]
async fn azure_head_404_is_a_typed_not_found() {
    let server =
        answering(ResponseTemplate::new(404).insert_header("x-ms-request-id", "ms-req-404")).await;
    let error = azure_client(&server)
        .subscription_get_entity_tag()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("missing")
        .send()
        .await
        .unwrap_err();
    let Error::Service {
        vendor,
        operation,
        status,
        code,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*vendor, *operation, *status, code.as_str()),
        ("azure", "Subscription_GetEntityTag", 404, "NotFound"),
        "a HEAD answer has no body: the status is the code"
    );
    assert_eq!(request_id.as_deref(), Some("ms-req-404"));
}

#[tokio::test]
async fn azure_delete_with_a_stale_etag_is_a_typed_precondition_failed() {
    let server = answering(ResponseTemplate::new(412).insert_header("x-ms-request-id", "ms-req-412").set_body_json(json!({
        "error": {"code": "PreconditionFailed", "message": "The entity state was modified since it was read."}
    })))
    .await;
    let error = azure_client(&server)
        .subscription_delete()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("testsub")
        .if_match("\"stale-etag\"")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Service {
                operation: "Subscription_Delete",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        (
            error.status(),
            error.code(),
            error.message(),
            error.request_id()
        ),
        (
            Some(412),
            Some("PreconditionFailed"),
            Some("The entity state was modified since it was read."),
            Some("ms-req-412")
        )
    );
}
