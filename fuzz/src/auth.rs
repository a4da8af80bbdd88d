//! Targets for `keygate-auth`: each verifier on arbitrary requests, and sign-then-verify
//! round trips through a model of the wire between the SDK and the mock.

use std::str::FromStr;

use arbitrary::Arbitrary;
use http::uri::{Authority, PathAndQuery};
use http::{HeaderMap, HeaderName, HeaderValue};
use keygate_auth::{
    AccessKey, SecretString, SignableRequest, Verified, VerifyError, alibaba, azure, decode_pairs,
    huawei, tencent,
};
use time::OffsetDateTime;

use crate::input::{Blob, Byte, Encode, Encoder, List, Name, Text, Value, Word16, Word64, decode};
use crate::{AK, NOW, SK, lookup};

/// A header as the fuzzer makes it.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Name, usually a known one.
    pub name: Name,
    /// Value; converted lossily where a string is needed.
    pub value: Value,
}

/// A query or form parameter as the fuzzer makes it.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct Param {
    /// Name, usually a known one.
    pub name: Name,
    /// Value; converted lossily to a string.
    pub value: Value,
}

/// Input of the header-signed verifiers: any request at all.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpInput {
    /// HTTP method.
    pub method: Text,
    /// Authority.
    pub host: Text,
    /// Raw path.
    pub path: Text,
    /// Raw query, without `?`.
    pub query: Text,
    /// Headers in wire order.
    pub headers: List<Header>,
    /// Body.
    pub body: Blob,
}

impl HttpInput {
    /// The headers as `keygate-auth` takes them.
    pub fn header_pairs(&self) -> Vec<(String, String)> {
        pairs(&self.headers)
    }

    /// The request `keygate-auth` sees, over `headers` from [`header_pairs`](Self::header_pairs).
    pub fn signable<'a>(&'a self, headers: &'a [(String, String)]) -> SignableRequest<'a> {
        SignableRequest {
            method: &self.method.0,
            host: &self.host.0,
            path: &self.path.0,
            query: &self.query.0,
            headers,
            body: &self.body.0,
        }
    }
}

/// Input of the Tencent verifier: an endpoint and its parameters, given as pairs and as a
/// raw query or form string that goes through `decode_pairs`, as the mock does.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct TencentInput {
    /// HTTP method.
    pub method: Text,
    /// Authority.
    pub host: Text,
    /// Path.
    pub path: Text,
    /// Decoded parameters.
    pub params: List<Param>,
    /// More parameters, still encoded.
    pub wire: Text,
}

/// Input of the bearer parser: an `Authorization` value, or none.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct BearerInput {
    /// Bit 0 set: the header is present.
    pub present: Byte,
    /// The header value.
    pub value: Value,
}

/// Input of the header-signed round trips: what an SDK would sign.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct SignInput {
    /// HTTP method.
    pub method: Text,
    /// Authority.
    pub host: Text,
    /// Raw path.
    pub path: Text,
    /// Raw query, without `?`.
    pub query: Text,
    /// Headers the caller put on the request before signing.
    pub headers: List<Header>,
    /// Body.
    pub body: Blob,
    /// Alibaba's nonce (Huawei's scheme has none).
    pub nonce: Text,
    /// The signer's clock, mapped into the vendor's window around [`NOW`].
    pub clock: Word16,
    /// STS token; empty means permanent credentials.
    pub token: Text,
}

/// Input of the Tencent round trip.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct TencentSignInput {
    /// Bit 0: POST with a form body (else GET with a query); bit 1: HmacSHA256.
    pub flags: Byte,
    /// Authority.
    pub host: Text,
    /// Path, normally `/v2/index.php`.
    pub path: Text,
    /// The call's own parameters.
    pub params: List<Param>,
    /// The signer's clock, mapped into the window around [`NOW`].
    pub clock: Word16,
    /// `Nonce`.
    pub nonce: Word64,
    /// STS token; empty means permanent credentials.
    pub token: Text,
}

fn pairs<T: AsPair>(items: &List<T>) -> Vec<(String, String)> {
    items.0.iter().map(AsPair::pair).collect()
}

/// Headers and parameters both become `(name, value)` strings.
trait AsPair {
    fn pair(&self) -> (String, String);
}

impl AsPair for Header {
    fn pair(&self) -> (String, String) {
        (self.name.0.clone(), self.value.text())
    }
}

impl AsPair for Param {
    fn pair(&self) -> (String, String) {
        (self.name.0.clone(), self.value.text())
    }
}

