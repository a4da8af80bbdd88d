//! Huawei: AK/SK-signed and token requests on the wire, the signature verified by keygate-auth.

mod common;

use common::*;
use keygate_sdk::SecretString;
use keygate_sdk::huawei::{Client, Credentials};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const AK: &str = "QTWAOYTTINDUT2QVKYUC";
const SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const PATH: &str = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys";

/// Verifies a received request's SDK-HMAC-SHA256 signature with keygate-auth, as the
/// gateway would.
fn verify(request: &wiremock::Request) -> keygate_auth::Verified {
    let headers = header_pairs(request);
    let host = host(request);
    let signable = keygate_auth::SignableRequest {
        method: request.method.as_str(),
        host: &host,
        path: request.url.path(),
        query: request.url.query().unwrap_or_default(),
        headers: &headers,
        body: &request.body,
    };
    let lookup = |ak: &str| (ak == AK).then(|| SecretString::from(SK));
    keygate_auth::huawei::SCHEME
        .verify_signature(&signable, lookup, now_unix())
        .expect("the signature verifies")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "2a7b1c0e5f4d4e3c9b8a7f6e5d4c3b2a")
                .set_body_json(json!({
                    "total": 2, "size": 2,
                    "ai_api_keys": [
                        {"ai_api_key": "GjOD3g80AABu*******8LcCcPZN", "alias": "test1",
                         "app_id": "9ed8b7fe84224de681e7d7a5587e76dc", "create_time": "2020-07-24T02:37:24Z",
                         "id": "32dc8ca22d1b4b9cb94022186880576b"},
                        {"ai_api_key": "fdc8d90a301*******13b6f572a", "alias": "test2",
                         "app_id": "9ed8b7fe84224de681e7d7a5587e76dc", "create_time": "2020-07-24T02:31:45Z",
                         "id": "b3d34f746d0847fb95138670e10207ed"}
                    ]
                })),
        )
        .mount(&server)
        .await;
    server
}

async fn list(client: &Client) {
    let response = client
        .list_ai_api_keys()
        .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .limit(20u32)
        .offset(0)
        .send()
        .await
        .unwrap();
    assert_eq!(response.total, Some(2));
    assert_eq!(
        response.ai_api_keys[0]
            .ai_api_key
            .as_ref()
            .unwrap()
            .expose_secret(),
        "GjOD3g80AABu*******8LcCcPZN"
    );
    assert_eq!(
        response.request_id(),
        Some("2a7b1c0e5f4d4e3c9b8a7f6e5d4c3b2a")
    );
}

#[tokio::test]
async fn ak_sk_requests_are_signed() {
    let server = server().await;
    let client =
        Client::builder(Credentials::ak_sk(AK, SK).with_security_token("huawei-sts-token"))
            .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
            .options(options(&server))
            .build()
            .unwrap();
    list(&client).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), PATH);
    assert_eq!(request.url.query(), Some("limit=20&offset=0"));
    assert!(request.headers.get("api-version").is_none());
    assert!(request.headers.get("x-auth-token").is_none());
    assert_eq!(
        header(&request, "x-project-id"),
        "77b6a44cba5143ab91d13ab9a8ff44fd"
    );
    assert_eq!(header(&request, "x-security-token"), "huawei-sts-token");
    let date = header(&request, "x-sdk-date");
    assert!(
        date.len() == 16 && date.ends_with('Z') && date.as_bytes()[8] == b'T',
        "{date}"
    );
    assert!(header(&request, "authorization").starts_with(&format!(
        "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature="
    )));

    assert_eq!(verify(&request).access_key_id, AK);
}

#[tokio::test]
async fn iam_token_requests_carry_x_auth_token() {
    let server = server().await;
    let client = Client::builder(Credentials::iam_token("MIIZ-iam-token"))
        .options(options(&server))
        .build()
        .unwrap();
    list(&client).await;

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), PATH);
    assert_eq!(header(&request, "x-auth-token"), "MIIZ-iam-token");
    assert!(request.headers.get("authorization").is_none());
    assert!(request.headers.get("x-sdk-date").is_none());
    assert!(request.headers.get("x-project-id").is_none());
}

const PROJECT: &str = "77b6a44cba5143ab91d13ab9a8ff44fd";
const APP_PATH: &str = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc";

/// An AK/SK client for `server`, with the project id every path here starts with.
fn ak_sk_client(server: &MockServer) -> Client {
    Client::builder(Credentials::ak_sk(AK, SK))
        .project_id(PROJECT)
        .options(options(server))
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_app_code_auto_is_a_signed_bodiless_put() {
    let server = MockServer::start().await;
    let app_code = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    Mock::given(method("PUT"))
        .and(path(format!("{APP_PATH}/app-codes")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "app_code": app_code, "app_id": "9ed8b7fe84224de681e7d7a5587e76dc",
            "create_time": "2020-07-24T02:37:24.835128293Z", "id": "d5b8a8f8c1f44c6a9d4f3c1e2b0a9f8e"
        })))
        .mount(&server)
        .await;

    let response = ak_sk_client(&server)
        .create_app_code_auto_v2()
        .project_id(PROJECT)
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.app_code.as_ref().unwrap().expose_secret(),
        app_code
    );
    assert_eq!(
        response.id.as_deref(),
        Some("d5b8a8f8c1f44c6a9d4f3c1e2b0a9f8e")
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), format!("{APP_PATH}/app-codes"));
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
    assert!(header(&request, "authorization").starts_with(&format!(
        "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-project-id;x-sdk-date, Signature="
    )));
    assert_eq!(verify(&request).access_key_id, AK);
}

#[tokio::test]
async fn delete_ai_api_key_answers_204_without_a_body() {
    let server = MockServer::start().await;
    let key_path = format!("{APP_PATH}/ai-api-keys/32dc8ca22d1b4b9cb94022186880576b");
    Mock::given(method("DELETE"))
        .and(path(key_path.as_str()))
        .respond_with(ResponseTemplate::new(204).insert_header("X-Request-Id", "del-req-1"))
        .mount(&server)
        .await;

    let response = ak_sk_client(&server)
        .delete_ai_api_key()
        .project_id(PROJECT)
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .ai_api_key_id("32dc8ca22d1b4b9cb94022186880576b")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.request_id(), Some("del-req-1"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), key_path);
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
    verify(&request);
}

#[tokio::test]
async fn a_bodiless_put_says_content_length_zero() {
    // RFC 9110 8.6: a user agent SHOULD send Content-Length for a method that defines a body,
    // even 0; the vendor SDKs (Python requests, Go net/http) do, and servers may answer 411.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "code-1"})))
        .mount(&server)
        .await;
    ak_sk_client(&server)
        .create_app_code_auto_v2()
        .project_id(PROJECT)
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request
            .headers
            .get("content-length")
            .map(|v| v.to_str().unwrap()),
        Some("0")
    );
}
