//! keygate-mock: an offline server that answers like the key-management APIs of Alibaba
//! Cloud APIG, Tencent Cloud's legacy API Gateway, Huawei Cloud APIG and Azure API
//! Management, driven entirely by keygate's OpenAPI specs.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use keygate_mock::{AuthMode, MockServer};
//!
//! // Arrange: all four vendors on one local port, their real paths.
//! let server = MockServer::builder().auth(AuthMode::Off).start().await?;
//!
//! // Act: call Huawei's ListAiApiKeys as a client would.
//! let url = format!(
//!     "{}/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341\
//!      /apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys?limit=20",
//!     server.url()
//! );
//! let response = reqwest::get(&url).await?;
//!
//! // Assert: the documented sample, with a fresh request id in the vendor's header.
//! assert_eq!(response.status(), 200);
//! assert!(response.headers().contains_key("x-request-id"));
//! let body: serde_json::Value = response.json().await?;
//! assert_eq!(body["total"], 2);
//! assert_eq!(body["ai_api_keys"][0]["alias"], "test1");
//!
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # What it does
//!
//! Every request goes through the same pipeline ([`Engine`]): **route** (method and path in
//! a precompiled table; Tencent's `Action` parameter) → **auth** ([`AuthMode`]) →
//! **validate** (parameters and body against the spec) → **select** (the documented 2xx
//! sample, or the one asked for with Prism's `Prefer: code=…, example=…` header or the
//! `__code` / `__example` query parameters). The first stage that objects answers, in the
//! vendor's own error format, from the spec's `x-keygate.errors` templates.
//!
//! Vendor behaviour comes from the specs' `x-keygate` extensions (see `spec/README.md`) and
//! signature checks from `keygate-auth`; the engine itself names no vendor. A plain OpenAPI
//! 3.0 file without `x-keygate` is served too, with defaults in Prism's manner: problem+json
//! errors, a request id in `X-Request-Id`, presence-only auth, and an example made from the
//! schema where a response documents none.
//!
//! # State and admin
//!
//! Operations the specs describe as creating, reading, listing, changing or deleting a
//! resource keep state ([`StateConfig`]: in memory by default, each server its own; in Redis
//! for replicas that share one; off for a pure replay). The admin surface under
//! [`ADMIN_PREFIX`] (`/__keygate/`) resets and dumps that state and reads the [journal of
//! recent requests](JournalEntry); [`MockServer`] has the same as methods
//! ([`reset_state`](MockServer::reset_state), [`state_dump`](MockServer::state_dump),
//! [`journal`](MockServer::journal)). It is open on loopback and needs the admin token
//! elsewhere; see [`AdminAccess`].
//!
//! # Transports
//!
//! - [`MockServer`]: hyper, in-process (`127.0.0.1:0`) or as the `keygate-mock` binary;
//!   plain HTTP, or HTTPS with a self-signed certificate or your own ([`Tls`]).
//! - [`KeygateResponder`]: a `wiremock::Respond` (feature `wiremock`, on by default).
//! - [`Engine::handle`]: bring your own transport.

mod auth;
mod engine;
mod error;
pub mod fault;
mod index;
mod journal;
mod log;
mod render;
mod request;
mod select;
mod server;
mod spec;
mod state;
pub mod testing;
mod text;
mod validate;
#[cfg(feature = "wiremock")]
mod wiremock;

pub use auth::{AuthMode, Credential};
pub use engine::{ADMIN_PREFIX, AdminAccess, Engine, EngineBuilder, REDACTED};
pub use error::StartError;
pub use fault::{Fault, FaultAnswer, FaultError, Faults};
pub use journal::{JOURNAL_CAPACITY, JournalEntry};
pub use request::{MockRequest, MockResponse, Reply};
pub use server::{DEFAULT_MAX_CONNECTIONS, MockServer, MockServerBuilder, Tls};
pub use state::{DEFAULT_NAMESPACE, StateConfig, StateError};
// keygate-spec reads the specs for every keygate crate; its source and error types are the
// mock's own.
pub use keygate_spec::{SpecError, SpecSource};
#[cfg(feature = "wiremock")]
pub use wiremock::KeygateResponder;
