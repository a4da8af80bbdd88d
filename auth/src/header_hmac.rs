//! The canonical-request HMAC-SHA256 schemes that sign headers (Alibaba ACS3, Huawei
//! SDK-HMAC), written once: each vendor is one [`HeaderHmacScheme`] value naming its dialect.
//!
//! Both hash a canonical request (method, canonical URI, canonical query, the signed headers,
//! the payload hash), HMAC a string to sign with the raw secret, and send
//! `Authorization: <algorithm> <key field>=<id>, SignedHeaders=a;b, Signature=<hex>`. They
//! differ in the details the dialect names: which headers are signed, how repeated headers
//! are written, whether the URI ends in `/`, whether the date is in the string to sign.

use std::borrow::Cow;

use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;

use crate::canonical::{
    HeaderView, canonical_path_into, canonical_query_into, names_to_sign, push_joined,
    signed_header_values,
};
use crate::checks;
use crate::credential::{AccessKey, Credential, CredentialKind};
use crate::crypto::{
    EMPTY_SHA256_HEX, hmac_sha256_hex, hmac_sha256_hex_matches, push_hmac_sha256_hex,
    push_sha256_hex, sha256_hex,
};
use crate::error::VerifyError;
use crate::request::SignableRequest;
use crate::scheme::{self, Freshness, Presence, Scheme, SecretLookup, SignError, Signed};
use crate::secret::SecretString;
use crate::verified::Verified;

/// What a vendor's signature-mismatch message shows of the server's computation.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MismatchDetail {
    /// The string to sign (Alibaba's `SignatureDoesNotMatch`).
    #[cfg(feature = "alibaba")]
    StringToSign,
    /// The canonical request with `|` for newlines (Huawei's `APIGW.0301`).
    #[cfg(feature = "huawei")]
    PipedCanonicalRequest,
}

impl Scheme for HeaderHmacScheme {
    fn id(&self) -> &'static str {
        self.id
    }

    fn label(&self) -> &'static str {
        self.algorithm
    }

    fn credential_kind(&self) -> CredentialKind {
        CredentialKind::AccessKey
    }

    fn presence(&self) -> &Presence {
        &self.presence
    }

    fn window_secs(&self) -> u64 {
        self.window_secs
    }

    fn verify(
        &self,
        request: &SignableRequest<'_>,
        lookup: SecretLookup<'_>,
        now_unix: i64,
    ) -> Result<Option<Verified>, VerifyError> {
        self.verify_signature(request, lookup, now_unix).map(Some)
    }

    fn mismatch_detail(&self, request: &SignableRequest<'_>) -> Option<String> {
        let canonical = self.received_canonical_request(request)?;
        Some(match self.mismatch {
            #[cfg(feature = "alibaba")]
            MismatchDetail::StringToSign => self.string_to_sign("", &canonical),
            #[cfg(feature = "huawei")]
            MismatchDetail::PipedCanonicalRequest => canonical.replace('\n', "|"),
        })
    }

    /// The date from `fresh.now_unix`; the nonce, where the dialect sends one, as 32
    /// lowercase hex characters (what Alibaba's official SDKs send).
    fn sign(
        &self,
        request: &SignableRequest<'_>,
        credential: &Credential,
        fresh: Freshness,
    ) -> Result<Signed, SignError> {
        let key = scheme::access_key(self.id, credential)?;
        let date = self.format_date(checks::at(fresh.now_unix));
        // Only a dialect that sends a nonce gets one written.
        let nonce = match self.nonce_header {
            Some(_) => format!("{:032x}", fresh.nonce),
            None => String::new(),
        };
        Ok(Signed {
            headers: self.sign_owned(request, key, date, &nonce),
            secret_headers: self.secret_headers,
            params: None,
        })
    }
}

