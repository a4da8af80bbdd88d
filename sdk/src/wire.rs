//! The generator's per-operation tables, and the vendor-neutral request rewrites they drive.
//!
//! progenitor builds each request from the spec as the generator rewrote it (constant
//! parameters removed). Before a request leaves, [`shape`] puts on the wire what the spec says
//! and progenitor cannot: the constants, `name.0=…` arrays, no URL fragment, and
//! `Content-Length: 0` on a POST, PUT or PATCH without a body. (The `api-version` header
//! progenitor adds to every request, carrying `info.version`, never gets this far: the
//! generator removes it from the generated code.)

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, HeaderName, HeaderValue};

/// The spec's first server.
#[derive(Debug)]
pub struct Server {
    /// URL template, for example `https://apig.{region}.aliyuncs.com`.
    pub url: &'static str,
    /// Template variables and their defaults.
    pub variables: &'static [(&'static str, &'static str)],
}

impl Server {
    /// The value of the URL variable `name`: from `values`, or else its default.
    pub(crate) fn variable<'a>(
        &'a self,
        name: &str,
        values: &[(&str, &'a str)],
    ) -> Option<&'a str> {
        let (_, default) = self.variables.iter().find(|(n, _)| *n == name)?;
        Some(
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(*default, |(_, v)| *v),
        )
    }

    /// The URL with `values` (or else the defaults) filled in.
    pub(crate) fn url_with(&self, values: &[(&str, &str)]) -> String {
        let mut url = self.url.to_owned();
        for (name, default) in self.variables {
            let value = values
                .iter()
                .find(|(n, _)| n == name)
                .map_or(*default, |(_, v)| *v);
            url = url.replace(&format!("{{{name}}}"), value);
        }
        url
    }
}

/// What the SDK knows about one operation beyond progenitor's client.
#[derive(Debug)]
pub struct Operation {
    /// `x-keygate.vendor`.
    pub vendor: &'static str,
    /// The spec's operationId.
    pub id: &'static str,
    /// progenitor's snake-case name, as in `OperationInfo::operation_id`.
    pub key: &'static str,
    /// Safe to send again after a failure.
    pub idempotent: bool,
    /// Parameters with one possible value, set by the SDK.
    pub constants: &'static [Constant],
    /// Array query parameters sent as `name.0=…&name.1=…`.
    pub indexed_arrays: &'static [&'static str],
}

/// A parameter with a single allowed value.
#[derive(Debug)]
pub struct Constant {
    /// Where it travels.
    pub location: Location,
    /// Its wire name.
    pub name: &'static str,
    /// Its only value.
    pub value: &'static str,
}

/// Where a [`Constant`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// The table entry for the operation progenitor is running.
pub(crate) fn operation(
    operations: &'static [Operation],
    info: &progenitor_client::OperationInfo,
) -> &'static Operation {
    operations
        .iter()
        .find(|op| op.key == info.operation_id)
        .expect("the generator lists every operation")
}

/// Applies the spec's wire rules to a request progenitor built; see the module docs.
pub(crate) fn shape(request: &mut reqwest::Request, operation: &Operation) {
    request.url_mut().set_fragment(None);
    let needs_query_rewrite = !operation.indexed_arrays.is_empty()
        || operation
            .constants
            .iter()
            .any(|c| c.location == Location::Query);
    if needs_query_rewrite {
        let pairs = wire_query(request.url(), operation);
        set_query(request.url_mut(), &pairs);
    }
    for constant in operation
        .constants
        .iter()
        .filter(|c| c.location == Location::Header)
    {
        let name = HeaderName::from_bytes(constant.name.to_ascii_lowercase().as_bytes())
            .expect("the generator emits only valid header names");
        request
            .headers_mut()
            .insert(name, HeaderValue::from_static(constant.value));
    }
    // hyper sends no length for an empty body, and a server may refuse a POST, PUT or PATCH
    // without one (ARM answers 411); RFC 9110 8.6 asks for `0`, and not on GET, HEAD, DELETE.
    let bodiless_write = request.body().is_none()
        && matches!(
            *request.method(),
            Method::POST | Method::PUT | Method::PATCH
        );
    if bodiless_write {
        request
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
}

/// The query with the constants first and indexed arrays renamed, in wire order.
fn wire_query(url: &reqwest::Url, operation: &Operation) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = operation
        .constants
        .iter()
        .filter(|c| c.location == Location::Query)
        .map(|c| (c.name.to_owned(), c.value.to_owned()))
        .collect();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (name, value) in url.query_pairs() {
        let indexed = operation.indexed_arrays.iter().find(|n| **n == name);
        let name = match indexed {
            Some(array) => {
                let counter = match seen.iter_mut().find(|(n, _)| n == array) {
                    Some((_, count)) => count,
                    None => {
                        seen.push((array, 0));
                        &mut seen.last_mut().expect("just pushed").1
                    }
                };
                let wire = format!("{array}.{counter}");
                *counter += 1;
                wire
            }
            None => name.into_owned(),
        };
        pairs.push((name, value.into_owned()));
    }
    pairs
}

