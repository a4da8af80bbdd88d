//! One call from `send()` to its result: the attempt loop behind `ClientHooks::exec`, and the
//! mapping of progenitor's result to [`Response`] or [`Error`].
//!
//! progenitor's hooks can only hand back a `reqwest::Response` (from `exec`) or an untyped
//! string error, and progenitor's own error prints raw bodies. So the attempt loop reads each
//! answer itself, in the vendor's dialect, and writes what it found (the failure, the request
//! id, the status) into a record that lives as long as the call: a task-local set up by
//! [`run`]. Then progenitor decodes the success body as usual, and [`run`] builds the
//! result from the record and progenitor's outcome together.

use std::cell::RefCell;
use std::future::Future;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::error::Error;
use crate::response::Response;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::wire::Operation;

tokio::task_local! {
    static CALL: RefCell<Record>;
}

/// What the attempt loop learned about the call.
#[derive(Default)]
struct Record {
    attempts: u32,
    answer: Option<Answer>,
    failure: Option<Error>,
}

/// The last answer's metadata (never its body).
#[derive(Clone)]
struct Answer {
    status: u16,
    length: usize,
    request_id: Option<String>,
    /// The answer's headers, moved here rather than cloned: progenitor's decoder gets the
    /// answer without them (it would only clone them into a value [`finish`] then drops).
    headers: HeaderMap,
}

