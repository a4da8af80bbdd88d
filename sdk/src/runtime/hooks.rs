//! The bodies of every generated client's progenitor hooks, and its part in the attempt loop.

use keygate_auth::SecretString;
use progenitor_client::{ClientInfo, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::client::ClientState;
use crate::call::{self, Inspection, Sent};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::{signing, wire};

/// `ClientHooks::pre`: the spec's wire rules, then the vendor's own shaping.
// The error type is progenitor's, which `ClientHooks::pre` returns.
#[allow(clippy::result_large_err)]
pub(crate) fn prepare<E>(
    state: &ClientState,
    request: &mut reqwest::Request,
    info: &OperationInfo,
) -> Result<(), progenitor_client::Error<E>> {
    wire::shape(request, wire::operation(state.vendor().operations, info));
    state.prepare(request).map_err(|error| match error {
        Error::InvalidRequest { message } => progenitor_client::Error::InvalidRequest(message),
        other => progenitor_client::Error::Custom(other.to_string()),
    })
}

/// `ClientHooks::exec`: the attempt loop for the operation progenitor is running.
pub(crate) async fn exec(
    client: &impl ClientInfo<ClientState>,
    request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<reqwest::Response> {
    send(client, request, info).await.map(Sent::into_response)
}

/// What generated `send`s call in place of `ClientHooks::exec`: the attempt loop, with the
/// answer as read (decoded from its bytes, not from a `reqwest::Response` rebuilt for
/// progenitor to read again).
pub(crate) async fn send(
    client: &impl ClientInfo<ClientState>,
    request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<Sent> {
    let state = client.inner();
    let operation = wire::operation(state.vendor().operations, info);
    call::execute(client.client(), request, operation, state).await
}

impl call::Vendor for ClientState {
    /// A fresh credential (a provider is asked each time), date, nonce and signature per
    /// attempt, so a retry is never a replay.
    async fn authorize(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let credential = self.credentials().current().await?;
        signing::sign(request, self.scheme(), &credential, signing::fresh)
    }

    fn inspect(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection {
        self.vendor().dialect.inspect(status, headers, body)
    }

    fn secrets(&self) -> Vec<&SecretString> {
        self.credentials().secrets()
    }

    fn retry(&self) -> &RetryPolicy {
        self.retry_policy()
    }
}

/// Runs a generated client's hooks on a request built by hand, then signs it as of `fresh`:
/// for tests that pin a vendor's published signing vectors through the SDK.
#[cfg(test)]
pub(crate) async fn prepared_and_signed(
    client: &impl ClientInfo<ClientState>,
    mut request: reqwest::Request,
    operation_id: &'static str,
    fresh: keygate_auth::Freshness,
) -> reqwest::Request {
    let state = client.inner();
    prepare::<()>(state, &mut request, &OperationInfo { operation_id }).expect("prepared");
    let credential = state.credentials().current().await.expect("a credential");
    signing::sign(&mut request, state.scheme(), &credential, || fresh).expect("signed");
    request
}
