//! Typed, signed, retrying clients for the key-management APIs of Alibaba Cloud APIG,
//! Tencent Cloud API Gateway (legacy API 2.0), Huawei Cloud APIG and Azure API Management.
//!
//! Build a client with credentials, call an operation through its builder, and get typed
//! output or one [`Error`] you can match on. This example runs against a tiny local server
//! that answers Huawei's documented sample:
//!
//! ```
//! use futures::TryStreamExt as _;
//! use keygate_sdk::ClientOptions;
//! use keygate_sdk::huawei::{Client, Credentials};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let endpoint = documented_sample_server().await?;
//! let client = Client::builder(Credentials::ak_sk("my-ak", "my-sk"))
//!     .options(ClientOptions::default().endpoint(endpoint)) // omit to call the real service
//!     .build()?;
//!
//! // One page, signed with SDK-HMAC-SHA256 on the way out.
//! let page = client
//!     .list_ai_api_keys()
//!     .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
//!     .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
//!     .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
//!     .limit(20u32)
//!     .send()
//!     .await?;
//! assert_eq!(page.total, Some(2));
//! assert_eq!(page.request_id(), Some("2a7b1c0e5f4d4e3c9b8a7f6e5d4c3b2a"));
//!
//! // Key values are `SecretString`s: they print redacted, `expose_secret()` reads them.
//! let key = page.ai_api_keys[0].ai_api_key.as_ref().unwrap();
//! assert_eq!(format!("{key:?}"), "*** redacted ***");
//! assert_eq!(key.expose_secret(), "GjOD3g80AABu*******8LcCcPZN");
//!
//! // Or every item of every page, fetched as the stream reaches them.
//! let all: Vec<_> = client
//!     .list_ai_api_keys()
//!     .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
//!     .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
//!     .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
//!     .into_stream()
//!     .try_collect()
//!     .await?;
//! assert_eq!(all.len(), 2);
//! # Ok(())
//! # }
//! #
//! # /// Answers every request on 127.0.0.1 with the sample of Huawei's ListAiApiKeys page.
//! # async fn documented_sample_server() -> std::io::Result<String> {
//! #     use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
//! #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! #     let endpoint = format!("http://{}", listener.local_addr()?);
//! #     let body = r#"{"total":2,"size":2,"ai_api_keys":[
//! #         {"ai_api_key":"GjOD3g80AABu*******8LcCcPZN","alias":"test1","id":"32dc8ca22d1b4b9cb94022186880576b"},
//! #         {"ai_api_key":"fdc8d90a301*******13b6f572a","alias":"test2","id":"b3d34f746d0847fb95138670e10207ed"}]}"#;
//! #     tokio::spawn(async move {
//! #         while let Ok((mut socket, _)) = listener.accept().await {
//! #             let mut request = vec![0u8; 16 * 1024];
//! #             let _ = socket.read(&mut request).await;
//! #             let answer = format!(
//! #                 "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: 2a7b1c0e5f4d4e3c9b8a7f6e5d4c3b2a\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
//! #                 body.len()
//! #             );
//! #             let _ = socket.write_all(answer.as_bytes()).await;
//! #         }
//! #     });
//! #     Ok(endpoint)
//! # }
//! ```
//!
//! # Vendors
//!
//! One module per vendor, each behind a cargo feature of the same name (all on by default), so
//! `default-features = false, features = ["huawei"]` compiles one vendor only: its generated
//! client, and of `keygate-auth` only its signing schemes and their crypto (the feature turns on
//! `keygate-auth`'s feature of the same name; SHA-1, say, is compiled only for Tencent):
//!
//! <!-- operations: written from spec/ by the contract tests -->
//! | Module | Operations | Authentication |
//! |---|---|---|
//! | [`alibaba`] | `list_secrets`, `create_secret`, `get_secret`, `update_secret`, `delete_secret`, `list_secret_references`, `get_secret_value` | ACS3-HMAC-SHA256 |
//! | [`azure`] | `subscription_list`, `subscription_get`, `subscription_create_or_update`, `subscription_delete`, `subscription_get_entity_tag`, `subscription_update`, `subscription_regenerate_primary_key`, `subscription_regenerate_secondary_key`, `subscription_list_secrets` | Bearer token |
//! | [`huawei`] | `list_ai_api_keys`, `create_ai_api_key`, `show_details_of_ai_api_key`, `delete_ai_api_key`, `list_app_codes_v2`, `create_app_code_auto_v2`, `create_app_code_v2`, `show_details_of_app_code_v2`, `delete_app_code_v2` | IAM token (X-Auth-Token) or SDK-HMAC-SHA256 |
//! | [`tencent`] | `describe_api_keys_status`, `create_api_key`, `describe_api_key`, `update_api_key`, `enable_api_key`, `disable_api_key`, `delete_api_key` | HmacSHA1/HmacSHA256 (legacy API 2.0) |
//! <!-- /operations -->
//!
//! Each module's `Credentials::from_env` reads the variables the vendor's own SDKs read
//! (the module docs name them).
//!
//! Parameters whose value is fixed by the spec (Tencent's `Action`, Alibaba's `x-acs-action`
//! and `x-acs-version`, Azure's `api-version`) are not builder methods: the SDK sends them.
//!
//! # Calling by name
//!
//! With the `dynamic` feature, `keygate_sdk::dynamic` calls any operation of any vendor by its
//! operationId with JSON arguments keyed by their wire names, through the same typed, signed
//! path: for tools driven by the specs (a command line, contract tests) rather than by code.
//!
//! # One key API
//!
//! With the `inventory` feature, `inventory::KeyInventory` lists, shows, creates, rotates
//! and revokes keys the same way for every vendor client, each in its own scope type, with
//! typed timestamps and rotations that never leave a consumer without a valid key. The
//! `keygate` command line is built on it.
//!
//! # Errors
//!
//! Every call returns [`Result<Response<T>, Error>`](Error). [`Error::Service`] carries the
//! vendor's code and message, the HTTP status and the request id; Tencent's HTTP 200 answers
//! with a non-zero `code` are `Service` errors too. [`Error::Timeout`], [`Error::Transport`],
//! [`Error::Decode`] (an answer that is not the documented JSON; the body itself is never
//! kept), [`Error::InvalidRequest`] and [`Error::Credentials`] cover the rest.
//!
//! Azure guards updates and deletes with ETags: [`Response::etag`] reads one, the builders'
//! `if_match` sends it back, and a stale one is a `Service` error `PreconditionFailed` (412).
//! An error answer to HEAD has no body, so its code is the status's reason (`NotFound`).
//!
//! # Timeouts and retries
//!
//! [`ClientOptions`] sets the endpoint, a connect timeout (10 s) and a per-attempt timeout
//! (30 s), and the [`RetryPolicy`]: by default 3 attempts with exponential back-off and full
//! jitter, honouring `Retry-After`, for throttling, 5xx, timeouts and transport failures, and
//! only for operations safe to repeat: reads (Tencent's also when sent as POST, Azure's
//! read-only `listSecrets` POST) and the writes the vendor makes idempotent (deletes). Never a
//! create, a regenerate, an update without `If-Match`, or a Tencent write. The spec says which
//! (`x-keygate-idempotent`), the table above and each operation's `send` documentation show
//! it. A retry is signed afresh.
//!
//! # Secrets and logs
//!
//! Credentials, tokens and the key values the services return (`secretData`, `secretKey`,
//! `ai_api_key`, `app_code`, `primaryKey`, `secondaryKey`) are [`SecretString`]s, whose `Debug` and `Display` print
//! `*** redacted ***`. Clients, builders, credentials and errors print no secret either, and an
//! error message a service echoes a client's own secret in has it replaced. Each call runs in a
//! `keygate.call` [tracing](https://docs.rs/tracing) span with `vendor`, `operation`, `status`,
//! `request_id`, `attempts` and `duration_ms`.
//!
//! # TLS
//!
//! HTTPS uses rustls with its default aws-lc-rs provider and the platform's root
//! certificates: no OpenSSL, and a C compiler is the only build requirement. Pass your own
//! `reqwest::Client` with [`ClientOptions::http_client`] for custom roots or proxies.
//!
//! # Why the generated code is committed
//!
//! Each vendor's client is generated by progenitor from `spec/<vendor>.yaml` by the workspace
//! crate `keygate-sdk-gen`, and the output is committed as `src/<vendor>/generated.rs` rather
//! than produced by a `build.rs`:
//!
//! - users do not compile progenitor, typify and syn: measured on 2 cores, generating in
//!   `build.rs` adds about 40 s (+63 %) to a clean build;
//! - the generated API is reviewable: a spec change shows up as a diff of the Rust API;
//! - a test (`cargo test -p keygate-sdk-gen`) regenerates every file in memory and fails when
//!   one differs from the spec, so the two cannot drift;
//!   `KEYGATE_REGENERATE=1 cargo test -p keygate-sdk-gen` rewrites them.
//!
//! Before generating, the generator rewrites each spec generically: constant parameters leave
//! the operations for a table the request hook applies, `x-keygate-secret` strings become
//! [`SecretString`], and progenitor's `send` is replaced by one returning this crate's types.
//! It also writes each vendor's client shell (builder, credentials, error dialect, hooks)
//! from the spec, against the small surface documented in [`runtime`]. Signing comes from
//! `keygate-auth`, looked up by the spec's scheme ids; what stays hand-written in a vendor's
//! folder is only what is its own (Tencent's POST form, Huawei's `X-Project-Id`, Azure's ARM
//! headers, each vendor's credential constructors).

// Helpers shared by the vendor modules go unused when only some vendors are compiled in.
#![cfg_attr(
    not(all(
        feature = "alibaba",
        feature = "tencent",
        feature = "huawei",
        feature = "azure"
    )),
    allow(dead_code)
)]

// One module per vendor folder, found by the build script (see `runtime` for what a folder
// holds): `alibaba`, `tencent`, `huawei`, `azure`, each behind the feature of its name.
include!(concat!(env!("OUT_DIR"), "/vendors.rs"));

pub mod runtime;

#[cfg(feature = "dynamic")]
pub mod dynamic;

#[cfg(feature = "inventory")]
pub mod inventory;

mod call;
mod env;
mod error;
mod options;
mod paginate;
mod response;
mod retry;
mod signing;
mod wire;

pub use error::{Error, Result};
pub use keygate_auth::SecretString;
pub use options::ClientOptions;
pub use paginate::Items;
pub use response::Response;
pub use retry::RetryPolicy;
