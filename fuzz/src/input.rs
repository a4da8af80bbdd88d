//! The building blocks of the targets' inputs, with a byte encoding of our own.
//!
//! The input structs derive [`Arbitrary`], but their leaves are the types below, whose
//! encoding this module defines (and [`Encoder`] writes) instead of `arbitrary`'s built-in
//! one. That is on purpose: `arbitrary` changes how it lays out strings and collections
//! between releases, which would silently turn a committed corpus into noise; with our own
//! leaves the seeds stay meaningful, can be generated from readable requests
//! (`examples/make_seeds.rs`), and the replay test checks that they still decode as meant.
//!
//! Encoding, all read from the front, never failing (missing bytes read as zero):
//! - a length is one byte `n < 255`, or `255` followed by a little-endian `u16`;
//! - [`Text`] / [`Blob`]: a length, then that many bytes (fewer if the input ends);
//! - [`Name`] / [`Value`]: one tag byte: an index into [`KNOWN_NAMES`] / [`KNOWN_VALUES`],
//!   or [`OTHER`] followed by a [`Text`] / [`Blob`];
//! - [`List`]: a count byte (at most [`MAX_ITEMS`] are read), then the items;
//! - [`Byte`], [`Word16`], [`Word64`]: 1, 2, 8 bytes little-endian.

use std::fmt;

use arbitrary::{Arbitrary, Result, Unstructured};

/// Tag byte meaning "not from the known list: the literal follows".
pub const OTHER: u8 = u8::MAX;

/// Most items a [`List`] yields, so one input cannot ask for millions of headers.
pub const MAX_ITEMS: usize = 24;

/// Header and parameter names the vendors' schemes and the mock read. Offered to the fuzzer
/// as one-byte choices, because guessing `x-acs-signature-nonce` byte by byte is hopeless.
pub const KNOWN_NAMES: &[&str] = &[
    // Headers of the signature schemes.
    "Authorization",
    "Host",
    "Content-Type",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-security-token",
    "x-acs-action",
    "x-acs-version",
    "X-Sdk-Date",
    "X-Sdk-Content-Sha256",
    "X-Project-Id",
    "X-Security-Token",
    "X-Auth-Token",
    // Headers the mock reads itself.
    "Prefer",
    "x-ms-client-request-id",
    "Content-Length",
    // Tencent's common parameters and DescribeApiKeysStatus's own.
    "Action",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "secretIDs.0",
    "secretIDs.1",
    "offset",
    "limit",
    "orderby",
    "order",
    "searchName",
    "searchId",
    // Other operations' query parameters, and the mock's own selectors.
    "pageNumber",
    "pageSize",
    "api-version",
    "__code",
    "__example",
];

/// Values that unlock branches: algorithm names, media types, dates at [`crate::NOW`],
/// integer edge cases, the known access key.
pub const KNOWN_VALUES: &[&str] = &[
    "AK",
    "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date;x-acs-signature-nonce,Signature=00",
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00",
    "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig",
    "2026-01-01T00:00:00Z",
    "20260101T000000Z",
    "1767225600",
    "UNSIGNED-PAYLOAD",
    "application/json",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    "text/plain",
    "DescribeApiKeysStatus",
    "CreateSecret",
    "ListSecretReferences",
    "HmacSHA1",
    "HmacSHA256",
    "2024-03-27",
    "2024-05-01",
    "ap-guangzhou",
    "code=400",
    "code=200, example=ListAiApiKeys",
    "0",
    "1",
    "20",
    "100",
    "101",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "1e3",
    "",
    " ",
    "%FF",
    "%2F..%2F",
];

/// Reads one byte; zero once the input is used up.
fn byte(u: &mut Unstructured<'_>) -> u8 {
    u.bytes(1).map_or(0, |b| b[0])
}

