//! The bearer token, ARM's request headers and error dialect, plugged into progenitor's hooks.

use keygate_auth::SecretString;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::generated::{Client, OPERATIONS};
use super::{ClientState, Source, dialect};
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
        // ARM rejects a bodyless POST without a length (411); hyper would send none.
        if request.body().is_none() && request.method() != Method::GET {
            request
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        // One id for all attempts of the call, so ARM's logs tie the retries together.
        let client_request_id = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .expect("a UUID is a valid header value");
        request.headers_mut().insert(
            HeaderName::from_static("x-ms-client-request-id"),
            client_request_id,
        );
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

    async fn authorize(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let token = self.0.credentials.token().await?;
        let value = signing::secret_header(&keygate_auth::azure::authorization_value(&token))?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }

    fn inspect(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
        dialect::inspect(status, headers, body)
    }

    fn secrets(&self) -> Vec<&SecretString> {
        match &self.0.credentials.0 {
            Source::Static(token) => vec![token],
            Source::Provider(_) => Vec::new(),
        }
    }
}
