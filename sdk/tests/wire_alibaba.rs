//! Alibaba: the exact request on the wire, and its ACS3 signature verified by keygate-auth.

mod common;

use common::*;
use keygate_sdk::SecretString;
use keygate_sdk::alibaba::{Client, Credentials, types};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const AK: &str = "LTAI5tTestAccessKey";
const SECRET: &str = "alibaba-secret-value-0123456789";

fn client(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .options(options(server))
        .build()
        .unwrap()
}

fn lookup(ak: &str) -> Option<SecretString> {
    (ak == AK).then(|| SecretString::from(SECRET))
}

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
    keygate_auth::alibaba::SCHEME
        .verify_signature(&signable, lookup, now_unix())
        .expect("the signature verifies")
}

#[tokio::test]
async fn create_secret_is_a_signed_json_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/secrets"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-acs-request-id", "CFF809D7-045D-502F-BF6C-947E00000001")
                .set_body_json(json!({
                    "requestId": "CFF809D7-045D-502F-BF6C-947Exxxxxxxx",
                    "code": "Ok",
                    "message": "Failed to upload data. Please try again",
                    "data": {"secretId": "sec-d5e6shmm1hkoxxxxxxxx"}
                })),
        )
        .mount(&server)
        .await;

    let response = client(&server, Credentials::new(AK, SECRET))
        .create_secret()
        .body(
            types::CreateSecretRequest::builder()
                .name(types::CreateSecretRequestName::try_from("my_secret").unwrap())
                .secret_data(SecretString::from("apikey-123456xxxxxxxx")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.data.as_ref().unwrap().secret_id.as_deref(),
        Some("sec-d5e6shmm1hkoxxxxxxxx")
    );
    assert_eq!(
        response.request_id(),
        Some("CFF809D7-045D-502F-BF6C-947E00000001"),
        "the header wins"
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/secrets");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        request.body,
        br#"{"name":"my_secret","secretData":"apikey-123456xxxxxxxx"}"#
    );
    assert_eq!(
        header(&request, "content-type"),
        "application/json; charset=utf-8"
    );
    assert_eq!(header(&request, "x-acs-action"), "CreateSecret");
    assert_eq!(header(&request, "x-acs-version"), "2024-03-27");
    assert_eq!(
        header(&request, "x-acs-content-sha256"),
        "d3042fd4a0ccfb41911b3333602978a3700f2d2cadb55337cf9e1cc39e1c3861",
        "the body hash of vendor-facts 1.3 C"
    );
    let nonce = header(&request, "x-acs-signature-nonce");
    assert!(
        nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()),
        "{nonce}"
    );
    assert!(request.headers.get("x-acs-security-token").is_none());
    assert!(
        request.headers.get("api-version").is_none(),
        "progenitor's stray header is removed"
    );
    assert_eq!(
        header(&request, "authorization")
            .split_once("Signature=")
            .unwrap()
            .0,
        format!(
            "ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        )
    );
    let verified = verify(&request);
    assert_eq!(verified.access_key_id, AK);
    assert_eq!(verified.nonce.as_deref(), Some(nonce));
}

#[tokio::test]
async fn list_secret_references_is_a_signed_get_with_sts_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "requestId": "CE857A85-251D-5018-8103-A38957D71***",
            "code": "Ok",
            "message": "success",
            "data": {"totalSize": 1, "pageNumber": 1, "pageSize": 10, "items": [
                {"gatewayId": "gw-xxxx", "resourceType": "Plugin",
                 "PluginConfig": {"pluginId": "pl-1", "name": "oauth", "pluginClassId": "pls-1"}}
            ]}
        })))
        .mount(&server)
        .await;

    let credentials = Credentials::new(AK, SECRET).with_security_token("sts-token-value-xyz");
    let response = client(&server, credentials)
        .list_secret_references()
        .secret_id("sec-d5e6shmm1hkoxxxxxxxx")
        .page_number(1u32)
        .page_size(10u32)
        .send()
        .await
        .unwrap();
    let items = &response.data.as_ref().unwrap().items;
    assert_eq!(
        items[0].plugin_config.as_ref().unwrap().name.as_deref(),
        Some("oauth")
    );
    assert_eq!(
        response.request_id(),
        Some("CE857A85-251D-5018-8103-A38957D71***"),
        "from the body"
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references"
    );
    assert_eq!(request.url.query(), Some("pageNumber=1&pageSize=10"));
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
    assert_eq!(header(&request, "x-acs-action"), "ListSecretReferences");
    assert_eq!(
        header(&request, "x-acs-security-token"),
        "sts-token-value-xyz"
    );
    assert!(header(&request, "authorization").contains(
        "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
    ));
    verify(&request);
}

