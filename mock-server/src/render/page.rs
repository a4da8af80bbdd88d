//! A documented listing served one window at a time (`x-keygate-pagination`).
//!
//! At start-up the example is serialized with holes for the items array and the count and
//! page fields, and each item is serialized on its own; a request's window is then a
//! matter of copying bytes. A request for the whole documented page is served from the
//! example's own pre-serialized body, byte for byte.

use bytes::{Bytes, BytesMut};
use serde_yaml::Value;
use std::fmt::Write as _;

use keygate_spec::ext::{PageStyle, PaginationExt};

use super::body::{BodyTemplate, Hole, mark_id_fields};
use crate::request::MockRequest;

/// Room reserved per echoed number.
const NUMBER_ROOM: usize = 20;

/// The part of the documented items a request asks for, and what the body echoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// First item, 0-based.
    pub(crate) start: u64,
    /// Items at most; `None`: to the end.
    pub(crate) size: Option<u64>,
    /// The page (offset style: the offset) as the service echoes it.
    pub(crate) page: i64,
    /// The page size (offset style: the limit); `None` when neither request nor schema
    /// names one, in which case the documented value stays.
    pub(crate) page_size: Option<i64>,
}

impl Window {
    /// The items of a list of `len` this window takes, as `start..end` indices.
    pub(crate) fn range(&self, len: usize) -> std::ops::Range<usize> {
        let start = usize::try_from(self.start).unwrap_or(usize::MAX).min(len);
        let end = self.size.map_or(len, |size| {
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            start.saturating_add(size).min(len)
        });
        start..end
    }
}

/// A listing example, ready to serve any window of its items.
#[derive(Debug)]
pub(crate) struct PagedBody {
    template: BodyTemplate,
    items: Box<[Bytes]>,
    /// The documented page and page size, where the body echoes them.
    page: Option<i64>,
    page_size: Option<i64>,
    /// Next-link style: the offset and limit parameters the link to the next page carries.
    link_params: Option<(String, String)>,
}

impl PagedBody {
    /// `None` when the example has no items array, or no total (offset and page styles) or
    /// next link (next-link style) at the extension's pointers (an error example sharing the
    /// success status, as Tencent's). The total is served as documented.
    pub(crate) fn build(
        example: &Value,
        ext: &PaginationExt,
        id_fields: &[String],
    ) -> Option<Self> {
        let mut value = example.clone();
        if let Some(total) = &ext.total {
            pointer_mut(&mut value, total)?;
        }
        let link_params = match (ext.style, ext.parameters()) {
            (PageStyle::NextLink, Ok((offset, limit))) => {
                let slot = pointer_mut(&mut value, ext.next_link.as_deref()?)?;
                *slot = marker(Hole::NextLink);
                Some((offset.to_owned(), limit.to_owned()))
            }
            _ => None,
        };
        mark_id_fields(&mut value, id_fields);
        let slot = pointer_mut(&mut value, &ext.items)?;
        let Value::Sequence(list) = slot else {
            return None;
        };
        let items = list
            .iter()
            .map(|item| Bytes::from(serde_json::to_vec(item).unwrap_or_default()))
            .collect();
        *slot = marker(Hole::Items);
        // The count is always rewritten; the page fields are kept when unchanged.
        mark_number(&mut value, ext.count.as_deref(), Hole::Count);
        let page = mark_number(&mut value, ext.page_field.as_deref(), Hole::Page);
        let page_size = mark_number(&mut value, ext.page_size_field.as_deref(), Hole::PageSize);
        Some(Self {
            template: BodyTemplate::from_marked(&value),
            items,
            page,
            page_size,
            link_params,
        })
    }

    /// The body for `window`, or `None` when it is the documented body (the whole list,
    /// the documented page fields): the caller serves the pre-serialized one. A next link
    /// points at `request` with the window after this one.
    pub(crate) fn render(
        &self,
        window: &Window,
        request_id: &str,
        request: &MockRequest,
    ) -> Option<Bytes> {
        let len = self.items.len();
        let std::ops::Range { start, end } = window.range(len);
        let page_size = window.page_size.or(self.page_size);
        if start == 0 && end == len && self.echoes(window.page, page_size) {
            return None;
        }
        let slice = &self.items[start..end];
        let next_link = match (&self.link_params, window.size) {
            (Some((offset, limit)), Some(size)) if end < len => {
                next_link(request, offset, limit, end, size)
            }
            _ => String::new(),
        };
        let extra = slice.iter().map(Bytes::len).sum::<usize>()
            + slice.len()
            + 2
            + 3 * NUMBER_ROOM
            + 2 * request_id.len()
            + next_link.len();
        Some(self.template.render_with(extra, |hole, out| match hole {
            Hole::RequestId => out.extend_from_slice(request_id.as_bytes()),
            Hole::Items => write_items(out, slice),
            Hole::Count => write_number(out, i64::try_from(slice.len()).unwrap_or(i64::MAX)),
            Hole::Page => write_number(out, window.page),
            Hole::PageSize => write_number(out, page_size.unwrap_or_default()),
            Hole::NextLink => out.extend_from_slice(next_link.as_bytes()),
        }))
    }

