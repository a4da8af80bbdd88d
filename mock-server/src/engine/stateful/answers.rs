//! A stateful step's answers: the operation's documented ones, with the record shown where
//! the operation shows it.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use keygate_spec::ext::{AnswerRef, MaskExt};
use serde_json::Value;

use super::Call;
use super::shown::{Fill, Items, Overlay};
use crate::engine::Answer;
use crate::render::page::next_link_url;
use crate::request::MockResponse;
use crate::select::Preference;
use crate::state::record;
use crate::state::store::{Listing, Stored};

impl<'a> Call<'a, '_, '_> {
    /// The documented default answer, as the replay mock gives it.
    pub(super) fn documented(&self) -> Answer<'a> {
        self.engine
            .select(self.op, self.inputs, &Preference::default())
    }

    /// The documented example `name`.
    pub(super) fn example(&self, name: &str) -> Answer<'a> {
        let preference = Preference {
            code: None,
            example: Some(Cow::Borrowed(name)),
        };
        self.engine.select(self.op, self.inputs, &preference)
    }

    pub(super) fn not_found(&self) -> Answer<'a> {
        match &self.plan.ext.not_found {
            Some(AnswerRef {
                example: Some(name),
                ..
            }) => self.example(name),
            Some(AnswerRef {
                status: Some(status),
                ..
            }) => self.at_status(status),
            _ => self.at_status("404"),
        }
    }

    fn at_status(&self, status: &str) -> Answer<'a> {
        let preference = Preference {
            code: Some(Cow::Borrowed(status)),
            example: None,
        };
        self.engine.select(self.op, self.inputs, &preference)
    }

    /// The documented answer with `status`, showing `stored` where the operation shows
    /// its record, with its ETag.
    pub(super) fn show(&self, status: u16, stored: Option<&Stored>) -> Answer<'a> {
        let mut answer = self.at_status(&status.to_string());
        let Some(stored) = stored else {
            return answer;
        };
        if let Some(etag) = &self.resource.ext.etag
            && let (Ok(name), Some(value)) =
                (HeaderName::try_from(etag.header.as_str()), &stored.etag)
            && answer.response.headers.contains_key(&name)
            && let Ok(value) = HeaderValue::from_str(value)
        {
            answer.response.headers.insert(name, value);
        }
        let shown = self
            .plan
            .ext
            .entity
            .as_deref()
            .zip(self.plan.example(status))
            .and_then(|(pointer, example)| {
                let shape = example.pointer(pointer)?;
                let view = self.view_of(&stored.record)?;
                let mut shown = record::project(view, shape);
                for kept in &self.plan.ext.keep {
                    if let Some(value) = shape.pointer(kept) {
                        record::set(&mut shown, kept, value.clone());
                    }
                }
                let mut body = example.clone();
                record::set(&mut body, pointer, shown);
                Some(body)
            });
        if let Some(body) = shown {
            answer.response.body = self.with_request_id(&answer.response, body);
        }
        answer
    }

    /// The list answer over `listing`: every record projected onto the documented item,
    /// masked, the total counted, cut to the window the request asks for.
    pub(super) fn show_list(&self, listing: &Listing) -> Answer<'a> {
        let status = self.plan.success_status(false);
        let mut answer = self.at_status(&status.to_string());
        let (Some(paging), Some(example)) = (&self.plan.paging, self.plan.example(status)) else {
            return answer;
        };
        let masks: Vec<(&str, MaskExt)> = self
            .plan
            .ext
            .mask
            .iter()
            .map(|(p, m)| (p.as_str(), *m))
            .collect();
        let window = self
            .op
            .pagination
            .as_ref()
            .map(|p| p.window(&self.op.params, self.inputs));
        let len = listing.records.len();
        let range = window.as_ref().map_or(0..len, |w| w.range(len));
        let end = range.end;
        let items = Items {
            records: &listing.records[range],
            view: self.plan.ext.view.as_deref().unwrap_or(""),
            shape: example
                .pointer(&paging.items)
                .and_then(Value::as_array)
                .and_then(|items| items.first()),
            masks: &masks,
        };
        let total = Value::from(len);
        let count = Value::from(items.count());
        let mut fields: Vec<(&str, Value)> = Vec::new();
        if let Some(window) = &window {
            if let Some(page) = &paging.page_field {
                fields.push((page, Value::from(window.page)));
            }
            if let (Some(field), Some(size)) = (&paging.page_size_field, window.page_size) {
                fields.push((field, Value::from(size)));
            }
            if let (Some(field), Ok((offset, limit)), Some(size)) =
                (&paging.next_link, paging.parameters(), window.size)
            {
                let link = match end < len {
                    true => next_link_url(self.inputs.request, offset, limit, end, size),
                    false => String::new(),
                };
                fields.push((field, Value::String(link)));
            }
        }
        let mut fills: Vec<(&str, Fill<'_>)> = Vec::new();
        if let Some(pointer) = &paging.total {
            fills.push((pointer, Fill::Value(&total)));
        }
        if let Some(pointer) = &paging.count {
            fills.push((pointer, Fill::Value(&count)));
        }
        fills.push((&paging.items, Fill::Items(&items)));
        fills.extend(fields.iter().map(|(p, v)| (*p, Fill::Value(v))));
        let request_id = self.request_id_fields(&answer.response, example);
        fills.extend(request_id.iter().map(|(p, v)| (p.as_str(), Fill::Value(v))));
        let body = Overlay {
            base: example,
            fills,
        };
        // Sized for the items at once: growing the buffer step by step cost as much as
        // writing it.
        let mut bytes =
            Vec::with_capacity(answer.response.body.len() * 2 + 256 * items.records.len());
        answer.response.body = match serde_json::to_writer(&mut bytes, &body) {
            Ok(()) => Bytes::from(bytes),
            Err(_) => Bytes::new(),
        };
        answer
    }

    fn view_of<'r>(&self, record: &'r Value) -> Option<&'r Value> {
        record.pointer(self.plan.ext.view.as_deref().unwrap_or(""))
    }

    /// `body` serialized, with the request id the chosen answer already carries.
    fn with_request_id(&self, response: &MockResponse, mut body: Value) -> Bytes {
        for (pointer, id) in self.request_id_fields(response, &body) {
            record::set(&mut body, &pointer, id);
        }
        Bytes::from(serde_json::to_vec(&body).unwrap_or_default())
    }

    /// The body fields of `body` that carry the request id, each with the id the chosen
    /// answer already carries (as JSON pointers).
    fn request_id_fields(&self, response: &MockResponse, body: &Value) -> Vec<(String, Value)> {
        let service = &self.engine.index.services[self.op.service];
        let (Some(plan), Value::Object(map)) = (&service.request_id, body) else {
            return Vec::new();
        };
        let present: Vec<&String> = plan
            .body_fields
            .iter()
            .filter(|f| map.contains_key(*f))
            .collect();
        if present.is_empty() {
            return Vec::new();
        }
        let Some(id) = request_id_of(service, response) else {
            return Vec::new();
        };
        present
            .into_iter()
            .map(|field| {
                (
                    format!("/{}", field.replace('~', "~0").replace('/', "~1")),
                    Value::String(id.clone()),
                )
            })
            .collect()
    }
}

/// The request id an answer carries: its header's, else its body's.
fn request_id_of(
    service: &crate::index::service::Service,
    response: &MockResponse,
) -> Option<String> {
    let plan = service.request_id.as_ref()?;
    if let Some(value) = plan.header.as_ref().and_then(|h| response.headers.get(h)) {
        return value.to_str().ok().map(str::to_owned);
    }
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    plan.body_fields
        .iter()
        .find_map(|field| body.get(field)?.as_str().map(str::to_owned))
}
