//! Settings every vendor's client shares.

use std::time::Duration;

use crate::error::Error;
use crate::retry::RetryPolicy;

/// Endpoint, timeouts, retries and the HTTP client, for any vendor's `ClientBuilder`.
///
/// ```
/// use std::time::Duration;
/// use keygate_sdk::{ClientOptions, RetryPolicy};
///
/// let options = ClientOptions::default()
///     .endpoint("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::default().with_max_attempts(5));
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub(crate) endpoint: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: String,
    pub(crate) http_client: Option<reqwest::Client>,
}

impl Default for ClientOptions {
    /// The vendor's public endpoint, 10 s to connect, 30 s per attempt, [`RetryPolicy::default`].
    fn default() -> Self {
        Self {
            endpoint: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: concat!("keygate-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
            http_client: None,
        }
    }
}

impl ClientOptions {
    /// Sends requests to `url` (scheme, host, optional port and path stem) instead of the
    /// vendor's public endpoint: a private endpoint, a proxy, or keygate's mock server.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Time allowed to establish a connection (TCP and TLS).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending the request to reading the whole answer.
    /// A call that is retried may take up to `max_attempts` times this, plus the back-off.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When to retry; [`RetryPolicy::none`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses a `reqwest::Client` you configured (proxy, TLS roots, pool). Its own timeouts and
    /// user agent then apply instead of the ones set here.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    pub(crate) fn build_http_client(&self) -> Result<reqwest::Client, Error> {
        if let Some(client) = &self.http_client {
            return Ok(client.clone());
        }
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(&self.user_agent)
            .build()
            .map_err(|e| Error::InvalidRequest {
                message: format!("cannot build the HTTP client: {}", e.without_url()),
            })
    }

    /// The endpoint: the one set here, or `server` with its variables filled in.
    pub(crate) fn base_url(
        &self,
        server: &crate::wire::Server,
        variables: &[(&str, &str)],
    ) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| server.url_with(variables))
    }
}