/// Properties every verdict must have, whatever the input.
///
/// Success can only name the one known key and a time inside the window; failure messages,
/// which the mock echoes to clients, must not carry the secret (unless the input itself
/// did, in which case an echo of the input is no leak).
fn check_verdict(
    result: &Result<Verified, VerifyError>,
    input: &impl std::fmt::Debug,
    window: u64,
) {
    match result {
        Ok(v) => {
            assert_eq!(v.access_key_id, AK, "verified an unknown key");
            assert!(
                NOW.abs_diff(v.timestamp_unix) <= window,
                "verified a timestamp outside the window: {v:?}"
            );
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.contains(SK) || format!("{input:?}").contains(SK),
                "error message leaks the secret: {message}"
            );
        }
    }
}

/// `alibaba::verify` on the input, at [`NOW`].
pub fn alibaba_outcome(input: &HttpInput) -> Result<Verified, VerifyError> {
    let headers = input.header_pairs();
    alibaba::SCHEME.verify_signature(&input.signable(&headers), lookup, NOW)
}

/// `huawei::verify` on the input, at [`NOW`].
pub fn huawei_outcome(input: &HttpInput) -> Result<Verified, VerifyError> {
    let headers = input.header_pairs();
    huawei::SCHEME.verify_signature(&input.signable(&headers), lookup, NOW)
}

/// `tencent::verify` on the input's parameters, at [`NOW`].
pub fn tencent_outcome(input: &TencentInput) -> Result<Verified, VerifyError> {
    let endpoint = tencent::Endpoint {
        method: &input.method.0,
        host: &input.host.0,
        path: &input.path.0,
    };
    let mut params = pairs(&input.params);
    params.extend(decode_pairs(&input.wire.0));
    tencent::verify(
        &endpoint,
        &params,
        lookup,
        NOW,
        tencent::DEFAULT_WINDOW_SECS,
    )
}

/// Target `verify_alibaba`: `alibaba::verify` never panics and its verdicts are sane.
pub fn verify_alibaba(data: &[u8]) {
    let input: HttpInput = decode(data);
    let result = alibaba_outcome(&input);
    check_verdict(&result, &input, alibaba::DEFAULT_WINDOW_SECS);
    if let Ok(v) = &result {
        assert!(v.nonce.as_deref().is_some_and(|n| !n.is_empty()), "{v:?}");
    }
}

/// Target `verify_huawei`: `huawei::verify` and the `APIGW.0301` detail never panic.
pub fn verify_huawei(data: &[u8]) {
    let input: HttpInput = decode(data);
    let result = huawei_outcome(&input);
    check_verdict(&result, &input, huawei::DEFAULT_WINDOW_SECS);
    let headers = input.header_pairs();
    if let Some(detail) =
        keygate_auth::Scheme::mismatch_detail(&huawei::SCHEME, &input.signable(&headers))
    {
        // The detail shows the signed headers (as the gateway does), never the key.
        assert!(!detail.contains(SK) || format!("{input:?}").contains(SK));
        assert!(!detail.contains('\n'), "the detail is one line");
    }
}

/// Target `verify_tencent`: `tencent::verify` never panics and its verdicts are sane.
pub fn verify_tencent(data: &[u8]) {
    let input: TencentInput = decode(data);
    let result = tencent_outcome(&input);
    check_verdict(&result, &input, tencent::DEFAULT_WINDOW_SECS);
}

/// Target `parse_azure_bearer`: the form check never panics, a token it accepts is a
/// single non-blank word of the header, and `authorization_value` gives it back.
pub fn parse_azure_bearer(data: &[u8]) {
    let input: BearerInput = decode(data);
    let text = input.value.text();
    let header = (input.present.0 & 1 == 1).then_some(text.as_str());
    match azure::parse_bearer(header) {
        Ok(token) => {
            assert!(!token.is_empty() && !token.contains(char::is_whitespace));
            assert!(text.contains(token));
            let rebuilt = azure::authorization_value(&SecretString::from(token));
            assert_eq!(
                azure::parse_bearer(Some(rebuilt.expose_secret())),
                Ok(token)
            );
        }
        Err(VerifyError::Missing { .. }) => {
            assert!(header.is_none_or(|h| h.trim().is_empty()));
        }
        Err(VerifyError::Malformed { .. }) => {}
        Err(other) => panic!("a form check cannot fail with {other:?}"),
    }
}

/// What the SDK puts on the wire, or `None` when it could not send the request at all
/// (`reqwest` refuses the method, URL or header): such requests are not round-trip cases.
///
/// The checks are those of the `http` types that both `reqwest` (SDK) and `hyper` (mock)
/// use, so a request that passes them reaches the mock with these exact bytes.
fn sendable(method: &str, host: &str, path: &str, query: Option<&str>) -> bool {
    let target = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let target_ok = PathAndQuery::from_str(&target)
        .is_ok_and(|pq| path.starts_with('/') && pq.path() == path && pq.query() == query);
    // The SDK addresses host[:port] (no userinfo), which the client sends as `Host`.
    let host_ok = Authority::from_str(host).is_ok()
        && !host.contains('@')
        && HeaderValue::from_str(host).is_ok_and(|v| v.to_str().is_ok());
    http::Method::from_bytes(method.as_bytes()).is_ok() && target_ok && host_ok
}

