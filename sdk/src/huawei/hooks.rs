//! AK/SK signing or the IAM token, and the error dialect, plugged into progenitor's hooks.

use keygate_auth::SecretString;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::generated::{Client, OPERATIONS};
use super::{Auth, ClientState, dialect};
use crate::call::{self, Inspection};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::{signing, wire};

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        wire::shape(request, wire::operation(OPERATIONS, info));
        if let Some(project_id) = &self.inner.0.project_id {
            let value = HeaderValue::from_str(project_id).map_err(|_| {
                progenitor_client::Error::InvalidRequest(
                    "the project id is not a valid header value".into(),
                )
            })?;
            request
                .headers_mut()
                .insert(HeaderName::from_static("x-project-id"), value);
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
        std::future::ready(authorize(self, request, signing::now))
    }

    fn inspect(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
        dialect::inspect(status, headers, body)
    }

    fn secrets(&self) -> Vec<&SecretString> {
        match &self.0.auth {
            Auth::AkSk(credentials) => [
                Some(&credentials.secret_access_key),
                credentials.security_token.as_ref(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            Auth::Token(token) => vec![token],
        }
    }
}

/// `now` is asked only when signing: an IAM token needs no date.
fn authorize(
    state: &ClientState,
    request: &mut reqwest::Request,
    now: impl FnOnce() -> time::OffsetDateTime,
) -> Result<(), Error> {
    match &state.0.auth {
        Auth::Token(token) => {
            let value = signing::secret_header(token)?;
            request
                .headers_mut()
                .insert(HeaderName::from_static("x-auth-token"), value);
            Ok(())
        }
        Auth::AkSk(credentials) => {
            let date = keygate_auth::huawei::format_date(now());
            let added = signing::with_signable(request, |signable| {
                keygate_auth::huawei::sign(signable, credentials, &date)
            });
            signing::set_headers(
                request,
                added,
                &["authorization", keygate_auth::huawei::SECURITY_TOKEN_HEADER],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    //! The SDK's request reproduces vendor-facts 3.3 C (derived vector for ListAiApiKeys).

    use super::*;
    use crate::huawei::Credentials;

    #[tokio::test]
    async fn list_ai_api_keys_matches_the_derived_vector() {
        let client = Client::builder(Credentials::ak_sk(
            "QTWAOYTTINDUT2QVKYUC",
            "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
        ))
        .build()
        .unwrap();
        let mut request = client
            .client
            .get(format!(
                "{}/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys",
                client.baseurl
            ))
            .query(&[("limit", "20"), ("offset", "0")])
            // The vector signs content-type too, as the official SDK sends it even on GET.
            .header("content-type", "application/json")
            .build()
            .unwrap();
        client
            .pre::<()>(
                &mut request,
                &OperationInfo {
                    operation_id: "list_ai_api_keys",
                },
            )
            .await
            .unwrap();
        let date = time::macros::datetime!(2019-11-15 03:36:55 UTC);
        authorize(&client.inner, &mut request, || date).unwrap();
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert_eq!(
            authorization,
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
             Signature=c98ecf1d8d39f82fa64516f098e59b95ffbea551414e4c255c625549adfc3e5d"
        );
    }
}
