//! Request signing and signature verification for every vendor keygate speaks.
//!
//! The SDK signs with this crate and the mock server verifies with the very same
//! canonicalization code, so the two cannot drift apart. Everything here is pure: no I/O, no
//! clock, no randomness (times and nonces are inputs), no async.
//!
//! ```
//! use keygate_auth::{SignableRequest, SecretString, VerifyError, huawei};
//!
//! let credentials = huawei::HuaweiCredentials {
//!     access_key_id: "AK".to_owned(),
//!     secret_access_key: SecretString::from("SK"),
//!     security_token: None,
//! };
//! let now = 1_767_225_600; // the caller's clock
//! let date = huawei::format_date(time::OffsetDateTime::from_unix_timestamp(now)?);
//!
//! // SDK side: describe the request exactly as it will go on the wire, then add the headers.
//! let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
//! let request = SignableRequest {
//!     method: "GET",
//!     host: "apig.cn-north-4.myhuaweicloud.com",
//!     path: "/v2/p/apigw/instances/i/apps/a/ai-api-keys",
//!     query: "limit=20&offset=0",
//!     headers: &headers,
//!     body: b"",
//! };
//! let sent_headers = [headers.clone(), huawei::sign(&request, &credentials, &date)].concat();
//!
//! // Mock side: the same view of the received request, and a key store lookup.
//! let received = SignableRequest { headers: &sent_headers, ..request };
//! let lookup = |ak: &str| (ak == "AK").then(|| SecretString::from("SK"));
//! let verified = huawei::verify(&received, lookup, now)?;
//! assert_eq!(verified.access_key_id, "AK");
//!
//! // A tampered query fails.
//! let tampered = SignableRequest { query: "limit=500&offset=0", ..received };
//! assert_eq!(huawei::verify(&tampered, lookup, now), Err(VerifyError::SignatureMismatch));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Modules: [`alibaba`] (ACS3-HMAC-SHA256), [`tencent`] (legacy API 2.0 HmacSHA1/256),
//! [`huawei`] (SDK-HMAC-SHA256), [`azure`] (bearer header form). Each exports its algorithm
//! constants and `DEFAULT_WINDOW_SECS`; the header-signed schemes share the RFC 3986
//! canonicalization described on [`alibaba::canonical_request`].
//!
//! Secrets live in [`SecretString`], which prints [`REDACTED`]; errors ([`VerifyError`])
//! never carry secret keys, tokens or signatures.

pub mod alibaba;
pub mod azure;
pub mod huawei;
pub mod tencent;

mod canonical;
mod checks;
mod crypto;
mod error;
mod request;
mod secret;
mod verified;

pub use error::VerifyError;
pub use request::{SignableRequest, decode_pairs};
pub use secret::{REDACTED, SecretString};
pub use verified::Verified;
