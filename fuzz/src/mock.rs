//! Targets for `keygate-mock`'s engine, called in-process through [`Engine::handle`]: no
//! socket, so every execution goes straight to routing, query and path decoding, auth,
//! parameter and body validation, Tencent `Action` dispatch and rendering.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use arbitrary::Arbitrary;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use keygate_mock::{AuthMode, Credential, Engine, MockRequest, MockResponse, SpecSource};

use crate::auth::{Header, Param};
use crate::input::{Blob, Byte, Encode, Encoder, List, OTHER, Text, Value, decode};
use crate::{AK, SK};

/// Path segments of the served operations, offered as one-byte choices so that routes are
/// reached at once and the fuzzer spends its time past the router.
pub const KNOWN_SEGMENTS: &[&str] = &[
    "",
    "v1",
    "secrets",
    "sec-d5e6shmm1hkoxxxxxxxx",
    "references",
    "v2",
    "index.php",
    "77b6a44cba5143ab91d13ab9a8ff44fd",
    "apigw",
    "instances",
    "eddc4d25480b4cd6b512f270a1b8b341",
    "apps",
    "9ed8b7fe84224de681e7d7a5587e76dc",
    "ai-api-keys",
    "subscriptions",
    "00000000-0000-0000-0000-000000000000",
    "resourceGroups",
    "rg1",
    "providers",
    "Microsoft.ApiManagement",
    "service",
    "apimService1",
    "sub1",
    "listSecrets",
    "..",
    ".",
    "%2F",
    "%00",
    "%FF",
    "a%20b",
];

/// A path segment: one of [`KNOWN_SEGMENTS`] or any bytes (escaped where a URI forbids them).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Segment(pub Vec<u8>);

impl<'a> Arbitrary<'a> for Segment {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let tag = u.bytes(1).map_or(0, |b| b[0]);
        Ok(Self(match KNOWN_SEGMENTS.get(usize::from(tag)) {
            Some(known) => known.as_bytes().to_vec(),
            None => Blob::arbitrary(u)?.0,
        }))
    }
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        String::from_utf8_lossy(&self.0).fmt(f)
    }
}

impl Encode for Segment {
    fn encode(&self, e: &mut Encoder) {
        match KNOWN_SEGMENTS.iter().position(|k| k.as_bytes() == self.0) {
            Some(i) => e.byte(u8::try_from(i).expect("fewer than 255 known segments")),
            None => {
                e.byte(OTHER);
                Blob(self.0.clone()).encode(e);
            }
        }
    }
}

/// Input of `mock_request`: any request to any path.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct MockInput {
    /// Bits 0-1: auth mode (0 off, 1 presence, 2-3 verify); bit 2: answer as if the body
    /// were over the transport's limit; bit 3: send `?` even with no parameters.
    pub mode: Byte,
    /// HTTP method.
    pub method: Text,
    /// Path segments, joined with `/` after a leading `/`.
    pub path: List<Segment>,
    /// Query parameters, written `name=value` without further encoding.
    pub query: List<Param>,
    /// Headers; those the `http` types refuse are dropped, as a server would never see them.
    pub headers: List<Header>,
    /// Body.
    pub body: Blob,
}

/// Input of `mock_tencent_form`: a POST to Tencent's `/v2/index.php`.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct TencentFormInput {
    /// As [`MockInput::mode`].
    pub mode: Byte,
    /// `Content-Type`; empty means none.
    pub content_type: Value,
    /// Query parameters (Tencent also reads `Action` from there).
    pub query: List<Param>,
    /// Form parameters, form-encoded into the body.
    pub form: List<Param>,
    /// Raw bytes appended to the encoded form.
    pub tail: Blob,
    /// More headers.
    pub headers: List<Header>,
}

/// Statuses of the engine's built-in answers, for kinds a spec has no template for
/// (`render::builtin_template`).
const BUILTIN_STATUSES: [u16; 8] = [400, 401, 404, 405, 413, 415, 429, 500];