    /// Whether the echoed fields would read as documented.
    fn echoes(&self, page: i64, page_size: Option<i64>) -> bool {
        let page_same = !self.template.has(Hole::Page) || self.page == Some(page);
        let size_same = !self.template.has(Hole::PageSize) || self.page_size == page_size;
        page_same && size_same
    }
}

/// The absolute URL of the page after this one: the request's own, with the offset moved to
/// `next` and the limit kept, the other parameters (Azure's `api-version`, `$filter`) as
/// they came. The scheme is the one the request arrived over (`https` with TLS on).
pub(crate) fn next_link_url(
    request: &MockRequest,
    offset: &str,
    limit: &str,
    next: usize,
    size: u64,
) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let encode = |name: &str| utf8_percent_encode(name, NON_ALPHANUMERIC).to_string();
    let mut query: Vec<String> = request
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            name != offset && name != limit
        })
        .map(str::to_owned)
        .collect();
    query.push(format!("{}={size}", encode(limit)));
    query.push(format!("{}={next}", encode(offset)));
    format!(
        "{}://{}{}?{}",
        request.scheme,
        request.host(),
        request.uri.path(),
        query.join("&")
    )
}

/// [`next_link_url`], escaped to go inside a JSON string: the Host header and the query are
/// the client's.
fn next_link(request: &MockRequest, offset: &str, limit: &str, next: usize, size: u64) -> String {
    let link = next_link_url(request, offset, limit, next, size);
    let quoted = serde_json::to_string(&link).expect("a string serializes");
    quoted[1..quoted.len() - 1].to_owned()
}

fn marker(hole: Hole) -> Value {
    Value::String(hole.marker().to_owned())
}

/// Replaces the integer at `pointer` (if there is one) by `hole`; returns the integer.
fn mark_number(value: &mut Value, pointer: Option<&str>, hole: Hole) -> Option<i64> {
    let slot = pointer_mut(value, pointer?)?;
    let number = slot.as_i64()?;
    *slot = marker(hole);
    Some(number)
}

/// A JSON pointer into `root`, for changing what it points at; array indices allowed.
/// (keygate-spec's pointers only read: this one edits an example being prepared.)
fn pointer_mut<'a>(root: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Sequence(items) => items.get_mut(key.parse::<usize>().ok()?)?,
            Value::Mapping(map) => map.get_mut(key.as_str())?,
            _ => return None,
        };
    }
    Some(node)
}

fn write_items(out: &mut BytesMut, items: &[Bytes]) {
    out.extend_from_slice(b"[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",");
        }
        out.extend_from_slice(item);
    }
    out.extend_from_slice(b"]");
}

fn write_number(out: &mut BytesMut, number: i64) {
    // Writing into a BytesMut cannot fail.
    let _ = write!(out, "{number}");
}

#[cfg(test)]
mod tests {
    use keygate_spec::ext::PageStyle;

    use super::*;

    fn ext() -> PaginationExt {
        PaginationExt {
            style: PageStyle::Page,
            offset: None,
            limit: None,
            page: Some("p".into()),
            page_size: Some("s".into()),
            items: "/data/items".into(),
            total: Some("/data/total".into()),
            next_link: None,
            count: Some("/data/count".into()),
            page_field: Some("/data/page".into()),
            page_size_field: Some("/data/size".into()),
        }
    }

    fn paged() -> PagedBody {
        let example: Value = serde_yaml::from_str(
            "{rid: x, data: {total: 9, count: 3, page: 1, size: 10, items: [1, 2, 3]}}",
        )
        .unwrap();
        PagedBody::build(&example, &ext(), &["rid".into()]).expect("paged")
    }

    fn request() -> MockRequest {
        MockRequest::new(
            http::Method::GET,
            "/things?api-version=1&%24top=1&%24skip=0".parse().unwrap(),
            http::HeaderMap::new(),
            bytes::Bytes::new(),
        )
    }

