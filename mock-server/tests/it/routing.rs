//! Unknown paths and wrong methods, in the vendor's format where the path says which.

use keygate_mock::AuthMode;

use crate::common::{AZURE_PATH, HUAWEI_PATH, client, json_of, server};

#[tokio::test]
async fn unknown_path_under_a_vendor_prefix_is_that_vendors_404() {
    let s = server(AuthMode::Off).await;
    let response = client()
        .get(format!("{}{HUAWEI_PATH}/nope/nope", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 404);
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(json_of(response).await["error_code"], "APIG.0101");
    let response = client()
        .get(format!("{}/v1/secrets/a/b/c/d", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 404);
    assert_eq!(json_of(response).await["Code"], "InvalidApi.NotFound");
}

#[tokio::test]
async fn unknown_path_outside_every_spec_gets_the_mocks_own_404() {
    let s = server(AuthMode::Off).await;
    let response = client()
        .get(format!("{}/nothing/here", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 404);
    let body = json_of(response).await;
    assert_eq!(body["code"], "route-not-found");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("GET /nothing/here")
    );
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let s = server(AuthMode::Off).await;
    let response = client()
        .get(format!("{}{AZURE_PATH}?api-version=2024-05-01", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    assert_eq!(json_of(response).await["error"]["code"], "MethodNotAllowed");
    let response = client()
        .delete(format!("{}/v2/index.php", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");
    assert_eq!(json_of(response).await["code"], 4000);
}