/// A header-signing scheme: how one vendor writes the shared algorithm.
#[derive(Debug)]
pub struct HeaderHmacScheme {
    /// The `x-keygate-auth` id.
    pub(crate) id: &'static str,
    /// Fields `Authorization` must carry for the credential to count as present.
    pub(crate) presence: Presence,
    /// What the vendor shows when a signature does not match.
    pub(crate) mismatch: MismatchDetail,
    /// Opens the `Authorization` value and the string to sign.
    pub(crate) algorithm: &'static str,
    /// The `Authorization` field naming the key id (`Credential`, `Access`).
    pub(crate) key_field: &'static str,
    /// Between `Authorization` fields (`,` or `, `); parsing accepts either.
    pub(crate) field_separator: &'static str,
    /// The signed request-time header.
    pub(crate) date_header: &'static str,
    /// Its layout.
    pub(crate) date: DateLayout,
    /// The per-request nonce header, for schemes that send one.
    pub(crate) nonce_header: Option<&'static str>,
    /// The declared payload hash header.
    pub(crate) content_hash_header: &'static str,
    /// Signing sends the payload hash header (and so signs it).
    pub(crate) sends_content_hash: bool,
    /// The payload hash value that leaves the body unsigned, where the scheme has one.
    pub(crate) unsigned_payload: Option<&'static str>,
    /// The STS token header.
    pub(crate) token_header: &'static str,
    /// Headers whose values must not show in debug output: the signature and the token.
    pub(crate) secret_headers: &'static [&'static str],
    /// Headers (lowercase) signing covers besides `host`, when the request carries them.
    pub(crate) signs: fn(&str) -> bool,
    /// Headers (lowercase) a verifiable request must have signed, besides the date and nonce.
    pub(crate) must_sign: &'static [&'static str],
    /// The canonical URI always ends in `/` (Huawei).
    pub(crate) trailing_slash: bool,
    /// A repeated header gives one line per value (Huawei) instead of one comma-joined line.
    pub(crate) header_line_per_value: bool,
    /// The date is a line of the string to sign (Huawei).
    pub(crate) date_in_string_to_sign: bool,
    /// How far the date may lie from the server's clock.
    pub(crate) window_secs: u64,
}

/// A UTC timestamp layout, with or without separators.
#[derive(Debug)]
pub(crate) struct DateLayout {
    /// `-` in `2023-10-26T10:22:32Z`, empty in `20191115T033655Z`.
    pub(crate) date_separator: &'static str,
    /// `:` in `10:22:32`, empty in `033655`.
    pub(crate) time_separator: &'static str,
    /// The same layout for parsing.
    pub(crate) parse: &'static [BorrowedFormatItem<'static>],
    /// Its name, for messages.
    pub(crate) name: &'static str,
}

impl DateLayout {
    /// `at` in this layout, in UTC.
    pub(crate) fn format(&self, at: OffsetDateTime) -> String {
        // Digits pushed one by one: the formatting machinery costs more than the date.
        let t = at.to_offset(time::UtcOffset::UTC);
        let (d, s) = (self.date_separator, self.time_separator);
        // `YYYYMMDDTHHMMSSZ` and the separators, exactly: the value becomes a header as it is.
        let mut out = String::with_capacity(16 + 2 * d.len() + 2 * s.len());
        let year = u32::try_from(t.year()).unwrap_or(0);
        push_digits(&mut out, year / 100, 2);
        push_digits(&mut out, year % 100, 2);
        for (separator, value) in [(d, u8::from(t.month())), (d, t.day())] {
            out.push_str(separator);
            push_digits(&mut out, u32::from(value), 2);
        }
        out.push('T');
        push_digits(&mut out, u32::from(t.hour()), 2);
        for value in [t.minute(), t.second()] {
            out.push_str(s);
            push_digits(&mut out, u32::from(value), 2);
        }
        out.push('Z');
        out
    }

    /// A header value in this layout, as Unix seconds.
    pub(crate) fn parse(&self, value: &str) -> Result<i64, VerifyError> {
        checks::parse_utc(value, self.parse, self.name)
    }
}

/// Lowercase hex SHA-256 of a body: the payload hash.
#[cfg(feature = "alibaba")]
pub fn hashed_payload(body: &[u8]) -> String {
    sha256_hex(body)
}

/// Lowercase hex HMAC-SHA256 keyed with the raw secret.
pub fn signature(secret: &SecretString, string_to_sign: &str) -> String {
    hmac_sha256_hex(secret.expose_secret().as_bytes(), string_to_sign.as_bytes())
}

impl HeaderHmacScheme {
    /// `at` as the date header writes it, in UTC.
    pub fn format_date(&self, at: OffsetDateTime) -> String {
        self.date.format(at)
    }

    /// The canonical request over exactly `signed_headers`, in the order given.
    ///
    /// - Method as given.
    /// - Canonical URI: each path segment percent-decoded, then RFC 3986-encoded, so a path
    ///   the client already encoded is not encoded twice; `+` in a path is literal and
    ///   becomes `%2B`; an empty path is `/` (and, where the dialect says so, the URI always
    ///   ends in `/`, for signing only).
    /// - Canonical query: pairs decoded (`+` as space), sorted by name then value, RFC 3986
    ///   re-encoded, an empty value written `name=`.
    /// - Header lines `name:value`, trimmed, `host` from `req.host`; a header sent several
    ///   times gives its values sorted, comma-joined on one line or one line each, as the
    ///   dialect says.
    /// - Payload: the declared payload hash header when the request carries one (possibly
    ///   the unsigned-payload marker), else hex(sha256(body)).
    pub fn canonical_request(&self, req: &SignableRequest<'_>, signed_headers: &[&str]) -> String {
        let headers = HeaderView::of(req);
        let payload = self.payload_hash(headers, req.body);
        self.canonical_request_over(req, headers, signed_headers, &payload)
    }

