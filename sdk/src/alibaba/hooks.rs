//! Signing and the error dialect, plugged into progenitor's hooks.

use keygate_auth::SecretString;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use super::generated::{Client, OPERATIONS};
use super::{ClientState, dialect};
use crate::call::{self, Inspection};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::{signing, wire};

/// The content type Alibaba's SDKs send with JSON bodies (and sign).
const JSON: &str = "application/json; charset=utf-8";

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        wire::shape(request, wire::operation(OPERATIONS, info));
        if request.body().is_some() {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        call::exec(self, OPERATIONS, request, info).await
    }
}

impl call::Vendor for ClientState {
    fn retry(&self) -> &RetryPolicy {
        &self.0.retry
    }

    fn authorize(
        &self,
        request: &mut reqwest::Request,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let date = keygate_auth::alibaba::format_date(signing::now());
        std::future::ready(sign(self, request, &date, &signing::hex_nonce()))
    }

    fn inspect(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
        dialect::inspect(status, headers, body)
    }

    fn secrets(&self) -> Vec<&SecretString> {
        let credentials = &self.0.credentials;
        [
            Some(&credentials.access_key_secret),
            credentials.security_token.as_ref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

fn sign(
    state: &ClientState,
    request: &mut reqwest::Request,
    date: &str,
    nonce: &str,
) -> Result<(), Error> {
    let added = signing::with_signable(request, |signable| {
        keygate_auth::alibaba::sign(signable, &state.0.credentials, date, nonce)
    });
    signing::set_headers(
        request,
        added,
        &[
            "authorization",
            keygate_auth::alibaba::SECURITY_TOKEN_HEADER,
        ],
    )
}

#[cfg(test)]
mod tests {
    //! The SDK's requests reproduce vendor-facts 1.3 C (derived vectors for our two operations).

    use super::*;
    use crate::alibaba::{Credentials, types};

    const DATE: &str = "2026-01-07T00:00:00Z";
    const NONCE: &str = "3156853299f313e23d1673dc12e1703d";

    fn client() -> Client {
        Client::builder(Credentials::new("YourAccessKeyId", "YourAccessKeySecret"))
            .build()
            .unwrap()
    }

    async fn signed(
        client: &Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Request {
        client
            .pre::<()>(&mut request, &OperationInfo { operation_id })
            .await
            .unwrap();
        sign(&client.inner, &mut request, DATE, NONCE).unwrap();
        request
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
            .client
            .post(format!("{}/v1/secrets", client.baseurl))
            .json(&body)
            .build()
            .unwrap();
        let request = signed(&client, request, "create_secret").await;
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
            .client
            .get(format!(
                "{}/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references",
                client.baseurl
            ))
            .query(&[("pageNumber", "1"), ("pageSize", "10")])
            .build()
            .unwrap();
        let request = signed(&client, request, "list_secret_references").await;
        assert_eq!(
            signature(&request),
            "d9f0e63f2bbef4ed15d79dc676357070c9e81d8ec7029bd30287828f9f52e66e"
        );
    }
}
