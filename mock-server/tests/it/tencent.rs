//! Tencent's RPC style: one path, Action dispatch, GET query or POST form, errors as 200.

use keygate_mock::AuthMode;
use serde_json::Value;

use crate::common::{client, json_of, server};

const PRESENT: &str = "Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Signature=x&Nonce=6563773475521629224&Timestamp=1465185768";

async fn get(query: &str) -> (u16, Value) {
    let s = server(AuthMode::Presence).await;
    let response = client()
        .get(format!("{}/v2/index.php?{query}", s.url()))
        .send()
        .await
        .expect("sent");
    (response.status().as_u16(), json_of(response).await)
}

#[tokio::test]
async fn get_with_query_serves_the_sample() {
    let (status, body) = get(&format!(
        "Action=DescribeApiKeysStatus&{PRESENT}&secretIDs.0=a&secretIDs.1=b&limit=20"
    ))
    .await;
    assert_eq!(
        (status, body["code"].as_i64(), body["totalCount"].as_i64()),
        (200, Some(0), Some(2))
    );
}

#[tokio::test]
async fn post_form_serves_the_sample() {
    let s = server(AuthMode::Presence).await;
    let response = client()
        .post(format!("{}/v2/index.php", s.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("Action=DescribeApiKeysStatus&{PRESENT}&offset=0"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(json_of(response).await["codeDesc"], "Success");
}

#[tokio::test]
async fn post_with_another_content_type_is_a_4000() {
    let s = server(AuthMode::Presence).await;
    let response = client()
        .post(format!("{}/v2/index.php", s.url()))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["code"], 4000);
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("application/json")
    );
}

#[tokio::test]
async fn unknown_parameters_from_real_sdks_are_accepted() {
    let (status, body) = get(&format!(
        "Action=DescribeApiKeysStatus&{PRESENT}&RequestClient=SDK_PYTHON_2.0.15"
    ))
    .await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(0)));
}

#[tokio::test]
async fn unknown_and_missing_actions() {
    let (status, body) = get(&format!("Action=NoSuchAction&{PRESENT}")).await;
    assert_eq!(
        (status, body["code"].as_i64(), body["codeDesc"].as_str()),
        (200, Some(4000), Some("InvalidAction"))
    );
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("NoSuchAction")
    );
    let (status, body) = get(PRESENT).await;
    assert_eq!(
        (status, body["codeDesc"].as_str()),
        (200, Some("MissingParameter"))
    );
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .ends_with("Action")
    );
}

#[tokio::test]
async fn auth_failures_are_http_200_with_code_4100() {
    let (status, body) = get("Action=DescribeApiKeysStatus&Region=gz").await;
    assert_eq!(
        (status, body["code"].as_i64(), body["codeDesc"].as_str()),
        (200, Some(4100), Some("AuthFailure"))
    );
}

#[tokio::test]
async fn with_auth_off_no_credential_parameter_is_needed() {
    let s = server(AuthMode::Off).await;
    let response = client()
        .get(format!(
            "{}/v2/index.php?Action=DescribeApiKeysStatus&Region=ap-guangzhou",
            s.url()
        ))
        .send()
        .await
        .expect("sent");
    assert_eq!(json_of(response).await["code"], 0);
}
