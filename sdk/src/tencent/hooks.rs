//! Common parameters, GET/POST, signing and the in-body error dialect, plugged into
//! progenitor's hooks.

use keygate_auth::SecretString;
use keygate_auth::tencent::{Endpoint, sign};
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

use super::generated::{Client, OPERATIONS};
use super::{ClientState, RequestMethod, dialect};
use crate::call::{self, Inspection};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::{signing, wire};

const FORM: &str = "application/x-www-form-urlencoded";

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        wire::shape(request, wire::operation(OPERATIONS, info));
        request
            .url_mut()
            .query_pairs_mut()
            .append_pair("Region", &self.inner.0.region);
        if self.inner.0.method == RequestMethod::Post {
            let params: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
            request.url_mut().set_query(None);
            *request.method_mut() = Method::POST;
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(FORM));
            *request.body_mut() = Some(form(&params).into());
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

fn form(params: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

impl call::Vendor for ClientState {
    fn retry(&self) -> &RetryPolicy {
        &self.0.retry
    }

    fn authorize(
        &self,
        request: &mut reqwest::Request,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        // The official SDK draws the nonce from 1..2^63-1.
        let nonce = rand::random_range(1..=i64::MAX as u64);
        sign_request(self, request, signing::now().unix_timestamp(), nonce);
        std::future::ready(Ok(()))
    }

    fn inspect(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
        dialect::inspect(status, headers, body)
    }

    fn secrets(&self) -> Vec<&SecretString> {
        let credentials = &self.0.credentials;
        [Some(&credentials.secret_key), credentials.token.as_ref()]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// Adds Timestamp, Nonce, SecretId, SignatureMethod, Token and Signature to the parameters,
/// wherever they travel.
fn sign_request(state: &ClientState, request: &mut reqwest::Request, timestamp: i64, nonce: u64) {
    let is_post = request.method() == Method::POST;
    let params = if is_post {
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .unwrap_or_default();
        keygate_auth::decode_pairs(&String::from_utf8_lossy(body))
    } else {
        request.url().query_pairs().into_owned().collect()
    };
    let host = call::authority(request.url());
    let endpoint = Endpoint {
        method: request.method().as_str(),
        host: &host,
        path: request.url().path(),
    };
    let signed = sign(
        &endpoint,
        &params,
        &state.0.credentials,
        timestamp,
        nonce,
        state.0.signature_method,
    );
    if is_post {
        *request.body_mut() = Some(form(&signed).into());
    } else {
        wire::set_query(request.url_mut(), &signed);
    }
}

#[cfg(test)]
mod tests {
    //! The SDK's requests reproduce vendor-facts 2.3's derived vectors for DescribeApiKeysStatus.

    use super::*;
    use crate::tencent::{Credentials, SignatureMethod};

    async fn signed(method: RequestMethod, signature: SignatureMethod) -> Vec<(String, String)> {
        let client = Client::builder(Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
            "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA",
        ))
        .region("ap-guangzhou")
        .request_method(method)
        .signature_method(signature)
        .build()
        .unwrap();
        let mut request = client
            .client
            .get(format!(
                "{}/v2/index.php#Action=DescribeApiKeysStatus",
                client.baseurl
            ))
            .query(&[
                ("limit", "20"),
                ("offset", "0"),
                ("secretIDs", "AKIDXXXXWKipDlK"),
            ])
            .build()
            .unwrap();
        let info = OperationInfo {
            operation_id: "describe_api_keys_status",
        };
        client.pre::<()>(&mut request, &info).await.unwrap();
        sign_request(&client.inner, &mut request, 1465185768, 11886);
        match method {
            RequestMethod::Get => request.url().query_pairs().into_owned().collect(),
            RequestMethod::Post => keygate_auth::decode_pairs(
                std::str::from_utf8(request.body().unwrap().as_bytes().unwrap()).unwrap(),
            ),
        }
    }

    fn signature(params: &[(String, String)]) -> &str {
        &params.iter().find(|(n, _)| n == "Signature").unwrap().1
    }

    #[tokio::test]
    async fn get_with_hmac_sha256_matches_the_derived_vector() {
        let params = signed(RequestMethod::Get, SignatureMethod::HmacSha256).await;
        assert_eq!(
            signature(&params),
            "kSm87J7E4wqrc1LBMu2xMmFyEc9mZOSjws03Ra4mKso="
        );
    }

    #[tokio::test]
    async fn post_signs_over_post() {
        let get = signed(RequestMethod::Get, SignatureMethod::HmacSha256).await;
        let post = signed(RequestMethod::Post, SignatureMethod::HmacSha256).await;
        assert_eq!(get.len(), post.len());
        assert_ne!(
            signature(&get),
            signature(&post),
            "the method is part of the string to sign"
        );
    }
}
