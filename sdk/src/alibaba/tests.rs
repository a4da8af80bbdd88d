//! The SDK's requests reproduce vendor-facts 1.3 C (derived vectors for the two seed
//! operations), through the runtime's hooks and keygate-auth's scheme.

use keygate_auth::Freshness;
use progenitor_client::ClientInfo as _;

use super::{Client, Credentials, types};

/// 2026-01-07T00:00:00Z and the nonce `3156853299f313e23d1673dc12e1703d`.
const FRESH: Freshness = Freshness {
    now_unix: 1_767_744_000,
    nonce: 0x3156_8532_99f3_13e2_3d16_73dc_12e1_703d,
};

fn client() -> Client {
    Client::builder(Credentials::new("YourAccessKeyId", "YourAccessKeySecret"))
        .build()
        .unwrap()
}

fn signature(request: &reqwest::Request) -> &str {
    let authorization = request.headers()["authorization"].to_str().unwrap();
    authorization.rsplit_once("Signature=").unwrap().1
}

#[tokio::test]
async fn create_secret_matches_the_derived_vector() {
    let client = client();
    let body: types::CreateSecretRequest = types::CreateSecretRequest::builder()
        .name(types::CreateSecretRequestName::try_from("my_secret").unwrap())
        .secret_data(keygate_auth::SecretString::from("apikey-123456xxxxxxxx"))
        .try_into()
        .unwrap();
    let request = client
        .client()
        .post(format!("{}/v1/secrets", client.baseurl()))
        .json(&body)
        .build()
        .unwrap();
    let request =
        crate::runtime::prepared_and_signed(&client, request, "create_secret", FRESH).await;
    assert_eq!(
        request.url().as_str(),
        "https://apig.cn-hangzhou.aliyuncs.com/v1/secrets"
    );
    assert_eq!(
        signature(&request),
        "5a525f7a2cba2eac80b7a8d9ddec2298b787bc51086bbad9d6ab6fb8f77d9ad6"
    );
}

#[tokio::test]
async fn list_secret_references_matches_the_derived_vector() {
    let client = client();
    let request = client
        .client()
        .get(format!(
            "{}/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references",
            client.baseurl()
        ))
        .query(&[("pageNumber", "1"), ("pageSize", "10")])
        .build()
        .unwrap();
    let request =
        crate::runtime::prepared_and_signed(&client, request, "list_secret_references", FRESH)
            .await;
    assert_eq!(
        signature(&request),
        "d9f0e63f2bbef4ed15d79dc676357070c9e81d8ec7029bd30287828f9f52e66e"
    );
}
