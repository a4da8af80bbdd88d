//! Each kind of invalid request, answered in each vendor's own format, naming the parameter.

use keygate_mock::AuthMode;
use serde_json::Value;

use crate::common::{ALIBABA_REFS_PATH, AZURE_PATH, HUAWEI_PATH, client, json_of, server};

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("sent");
    (response.status().as_u16(), json_of(response).await)
}

// ---- Alibaba: 400 with the POP body {RequestId, HostId, Code, Message, Recommend} ----

fn alibaba_refs(base: &str, query: &str) -> reqwest::RequestBuilder {
    client()
        .get(format!("{base}{ALIBABA_REFS_PATH}{query}"))
        .header("x-acs-action", "ListSecretReferences")
        .header("x-acs-version", "2024-03-27")
}

fn assert_alibaba(got: (u16, Value), code: &str, param: &str) {
    let (status, body) = got;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["Code"], code, "{body}");
    assert!(
        body["Message"].as_str().expect("Message").contains(param),
        "{body}"
    );
    assert!(
        body["RequestId"].as_str().is_some_and(|id| id.len() == 36),
        "{body}"
    );
    assert!(
        body["Recommend"]
            .as_str()
            .expect("Recommend")
            .contains(code),
        "{body}"
    );
}

#[tokio::test]
async fn alibaba_parameter_failures() {
    let s = server(AuthMode::Off).await;
    let url = s.url();
    assert_alibaba(
        send(alibaba_refs(url, "?pageSize=abc")).await,
        "InvalidParameter",
        "pageSize",
    );
    assert_alibaba(
        send(alibaba_refs(url, "?pageSize=1000")).await,
        "InvalidParameter",
        "pageSize",
    );
    assert_alibaba(
        send(alibaba_refs(url, "?pageNumber=0")).await,
        "InvalidParameter",
        "pageNumber",
    );
    assert_alibaba(
        send(alibaba_refs(url, "?pageSize=1&pageSize=2")).await,
        "InvalidParameter",
        "pageSize",
    );
    let missing_action = client()
        .get(format!("{url}{ALIBABA_REFS_PATH}"))
        .header("x-acs-version", "2024-03-27");
    assert_alibaba(
        send(missing_action).await,
        "MissingParameter",
        "x-acs-action",
    );
    let wrong_version = client()
        .get(format!("{url}{ALIBABA_REFS_PATH}"))
        .header("x-acs-action", "ListSecretReferences")
        .header("x-acs-version", "2019-01-01");
    assert_alibaba(
        send(wrong_version).await,
        "InvalidParameter",
        "x-acs-version",
    );
}

fn alibaba_create(base: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base}/v1/secrets"))
        .header("x-acs-action", "CreateSecret")
        .header("x-acs-version", "2024-03-27")
}

#[tokio::test]
async fn alibaba_body_failures() {
    let s = server(AuthMode::Off).await;
    let url = s.url();
    let bad_name = alibaba_create(url).json(&serde_json::json!({"name": "not ok!"}));
    assert_alibaba(send(bad_name).await, "InvalidParameter", "name");
    let nested = alibaba_create(url).json(&serde_json::json!({"kmsConfig": {"kmsKeyId": 5}}));
    assert_alibaba(send(nested).await, "InvalidParameter", "kmsConfig.kmsKeyId");
    let not_json = alibaba_create(url)
        .header("content-type", "application/json")
        .body("{");
    assert_alibaba(send(not_json).await, "InvalidParameter", "body");
    let wrong_type = alibaba_create(url)
        .header("content-type", "text/plain")
        .body("name=x");
    assert_alibaba(send(wrong_type).await, "InvalidParameter", "Content-Type");
    let ok = alibaba_create(url)
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"name":"my_secret"}"#);
    assert_eq!(send(ok).await.0, 200);
}

// ---- Huawei: 400 {error_code: APIG.2012, error_msg naming the parameter} ----

#[tokio::test]
async fn huawei_parameter_failures() {
    let s = server(AuthMode::Off).await;
    for query in [
        "?limit=abc",
        "?offset=1.5",
        "?limit=99999999999999999999",
        "?offset=1&offset=2",
    ] {
        let (status, body) = send(client().get(format!("{}{HUAWEI_PATH}{query}", s.url()))).await;
        let param = if query.contains("limit") {
            "limit"
        } else {
            "offset"
        };
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error_code"], "APIG.2012", "{query}");
        assert_eq!(
            body["error_msg"],
            format!(
                "Invalid parameter value,parameterName:{param}. Please refer to the support documentation"
            ),
            "{query}"
        );
    }
}

// ---- Azure: 400 {error: {code, message}}; api-version has its own codes ----

async fn azure(query: &str, path: &str) -> (u16, Value) {
    let s = server(AuthMode::Off).await;
    send(client().post(format!("{}{path}{query}", s.url()))).await
}

#[tokio::test]
async fn azure_api_version_is_required_and_checked() {
    let (status, body) = azure("", AZURE_PATH).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("MissingApiVersionParameter"))
    );
    let (status, body) = azure("?api-version=2019-01-01", AZURE_PATH).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("InvalidApiVersionParameter"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("'2019-01-01'")
    );
}

#[tokio::test]
async fn azure_path_parameters_are_checked() {
    let v = "?api-version=2024-05-01";
    let not_uuid = AZURE_PATH.replace("00000000-0000-0000-0000-000000000000", "not-a-uuid");
    let (status, body) = azure(v, &not_uuid).await;
    assert_eq!(
        (
            status,
            body["error"]["code"].as_str(),
            body["error"]["target"].as_str()
        ),
        (400, Some("InvalidParameter"), Some("subscriptionId"))
    );
    let bad_service = AZURE_PATH.replace("apimService1", "-bad-");
    let (_, body) = azure(v, &bad_service).await;
    assert_eq!(body["error"]["target"], "serviceName");
    let long_group = AZURE_PATH.replace("rg1", &"g".repeat(91));
    let (_, body) = azure(v, &long_group).await;
    assert_eq!(body["error"]["target"], "resourceGroupName");
    let bad_utf8 = AZURE_PATH.replace("rg1", "%FF");
    let (_, body) = azure(v, &bad_utf8).await;
    assert_eq!(body["error"]["target"], "resourceGroupName");
}

// ---- Tencent: HTTP 200 with a non-zero code ----

#[tokio::test]
async fn tencent_parameter_failures_are_http_200_with_code_4000() {
    let s = server(AuthMode::Off).await;
    let base = format!("{}/v2/index.php?Action=DescribeApiKeysStatus", s.url());
    let cases = [
        ("&Region=gz&limit=abc", "InvalidParameter", "limit"),
        ("&Region=gz&limit=101", "InvalidParameter", "limit"),
        ("&Region=gz&offset=-1", "InvalidParameter", "offset"),
        (
            "&Region=gz&secretIDs.0=a&secretIDs.2=b",
            "InvalidParameter",
            "secretIDs",
        ),
        ("&Region=gz&secretIDs.x=a", "InvalidParameter", "secretIDs"),
        ("", "MissingParameter", "Region"),
    ];
    for (query, code_desc, param) in cases {
        let (status, body) = send(client().get(format!("{base}{query}"))).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(body["code"], 4000, "{query}: {body}");
        assert_eq!(body["codeDesc"], code_desc, "{query}");
        assert!(
            body["message"].as_str().expect("message").ends_with(param),
            "{query}: {body}"
        );
    }
}
