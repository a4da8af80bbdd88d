//! Bad input over a real socket, one table: each input gets a clear error in the vendor's
//! format (or hyper's bare 4xx where the request cannot be parsed far enough to know the
//! vendor) or a clean close, and the server keeps serving other clients after each.
//!
//! `cargo test -p keygate-mock --test it bad_input -- --nocapture` prints the table as
//! markdown.

use std::time::Duration;

use keygate_mock::{AuthMode, MockServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{ALIBABA_REFS_PATH, HUAWEI_PATH, client};

/// What the server must do with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// This status, and the code field of the body in the vendor's dialect (`""`: no JSON
    /// body, as in hyper's own 400; Alibaba's success says `Ok`, Tencent's `0`).
    Answer(u16, &'static str),
    /// The connection is closed without a byte of response.
    Closed,
}

struct Case {
    input: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
}

const ALIBABA: &[&str] = &[
    "x-acs-action: ListSecretReferences",
    "x-acs-version: 2024-03-27",
];
const CREATE: &[&str] = &["x-acs-action: CreateSecret", "x-acs-version: 2024-03-27"];
const TENCENT: &str = "/v2/index.php?Action=DescribeApiKeysStatus&Region=gz";
const BODY_LIMIT: usize = 64 * 1024;
const HEAD_TIMEOUT: Duration = Duration::from_millis(500);

/// A well-formed HTTP/1.1 request that asks the server to close after answering.
fn request(method: &str, target: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n");
    for header in headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    if !body.is_empty() {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn get(target: &str, headers: &[&str]) -> Vec<u8> {
    request("GET", target, headers, b"")
}

fn raw(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn with_headers(prefix: &[&str], more: &[&str]) -> Vec<String> {
    prefix.iter().chain(more).map(|h| (*h).to_owned()).collect()
}

fn create(headers: &[&str], body: &[u8]) -> Vec<u8> {
    let headers = with_headers(CREATE, headers);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    request("POST", "/v1/secrets", &headers, body)
}

fn alibaba_path(secret: &str) -> String {
    format!("/v1/secrets/{secret}/references")
}

fn framing_cases() -> Vec<Case> {
    let big = "a".repeat(1024 * 1024);
    let many: Vec<String> = (0..200).map(|i| format!("X-H{i}: v")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    vec![
        Case {
            input: "Malformed request line `GARBAGE`",
            bytes: raw("GARBAGE\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Request line without a version",
            bytes: raw("GET /\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Unknown HTTP version `HTTP/9.9`",
            bytes: raw("GET / HTTP/9.9\r\nHost: m\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "NUL byte in the request target",
            bytes: raw("GET /v1/\0 HTTP/1.1\r\nHost: m\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Raw byte 0xFF in the path",
            bytes: b"GET /v1/\xff HTTP/1.1\r\nHost: m\r\n\r\n".to_vec(),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Header line without a colon",
            bytes: raw("GET / HTTP/1.1\r\nHost m\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Space before a header's colon",
            bytes: raw("GET / HTTP/1.1\r\nHost : m\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Control byte 0x01 in a header value",
            bytes: raw("GET / HTTP/1.1\r\nHost: m\r\nX-A: a\u{1}b\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Obsolete header line folding",
            bytes: raw("GET / HTTP/1.1\r\nHost: m\r\nX-A: a\r\n b\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "1 MiB header value",
            bytes: get(HUAWEI_PATH, &[&format!("X-Big: {big}")]),
            expect: Expect::Answer(431, ""),
        },
        Case {
            input: "200 header lines",
            bytes: get(HUAWEI_PATH, &many),
            expect: Expect::Answer(431, ""),
        },
        Case {
            input: "1 MiB request target",
            bytes: get(&format!("{HUAWEI_PATH}?x={big}"), &[]),
            expect: Expect::Answer(431, ""),
        },
        Case {
            input: "`Content-Length: abc`",
            bytes: raw("POST /v1/secrets HTTP/1.1\r\nHost: m\r\nContent-Length: abc\r\n\r\n"),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Two different Content-Length headers",
            bytes: raw(
                "POST /v1/secrets HTTP/1.1\r\nHost: m\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            ),
            expect: Expect::Answer(400, ""),
        },
        Case {
            input: "Content-Length and `Transfer-Encoding: chunked` together: read as chunked, Content-Length dropped (RFC 9112 6.1)",
            bytes: raw(
                "POST /v1/secrets HTTP/1.1\r\nHost: m\r\nConnection: close\r\nx-acs-action: CreateSecret\r\nx-acs-version: 2024-03-27\r\nContent-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            ),
            expect: Expect::Answer(200, "Ok"),
        },
        Case {
            input: "Malformed chunk size",
            bytes: raw(
                "POST /v1/secrets HTTP/1.1\r\nHost: m\r\nx-acs-action: CreateSecret\r\nx-acs-version: 2024-03-27\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            ),
            expect: Expect::Closed,
        },
        Case {
            input: "Body over the limit, declared (Content-Length)",
            bytes: create(
                &["Content-Type: application/json"],
                &vec![b' '; BODY_LIMIT + 1],
            ),
            expect: Expect::Answer(413, "RequestEntityTooLarge"),
        },
        Case {
            input: "Body over the limit, chunked",
            bytes: chunked_create(BODY_LIMIT + 1),
            expect: Expect::Answer(413, "RequestEntityTooLarge"),
        },
    ]
}

fn chunked_create(size: usize) -> Vec<u8> {
    let mut out = b"POST /v1/secrets HTTP/1.1\r\nHost: m\r\nConnection: close\r\nx-acs-action: CreateSecret\r\nx-acs-version: 2024-03-27\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    out.extend_from_slice(format!("{size:x}\r\n").as_bytes());
    out.extend(std::iter::repeat_n(b' ', size));
    out.extend_from_slice(b"\r\n0\r\n\r\n");
    out
}

fn encoding_cases() -> Vec<Case> {
    let huawei_bad_project = HUAWEI_PATH.replacen("77b6a44cba5143ab91d13ab9a8ff44fd", "%FF", 1);
    vec![
        Case {
            input: "Invalid UTF-8 `%FF` in a path parameter (Huawei project_id)",
            bytes: get(&huawei_bad_project, &[]),
            expect: Expect::Answer(400, "APIG.2012"),
        },
        Case {
            input: "Overlong UTF-8 `%C0%AF` in a path parameter (Alibaba secretId)",
            bytes: get(&alibaba_path("a%C0%AFb"), ALIBABA),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "Double-encoded slash `%252F` in a path parameter: decoded once, to `a%2Fb`",
            bytes: get(&alibaba_path("a%252Fb"), ALIBABA),
            expect: Expect::Answer(200, "Ok"),
        },
        Case {
            input: "Invalid UTF-8 `%FF` in a query value (Huawei limit)",
            bytes: get(&format!("{HUAWEI_PATH}?limit=%FF"), &[]),
            expect: Expect::Answer(400, "APIG.2012"),
        },
        Case {
            input: "Overlong `%C0%AF` in a string query value (Tencent searchName)",
            bytes: get(&format!("{TENCENT}&searchName=%C0%AF"), &[]),
            expect: Expect::Answer(200, "4000"),
        },
        Case {
            input: "Invalid UTF-8 in a form body (Tencent POST)",
            bytes: request(
                "POST",
                "/v2/index.php",
                &["Content-Type: application/x-www-form-urlencoded"],
                b"Action=DescribeApiKeysStatus&Region=gz&searchName=\xff",
            ),
            expect: Expect::Answer(200, "4000"),
        },
        Case {
            input: "Double-encoded `%2525` in a query value: decoded once",
            bytes: get(&format!("{TENCENT}&searchName=%2525"), &[]),
            expect: Expect::Answer(200, "0"),
        },
        Case {
            input: "Bad escape `%zz` in an integer query value",
            bytes: get(&format!("{HUAWEI_PATH}?limit=%zz"), &[]),
            expect: Expect::Answer(400, "APIG.2012"),
        },
        Case {
            input: "Path traversal `/v1/secrets/../secrets`",
            bytes: get("/v1/secrets/../secrets", ALIBABA),
            expect: Expect::Answer(404, "InvalidApi.NotFound"),
        },
        Case {
            input: "Path traversal `/v1/secrets/../references` (`..` as secretId)",
            bytes: get("/v1/secrets/../references", ALIBABA),
            expect: Expect::Answer(404, "InvalidApi.NotFound"),
        },
        Case {
            input: "Encoded traversal `/v1/secrets/%2e%2e/references`",
            bytes: get(&alibaba_path("%2e%2e"), ALIBABA),
            expect: Expect::Answer(404, "InvalidApi.NotFound"),
        },
        Case {
            input: "Encoded traversal in Huawei's path (`%2E%2E` as app_id)",
            bytes: get(
                &HUAWEI_PATH.replacen("9ed8b7fe84224de681e7d7a5587e76dc", "%2E%2E", 1),
                &[],
            ),
            expect: Expect::Answer(404, "APIG.0101"),
        },
    ]
}

fn parameter_cases() -> Vec<Case> {
    vec![
        Case {
            input: "Duplicated query parameter `limit=1&limit=2`",
            bytes: get(&format!("{HUAWEI_PATH}?limit=1&limit=2"), &[]),
            expect: Expect::Answer(400, "APIG.2012"),
        },
        Case {
            input: "Duplicated header parameter `x-acs-version`",
            bytes: get(
                ALIBABA_REFS_PATH,
                &[
                    "x-acs-action: ListSecretReferences",
                    "x-acs-version: 2024-03-27",
                    "x-acs-version: 2024-03-27",
                ],
            ),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "Duplicated Tencent parameter (query and form)",
            bytes: request(
                "POST",
                "/v2/index.php?Region=gz&limit=1",
                &["Content-Type: application/x-www-form-urlencoded"],
                b"Action=DescribeApiKeysStatus&limit=2",
            ),
            expect: Expect::Answer(200, "4000"),
        },
        Case {
            input: "Integer beyond i64 `limit=9223372036854775808` (Huawei)",
            bytes: get(&format!("{HUAWEI_PATH}?limit=9223372036854775808"), &[]),
            expect: Expect::Answer(400, "APIG.2012"),
        },
        Case {
            input: "Integer below i64 `offset=-9223372036854775809` (Tencent)",
            bytes: get(&format!("{TENCENT}&offset=-9223372036854775809"), &[]),
            expect: Expect::Answer(200, "4000"),
        },
        Case {
            input: "Integer beyond i32 `pageSize=2147483648` (Alibaba, int32)",
            bytes: get(&format!("{ALIBABA_REFS_PATH}?pageSize=2147483648"), ALIBABA),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "Header value that is not ASCII (`x-acs-version: 2024-03-27ÿ`)",
            bytes: get(
                ALIBABA_REFS_PATH,
                &[
                    "x-acs-action: ListSecretReferences",
                    "x-acs-version: 2024-03-27\u{ff}",
                ],
            ),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "Unknown method `BREW`",
            bytes: request("BREW", ALIBABA_REFS_PATH, ALIBABA, b""),
            expect: Expect::Answer(405, "UnsupportedHTTPMethod"),
        },
    ]
}

fn body_cases() -> Vec<Case> {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    vec![
        Case {
            input: "Wrong content type `text/plain` (Alibaba CreateSecret)",
            bytes: create(&["Content-Type: text/plain"], b"{}"),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "Missing content type with a JSON body",
            bytes: create(&[], b"{}"),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "Wrong content type `application/json` (Tencent POST)",
            bytes: request(
                "POST",
                "/v2/index.php",
                &["Content-Type: application/json"],
                b"{}",
            ),
            expect: Expect::Answer(200, "4000"),
        },
        Case {
            input: "Body that is not JSON `{`",
            bytes: create(&["Content-Type: application/json"], b"{"),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "JSON body that is not UTF-8",
            bytes: create(&["Content-Type: application/json"], b"{\"name\":\"\xff\"}"),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "JSON nested 10,000 deep",
            bytes: create(&["Content-Type: application/json"], deep.as_bytes()),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
        Case {
            input: "JSON of the wrong type (an array)",
            bytes: create(&["Content-Type: application/json"], b"[1]"),
            expect: Expect::Answer(400, "InvalidParameter"),
        },
    ]
}

fn slow_cases() -> Vec<Case> {
    vec![
        Case {
            input: "Slow client: head never finished",
            bytes: raw("GET / HTTP/1.1\r\nHost: m\r\n"),
            expect: Expect::Closed,
        },
        Case {
            input: "Slow client: body never finished (10 of 100 bytes)",
            bytes: raw(
                "POST /v1/secrets HTTP/1.1\r\nHost: m\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":\"x",
            ),
            expect: Expect::Closed,
        },
        Case {
            input: "Connection opened, nothing sent",
            bytes: Vec::new(),
            expect: Expect::Closed,
        },
    ]
}

/// Writes `bytes`, reads until the server closes. The read guard only bounds a broken
/// build; a reset counts as a close.
async fn exchange(s: &MockServer, bytes: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(s.address()).await.expect("connect");
    // The server may answer (and close) before it has read everything: ignore write errors.
    let _ = stream.write_all(bytes).await;
    let mut seen = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(30), read).await;
    seen
}

/// What the bytes say: status and vendor code, or a close.
fn observed(bytes: &[u8]) -> Expect {
    let text = String::from_utf8_lossy(bytes);
    let Some(status) = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse::<u16>().ok())
    else {
        return Expect::Closed;
    };
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let code = match serde_json::from_str::<Value>(body) {
        Err(_) => "",
        Ok(json) => vendor_code(&json),
    };
    Expect::Answer(status, code)
}

/// The code in any of the four dialects (`-` when the body has none).
fn vendor_code(json: &Value) -> &'static str {
    let code = ["/error_code", "/Code", "/error/code", "/code"]
        .iter()
        .find_map(|p| json.pointer(p));
    let text = match code {
        None => return "-",
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    // Leaked on purpose: a handful of short strings per test run, compared as &'static.
    Box::leak(text.into_boxed_str())
}

fn describe(expect: Expect) -> String {
    match expect {
        Expect::Answer(status, "") => format!("{status}, empty body (hyper), connection closed"),
        Expect::Answer(200, "Ok" | "0" | "-") => "200, the documented sample".to_owned(),
        Expect::Answer(200, code) => format!("200 with `code` {code} (Tencent's error form)"),
        Expect::Answer(status, code) => format!("{status} `{code}`"),
        Expect::Closed => "connection closed, no response".to_owned(),
    }
}

#[tokio::test]
async fn every_bad_input_gets_a_clear_answer_or_a_clean_close_and_the_server_stays_up() {
    let s = MockServer::builder()
        .auth(AuthMode::Off)
        .body_limit(BODY_LIMIT)
        .header_read_timeout(HEAD_TIMEOUT)
        .start()
        .await
        .expect("starts");
    let cases = [
        framing_cases(),
        encoding_cases(),
        parameter_cases(),
        body_cases(),
        slow_cases(),
    ];
    let mut failures = Vec::new();
    let mut table = String::from("| Input | Response |\n|---|---|\n");
    for case in cases.iter().flatten() {
        let got = observed(&exchange(&s, &case.bytes).await);
        table.push_str(&format!("| {} | {} |\n", case.input, describe(got)));
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}, got {got:?}",
                case.input, case.expect
            ));
        }
        let healthy = client()
            .get(format!("{}{HUAWEI_PATH}", s.url()))
            .send()
            .await
            .map(|r| r.status().as_u16());
        if !matches!(healthy, Ok(200)) {
            failures.push(format!(
                "{}: the next normal request got {healthy:?}",
                case.input
            ));
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
