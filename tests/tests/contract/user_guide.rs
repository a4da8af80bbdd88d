//! The README's examples, as tests that run: a key's whole life through the SDK, and (section
//! "Testing your own code against keygate") how a user's test starts the mock (or mounts it on
//! wiremock), points a client at it and asserts what the client sent and what it got back.

use std::sync::Arc;

use keygate_mock::{AuthMode, Credential, Engine, KeygateResponder, MockServer};
use keygate_sdk::{ClientOptions, SecretString, alibaba, huawei};
use wiremock::matchers::any;

/// The README's lifecycle: create, read, rotate, delete, each signed and verified, against the
/// mock's state: each step sees what the one before did.
#[tokio::test]
async fn a_keys_whole_life_create_read_rotate_delete() {
    let server = MockServer::builder()
        .auth(AuthMode::Verify)
        .credential(Credential::new("alibaba", "test-ak", "test-secret"))
        .start()
        .await
        .expect("mock starts");
    let client = alibaba::Client::builder(alibaba::Credentials::new("test-ak", "test-secret"))
        .options(ClientOptions::default().endpoint(server.url()))
        .build()
        .expect("client");

    // Create
    let created = client
        .create_secret()
        .body(
            alibaba::types::CreateSecretRequest::builder()
                .name(alibaba::types::CreateSecretRequestName::try_from("my_secret").unwrap())
                .secret_data(SecretString::from("apikey-v1")),
        )
        .send()
        .await
        .expect("created");
    let id = created
        .data
        .as_ref()
        .and_then(|d| d.secret_id.clone())
        .unwrap_or_default();
    assert!(
        id.starts_with("sec-") && id != "sec-d5e6shmm1hkoxxxxxxxx",
        "a fresh id: {id}"
    );

    // Read: the metadata by id, the value by name.
    let secret = client
        .get_secret()
        .secret_id(&id)
        .send()
        .await
        .expect("read");
    let data = secret.data.as_ref().expect("data");
    assert_eq!(data.name.as_deref(), Some("my_secret"));
    assert_eq!(data.status, Some(alibaba::types::SecretStatus::Enalbe));
    let value_now = || async {
        let value = client
            .get_secret_value()
            .name("my_secret")
            .send()
            .await
            .expect("value");
        assert!(!format!("{value:?}").contains("apikey-v"), "Debug redacts");
        let data = value.data.clone().and_then(|d| d.secret_data);
        data.map(|s| s.expose_secret().to_owned())
    };
    assert_eq!(value_now().await.as_deref(), Some("apikey-v1"));

    // Rotate
    let rotated = client
        .update_secret()
        .secret_id(&id)
        .body(
            alibaba::types::UpdateSecretRequest::builder()
                .secret_data(SecretString::from("apikey-v2")),
        )
        .send()
        .await
        .expect("rotated");
    assert_eq!(rotated.code.as_deref(), Some("Ok"));
    assert_eq!(value_now().await.as_deref(), Some("apikey-v2"));

    // Delete
    let deleted = client
        .delete_secret()
        .secret_id(&id)
        .send()
        .await
        .expect("deleted");
    assert_eq!(deleted.code.as_deref(), Some("Ok"));
    let gone = client.get_secret().secret_id(&id).send().await.unwrap_err();
    assert_eq!(gone.code(), Some("NotFound.SecretNotFound"));
    server.shutdown().await;
}

/// Start the mock on a free port, point the client at it, assert what the client got.
#[tokio::test]
async fn your_client_against_the_keygate_mock() {
    // Arrange: the mock checks AK/SK signatures with a test credential.
    let server = MockServer::builder()
        .auth(AuthMode::Verify)
        .credential(Credential::new("huawei", "test-ak", "test-sk"))
        .start()
        .await
        .expect("mock starts");
    let client = huawei::Client::builder(huawei::Credentials::ak_sk("test-ak", "test-sk"))
        .options(ClientOptions::default().endpoint(server.url()))
        .build()
        .expect("client");

    // Act: the code under test calls Huawei as it would in production.
    let page = client
        .list_ai_api_keys()
        .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .send()
        .await
        .expect("the documented sample");

    // Assert: the documented sample, with a fresh request id.
    assert_eq!(page.total, Some(2));
    assert_eq!(page.ai_api_keys[0].alias.as_deref(), Some("test1"));
    assert!(page.request_id().is_some());
    server.shutdown().await;
}

/// Mount keygate's answers on your own wiremock server, then assert what your code sent.
#[tokio::test]
async fn assert_what_your_code_sent_with_wiremock() {
    // Arrange: wiremock records requests; keygate answers them like Alibaba would.
    let engine = Engine::builder()
        .auth(AuthMode::Verify)
        .credential(Credential::new("alibaba", "test-ak", "test-secret"))
        .build()
        .expect("engine");
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(any())
        .respond_with(KeygateResponder::from_engine(Arc::new(engine)))
        .mount(&server)
        .await;
    let client = alibaba::Client::builder(alibaba::Credentials::new("test-ak", "test-secret"))
        .options(ClientOptions::default().endpoint(server.uri()))
        .build()
        .expect("client");

    // Act
    let body: alibaba::types::CreateSecretRequest = serde_json::from_value(
        serde_json::json!({"name": "my_secret", "secretData": "s3cr3t-value"}),
    )
    .expect("request");
    let created = client
        .create_secret()
        .body(body)
        .send()
        .await
        .expect("signed and accepted");

    // Assert: what came back, and what went out.
    let id = created.data.as_ref().and_then(|d| d.secret_id.as_deref());
    assert!(id.is_some_and(|id| id.starts_with("sec-")), "{id:?}");
    let sent = server.received_requests().await.expect("recording is on");
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/secrets");
    assert_eq!(request.headers["x-acs-action"], "CreateSecret");
    assert_eq!(request.headers["x-acs-version"], "2024-03-27");
    let authorization = request.headers["authorization"].to_str().unwrap();
    assert!(authorization.starts_with("ACS3-HMAC-SHA256 Credential=test-ak,"));
    let json: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(json["name"], "my_secret");
}
