//! Azure: the listSecrets POST on the wire, with a static token and with a token provider.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use keygate_sdk::SecretString;
use keygate_sdk::azure::{Client, Credentials, types};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions/5931a769d8d14f0ad8ce13b8/listSecrets";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(query_param("api-version", "2024-05-01"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-request-id", "5e8a9b1c-2d3f-4a5b-8c7d-9e0f1a2b3c4d")
                .insert_header("ETag", "\"AAAAAAAAAAa=\"")
                .set_body_json(
                    json!({"primaryKey": "<primaryKey>", "secondaryKey": "<secondaryKey>"}),
                ),
        )
        .mount(&server)
        .await;
    server
}

async fn list_secrets(client: &Client) {
    let keys = client
        .subscription_list_secrets()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("5931a769d8d14f0ad8ce13b8")
        .send()
        .await
        .unwrap();
    assert_eq!(
        keys.primary_key.as_ref().unwrap().expose_secret(),
        "<primaryKey>"
    );
    assert_eq!(
        keys.secondary_key.as_ref().unwrap().expose_secret(),
        "<secondaryKey>"
    );
    assert_eq!(
        keys.request_id(),
        Some("5e8a9b1c-2d3f-4a5b-8c7d-9e0f1a2b3c4d")
    );
    assert_eq!(keys.headers()["etag"], "\"AAAAAAAAAAa=\"");
}

#[tokio::test]
async fn list_secrets_is_a_bodyless_bearer_post() {
    let server = server().await;
    let client = Client::builder(Credentials::bearer("eyJ0eXAi.static.token"))
        .options(options(&server))
        .build()
        .unwrap();
    list_secrets(&client).await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), PATH);
    assert_eq!(request.url.query(), Some("api-version=2024-05-01"));
    assert!(request.body.is_empty());
    assert_eq!(header(&request, "content-length"), "0");
    assert_eq!(
        header(&request, "authorization"),
        "Bearer eyJ0eXAi.static.token"
    );
    assert_eq!(header(&request, "accept"), "application/json");
    assert!(
        request.headers.get("api-version").is_none(),
        "api-version travels in the query only"
    );
    let client_request_id = header(&request, "x-ms-client-request-id");
    assert!(
        uuid::Uuid::parse_str(client_request_id).is_ok(),
        "{client_request_id}"
    );
    assert_eq!(
        keygate_auth::azure::parse_bearer(Some(header(&request, "authorization"))),
        Ok("eyJ0eXAi.static.token")
    );
}

#[tokio::test]
async fn a_token_provider_is_asked_for_each_call() {
    let server = server().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let credentials = Credentials::token_provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok(SecretString::from(format!("provided-token-{n}"))) }
    });
    let client = Client::builder(credentials)
        .options(options(&server))
        .build()
        .unwrap();
    list_secrets(&client).await;
    list_secrets(&client).await;

    let requests = server.received_requests().await.unwrap();
    let tokens: Vec<&str> = requests
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    assert_eq!(
        tokens,
        ["Bearer provided-token-1", "Bearer provided-token-2"]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

const SUBSCRIPTION_PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions/testsub";

/// A static-token client for `server`.
fn client(server: &MockServer) -> Client {
    Client::builder(Credentials::bearer("eyJ0eXAi.static.token"))
        .options(options(server))
        .build()
        .unwrap()
}

/// The subscription `testsub` as ARM returns it, with its ETag header and `status`.
fn subscription_answer(status: u16, etag: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("ETag", etag)
        .insert_header("x-ms-request-id", "ms-req-write-1")
        .set_body_json(json!({
            "id": SUBSCRIPTION_PATH, "type": "Microsoft.ApiManagement/service/subscriptions",
            "name": "testsub",
            "properties": {"scope": "/products/starter", "displayName": "testsub", "state": "suspended",
                           "createdDate": "2017-06-02T23:34:03.1055076Z"}
        }))
}

#[tokio::test]
async fn update_is_a_patch_that_carries_if_match() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(SUBSCRIPTION_PATH))
        .respond_with(subscription_answer(200, "\"AAAAAAAAAAc=\""))
        .mount(&server)
        .await;

    let response = client(&server)
        .subscription_update()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("testsub")
        .notify(true)
        .if_match("\"AAAAAAAAAAa=\"")
        .body(types::SubscriptionUpdateParameters {
            properties: Some(types::SubscriptionUpdateParameterProperties {
                state: Some(types::SubscriptionUpdateParameterPropertiesState::Suspended),
                state_comment: Some("paused for audit".to_owned()),
                ..Default::default()
            }),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.etag(), Some("\"AAAAAAAAAAc=\""), "the new version");
    assert_eq!(
        response.properties.as_ref().unwrap().state.as_deref(),
        Some("suspended")
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), SUBSCRIPTION_PATH);
    assert_eq!(
        request.url.query(),
        Some("api-version=2024-05-01&notify=true")
    );
    assert_eq!(
        header(&request, "if-match"),
        "\"AAAAAAAAAAa=\"",
        "passed through as given, quotes included"
    );
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(
        request.body,
        br#"{"properties":{"state":"suspended","stateComment":"paused for audit"}}"#
    );
    assert_eq!(
        header(&request, "authorization"),
        "Bearer eyJ0eXAi.static.token"
    );
}

#[tokio::test]
async fn get_entity_tag_is_a_head_and_reads_the_etag() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(path(SUBSCRIPTION_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "\"AAAAAAAAAAa=\"")
                .insert_header("x-ms-request-id", "ms-req-head-1"),
        )
        .mount(&server)
        .await;

    let response = client(&server)
        .subscription_get_entity_tag()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("testsub")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.etag(), Some("\"AAAAAAAAAAa=\""));
    assert_eq!(response.request_id(), Some("ms-req-head-1"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "HEAD");
    assert_eq!(request.url.path(), SUBSCRIPTION_PATH);
    assert_eq!(request.url.query(), Some("api-version=2024-05-01"));
    assert!(request.body.is_empty());
    assert_eq!(
        header(&request, "authorization"),
        "Bearer eyJ0eXAi.static.token"
    );
}

#[tokio::test]
async fn create_or_update_answers_201_with_an_etag() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(SUBSCRIPTION_PATH))
        .respond_with(subscription_answer(201, "\"AAAAAAAAAAb=\""))
        .mount(&server)
        .await;

    let response = client(&server)
        .subscription_create_or_update()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("testsub")
        .body(types::SubscriptionCreateParameters {
            properties: types::SubscriptionCreateParameterProperties {
                scope: "/products/starter".to_owned(),
                display_name: "testsub".try_into().unwrap(),
                primary_key: Some(SecretString::from("custom-primary-key-1")),
                allow_tracing: None,
                owner_id: None,
                secondary_key: None,
                state: None,
            },
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.etag(), Some("\"AAAAAAAAAAb=\""));
    assert_eq!(response.name.as_deref(), Some("testsub"));
    assert_eq!(response.request_id(), Some("ms-req-write-1"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), SUBSCRIPTION_PATH);
    assert_eq!(request.url.query(), Some("api-version=2024-05-01"));
    assert!(
        request.headers.get("if-match").is_none(),
        "not needed to create"
    );
    assert_eq!(
        request.body,
        br#"{"properties":{"displayName":"testsub","primaryKey":"custom-primary-key-1","scope":"/products/starter"}}"#
    );
}
