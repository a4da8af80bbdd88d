//! Every Prism-compatible way of choosing a response, and the clear error for an
//! undocumented choice.

use keygate_mock::AuthMode;
use serde_json::Value;

use crate::common::{HUAWEI_PATH, client, json_of, server};

async fn huawei(query: &str, prefer: Option<&str>) -> (u16, Value) {
    let server = server(AuthMode::Off).await;
    let mut request = client().get(format!("{}{HUAWEI_PATH}{query}", server.url()));
    if let Some(prefer) = prefer {
        request = request.header("Prefer", prefer);
    }
    let response = request.send().await.expect("sent");
    (response.status().as_u16(), json_of(response).await)
}

#[tokio::test]
async fn header_code_picks_that_status_first_example() {
    let (status, body) = huawei("", Some("code=404")).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (404, Some("APIG.3004"))
    );
}

#[tokio::test]
async fn header_code_and_example_pick_that_example() {
    let (status, body) = huawei("", Some("code=401, example=APIGW.0301")).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (401, Some("APIGW.0301"))
    );
}

#[tokio::test]
async fn header_example_alone_finds_its_status() {
    let (status, body) = huawei("", Some("example=APIG.1005")).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (403, Some("APIG.1005"))
    );
}

#[tokio::test]
async fn query_code_works_and_is_not_an_api_parameter() {
    let (status, body) = huawei("?__code=500&limit=5", None).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (500, Some("APIG.9999"))
    );
}

#[tokio::test]
async fn query_example_works() {
    let (status, body) = huawei("?__example=APIG.2012", None).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("APIG.2012"))
    );
}

#[tokio::test]
async fn query_form_wins_over_the_header() {
    let (status, _) = huawei("?__code=403", Some("code=404")).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn unknown_code_is_a_clear_error_naming_what_exists() {
    let (status, body) = huawei("", Some("code=418")).await;
    assert_eq!(status, 500);
    assert_eq!(body["error_code"], "KEYGATE.0001");
    let message = body["error_msg"].as_str().expect("message");
    assert!(
        message.contains("418") && message.contains("200, 400, 401, 403, 404, 500"),
        "{message}"
    );
}

#[tokio::test]
async fn unknown_example_is_a_clear_error_naming_what_exists() {
    let (status, body) = huawei("", Some("code=401, example=Nope")).await;
    assert_eq!(status, 500);
    let message = body["error_msg"].as_str().expect("message");
    assert!(
        message.contains("Nope") && message.contains("APIG.1002, APIGW.0301"),
        "{message}"
    );
    let (status, body) = huawei("?__example=Nope", None).await;
    assert_eq!(status, 500);
    assert!(
        body["error_msg"]
            .as_str()
            .expect("message")
            .contains("no example \"Nope\"")
    );
}

#[tokio::test]
async fn a_code_that_is_not_a_status_is_refused() {
    let (status, body) = huawei("?__code=abc", None).await;
    assert_eq!(status, 500);
    assert!(
        body["error_msg"]
            .as_str()
            .expect("message")
            .contains("not an HTTP status")
    );
}

#[tokio::test]
async fn validation_comes_before_preference() {
    let (status, body) = huawei("?limit=abc", Some("code=200")).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("APIG.2012"))
    );
}
