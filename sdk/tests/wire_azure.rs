//! Azure: the listSecrets POST on the wire, with a static token and with a token provider.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use keygate_sdk::SecretString;
use keygate_sdk::azure::{Client, Credentials};
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