impl Answer {
    /// The answer's media type, for a decoding error; read only then, from the headers.
    fn content_type(&self) -> Option<String> {
        content_type(&self.headers)
    }
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A vendor's part in the attempt loop.
pub(crate) trait Vendor: Sync {
    /// Adds the credentials to one attempt: a fresh date, nonce and signature each time, so a
    /// retry is never a replay.
    fn authorize(
        &self,
        request: &mut reqwest::Request,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Reads an answer in the vendor's dialect.
    fn inspect(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Inspection;

    /// The client's own secrets, scrubbed from any error message a service echoes back.
    fn secrets(&self) -> Vec<&keygate_auth::SecretString>;

    /// The client's retry policy.
    fn retry(&self) -> &RetryPolicy;
}

/// What a vendor reads from an answer.
#[derive(Debug, Default)]
pub(crate) struct Inspection {
    /// The vendor's error, when the answer is one.
    pub(crate) failure: Option<ServiceFailure>,
    /// The request id, from a header or the body.
    pub(crate) request_id: Option<String>,
}

/// An error answer's code and message.
#[derive(Debug)]
pub(crate) struct ServiceFailure {
    pub(crate) code: String,
    pub(crate) message: String,
    /// Throttling or a vendor internal error that a later attempt may not meet.
    pub(crate) transient: bool,
}

impl ServiceFailure {
    /// An error answer without a body (every answer to HEAD): the status is all the service
    /// said, so its reason phrase, in the vendor's PascalCase, is the code.
    fn of_status(status: StatusCode) -> Self {
        let reason = status.canonical_reason().unwrap_or("Unknown");
        Self {
            code: reason.split([' ', '-']).collect(),
            message: reason.to_owned(),
            transient: false,
        }
    }
}

/// Runs one generated `send`: sets up the call record and the tracing span, and maps the
/// outcome.
///
/// The generated `send` passes progenitor's future boxed: it is several kilobytes, and
/// unboxed it would be copied by every future that wraps it (the task-local scope, the span,
/// this function's own state, the caller's executor).
pub(crate) async fn run<T, E>(
    operation: &'static Operation,
    call: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
) -> Result<Response<T>, Error> {
    let span = tracing::info_span!(
        "keygate.call",
        vendor = operation.vendor,
        operation = operation.id,
        status = Empty,
        request_id = Empty,
        attempts = Empty,
        duration_ms = Empty,
    );
    let started = Instant::now();
    let (result, record) = CALL
        .scope(RefCell::default(), async {
            let result = call.await;
            (result, CALL.with(RefCell::take))
        })
        .instrument(span.clone())
        .await;

    span.record("attempts", record.attempts);
    // Milliseconds with microsecond precision: loopback calls take a few milliseconds.
    span.record(
        "duration_ms",
        (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
    );
    if let Some(answer) = &record.answer {
        span.record("status", answer.status);
        if let Some(id) = &answer.request_id {
            span.record("request_id", id.as_str());
        }
    }
    let outcome = finish(operation, result, record);
    span.in_scope(|| match &outcome {
        Ok(_) => tracing::debug!("call succeeded"),
        Err(error) => tracing::debug!(%error, "call failed"),
    });
    outcome
}

fn finish<T, E>(
    operation: &'static Operation,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
    record: Record,
) -> Result<Response<T>, Error> {
    if let Some(failure) = record.failure {
        return Err(failure);
    }
    let answer = record.answer;
    match result {
        Ok(value) => {
            let status = value.status().as_u16();
            let (headers, request_id) = match answer {
                Some(answer) => (answer.headers, answer.request_id),
                None => (value.headers().clone(), None),
            };
            Ok(Response::new(
                value.into_inner(),
                status,
                headers,
                request_id,
                record.attempts,
            ))
        }
        Err(error) => Err(map_progenitor_error(operation, error, answer)),
    }
}

/// Maps the failures progenitor itself detects. Answers the vendor dialect recognised as
/// errors never get here: [`run`] returns the recorded failure first.
fn map_progenitor_error<E>(
    operation: &'static Operation,
    error: progenitor_client::Error<E>,
    answer: Option<Answer>,
) -> Error {
    use progenitor_client::Error as P;
    let undecodable = |detail: String, length: Option<usize>| {
        let answer = answer.clone().unwrap_or(Answer {
            status: 0,
            length: 0,
            request_id: None,
            headers: HeaderMap::new(),
        });
        Error::Decode {
            vendor: operation.vendor,
            operation: operation.id,
            status: answer.status,
            content_type: answer.content_type(),
            length: length.unwrap_or(answer.length),
            detail,
            request_id: answer.request_id,
        }
    };
    match error {
        P::InvalidRequest(message) | P::Custom(message) => Error::InvalidRequest { message },
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            transport(operation, e)
        }
        P::InvalidResponsePayload(body, e) => {
            undecodable(describe_json_error(&e), Some(body.len()))
        }
        P::ErrorResponse(_) => undecodable(
            "an error status without the vendor's error body".into(),
            None,
        ),
        P::UnexpectedResponse(_) => undecodable("a status the spec does not document".into(), None),
    }
}

/// Timeout or transport failure, without the URL (Tencent's query holds the signature and token).
fn transport(operation: &'static Operation, error: reqwest::Error) -> Error {
    let source = error.without_url();
    if source.is_timeout() {
        Error::Timeout {
            vendor: operation.vendor,
            operation: operation.id,
            source,
        }
    } else {
        Error::Transport {
            vendor: operation.vendor,
            operation: operation.id,
            source,
        }
    }
}

/// Where JSON decoding failed, without serde's message: it can quote the offending value.
fn describe_json_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Io => "the body could not be read",
        Category::Syntax => "the body is not valid JSON",
        Category::Data => "the JSON does not match the documented schema",
        Category::Eof => "the body ends before the JSON does",
    };
    format!("{what} (line {}, column {})", error.line(), error.column())
}

/// The attempt loop: authorize, send, read, retry when the policy and the operation allow,
/// and record the outcome. The answer comes back as read, for generated `send`s to decode
/// directly (`ClientHooks::exec` turns it back into a `reqwest::Response`).
pub(crate) async fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
    operation: &'static Operation,
    vendor: &impl Vendor,
) -> reqwest::Result<Sent> {
    let retry_safe = operation.idempotent;
    let bodiless = request.method() == reqwest::Method::HEAD;
    let policy = vendor.retry();
    let mut attempt = 0;
    // The request as progenitor built it, kept for the attempts after this one.
    let mut original = Some(request);
    loop {
        attempt += 1;
        with_record(|r| r.attempts = attempt);
        // Clone only when another attempt may follow; the last one (the only one, when
        // retries are off or the operation is not safe to repeat) takes the original.
        let may_retry = retry_safe && attempt < policy.max_attempts();
        let mut this_attempt = match original.take() {
            Some(request) if may_retry => {
                let copy = request
                    .try_clone()
                    .expect("progenitor buffers request bodies, so requests can be cloned");
                original = Some(request);
                copy
            }
            Some(request) => request,
            None => unreachable!("the last attempt returns"),
        };
        if let Err(error) = vendor.authorize(&mut this_attempt).await {
            with_record(|r| r.failure = Some(error));
            return Ok(Sent::placeholder());
        }
        let sent = match send_and_read(http, this_attempt).await {
            Ok(sent) => sent,
            Err(error) => {
                if retry_safe && let Some(delay) = policy.delay_before(attempt, None) {
                    tracing::debug!(
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        timeout = error.is_timeout(),
                        "retrying after a transport failure"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
                return Err(error);
            }
        };
        let mut inspection = vendor.inspect(sent.status, &sent.headers, &sent.body);
        if bodiless && !sent.status.is_success() {
            inspection.failure = Some(ServiceFailure::of_status(sent.status));
        }
        if let Some(failure) = &mut inspection.failure {
            crate::signing::scrub(&mut failure.message, &vendor.secrets());
        }
        let transient = is_transient_status(sent.status)
            || inspection.failure.as_ref().is_some_and(|f| f.transient);
        if transient && retry_safe {
            let retry_after = sent
                .headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            if let Some(delay) = policy.delay_before(attempt, retry_after) {
                tracing::debug!(
                    attempt,
                    status = sent.status.as_u16(),
                    delay_ms = delay.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(delay).await;
                continue;
            }
        }
        let mut sent = sent;
        record_answer(operation, &mut sent, inspection);
        return Ok(sent);
    }
}

/// Writes the answer's metadata (moving its headers), and its failure if it is one, into the
/// call record.
fn record_answer(operation: &'static Operation, sent: &mut Sent, inspection: Inspection) {
    let mut answer = Answer {
        status: sent.status.as_u16(),
        length: sent.body.len(),
        request_id: inspection.request_id,
        headers: HeaderMap::new(),
    };
    let failure = match inspection.failure {
        Some(failure) => Some(Error::Service {
            vendor: operation.vendor,
            operation: operation.id,
            status: answer.status,
            code: failure.code,
            message: failure.message,
            request_id: answer.request_id.clone(),
        }),
        None if !sent.status.is_success() => Some(Error::Decode {
            vendor: operation.vendor,
            operation: operation.id,
            status: answer.status,
            content_type: content_type(&sent.headers),
            length: answer.length,
            detail: "an error status without the vendor's error body".into(),
            request_id: answer.request_id.clone(),
        }),
        None => None,
    };
    // Outside `run` (never, for generated calls) there is no record: the headers stay.
    let _ = CALL.try_with(|record| {
        answer.headers = std::mem::take(&mut sent.headers);
        let mut record = record.borrow_mut();
        record.failure = failure;
        record.answer = Some(answer);
    });
}

fn with_record(f: impl FnOnce(&mut Record)) {
    // Outside `run` (never, for generated calls) there is no record to write to.
    let _ = CALL.try_with(|record| f(&mut record.borrow_mut()));
}

/// 408, 429 and the 5xx statuses a later attempt may not meet.
fn is_transient_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// A fully read answer.
pub(crate) struct Sent {
    status: StatusCode,
    version: reqwest::Version,
    headers: HeaderMap,
    body: Bytes,
}

/// What generated `send`s do with an answer where progenitor's would read a
/// `reqwest::Response` again: the same results, from the bytes already read.
impl Sent {
    /// The status, which the generated code matches on.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The body as JSON, as `ResponseValue::from_response` decodes it.
    // The error type is progenitor's, which the generated `send`s return.
    #[allow(clippy::result_large_err)]
    pub(crate) fn decode<T: DeserializeOwned, E>(
        self,
    ) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(inner) => Ok(ResponseValue::new(inner, self.status, self.headers)),
            Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(
                self.body, e,
            )),
        }
    }

    /// No body, as `ResponseValue::empty`.
    pub(crate) fn empty(self) -> ResponseValue<()> {
        ResponseValue::new((), self.status, self.headers)
    }

    /// A status the spec does not document, as progenitor reports it.
    pub(crate) fn unexpected<E>(self) -> progenitor_client::Error<E> {
        progenitor_client::Error::UnexpectedResponse(self.into_response())
    }

    /// What `exec` returns when the call failed before anything was sent; [`run`] returns
    /// the recorded error instead of whatever progenitor makes of this.
    fn placeholder() -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            version: reqwest::Version::HTTP_11,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// The answer again as a `reqwest::Response`, for `ClientHooks::exec` (which generated
    /// `send`s do not call) and for an undocumented status (which the SDK reports without
    /// reading it). It carries reqwest's placeholder URL: keeping the request's URL would
    /// cost every call a copy.
    pub(crate) fn into_response(self) -> reqwest::Response {
        let mut builder = http::Response::builder()
            .status(self.status)
            .version(self.version);
        if let Some(headers) = builder.headers_mut() {
            *headers = self.headers;
        }
        reqwest::Response::from(
            builder
                .body(self.body)
                .expect("status and version came from a response"),
        )
    }
}

async fn send_and_read(http: &reqwest::Client, request: reqwest::Request) -> reqwest::Result<Sent> {
    let mut response = http.execute(request).await?;
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(Sent {
        status,
        version,
        headers,
        body,
    })
}