/// Largest response the engine may give: error bodies echo at most 256 characters per
/// placeholder, and samples are small documented bodies, whatever the request size.
const MAX_RESPONSE_BODY: usize = 64 * 1024;

/// Every status the engine can answer with: the documented responses' codes, the
/// `x-keygate.errors` templates' statuses, and the built-in ones.
pub fn producible_statuses() -> &'static BTreeSet<u16> {
    static STATUSES: OnceLock<BTreeSet<u16>> = OnceLock::new();
    STATUSES.get_or_init(|| {
        let mut set = BTreeSet::from(BUILTIN_STATUSES);
        // The embedded specs, read here too to learn every status they document.
        for source in SpecSource::embedded() {
            let doc: serde_yaml::Value =
                serde_yaml::from_str(source.text()).expect("the embedded specs parse");
            collect_statuses(&doc, &mut set);
        }
        set
    })
}

fn collect_statuses(node: &serde_yaml::Value, set: &mut BTreeSet<u16>) {
    use serde_yaml::Value as Y;
    match node {
        Y::Mapping(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    (Some("responses"), Y::Mapping(codes)) => {
                        set.extend(codes.keys().filter_map(|k| {
                            k.as_str()
                                .and_then(|s| s.parse().ok())
                                .or_else(|| k.as_u64().and_then(|n| u16::try_from(n).ok()))
                        }))
                    }
                    (Some("errors"), Y::Mapping(templates)) => set.extend(
                        templates
                            .values()
                            .filter_map(|t| t.get("status")?.as_u64())
                            .filter_map(|n| u16::try_from(n).ok()),
                    ),
                    _ => {}
                }
                collect_statuses(child, set);
            }
        }
        Y::Sequence(items) => items.iter().for_each(|c| collect_statuses(c, set)),
        _ => {}
    }
}

thread_local! {
    /// One engine per auth mode and thread, built once: building parses and indexes every
    /// spec. Per thread, because each input resets the state the engine keeps.
    static ENGINES: [Engine; 3] = build_engines();
}

fn build_engines() -> [Engine; 3] {
    let build = |auth| Engine::builder().auth(auth);
    let off = build(AuthMode::Off).build().expect("engine, auth off");
    // A test credential for every vendor (token vendors simply never look theirs up).
    let verify = off.vendors().fold(build(AuthMode::Verify), |b, vendor| {
        b.credential(Credential::new(vendor, AK, SK))
    });
    [
        off,
        build(AuthMode::Presence)
            .build()
            .expect("engine, auth presence"),
        verify.build().expect("engine, auth verify"),
    ]
}

/// Runs `f` on the engine for `mode`, its state back at the documented samples: an input's
/// answer never depends on the inputs before it, so every crash reproduces from its file.
fn with_fresh_engine<T>(mode: u8, f: impl FnOnce(&Engine) -> T) -> T {
    ENGINES.with(|engines| {
        let engine = &engines[usize::from(mode & 3).min(2)];
        let reset = std::pin::pin!(engine.reset_state(None));
        // The in-memory store never waits, so one poll finishes the reset.
        match reset.poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(done) => done.expect("the in-memory state resets"),
            Poll::Pending => panic!("the in-memory state reset waited"),
        }
        f(engine)
    })
}