    /// [`canonical_request`](Self::canonical_request) with `payload_hash` as its last line.
    pub(crate) fn canonical_request_with_payload(
        &self,
        req: &SignableRequest<'_>,
        signed_headers: &[&str],
        payload_hash: &str,
    ) -> String {
        self.canonical_request_over(req, HeaderView::of(req), signed_headers, payload_hash)
    }

    /// [`canonical_request_with_payload`](Self::canonical_request_with_payload) over `headers`:
    /// the request's own, or those with what signing adds.
    fn canonical_request_over(
        &self,
        req: &SignableRequest<'_>,
        headers: HeaderView<'_>,
        signed_headers: &[&str],
        payload_hash: &str,
    ) -> String {
        // One buffer, written in order: this runs once per signed request.
        let mut out = String::with_capacity(256 + 2 * (req.path.len() + req.query.len()));
        out.push_str(req.method);
        out.push('\n');
        canonical_path_into(&mut out, req.path);
        if self.trailing_slash && !out.ends_with('/') {
            out.push('/');
        }
        out.push('\n');
        canonical_query_into(&mut out, req.query);
        out.push('\n');
        let mut values = Vec::new();
        for name in signed_headers {
            signed_header_values(req.host, headers, name, &mut values);
            if self.header_line_per_value {
                for value in &values {
                    push_header_line(&mut out, name, &[value]);
                }
            } else {
                push_header_line(&mut out, name, &values);
            }
        }
        out.push('\n');
        push_joined(&mut out, signed_headers, ';');
        out.push('\n');
        out.push_str(payload_hash);
        out
    }

