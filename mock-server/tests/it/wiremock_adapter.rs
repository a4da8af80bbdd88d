//! keygate's answers mounted on a user's own wiremock server.

use std::sync::Arc;

use keygate_mock::{AuthMode, Engine, KeygateResponder};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use crate::common::{AZURE_PATH, HUAWEI_PATH, client, json_of};

#[tokio::test]
async fn the_responder_answers_like_the_mock_server() {
    let server = MockServer::start().await;
    let engine = Engine::builder()
        .auth(AuthMode::Off)
        .build()
        .expect("engine");
    Mock::given(any())
        .respond_with(KeygateResponder::from_engine(Arc::new(engine)))
        .mount(&server)
        .await;

    let response = client()
        .get(format!("{}{HUAWEI_PATH}", server.uri()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(json_of(response).await["total"], 2);

    let response = client()
        .post(format!("{}{AZURE_PATH}", server.uri()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    assert_eq!(
        json_of(response).await["error"]["code"],
        "MissingApiVersionParameter"
    );
}