/// Reads a length: one byte below 255, else 255 and a little-endian `u16`.
fn length(u: &mut Unstructured<'_>) -> usize {
    match byte(u) {
        OTHER => usize::from(u16::from_le_bytes([byte(u), byte(u)])),
        n => usize::from(n),
    }
}

/// Reads up to `length` bytes.
fn chunk<'a>(u: &mut Unstructured<'a>) -> &'a [u8] {
    let n = length(u).min(u.len());
    u.bytes(n).unwrap_or_default()
}

/// A string; bytes that are not UTF-8 become U+FFFD.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self(String::from_utf8_lossy(chunk(u)).into_owned()))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Raw bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

impl<'a> Arbitrary<'a> for Blob {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self(chunk(u).to_vec()))
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        String::from_utf8_lossy(&self.0).fmt(f)
    }
}

/// A header or parameter name: one of [`KNOWN_NAMES`] or any string.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Name(pub String);

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self(match KNOWN_NAMES.get(usize::from(byte(u))) {
            Some(known) => (*known).to_owned(),
            None => Text::arbitrary(u)?.0,
        }))
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A header or parameter value: one of [`KNOWN_VALUES`] or any bytes (header values on the
/// wire need not be UTF-8; targets that need a string convert lossily).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Value(pub Vec<u8>);

impl Value {
    /// The value as a string, U+FFFD for bytes that are not UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl<'a> Arbitrary<'a> for Value {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self(match KNOWN_VALUES.get(usize::from(byte(u))) {
            Some(known) => known.as_bytes().to_vec(),
            None => chunk(u).to_vec(),
        }))
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        String::from_utf8_lossy(&self.0).fmt(f)
    }
}

/// A short list.
#[derive(Clone, PartialEq, Eq)]
pub struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'a, T: Arbitrary<'a>> Arbitrary<'a> for List<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let count = usize::from(byte(u)).min(MAX_ITEMS);
        let mut items = Vec::with_capacity(count);
        // An input that ends early yields fewer items rather than a tail of empty ones.
        while items.len() < count && !u.is_empty() {
            items.push(T::arbitrary(u)?);
        }
        Ok(Self(items))
    }
}

impl<T: fmt::Debug> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One byte: flags or a small choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Byte(pub u8);

impl<'a> Arbitrary<'a> for Byte {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self(byte(u)))
    }
}

/// A little-endian `u16`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Word16(pub u16);

impl<'a> Arbitrary<'a> for Word16 {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self(u16::from_le_bytes([byte(u), byte(u)])))
    }
}

impl Word16 {
    /// Maps the word onto `-window..=window`, the offsets a signer's clock may have.
    pub fn offset_within(self, window: u64) -> i64 {
        let window = i64::try_from(window).unwrap_or(i64::MAX);
        i64::from(self.0) % (2 * window + 1) - window
    }

    /// The word whose [`offset_within`](Self::offset_within) is `offset` (for seeds).
    pub fn from_offset(offset: i64, window: u64) -> Self {
        let window = i64::try_from(window).unwrap_or(i64::MAX);
        Self(u16::try_from(offset + window).expect("offset within the window"))
    }
}

/// A little-endian `u64`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Word64(pub u64);

impl<'a> Arbitrary<'a> for Word64 {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut bytes = [0; 8];
        for b in &mut bytes {
            *b = byte(u);
        }
        Ok(Self(u64::from_le_bytes(bytes)))
    }
}

/// Decodes a target's input; never fails, since every leaf reads missing bytes as zero.
pub fn decode<'a, T: Arbitrary<'a> + Default>(data: &'a [u8]) -> T {
    T::arbitrary_take_rest(Unstructured::new(data)).unwrap_or_default()
}

/// Writes the encoding that the types above read; used to make seeds.
#[derive(Debug, Default)]
pub struct Encoder(Vec<u8>);

impl Encoder {
    /// The bytes written so far.
    pub fn finish(self) -> Vec<u8> {
        self.0
    }