    /// The payload line: the declared hash header when the request carries one, else the
    /// body's hash.
    fn payload_hash<'r>(&self, headers: HeaderView<'r>, body: &[u8]) -> Cow<'r, str> {
        match headers.first(self.content_hash_header) {
            Some(declared) => Cow::Borrowed(declared.trim()),
            // Every bodiless request (GET, DELETE) hashes the empty payload.
            None if body.is_empty() => Cow::Borrowed(EMPTY_SHA256_HEX),
            None => Cow::Owned(sha256_hex(body)),
        }
    }

    /// `<algorithm>\n[<date>\n]hex(sha256(canonical request))`; `date` is used only where the
    /// dialect puts it in the string to sign.
    pub fn string_to_sign(&self, date: &str, canonical_request: &str) -> String {
        let mut out = String::with_capacity(self.algorithm.len() + date.len() + 66);
        out.push_str(self.algorithm);
        out.push('\n');
        if self.date_in_string_to_sign {
            out.push_str(date);
            out.push('\n');
        }
        push_sha256_hex(&mut out, canonical_request.as_bytes());
        out
    }

    /// Signs `req` and returns the headers to add, `Authorization` last.
    ///
    /// Adds the date (`date`, from [`format_date`](Self::format_date)), the nonce (where the
    /// dialect sends one; unique per request) and the payload hash where the dialect sends
    /// them, and the STS token with temporary credentials, replacing any copy the caller left
    /// in `req.headers`. A declared payload hash already on the request is honoured. Signed:
    /// `host`, and the headers the dialect signs when the request carries them.
    pub fn sign_at(
        &self,
        req: &SignableRequest<'_>,
        key: &AccessKey,
        date: &str,
        nonce: &str,
    ) -> Vec<(String, String)> {
        self.sign_owned(req, key, date.to_owned(), nonce)
    }

    /// [`sign_at`](Self::sign_at) with a date of its own, which becomes the date header's
    /// value as it is.
    fn sign_owned(
        &self,
        req: &SignableRequest<'_>,
        key: &AccessKey,
        date: String,
        nonce: &str,
    ) -> Vec<(String, String)> {
        let mut added = Vec::with_capacity(5);
        added.push((self.date_header.to_owned(), date));
        if let Some(header) = self.nonce_header {
            added.push((header.to_owned(), nonce.to_owned()));
        }
        if self.sends_content_hash {
            added.push((self.content_hash_header.to_owned(), sha256_hex(req.body)));
        }
        if let Some(token) = &key.session_token {
            added.push((
                self.token_header.to_owned(),
                token.expose_secret().to_owned(),
            ));
        }
        let date = &added[0].1;
        let authorization =
            self.authorization(req, HeaderView::with_added(req.headers, &added), key, date);
        added.push(("Authorization".to_owned(), authorization));
        added
    }

    /// `<algorithm> <key field>=<id>, SignedHeaders=a;b, Signature=<hex>` over `headers`, the
    /// request's own with what [`sign_at`](Self::sign_at) adds.
    fn authorization(
        &self,
        req: &SignableRequest<'_>,
        headers: HeaderView<'_>,
        key: &AccessKey,
        date: &str,
    ) -> String {
        let names = names_to_sign(headers, self.signs);
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        let payload = self.payload_hash(headers, req.body);
        let canonical = self.canonical_request_over(req, headers, &names, &payload);
        let to_sign = self.string_to_sign(date, &canonical);
        let sep = self.field_separator;
        // The exact length, so that a client can take the value as its buffer.
        let length = [self.algorithm, " ", self.key_field, "=", &key.id, sep]
            .iter()
            .chain(&["SignedHeaders=", sep, "Signature="])
            .chain(&names)
            .map(|part| part.len())
            .sum::<usize>()
            + names.len().saturating_sub(1)
            + 64;
        let mut out = String::with_capacity(length);
        for part in [
            self.algorithm,
            " ",
            self.key_field,
            "=",
            &key.id,
            sep,
            "SignedHeaders=",
        ] {
            out.push_str(part);
        }
        push_joined(&mut out, &names, ';');
        out.push_str(sep);
        out.push_str("Signature=");
        push_hmac_sha256_hex(
            &mut out,
            key.secret.expose_secret().as_bytes(),
            to_sign.as_bytes(),
        );
        out
    }

    /// Verifies a request signed in this dialect, as the vendor's gateway would.
    ///
    /// The signature is recomputed over exactly the request's own `SignedHeaders`, which must
    /// include `host`, the date, the nonce (where the scheme has one) and the dialect's other
    /// essential headers. The date must lie within the window around `now_unix`. A declared
    /// payload hash must equal the body's hash unless it is the unsigned-payload marker.
    pub fn verify_signature(
        &self,
        req: &SignableRequest<'_>,
        lookup_secret: impl Fn(&str) -> Option<SecretString>,
        now_unix: i64,
    ) -> Result<Verified, VerifyError> {
        let auth = checks::parse_authorization(req, self.algorithm, self.key_field)?;
        let date = checks::required_header(req, self.date_header)?;
        let nonce = self
            .nonce_header
            .map(|header| checks::required_header(req, header))
            .transpose()?;
        let essential = ["host", self.date_header]
            .into_iter()
            .chain(self.nonce_header)
            .chain(self.must_sign.iter().copied());
        checks::require_signed(&auth.signed_headers, essential)?;
        let declared = req.header(self.content_hash_header).map(str::trim);
        // A scheme that sends the payload hash also wants it signed whenever it is sent.
        if self.sends_content_hash && declared.is_some() {
            checks::require_signed(&auth.signed_headers, [self.content_hash_header])?;
        }
        checks::require_present(req, &auth.signed_headers)?;
        let timestamp = self.date.parse(date)?;
        checks::check_window(timestamp, now_unix, self.window_secs)?;
        let secret = checks::lookup(lookup_secret, auth.access_key_id)?;

        let body_hash = sha256_hex(req.body);
        let payload = declared.unwrap_or(&body_hash);
        let unsigned = self.unsigned_payload == Some(payload);
        if !unsigned && !payload.eq_ignore_ascii_case(&body_hash) {
            return Err(VerifyError::SignatureMismatch);
        }
        let canonical = self.canonical_request_with_payload(req, &auth.signed_headers, payload);
        if !hmac_sha256_hex_matches(
            secret.expose_secret().as_bytes(),
            self.string_to_sign(date, &canonical).as_bytes(),
            auth.signature,
        ) {
            return Err(VerifyError::SignatureMismatch);
        }
        Ok(Verified {
            access_key_id: auth.access_key_id.to_owned(),
            nonce: nonce.map(str::to_owned),
            timestamp_unix: timestamp,
        })
    }

    /// The canonical request over the request's own `SignedHeaders`, as the verifier computes
    /// it; `None` when `Authorization` does not parse.
    pub(crate) fn received_canonical_request(&self, req: &SignableRequest<'_>) -> Option<String> {
        let auth = checks::parse_authorization(req, self.algorithm, self.key_field).ok()?;
        Some(self.canonical_request(req, &auth.signed_headers))
    }
}

/// The last `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

fn push_header_line(out: &mut String, name: &str, values: &[&str]) {
    out.push_str(name);
    out.push(':');
    push_joined(out, values, ',');
    out.push('\n');
}