/// Percent-escapes what a request target may not carry raw (controls, space, non-ASCII,
/// `#`), leaving everything else, `%` included, for the fuzzer to play with.
fn escape(raw: &[u8], also: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for &b in raw {
        if (0x21..0x7f).contains(&b) && b != b'#' && !also.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn query_string(params: &List<Param>, force: bool) -> String {
    let joined = params
        .0
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                escape(p.name.0.as_bytes(), b""),
                escape(&p.value.0, b"")
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    if joined.is_empty() && !force {
        String::new()
    } else {
        format!("?{joined}")
    }
}

fn header_map(headers: &List<Header>) -> HeaderMap {
    let mut map = HeaderMap::new();
    for h in &headers.0 {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(h.name.0.as_bytes()),
            HeaderValue::from_bytes(&h.value.0),
        ) {
            map.append(n, v);
        }
    }
    map
}

/// Asks the engine and checks its answer. `None` when the `http` types refuse the method or
/// target: no transport could deliver such a request to the engine.
fn ask(
    mode: u8,
    method: &[u8],
    target: &str,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Option<MockResponse> {
    let method = Method::from_bytes(method).ok()?;
    let uri: Uri = target.parse().ok()?;
    let request = MockRequest::new(method, uri, headers, Bytes::from(body));
    let response = with_fresh_engine(mode, |engine| {
        if mode & 4 == 4 {
            engine.payload_too_large(&request)
        } else {
            engine.handle(&request)
        }
    });
    check_response(&response);
    Some(response)
}

/// What every answer must be: a status the specs or the engine define, a bounded body, and
/// valid JSON whenever it says it is JSON.
fn check_response(response: &MockResponse) {
    let status = response.status.as_u16();
    assert!(
        producible_statuses().contains(&status),
        "status {status} is neither documented nor built in: {response:?}"
    );
    assert!(
        response.body.len() <= MAX_RESPONSE_BODY,
        "{} byte body",
        response.body.len()
    );
    let json = response
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|essence| essence == "application/json" || essence.ends_with("+json"));
    if json
        && !response.body.is_empty()
        && let Err(e) = serde_json::from_slice::<serde_json::Value>(&response.body)
    {
        panic!("JSON response is not JSON ({e}): {response:?}");
    }
}

/// The engine's answer to a [`MockInput`], checked; `None` when it cannot be sent.
pub fn mock_outcome(input: &MockInput) -> Option<MockResponse> {
    let path: String = input
        .path
        .0
        .iter()
        .map(|s| format!("/{}", escape(&s.0, b"?")))
        .collect();
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        path
    };
    let target = path + &query_string(&input.query, input.mode.0 & 8 == 8);
    ask(
        input.mode.0,
        input.method.0.as_bytes(),
        &target,
        header_map(&input.headers),
        input.body.0.clone(),
    )
}

/// The engine's answer to a [`TencentFormInput`], checked; `None` when it cannot be sent.
pub fn tencent_form_outcome(input: &TencentFormInput) -> Option<MockResponse> {
    let target = format!(
        "/v2/index.php{}",
        query_string(&input.query, input.mode.0 & 8 == 8)
    );
    let mut headers = header_map(&input.headers);
    if !input.content_type.0.is_empty()
        && let Ok(v) = HeaderValue::from_bytes(&input.content_type.0)
    {
        headers.insert(http::header::CONTENT_TYPE, v);
    }
    let form: Vec<(String, String)> = input
        .form
        .0
        .iter()
        .map(|p| (p.name.0.clone(), p.value.text()))
        .collect();
    let mut body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&form)
        .finish()
        .into_bytes();
    body.extend_from_slice(&input.tail.0);
    ask(input.mode.0, b"POST", &target, headers, body)
}

/// Target `mock_request`: any request, never a panic, always a status the engine defines.
pub fn mock_request(data: &[u8]) {
    let input: MockInput = decode(data);
    let _ = mock_outcome(&input);
}

/// Target `mock_tencent_form`: Tencent's POST form, `Action` dispatch included.
pub fn mock_tencent_form(data: &[u8]) {
    let input: TencentFormInput = decode(data);
    let _ = tencent_form_outcome(&input);
}

impl Encode for MockInput {
    fn encode(&self, e: &mut Encoder) {
        self.mode.encode(e);
        self.method.encode(e);
        self.path.encode(e);
        self.query.encode(e);
        self.headers.encode(e);
        self.body.encode(e);
    }
}

impl Encode for TencentFormInput {
    fn encode(&self, e: &mut Encoder) {
        self.mode.encode(e);
        self.content_type.encode(e);
        self.query.encode(e);
        self.form.encode(e);
        self.tail.encode(e);
        self.headers.encode(e);
    }
}
