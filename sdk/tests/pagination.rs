//! Paged list operations as lazy item streams: every item, in order, and no request beyond the
//! last page needed.

mod common;

use common::*;
use futures::{StreamExt as _, TryStreamExt as _};
use keygate_sdk::{alibaba, huawei, tencent};
use serde_json::json;
use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Serves Alibaba's ListSecretReferences: `total` references, `size` per page.
async fn alibaba_pages(total: usize, size: usize) -> MockServer {
    let server = MockServer::start().await;
    for page in 1..=total.div_ceil(size) {
        let items: Vec<_> = ((page - 1) * size..(page * size).min(total))
            .map(|i| json!({"gatewayId": format!("gw-{i}"), "resourceType": "Plugin"}))
            .collect();
        Mock::given(method("GET"))
            .and(query_param("pageNumber", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "requestId": "R", "code": "Ok", "message": "success",
                "data": {"totalSize": total, "pageNumber": page, "pageSize": size, "items": items}
            })))
            .mount(&server)
            .await;
    }
    server
}

fn alibaba_client(server: &MockServer) -> alibaba::Client {
    alibaba::Client::builder(alibaba::Credentials::new("AK", "SK"))
        .options(options(server))
        .build()
        .unwrap()
}

async fn page_numbers(server: &MockServer, name: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn page_style_yields_every_item_and_stops_at_the_total() {
    let server = alibaba_pages(25, 10).await;
    let client = alibaba_client(&server);
    let items: Vec<_> = client
        .list_secret_references()
        .secret_id("sec-1")
        .page_size(10u32)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .map(|i| i.gateway_id.clone().unwrap())
        .collect();
    assert_eq!(ids, (0..25).map(|i| format!("gw-{i}")).collect::<Vec<_>>());
    assert_eq!(
        page_numbers(&server, "pageNumber").await,
        ["1", "2", "3"],
        "three pages, no fourth request"
    );
    assert_eq!(page_numbers(&server, "pageSize").await, ["10", "10", "10"]);
}

#[tokio::test]
async fn pages_are_fetched_only_when_the_stream_reaches_them() {
    let server = alibaba_pages(25, 10).await;
    let client = alibaba_client(&server);
    let mut stream = client
        .list_secret_references()
        .secret_id("sec-1")
        .page_size(10u32)
        .into_stream();
    let first_ten: Vec<_> = stream.by_ref().take(10).try_collect().await.unwrap();
    assert_eq!(first_ten.len(), 10);
    assert_eq!(
        request_count(&server).await,
        1,
        "the second page is not fetched yet"
    );
    stream.next().await.unwrap().unwrap();
    assert_eq!(request_count(&server).await, 2);
}

/// Serves Huawei's ListAiApiKeys: `total` keys, answering any offset and limit.
async fn huawei_pages(total: u64, limit: u64) -> MockServer {
    let server = MockServer::start().await;
    for offset in (0..total).step_by(limit as usize) {
        let keys: Vec<_> = (offset..(offset + limit).min(total))
            .map(|i| json!({"id": format!("key-{i}"), "ai_api_key": "masked****"}))
            .collect();
        Mock::given(method("GET"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "total": total, "size": keys.len(), "ai_api_keys": keys
            })))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn offset_style_starts_at_the_builders_offset() {
    let server = huawei_pages(7, 2).await;
    let client = huawei::Client::builder(huawei::Credentials::iam_token("T"))
        .options(options(&server))
        .build()
        .unwrap();
    let keys: Vec<_> = client
        .list_ai_api_keys()
        .project_id("p")
        .instance_id("i")
        .app_id("a")
        .limit(2u32)
        .offset(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = keys.iter().map(|k| k.id.clone().unwrap()).collect();
    assert_eq!(ids, ["key-2", "key-3", "key-4", "key-5", "key-6"]);
    assert_eq!(page_numbers(&server, "offset").await, ["2", "4", "6"]);
    assert_eq!(page_numbers(&server, "limit").await, ["2", "2", "2"]);
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_even_if_the_total_says_more() {
    let server = MockServer::start().await;
    let key = |id: &str| json!({"secretID": id, "status": 1});
    Mock::given(method("GET"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": 0, "totalCount": 100, "apiKeyStatusSet": [key("A"), key("B")]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("offset", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": 0, "totalCount": 100, "apiKeyStatusSet": []})),
        )
        .mount(&server)
        .await;
    let client = tencent::Client::builder(tencent::Credentials::new("AKID", "SK"))
        .region("ap-guangzhou")
        .options(options(&server))
        .build()
        .unwrap();
    let keys: Vec<_> = client
        .describe_api_keys_status()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(page_numbers(&server, "offset").await, ["0", "2"]);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"code": 4100, "message": "Authentication failed."})),
        )
        .mount(&server)
        .await;
    let client = tencent::Client::builder(tencent::Credentials::new("AKID", "SK"))
        .region("ap-guangzhou")
        .options(options(&server))
        .build()
        .unwrap();
    let results: Vec<_> = client
        .describe_api_keys_status()
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().code(), Some("4100"));
}