/// The headers as the mock receives them: the caller's, with the signer's set on top the
/// way the SDK's `set_headers` does (replacing every earlier value of the name), then what
/// hyper and keygate-mock make of them (lowercase names, values without surrounding
/// spaces or tabs, lossy UTF-8). `None` when `reqwest` would refuse a header.
fn on_the_wire(
    base: &[(String, String)],
    added: &[(String, String)],
) -> Option<Vec<(String, String)>> {
    let mut map = HeaderMap::new();
    for (n, v) in base {
        // The client sets Host from the URL itself; a caller's copy is not what travels.
        if n.eq_ignore_ascii_case("host") {
            continue;
        }
        map.append(
            HeaderName::from_bytes(n.as_bytes()).ok()?,
            HeaderValue::from_str(v).ok()?,
        );
    }
    for (n, v) in added {
        map.insert(
            HeaderName::from_bytes(n.as_bytes()).ok()?,
            HeaderValue::from_str(v).ok()?,
        );
    }
    Some(
        map.iter()
            .map(|(n, v)| {
                let value = String::from_utf8_lossy(v.as_bytes());
                (
                    n.as_str().to_owned(),
                    value.trim_matches([' ', '\t']).to_owned(),
                )
            })
            .collect(),
    )
}

/// The caller's headers without `host` (see [`on_the_wire`]), as the SDK signs them.
fn base_headers(input: &SignInput) -> Vec<(String, String)> {
    pairs(&input.headers)
        .into_iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
        .collect()
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).expect("NOW plus a window is a valid time")
}

fn token(input: &Text) -> Option<SecretString> {
    (!input.0.is_empty()).then(|| SecretString::from(input.0.as_str()))
}

/// Target `roundtrip_alibaba`: whatever the SDK can send, signed with the known key, the
/// mock's verifier accepts, naming the key, nonce and time it was signed with.
pub fn roundtrip_alibaba(data: &[u8]) {
    let input: SignInput = decode(data);
    let q = &input.query.0;
    if !sendable(&input.method.0, &input.host.0, &input.path.0, Some(q)) {
        return;
    }
    let base = base_headers(&input);
    let sent = SignableRequest {
        method: &input.method.0,
        host: &input.host.0,
        path: &input.path.0,
        query: q,
        headers: &base,
        body: &input.body.0,
    };
    let signed_at = NOW + input.clock.offset_within(alibaba::DEFAULT_WINDOW_SECS);
    let credentials = AccessKey {
        id: AK.to_owned(),
        secret: SK.into(),
        session_token: token(&input.token),
    };
    let date = alibaba::SCHEME.format_date(at(signed_at));
    let added = alibaba::SCHEME.sign_at(&sent, &credentials, &date, &input.nonce.0);
    let Some(wire) = on_the_wire(&base, &added) else {
        return;
    };
    let received = SignableRequest {
        headers: &wire,
        ..sent
    };
    let nonce = input.nonce.0.trim();
    let expected = if nonce.is_empty() {
        // An SDK never sends a blank nonce; the verifier must call it missing, not pass it.
        Err(VerifyError::Missing {
            what: alibaba::NONCE_HEADER,
        })
    } else {
        Ok(Verified {
            access_key_id: AK.to_owned(),
            nonce: Some(nonce.to_owned()),
            timestamp_unix: signed_at,
        })
    };
    assert_eq!(
        alibaba::SCHEME.verify_signature(&received, lookup, NOW),
        expected,
        "{input:#?}"
    );
}

