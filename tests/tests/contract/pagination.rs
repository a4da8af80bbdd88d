//! Pagination end to end: the SDK's item streams walk a listing that the mock serves page by
//! page, and stop at the total the service reports (or at an empty page), or follow the next
//! links the mock writes until there is none.

use std::sync::Arc;

use futures::TryStreamExt as _;
use keygate_contract_tests::{examples, specs};
use keygate_mock::KeygateResponder;
use keygate_sdk::{ClientOptions, RetryPolicy, azure};
use serde_json::Value;
use wiremock::matchers::any;

use crate::sdk_calls::{self, Target};

/// A wiremock server answering with keygate's engine, so the test can count the requests.
async fn counting_mock() -> wiremock::MockServer {
    let engine = sdk_calls::verifying_engine().build().expect("engine");
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(any())
        .respond_with(KeygateResponder::from_engine(Arc::new(engine)))
        .mount(&server)
        .await;
    server
}

/// The items of the documented sample of `operation`, as JSON, in order: the one example of
/// a 2xx response that holds the items (error examples sharing the status, as Tencent's, hold
/// none).
fn documented_items(vendor: &str, operation: &str) -> Vec<Value> {
    let spec = specs::for_vendor(vendor);
    let op = examples::operations(spec)
        .into_iter()
        .find(|op| op.id() == operation)
        .expect("operation");
    let pointer = keygate_spec::ext::OperationExt::read(op.value)
        .expect("readable extensions")
        .pagination
        .expect("a paged operation")
        .items;
    let listings: Vec<Vec<Value>> = examples::responses(spec, &op)
        .into_iter()
        .filter(|(status, _)| status.starts_with('2'))
        .flat_map(|(status, response)| examples::content_examples(spec, status, response))
        .flat_map(|(_, examples)| examples)
        .filter_map(|example| example.value.pointer(&pointer)?.as_array().cloned())
        .collect();
    match <[_; 1]>::try_from(listings) {
        Ok([items]) => items,
        Err(listings) => panic!(
            "{operation}: expected one documented listing, found {}",
            listings.len()
        ),
    }
}

fn json<T: serde::Serialize>(items: Vec<T>) -> Vec<Value> {
    items
        .into_iter()
        .map(|item| serde_json::to_value(item).unwrap())
        .collect()
}

async fn requests_seen(server: &wiremock::MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

#[tokio::test]
async fn huawei_stream_fetches_one_page_per_item_and_stops_at_the_total() {
    let server = counting_mock().await;
    let target = Target::new(server.uri());
    let items = target
        .huawei()
        .list_ai_api_keys()
        .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .limit(1u32)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .expect("every page");
    let documented = documented_items("huawei", "ListAiApiKeys");
    assert_eq!(json(items), documented);
    assert_eq!(
        requests_seen(&server).await,
        documented.len(),
        "one request per page, none past the total"
    );
}

#[tokio::test]
async fn tencent_stream_walks_offsets_as_get_and_as_post() {
    for post in [false, true] {
        let server = counting_mock().await;
        let method = if post { "POST" } else { "GET" };
        let target = Target::new(server.uri()).with_variant(&[("method", method)]);
        let items = target
            .tencent()
            .describe_api_keys_status()
            .limit(1u64)
            .into_stream()
            .try_collect::<Vec<_>>()
            .await
            .expect("every page");
        let documented = documented_items("tencent", "DescribeApiKeysStatus");
        assert_eq!(json(items), documented, "post: {post}");
        assert_eq!(
            requests_seen(&server).await,
            documented.len(),
            "post: {post}"
        );
    }
}

#[tokio::test]
async fn alibaba_stream_stops_at_an_empty_page_when_the_total_over_reports() {
    // The documented sample reports totalSize 25 but lists one reference.
    let server = counting_mock().await;
    let target = Target::new(server.uri());
    let items = target
        .alibaba()
        .list_secret_references()
        .secret_id("sec-d5e6shmm1hkoxxxxxxxx")
        .page_size(1u32)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .expect("every page");
    assert_eq!(
        json(items),
        documented_items("alibaba", "ListSecretReferences")
    );
    assert_eq!(
        requests_seen(&server).await,
        2,
        "the first page, then the empty second page"
    );
}

#[tokio::test]
async fn azure_stream_follows_the_mocks_next_links_one_item_a_page() {
    let server = counting_mock().await;
    let client = azure::Client::builder(azure::Credentials::bearer("keygate-contract-token"))
        .options(
            ClientOptions::default()
                .endpoint(server.uri())
                .retry_policy(RetryPolicy::none()),
        )
        .build()
        .expect("azure client");
    let items = client
        .subscription_list()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .top(1u32)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .expect("every page");
    let documented = documented_items("azure", "Subscription_List");
    assert_eq!(json(items), documented);
    // The mock's links carry `$top` on and move `$skip` one item further each page.
    let windows: Vec<_> = server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .map(|r| (query_value(r, "$skip"), query_value(r, "$top")))
        .collect();
    let expected: Vec<_> = (0..documented.len())
        .map(|i| ((i > 0).then(|| i.to_string()), Some("1".to_owned())))
        .collect();
    assert_eq!(
        windows, expected,
        "one page per item, each from the previous page's link, none after the last"
    );
}

/// A query parameter of a received request, decoded.
fn query_value(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn huawei_app_codes_stream_fetches_one_page_per_item() {
    let server = counting_mock().await;
    let target = Target::new(server.uri());
    let items = target
        .huawei()
        .list_app_codes_v2()
        .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
        .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
        .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
        .limit(1u32)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .expect("every page");
    let documented = documented_items("huawei", "ListAppCodesV2");
    assert_eq!(json(items), documented);
    assert_eq!(
        requests_seen(&server).await,
        documented.len(),
        "one request per page, none past the total"
    );
}
