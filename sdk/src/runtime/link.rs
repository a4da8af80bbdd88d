//! Following a link the service returned (Azure's `nextLink`), through the same attempt loop,
//! signing and error dialect as the operation it pages.

use progenitor_client::ClientInfo;
use reqwest::header::{ACCEPT, HeaderValue};
use serde::de::DeserializeOwned;

use super::client::ClientState;
use crate::error::Error;
use crate::response::Response;
use crate::wire::Operation;

/// GETs `link` as the next page of `operation`. The link is used as it is (its query already
/// carries what the service needs); it must point at the client's own origin, so that no
/// credential is ever sent elsewhere.
pub(crate) async fn follow_link<T: DeserializeOwned>(
    client: &impl ClientInfo<ClientState>,
    operation: &'static Operation,
    link: String,
) -> Result<Response<T>, Error> {
    let url = same_origin(client.baseurl(), &link)?;
    let page = async move {
        let mut request = client
            .client()
            .get(url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .build()?;
        client
            .inner()
            .prepare(&mut request)
            .map_err(|e| progenitor_client::Error::InvalidRequest(e.to_string()))?;
        let response =
            crate::call::execute(client.client(), request, operation, client.inner()).await?;
        if response.status().is_success() {
            response.decode()
        } else {
            Err(response.unexpected())
        }
    };
    crate::call::run::<T, ()>(operation, Box::pin(page)).await
}

/// `link` as a URL, when it has the scheme, host and port of `base`.
fn same_origin(base: &str, link: &str) -> Result<reqwest::Url, Error> {
    let refuse = |why: &str| Error::InvalidRequest {
        message: format!("the service's link to the next page {why}; it is not followed"),
    };
    let link = reqwest::Url::parse(link).map_err(|_| refuse("is not a URL"))?;
    let base = reqwest::Url::parse(base).map_err(|_| refuse("cannot be checked"))?;
    if link.origin() == base.origin() {
        Ok(link)
    } else {
        Err(refuse(
            "points at another origin than the client's endpoint",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn links_must_stay_on_the_clients_origin() {
        let base = "https://management.azure.com";
        assert!(same_origin(base, "https://management.azure.com/x?%24skip=1").is_ok());
        assert!(same_origin(base, "https://evil.example/x").is_err());
        assert!(same_origin(base, "http://management.azure.com/x").is_err());
        assert!(same_origin(base, "not a url").is_err());
        assert!(same_origin("http://127.0.0.1:4010", "http://127.0.0.1:4010/a").is_ok());
        assert!(same_origin("http://127.0.0.1:4010", "http://127.0.0.1:4011/a").is_err());
    }
}