/// Target `roundtrip_huawei`: as [`roundtrip_alibaba`], for SDK-HMAC-SHA256. A caller's own
/// `X-Sdk-Content-Sha256` that is neither the body's hash nor `UNSIGNED-PAYLOAD` must make
/// the signature fail, whatever else.
pub fn roundtrip_huawei(data: &[u8]) {
    let input: SignInput = decode(data);
    let q = &input.query.0;
    if !sendable(&input.method.0, &input.host.0, &input.path.0, Some(q)) {
        return;
    }
    let base = base_headers(&input);
    let sent = SignableRequest {
        method: &input.method.0,
        host: &input.host.0,
        path: &input.path.0,
        query: q,
        headers: &base,
        body: &input.body.0,
    };
    let signed_at = NOW + input.clock.offset_within(huawei::DEFAULT_WINDOW_SECS);
    let credentials = AccessKey {
        id: AK.to_owned(),
        secret: SK.into(),
        session_token: token(&input.token),
    };
    let added = huawei::SCHEME.sign_at(
        &sent,
        &credentials,
        &huawei::SCHEME.format_date(at(signed_at)),
        "",
    );
    let Some(wire) = on_the_wire(&base, &added) else {
        return;
    };
    let received = SignableRequest {
        headers: &wire,
        ..sent
    };
    let body_hash = alibaba::hashed_payload(&input.body.0);
    let declared_ok = received
        .header(huawei::CONTENT_SHA256_HEADER)
        .map(str::trim)
        .is_none_or(|h| h == huawei::UNSIGNED_PAYLOAD || h.eq_ignore_ascii_case(&body_hash));
    let expected = if declared_ok {
        Ok(Verified {
            access_key_id: AK.to_owned(),
            nonce: None,
            timestamp_unix: signed_at,
        })
    } else {
        Err(VerifyError::SignatureMismatch)
    };
    assert_eq!(
        huawei::SCHEME.verify_signature(&received, lookup, NOW),
        expected,
        "{input:#?}"
    );
}

/// Target `roundtrip_tencent`: parameters signed by `tencent::sign`, form-encoded into the
/// query (GET) or body (POST) as the SDK does, decoded as the mock does, verify.
pub fn roundtrip_tencent(data: &[u8]) {
    let input: TencentSignInput = decode(data);
    let post = input.flags.0 & 1 == 1;
    let method = if post { "POST" } else { "GET" };
    let (host, path) = (&input.host.0, &input.path.0);
    if !sendable(method, host, path, None) {
        return;
    }
    let endpoint = tencent::Endpoint { method, host, path };
    let signature_method = if input.flags.0 & 2 == 2 {
        tencent::SignatureMethod::HmacSha256
    } else {
        tencent::SignatureMethod::HmacSha1
    };
    let credentials = AccessKey {
        id: AK.to_owned(),
        secret: SK.into(),
        session_token: token(&input.token),
    };
    let signed_at = NOW + input.clock.offset_within(tencent::DEFAULT_WINDOW_SECS);
    let signed = tencent::sign(
        &endpoint,
        &pairs(&input.params),
        &credentials,
        signed_at,
        input.nonce.0,
        signature_method,
    );
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&signed)
        .finish();
    // A POST with a body is verified over its form, anything else over the query.
    let (query, body) = if post {
        ("", encoded.as_str())
    } else {
        (encoded.as_str(), "")
    };
    assert!(
        sendable(method, host, path, Some(query)),
        "form encoding is URI-safe"
    );
    let received = SignableRequest {
        method,
        host,
        path,
        query,
        headers: &[],
        body: body.as_bytes(),
    };
    let params = tencent::signed_params(&received);
    let expected = Ok(Verified {
        access_key_id: AK.to_owned(),
        nonce: Some(input.nonce.0.to_string()),
        timestamp_unix: signed_at,
    });
    let verdict = tencent::verify(
        &endpoint,
        &params,
        lookup,
        NOW,
        tencent::DEFAULT_WINDOW_SECS,
    );
    assert_eq!(verdict, expected, "{input:#?}");
}

impl Encode for Header {
    fn encode(&self, e: &mut Encoder) {
        self.name.encode(e);
        self.value.encode(e);
    }
}

impl Encode for Param {
    fn encode(&self, e: &mut Encoder) {
        self.name.encode(e);
        self.value.encode(e);
    }
}

impl Encode for HttpInput {
    fn encode(&self, e: &mut Encoder) {
        self.method.encode(e);
        self.host.encode(e);
        self.path.encode(e);
        self.query.encode(e);
        self.headers.encode(e);
        self.body.encode(e);
    }
}

impl Encode for TencentInput {
    fn encode(&self, e: &mut Encoder) {
        self.method.encode(e);
        self.host.encode(e);
        self.path.encode(e);
        self.params.encode(e);
        self.wire.encode(e);
    }
}

impl Encode for BearerInput {
    fn encode(&self, e: &mut Encoder) {
        self.present.encode(e);
        self.value.encode(e);
    }
}

impl Encode for SignInput {
    fn encode(&self, e: &mut Encoder) {
        self.method.encode(e);
        self.host.encode(e);
        self.path.encode(e);
        self.query.encode(e);
        self.headers.encode(e);
        self.body.encode(e);
        self.nonce.encode(e);
        self.clock.encode(e);
        self.token.encode(e);
    }
}

impl Encode for TencentSignInput {
    fn encode(&self, e: &mut Encoder) {
        self.flags.encode(e);
        self.host.encode(e);
        self.path.encode(e);
        self.params.encode(e);
        self.clock.encode(e);
        self.nonce.encode(e);
        self.token.encode(e);
    }
}
