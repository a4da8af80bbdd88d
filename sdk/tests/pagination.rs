//! Paged list operations as lazy item streams: every item, in order, and no request beyond the
//! last page needed; next links followed as the service wrote them, on the client's origin only.

mod common;

use common::*;
use futures::{StreamExt as _, TryStreamExt as _};
use keygate_sdk::{Error, alibaba, azure, huawei, tencent};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Serves an Alibaba listing of `total` items made by `item`, `size` per page, and nothing
/// past the last page.
async fn alibaba_pages(total: usize, size: usize, item: fn(usize) -> Value) -> MockServer {
    let server = MockServer::start().await;
    for page in 1..=total.div_ceil(size) {
        let items: Vec<_> = ((page - 1) * size..(page * size).min(total))
            .map(item)
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

/// A ListSecretReferences item.
fn reference(i: usize) -> Value {
    json!({"gatewayId": format!("gw-{i}"), "resourceType": "Plugin"})
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
    let server = alibaba_pages(25, 10, reference).await;
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
    let server = alibaba_pages(25, 10, reference).await;
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

/// Serves a Huawei listing of `total` items made by `item` under `items`, `limit` per page,
/// and nothing past the last offset.
async fn huawei_pages(total: u64, limit: u64, items: &str, item: fn(u64) -> Value) -> MockServer {
    let server = MockServer::start().await;
    for offset in (0..total).step_by(limit as usize) {
        let page: Vec<_> = (offset..(offset + limit).min(total)).map(item).collect();
        Mock::given(method("GET"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "total": total, "size": page.len(), items: page
            })))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn offset_style_starts_at_the_builders_offset() {
    let ai_api_key = |i| json!({"id": format!("key-{i}"), "ai_api_key": "masked****"});
    let server = huawei_pages(7, 2, "ai_api_keys", ai_api_key).await;
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

#[tokio::test]
async fn alibaba_list_secrets_walks_page_numbers_and_stops_at_the_total_size() {
    // 20 secrets, 10 a page: the second page is full, so only totalSize can end the stream
    // (a third request would find no mock and fail the stream).
    let secret = |i| json!({"secretId": format!("sec-{i}"), "name": format!("s{i}")});
    let server = alibaba_pages(20, 10, secret).await;
    let secrets: Vec<_> = alibaba_client(&server)
        .list_secrets()
        .page_size(10u32)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = secrets
        .iter()
        .map(|s| s.secret_id.clone().unwrap())
        .collect();
    assert_eq!(ids, (0..20).map(|i| format!("sec-{i}")).collect::<Vec<_>>());
    assert_eq!(page_numbers(&server, "pageNumber").await, ["1", "2"]);
    assert_eq!(page_numbers(&server, "pageSize").await, ["10", "10"]);
}

#[tokio::test]
async fn huawei_list_app_codes_walks_offsets_and_stops_at_the_total() {
    // 6 AppCodes, 2 a page: the last page is full, so only the total ends the stream.
    let app_code = |i| json!({"id": format!("code-{i}"), "app_code": format!("value-{i}")});
    let server = huawei_pages(6, 2, "app_codes", app_code).await;
    let codes: Vec<_> = huawei::Client::builder(huawei::Credentials::iam_token("T"))
        .options(options(&server))
        .build()
        .unwrap()
        .list_app_codes_v2()
        .project_id("p")
        .instance_id("i")
        .app_id("a")
        .limit(2u32)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = codes.iter().map(|c| c.id.clone().unwrap()).collect();
    assert_eq!(
        ids,
        ["code-0", "code-1", "code-2", "code-3", "code-4", "code-5"]
    );
    assert_eq!(
        codes[5].app_code.as_ref().unwrap().expose_secret(),
        "value-5"
    );
    assert_eq!(page_numbers(&server, "offset").await, ["0", "2", "4"]);
    assert_eq!(page_numbers(&server, "limit").await, ["2", "2", "2"]);
}

/// Azure's Subscription_List path for the nil subscription, rg1 and apimService1.
const AZURE_LIST: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions";

/// One Subscription_List page: the named subscriptions, and `next_link` when there is one.
fn azure_page(names: &[&str], next_link: Option<String>) -> ResponseTemplate {
    let value: Vec<_> = names.iter().map(|name| json!({"name": name})).collect();
    let mut body = json!({"value": value, "count": 3});
    if let Some(link) = next_link {
        body["nextLink"] = json!(link);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// Mounts the first page (the request without `$skiptoken`) on `server`, answered once: a
/// stream that came back to it would fail rather than loop.
async fn azure_first_page(server: &MockServer, next_link: String) {
    Mock::given(method("GET"))
        .and(path(AZURE_LIST))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(azure_page(&["sub-0", "sub-1"], Some(next_link)))
        .up_to_n_times(1)
        .mount(server)
        .await;
}

/// Every subscription of the listing, as results, the stream run to its end.
async fn azure_stream(server: &MockServer) -> Vec<Result<String, Error>> {
    let client = azure::Client::builder(azure::Credentials::bearer("azure-token"))
        .options(options(server))
        .build()
        .unwrap();
    client
        .subscription_list()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .top(2u32)
        .into_stream()
        .map_ok(|subscription| subscription.name.unwrap())
        .collect()
        .await
}

#[tokio::test]
async fn azure_stream_follows_the_next_link_exactly_as_the_service_wrote_it() {
    let server = MockServer::start().await;
    // An opaque token and no `$top`: nothing the SDK could build from the builder.
    let next = format!("{AZURE_LIST}?api-version=2024-05-01&%24skiptoken=opaque123");
    azure_first_page(&server, format!("{}{next}", server.uri())).await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "opaque123"))
        .respond_with(azure_page(&["sub-2"], None))
        .mount(&server)
        .await;

    let names: Vec<_> = azure_stream(&server)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["sub-0", "sub-1", "sub-2"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "the page without nextLink is the last");
    let second = &requests[1].url;
    assert_eq!(
        format!("{}?{}", second.path(), second.query().unwrap()),
        next
    );
    for request in &requests {
        assert_eq!(header(request, "authorization"), "Bearer azure-token");
    }
}

#[tokio::test]
async fn azure_stream_refuses_a_next_link_to_another_origin() {
    let server = MockServer::start().await;
    // The other origin is a second listener, so that any request sent there is counted.
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(azure_page(&["stolen"], None))
        .mount(&elsewhere)
        .await;
    let link = format!(
        "{}{AZURE_LIST}?api-version=2024-05-01&%24skip=2",
        elsewhere.uri()
    );
    azure_first_page(&server, link).await;

    let results = azure_stream(&server).await;
    assert_eq!(results.len(), 3, "the first page's items, then the refusal");
    assert_eq!(results[0].as_ref().unwrap(), "sub-0");
    assert_eq!(results[1].as_ref().unwrap(), "sub-1");
    let error = results[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert_eq!(request_count(&server).await, 1);
    assert_eq!(
        request_count(&elsewhere).await,
        0,
        "no request, no token, elsewhere"
    );
}

#[tokio::test]
async fn azure_stream_ends_with_the_service_error_of_a_linked_page() {
    let server = MockServer::start().await;
    let next = format!(
        "{}{AZURE_LIST}?api-version=2024-05-01&%24skiptoken=t",
        server.uri()
    );
    azure_first_page(&server, next).await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "t"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "error": {"code": "AuthorizationFailed", "message": "No read access."}
        })))
        .mount(&server)
        .await;

    let results = azure_stream(&server).await;
    assert_eq!(results.len(), 3, "the first page's items, then the error");
    assert_eq!(results[1].as_ref().unwrap(), "sub-1");
    match results[2].as_ref().unwrap_err() {
        Error::Service {
            vendor,
            operation,
            status,
            code,
            message,
            ..
        } => {
            assert_eq!(
                (*vendor, *operation, *status),
                ("azure", "Subscription_List", 403)
            );
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("AuthorizationFailed", "No read access.")
            );
        }
        other => panic!("expected the service's error, got {other:?}"),
    }
    assert_eq!(request_count(&server).await, 2);
}