    /// Azure's paging: `$skip`/`$top`, items at `/value`, the link at `/nextLink`.
    fn next_link_ext() -> PaginationExt {
        PaginationExt {
            style: PageStyle::NextLink,
            offset: Some("$skip".into()),
            limit: Some("$top".into()),
            page: None,
            page_size: None,
            items: "/value".into(),
            total: None,
            next_link: Some("/nextLink".into()),
            count: None,
            page_field: None,
            page_size_field: None,
        }
    }

    #[test]
    fn next_links_point_at_the_window_after_this_one() {
        let example: Value = serde_yaml::from_str("{value: [1, 2, 3], nextLink: ''}").unwrap();
        let paged = PagedBody::build(&example, &next_link_ext(), &[]).expect("paged");
        let body = paged
            .render(&window(0, 1, 0), "R", &request())
            .expect("cut");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["value"], serde_json::json!([1]));
        let link = json["nextLink"].as_str().unwrap();
        assert!(
            link.ends_with("/things?api-version=1&%24top=1&%24skip=1"),
            "{link}"
        );
        let last = paged
            .render(&window(2, 1, 2), "R", &request())
            .expect("cut");
        let json: serde_json::Value = serde_json::from_slice(&last).unwrap();
        assert_eq!(json["nextLink"], "");
    }

    #[test]
    fn next_links_keep_the_scheme_the_request_arrived_over() {
        let mut request = request();
        request
            .headers
            .insert(http::header::HOST, "localhost:1".parse().unwrap());
        for (scheme, expected) in [
            (http::uri::Scheme::HTTP, "http://localhost:1/things?"),
            (http::uri::Scheme::HTTPS, "https://localhost:1/things?"),
        ] {
            request.scheme = scheme;
            let link = next_link_url(&request, "$skip", "$top", 1, 1);
            assert!(link.starts_with(expected), "{link}");
        }
    }

    #[test]
    fn a_next_link_stays_valid_json_whatever_the_client_sent() {
        let example: Value = serde_yaml::from_str("{value: [1, 2], nextLink: ''}").unwrap();
        let paged = PagedBody::build(&example, &next_link_ext(), &[]).expect("paged");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::HOST, "evil\\\"host".parse().unwrap());
        let request = MockRequest::new(
            http::Method::GET,
            "/things?q=%22&%24top=1".parse().unwrap(),
            headers,
            bytes::Bytes::new(),
        );
        let body = paged.render(&window(0, 1, 0), "R", &request).expect("cut");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
        assert!(
            json["nextLink"]
                .as_str()
                .unwrap()
                .starts_with("http://evil\\\"host/")
        );
    }

    fn window(start: u64, size: u64, page: i64) -> Window {
        Window {
            start,
            size: Some(size),
            page,
            page_size: Some(i64::try_from(size).unwrap()),
        }
    }

    #[test]
    fn the_documented_window_is_left_to_the_prepared_body() {
        assert_eq!(paged().render(&window(0, 10, 1), "R", &request()), None);
    }

    #[test]
    fn other_windows_are_cut_from_the_items() {
        let body = paged()
            .render(&window(1, 1, 2), "R", &request())
            .expect("cut");
        assert_eq!(
            &body[..],
            br#"{"rid":"R","data":{"total":9,"count":1,"page":2,"size":1,"items":[2]}}"#
        );
        let body = paged()
            .render(&window(7, 5, 3), "R", &request())
            .expect("cut");
        assert_eq!(
            &body[..],
            br#"{"rid":"R","data":{"total":9,"count":0,"page":3,"size":5,"items":[]}}"#
        );
    }

    #[test]
    fn examples_without_the_items_array_are_not_paged() {
        let example: Value = serde_yaml::from_str("{code: 4000}").unwrap();
        assert!(PagedBody::build(&example, &ext(), &[]).is_none());
    }

    #[test]
    fn pointers_reach_into_maps_and_arrays() {
        let mut root: Value = serde_yaml::from_str("a: [{b/c: 1}]").unwrap();
        *pointer_mut(&mut root, "/a/0/b~1c").unwrap() = Value::from(2);
        assert_eq!(
            serde_json::to_string(&root).unwrap(),
            r#"{"a":[{"b/c":2}]}"#
        );
        assert!(pointer_mut(&mut root, "/a/1").is_none());
        assert!(pointer_mut(&mut root, "a").is_none());
    }
}
