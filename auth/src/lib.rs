//! Request signing and signature verification for every vendor keygate speaks.
//!
//! The SDK signs with this crate and the mock server verifies with the very same
//! canonicalization code, so the two cannot drift apart. Everything here is pure: no I/O, no
//! clock, no randomness (times and nonces are inputs), no async.
//!
//! Callers look a [`Scheme`] up by the id a spec's security scheme names in `x-keygate-auth`
//! (this example needs the `huawei` feature):
//!
//! ```
//! # #[cfg(feature = "huawei")] {
//! use keygate_auth::{AccessKey, Credential, Freshness, SecretString, SignableRequest, VerifyError};
//!
//! let scheme = keygate_auth::scheme("huawei-sdk-hmac-sha256").expect("a known id");
//! let credential = Credential::AccessKey(AccessKey::new("AK", "SK"));
//! let now = 1_767_225_600; // the caller's clock
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
//! let signed = scheme.sign(&request, &credential, Freshness { now_unix: now, nonce: 7 })?;
//! let sent_headers = [headers.clone(), signed.headers].concat();
//!
//! // Mock side: the same view of the received request, and a key store lookup.
//! let received = SignableRequest { headers: &sent_headers, ..request };
//! let lookup = |ak: &str| (ak == "AK").then(|| SecretString::from("SK"));
//! let verified = scheme.verify(&received, &lookup, now)?.expect("a signature to check");
//! assert_eq!(verified.access_key_id, "AK");
//!
//! // A tampered query fails.
//! let tampered = SignableRequest { query: "limit=500&offset=0", ..received };
//! assert_eq!(scheme.verify(&tampered, &lookup, now), Err(VerifyError::SignatureMismatch));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Schemes ([`SCHEMES`]): [`alibaba`] (ACS3-HMAC-SHA256), [`tencent`] (legacy API 2.0
//! HmacSHA1/256), [`huawei`] (SDK-HMAC-SHA256 and the IAM token), [`azure`] (bearer header
//! form). Each module also exports its algorithm's pure functions and constants, which the
//! vector tests pin; the two header-signing schemes share one implementation of the
//! canonical-request algorithm and differ only in its dialect.
//!
//! # Features
//!
//! One cargo feature per scheme family, named after its vendor; all are on by default. A build
//! compiles only the schemes whose features are on, and only their crypto, so that a client of
//! one vendor does not compile the others' (the SDK turns on the feature of each vendor it
//! compiles). [`SCHEMES`] and [`scheme`] know only the schemes compiled in.
//!
//! | Feature | Schemes | Brings |
//! |---|---|---|
//! | `alibaba` | [`alibaba`]: `alibaba-acs3-hmac-sha256` | [`HeaderHmacScheme`]; `sha2`, `hmac`, `hex`, `time` |
//! | `tencent` | [`tencent`]: `tencent-legacy-hmac` | `sha1`, `sha2`, `hmac`, `base64` |
//! | `huawei` | [`huawei`]: `huawei-sdk-hmac-sha256`, `huawei-token` | [`HeaderHmacScheme`], [`TokenScheme`]; `sha2`, `hmac`, `hex`, `time` |
//! | `azure` | [`azure`]: `azure-bearer` | [`TokenScheme`]; no crypto |
//!
//! The credential, request and error types, and the [`Scheme`] interface, are always there.
//!
//! Secrets live in [`SecretString`], which prints [`REDACTED`]; errors ([`VerifyError`],
//! [`SignError`]) never carry secret keys, tokens or signatures.

#[cfg(feature = "alibaba")]
pub mod alibaba;
#[cfg(feature = "azure")]
pub mod azure;
#[cfg(feature = "huawei")]
pub mod huawei;
#[cfg(feature = "tencent")]
pub mod tencent;

// `Presence::Bearer` checks the header form whichever schemes are compiled in; only `azure`
// re-exports the module's functions.
#[cfg_attr(not(feature = "azure"), allow(unreachable_pub, dead_code))]
mod bearer;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
mod canonical;
#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
mod checks;
mod credential;
#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
mod crypto;
mod error;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
mod header_hmac;
mod request;
mod scheme;
mod secret;
#[cfg(any(feature = "huawei", feature = "azure"))]
mod token;
mod verified;

pub use credential::{AccessKey, Credential, CredentialKind};
pub use error::VerifyError;
#[cfg(any(feature = "alibaba", feature = "huawei"))]
pub use header_hmac::HeaderHmacScheme;
pub use request::{SignableRequest, decode_pairs};
pub use scheme::{Carrier, Freshness, Presence, Scheme, SecretLookup, SignError, Signed};
pub use secret::{REDACTED, SecretString};
#[cfg(any(feature = "huawei", feature = "azure"))]
pub use token::TokenScheme;
pub use verified::Verified;

/// Every scheme compiled in (see the crate's features).
pub static SCHEMES: &[&dyn Scheme] = &[
    #[cfg(feature = "alibaba")]
    &alibaba::SCHEME,
    #[cfg(feature = "tencent")]
    &tencent::SCHEME,
    #[cfg(feature = "huawei")]
    &huawei::SCHEME,
    #[cfg(feature = "huawei")]
    &huawei::TOKEN_SCHEME,
    #[cfg(feature = "azure")]
    &azure::SCHEME,
];

/// The ids of [`SCHEMES`], in the same order: a `const` context cannot ask a scheme its id.
pub const SCHEME_IDS: &[&str] = &[
    #[cfg(feature = "alibaba")]
    alibaba::SCHEME_ID,
    #[cfg(feature = "tencent")]
    tencent::SCHEME_ID,
    #[cfg(feature = "huawei")]
    huawei::SCHEME_ID,
    #[cfg(feature = "huawei")]
    huawei::TOKEN_SCHEME_ID,
    #[cfg(feature = "azure")]
    azure::SCHEME_ID,
];

/// The scheme a spec's `x-keygate-auth` names, if this crate implements it and its feature is
/// on.
pub fn scheme(id: &str) -> Option<&'static dyn Scheme> {
    SCHEMES.iter().copied().find(|scheme| scheme.id() == id)
}

/// Whether [`scheme`] finds `id`, at compile time: the SDK fails to build, rather than to
/// sign, when a vendor it compiles names a scheme whose feature is off.
pub const fn is_compiled(id: &str) -> bool {
    let mut i = 0;
    while i < SCHEME_IDS.len() {
        if bytes_eq(SCHEME_IDS[i].as_bytes(), id.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

/// `==` on byte slices, which is not `const`.
const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn scheme_ids_list_the_schemes() {
        let ids: Vec<&str> = super::SCHEMES.iter().map(|s| s.id()).collect();
        assert_eq!(ids, super::SCHEME_IDS);
        for id in &ids {
            assert!(super::is_compiled(id), "{id}");
            assert!(!super::is_compiled(&id[1..]), "{id}");
            assert!(!super::is_compiled(&format!("{id}x")), "{id}");
        }
        assert!(!super::is_compiled(""));
    }

    #[test]
    fn scheme_ids_are_unique() {
        for (i, a) in super::SCHEMES.iter().enumerate() {
            for b in &super::SCHEMES[i + 1..] {
                assert_ne!(a.id(), b.id());
            }
        }
    }
}
