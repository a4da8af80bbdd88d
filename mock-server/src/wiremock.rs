//! keygate's engine as a [`wiremock::Respond`], for tests that already use wiremock.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::Uri;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::engine::Engine;
use crate::error::StartError;
use crate::log;
use crate::request::MockRequest;

/// Answers every request it is mounted for the way [`MockServer`](crate::MockServer)
/// would: routing, auth, validation and `Prefer` selection included.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use keygate_mock::KeygateResponder;
/// use wiremock::{Mock, MockServer, matchers::any};
///
/// let server = MockServer::start().await;
/// Mock::given(any()).respond_with(KeygateResponder::new()?).mount(&server).await;
/// // `server.uri()` now answers like the four vendors.
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct KeygateResponder {
    engine: Arc<Engine>,
}

impl KeygateResponder {
    /// The embedded specs, auth `presence`.
    pub fn new() -> Result<Self, StartError> {
        Ok(Self::from_engine(Arc::new(Engine::new()?)))
    }

    /// Answers with an engine you configured (auth mode, credentials, specs).
    pub fn from_engine(engine: Arc<Engine>) -> Self {
        Self { engine }
    }
}

impl Respond for KeygateResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let started = Instant::now();
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let uri = target
            .parse::<Uri>()
            .unwrap_or_else(|_| Uri::from_static("/"));
        let mut mock = MockRequest::new(
            request.method.clone(),
            uri,
            request.headers.clone(),
            Bytes::copy_from_slice(&request.body),
        );
        if request.url.scheme() == "https" {
            mock.scheme = http::uri::Scheme::HTTPS;
        }
        let answer = self.engine.answer(&mock);
        log::request(&mock.method, mock.uri.path(), &answer, started.elapsed());
        let response = answer.response;
        let content_type = response
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        // wiremock cannot close a connection: a drop fault sends the internal error instead.
        let mut template = ResponseTemplate::new(response.status.as_u16()).set_delay(answer.delay);
        for (name, value) in &response.headers {
            if name != http::header::CONTENT_TYPE {
                template = template.append_header(name.clone(), value.clone());
            }
        }
        template.set_body_raw(response.body.to_vec(), &content_type)
    }
}