/// A server answering 200 with `body` to `http_method` on `wire_path` (and 404 elsewhere).
async fn answering(http_method: &str, wire_path: &str, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path(wire_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The `SignedHeaders` list of a request's ACS3 `Authorization` header.
fn signed_headers(request: &wiremock::Request) -> &str {
    let authorization = header(request, "authorization");
    let (_, rest) = authorization.split_once("SignedHeaders=").unwrap();
    rest.split_once(',').unwrap().0
}

#[tokio::test]
async fn update_secret_is_a_signed_json_put() {
    let server = answering(
        "PUT",
        "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx",
        json!({"requestId": "UPDATE-REQ-1", "code": "Ok", "message": "success"}),
    )
    .await;

    let response = client(&server, Credentials::new(AK, SECRET))
        .update_secret()
        .secret_id("sec-d5e6shmm1hkoxxxxxxxx")
        .body(
            types::UpdateSecretRequest::builder()
                .secret_data(SecretString::from("apikey-rotated-7c1d")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.code.as_deref(), Some("Ok"));
    assert_eq!(response.request_id(), Some("UPDATE-REQ-1"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx");
    assert_eq!(request.url.query(), None);
    assert_eq!(request.body, br#"{"secretData":"apikey-rotated-7c1d"}"#);
    assert_eq!(
        header(&request, "content-type"),
        "application/json; charset=utf-8"
    );
    assert_eq!(header(&request, "x-acs-action"), "UpdateSecret");
    assert_eq!(header(&request, "x-acs-version"), "2024-03-27");
    assert_eq!(
        header(&request, "x-acs-content-sha256"),
        "68cfdacad03f6175c82883c9e52b59a71a7c974f97afe84f8d09102bd57bf850",
        "sha256 of the body above"
    );
    assert_eq!(
        signed_headers(&request),
        "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    );
    assert_eq!(verify(&request).access_key_id, AK);
}

#[tokio::test]
async fn delete_secret_is_a_signed_delete_without_a_body() {
    let server = answering(
        "DELETE",
        "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx",
        json!({"requestId": "DELETE-REQ-1", "code": "Ok", "message": "success"}),
    )
    .await;

    let response = client(&server, Credentials::new(AK, SECRET))
        .delete_secret()
        .secret_id("sec-d5e6shmm1hkoxxxxxxxx")
        .send()
        .await
        .unwrap();
    assert_eq!(response.code.as_deref(), Some("Ok"));
    assert_eq!(response.request_id(), Some("DELETE-REQ-1"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx");
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
    assert_eq!(header(&request, "x-acs-action"), "DeleteSecret");
    assert_eq!(
        header(&request, "x-acs-content-sha256"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha256 of the empty body"
    );
    assert_eq!(
        signed_headers(&request),
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    );
    verify(&request);
}

#[tokio::test]
async fn get_secret_value_percent_encodes_the_name_and_the_signature_still_verifies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "requestId": "VALUE-REQ-1", "code": "Ok", "message": "success",
            "data": {"secretData": "apikey-plain-9f2e"}
        })))
        .mount(&server)
        .await;

    let response = client(&server, Credentials::new(AK, SECRET))
        .get_secret_value()
        .name("db password/v2?#%")
        .send()
        .await
        .unwrap();
    let value = response
        .data
        .as_ref()
        .unwrap()
        .secret_data
        .as_ref()
        .unwrap();
    assert_eq!(value.expose_secret(), "apikey-plain-9f2e");
    let printed = format!("{response:?} {response:#?}");
    assert!(!printed.contains("apikey-plain-9f2e"), "{printed}");
    assert!(printed.contains(keygate_auth::REDACTED), "{printed}");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/v1/secrets/name/db%20password%2Fv2%3F%23%25/value",
        "one path segment: space, `/`, `?`, `#` and `%` escaped"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "x-acs-action"), "GetSecretValue");
    verify(&request);
}