    /// Writes one byte.
    pub fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn length(&mut self, n: usize) {
        match u8::try_from(n) {
            Ok(n) if n != OTHER => self.byte(n),
            _ => {
                let n = u16::try_from(n).expect("seed fields are shorter than 64 KiB");
                self.byte(OTHER);
                self.0.extend_from_slice(&n.to_le_bytes());
            }
        }
    }

    fn chunk(&mut self, bytes: &[u8]) {
        self.length(bytes.len());
        self.0.extend_from_slice(bytes);
    }
}

/// A value that [`Encoder`] can write so that decoding gives it back.
pub trait Encode {
    /// Appends the encoding of `self`.
    fn encode(&self, e: &mut Encoder);

    /// The encoding of `self` alone: a complete seed when `self` is a target's input.
    fn to_bytes(&self) -> Vec<u8> {
        let mut e = Encoder::default();
        self.encode(&mut e);
        e.finish()
    }
}

impl Encode for Text {
    fn encode(&self, e: &mut Encoder) {
        e.chunk(self.0.as_bytes());
    }
}

impl Encode for Blob {
    fn encode(&self, e: &mut Encoder) {
        e.chunk(&self.0);
    }
}

impl Encode for Name {
    fn encode(&self, e: &mut Encoder) {
        match KNOWN_NAMES.iter().position(|k| *k == self.0) {
            Some(i) => e.byte(u8::try_from(i).expect("fewer than 255 known names")),
            None => {
                e.byte(OTHER);
                e.chunk(self.0.as_bytes());
            }
        }
    }
}

impl Encode for Value {
    fn encode(&self, e: &mut Encoder) {
        match KNOWN_VALUES.iter().position(|k| k.as_bytes() == self.0) {
            Some(i) => e.byte(u8::try_from(i).expect("fewer than 255 known values")),
            None => {
                e.byte(OTHER);
                e.chunk(&self.0);
            }
        }
    }
}

impl<T: Encode> Encode for List<T> {
    fn encode(&self, e: &mut Encoder) {
        assert!(
            self.0.len() <= MAX_ITEMS,
            "seed lists hold at most {MAX_ITEMS} items"
        );
        e.byte(u8::try_from(self.0.len()).expect("checked above"));
        for item in &self.0 {
            item.encode(e);
        }
    }
}

impl Encode for Byte {
    fn encode(&self, e: &mut Encoder) {
        e.byte(self.0);
    }
}

impl Encode for Word16 {
    fn encode(&self, e: &mut Encoder) {
        self.0.to_le_bytes().iter().for_each(|b| e.byte(*b));
    }
}

impl Encode for Word64 {
    fn encode(&self, e: &mut Encoder) {
        self.0.to_le_bytes().iter().for_each(|b| e.byte(*b));
    }
}

/// Shorthands for building seeds.
impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Self(s.as_bytes().to_vec())
    }
}

impl From<&[u8]> for Blob {
    fn from(b: &[u8]) -> Self {
        Self(b.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip_at_the_escape() {
        for n in [0usize, 1, 254, 255, 256, 65_535] {
            let text = Text("x".repeat(n));
            let bytes = text.to_bytes();
            assert_eq!(decode::<Text>(&bytes), text, "{n}");
        }
    }

    #[test]
    fn short_input_reads_as_zeros() {
        assert_eq!(decode::<Text>(&[]), Text::default());
        assert_eq!(decode::<Text>(&[5, b'a']), Text::from("a"));
        assert_eq!(decode::<Word64>(&[1]), Word64(1));
        assert_eq!(decode::<List<Byte>>(&[200, 1, 2]).0.len(), 2);
    }

    #[test]
    fn offsets_cover_the_window() {
        assert_eq!(Word16(0).offset_within(900), -900);
        assert_eq!(Word16(1800).offset_within(900), 900);
        assert_eq!(Word16::from_offset(-3, 900).offset_within(900), -3);
    }
}
