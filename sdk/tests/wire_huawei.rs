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

    let headers = header_pairs(&request);
    let host = host(&request);
    let signable = keygate_auth::SignableRequest {
        method: "GET",
        host: &host,
        path: request.url.path(),
        query: request.url.query().unwrap(),
        headers: &headers,
        body: &request.body,
    };
    let lookup = |ak: &str| (ak == AK).then(|| SecretString::from(SK));
    let verified = keygate_auth::huawei::SCHEME
        .verify_signature(&signable, lookup, now_unix())
        .expect("the signature verifies");
    assert_eq!(verified.access_key_id, AK);
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