/// The printable ASCII (and space) that progenitor's `encode_path` escapes in a path
/// parameter, besides controls and non-ASCII (its `PATH_SET`).
const ESCAPED_IN_PATH: [u8; 11] = [
    b' ', b'"', b'#', b'<', b'>', b'?', b'`', b'{', b'}', b'/', b'%',
];

/// What `encode_path` escapes, as the encoder's set.
const PATH_PARAM: &AsciiSet = &{
    let mut set = CONTROLS.add(ESCAPED_IN_PATH[0]);
    let mut at = 1;
    while at < ESCAPED_IN_PATH.len() {
        set = set.add(ESCAPED_IN_PATH[at]);
        at += 1;
    }
    set
};

/// Appends a path parameter to `url` as progenitor's `encode_path` writes it: generated
/// `send`s write the URL into one `String` with it, where progenitor formats a new `String`
/// per parameter.
pub(crate) fn push_path_param(url: &mut String, value: &str) {
    // Ids need no escape: copied in one go, without the encoder's run-by-run iteration.
    if value
        .bytes()
        .all(|byte| PLAIN_PATH_BYTES[usize::from(byte)])
    {
        url.push_str(value);
    } else {
        url.extend(utf8_percent_encode(value, PATH_PARAM));
    }
}

/// The bytes [`PATH_PARAM`] leaves as they are (printable ASCII outside
/// [`ESCAPED_IN_PATH`]), as a table: one lookup per byte of every path parameter.
const PLAIN_PATH_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_graphic();
        byte += 1;
    }
    let mut at = 0;
    while at < ESCAPED_IN_PATH.len() {
        table[ESCAPED_IN_PATH[at] as usize] = false;
        at += 1;
    }
    table
};

/// Replaces the query; an empty list removes the `?` too.
pub(crate) fn set_query(url: &mut reqwest::Url, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: Operation = Operation {
        vendor: "v",
        id: "Op",
        key: "op",
        idempotent: true,
        constants: &[
            Constant {
                location: Location::Query,
                name: "Action",
                value: "Describe",
            },
            Constant {
                location: Location::Header,
                name: "x-acs-version",
                value: "2024-03-27",
            },
        ],
        indexed_arrays: &["secretIDs"],
    };

    #[test]
    fn shape_applies_constants_arrays_and_drops_fragment() {
        let client = reqwest::Client::new();
        let mut request = client
            .get("http://h:8/v2/index.php#Action=Describe")
            .query(&[("secretIDs", "a b"), ("limit", "5"), ("secretIDs", "c")])
            .build()
            .unwrap();
        shape(&mut request, &OP);
        assert_eq!(
            request.url().as_str(),
            "http://h:8/v2/index.php?Action=Describe&secretIDs.0=a+b&limit=5&secretIDs.1=c"
        );
        assert_eq!(request.headers()["x-acs-version"], "2024-03-27");
    }

    #[test]
    fn path_params_are_encoded_as_progenitor_encodes_them() {
        let all_bytes: String = (0..=0x7f_u8).map(char::from).collect();
        let each_byte: Vec<String> = (0..=0x7f_u8).map(|b| char::from(b).to_string()).collect();
        let values = [all_bytes.as_str(), "a b/c%2F?#é一", "", "plain-id_1.2~3"];
        for value in values
            .into_iter()
            .chain(each_byte.iter().map(String::as_str))
        {
            let mut url = String::from("http://h/");
            push_path_param(&mut url, value);
            assert_eq!(
                url,
                format!("http://h/{}", progenitor_client::encode_path(value))
            );
        }
    }

    #[test]
    fn server_template_is_filled() {
        let server = Server {
            url: "https://apig.{regionId}.aliyuncs.com",
            variables: &[("regionId", "cn-hangzhou")],
        };
        assert_eq!(
            server.url_with(&[]),
            "https://apig.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            server.url_with(&[("regionId", "us-east-1")]),
            "https://apig.us-east-1.aliyuncs.com"
        );
    }
}
