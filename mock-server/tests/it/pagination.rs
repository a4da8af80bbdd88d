//! `x-keygate-pagination`: the window a request asks for, cut from the documented items.

use keygate_mock::{AuthMode, MockServer};
use serde_json::Value;

use crate::common::{ALIBABA_REFS_PATH, HUAWEI_PATH, client, json_of, server};

async fn huawei(s: &MockServer, query: &str) -> (Vec<u8>, Value) {
    let response = client()
        .get(format!("{}{HUAWEI_PATH}?{query}", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "{query}");
    let bytes = response.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&bytes).expect("json");
    (bytes, json)
}

fn aliases(body: &Value) -> Vec<&str> {
    body["ai_api_keys"]
        .as_array()
        .expect("items")
        .iter()
        .map(|k| k["alias"].as_str().expect("alias"))
        .collect()
}

/// The documented example as the mock pre-serializes it: compact JSON in spec order.
fn documented_bytes(spec: &str, pointer: &[&str]) -> Vec<u8> {
    let path = format!("{}/../spec/{spec}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("spec");
    let root: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    let example = pointer.iter().fold(&root, |node, key| &node[*key]);
    serde_json::to_vec(example).expect("json")
}

#[tokio::test]
async fn huawei_offset_and_limit_cut_the_documented_keys() {
    let s = server(AuthMode::Off).await;
    let (_, body) = huawei(&s, "limit=1&offset=0").await;
    assert_eq!(
        (body["size"].as_i64(), body["total"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(aliases(&body), ["test1"]);

    let (_, body) = huawei(&s, "limit=1&offset=1").await;
    assert_eq!(aliases(&body), ["test2"]);
    let (_, body) = huawei(&s, "offset=1").await;
    assert_eq!(
        (aliases(&body), body["size"].as_i64()),
        (vec!["test2"], Some(1))
    );

    let (_, body) = huawei(&s, "offset=5").await;
    assert_eq!(aliases(&body), Vec::<&str>::new());
    assert_eq!(
        (body["size"].as_i64(), body["total"].as_i64()),
        (Some(0), Some(2))
    );
}

#[tokio::test]
async fn huawei_whole_list_is_the_documented_body_byte_for_byte() {
    let s = server(AuthMode::Off).await;
    let documented = documented_bytes(
        "huawei-apig.yaml",
        &[
            "paths",
            "/v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}/ai-api-keys",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "examples",
            "OK",
            "value",
        ],
    );
    // Defaults, the documented sample request, and clamped values that mean the same.
    for query in [
        "",
        "limit=20",
        "offset=0&limit=2",
        "limit=0",
        "limit=9999&offset=-3",
    ] {
        let (bytes, _) = huawei(&s, query).await;
        assert_eq!(bytes, documented, "{query}");
    }
}

async fn alibaba(s: &MockServer, query: &str) -> (String, Value) {
    let (id, bytes) = alibaba_raw(s, query).await;
    (id, serde_json::from_slice(&bytes).expect("json"))
}

async fn alibaba_raw(s: &MockServer, query: &str) -> (String, Vec<u8>) {
    let response = client()
        .get(format!("{}{ALIBABA_REFS_PATH}?{query}", s.url()))
        .header("x-acs-action", "ListSecretReferences")
        .header("x-acs-version", "2024-03-27")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200, "{query}");
    let id = response.headers()["x-acs-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    (id, response.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn alibaba_pages_echo_page_and_size_and_keep_the_total() {
    let s = server(AuthMode::Off).await;
    let (id, body) = alibaba(&s, "pageNumber=2").await;
    let data = &body["data"];
    assert_eq!(data["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        (data["pageNumber"].as_i64(), data["pageSize"].as_i64()),
        (Some(2), Some(10))
    );
    assert_eq!(data["totalSize"], 25);
    // The request id is still fresh in a cut body, and the one of the header.
    assert_eq!(body["requestId"], id.as_str());

    let (id, body) = alibaba(&s, "pageNumber=1&pageSize=1").await;
    let data = &body["data"];
    assert_eq!(data["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(data["items"][0]["gatewayId"], "gw-xxxx");
    assert_eq!(
        (data["pageNumber"].as_i64(), data["pageSize"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(body["requestId"], id.as_str());
}

#[tokio::test]
async fn alibaba_documented_request_gets_the_documented_body() {
    let s = server(AuthMode::Off).await;
    let documented = documented_bytes(
        "alibaba-apig.yaml",
        &[
            "paths",
            "/v1/secrets/{secretId}/references",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "examples",
            "ListSecretReferences",
            "value",
        ],
    );
    let documented = String::from_utf8(documented).expect("utf-8");
    for query in ["", "pageNumber=1&pageSize=10"] {
        let (id, bytes) = alibaba_raw(&s, query).await;
        // Only the request id differs: it is fresh per request.
        let expected = documented.replace("CE857A85-251D-5018-8103-A38957D71***", &id);
        assert_eq!(
            String::from_utf8(bytes).expect("utf-8"),
            expected,
            "{query}"
        );
    }
}

fn secret_ids(body: &Value) -> Vec<&str> {
    body["apiKeyStatusSet"]
        .as_array()
        .expect("items")
        .iter()
        .map(|k| k["secretID"].as_str().expect("secretID"))
        .collect()
}

#[tokio::test]
async fn tencent_windows_over_get_and_post_form() {
    let s = server(AuthMode::Off).await;
    let query = "Action=DescribeApiKeysStatus&Region=ap-guangzhou&limit=1&offset=1";
    let get = client()
        .get(format!("{}/v2/index.php?{query}", s.url()))
        .send()
        .await
        .expect("sent");
    let post = client()
        .post(format!("{}/v2/index.php", s.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(query)
        .send()
        .await
        .expect("sent");
    for response in [get, post] {
        let body = json_of(response).await;
        assert_eq!(secret_ids(&body), ["AKIDXXXXAVd3EuW"]);
        assert_eq!(body["totalCount"], 2);
    }
}

#[tokio::test]
async fn examples_without_items_are_served_whole() {
    let s = server(AuthMode::Off).await;
    let response = client()
        .get(format!(
            "{}/v2/index.php?Action=DescribeApiKeysStatus&Region=ap-guangzhou&limit=1&offset=1",
            s.url()
        ))
        .header("prefer", "example=AuthFailure")
        .send()
        .await
        .expect("sent");
    let body = json_of(response).await;
    assert_eq!(body["code"], 4100);
    assert!(body.get("apiKeyStatusSet").is_none());
}
