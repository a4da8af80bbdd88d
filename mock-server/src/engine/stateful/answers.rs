//! A stateful step's answers: the operation's documented ones, with the record shown where
//! the operation shows it.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use keygate_spec::ext::AnswerRef;
use serde_json::Value;

use super::Call;
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
        let shape = example
            .pointer(&paging.items)
            .and_then(Value::as_array)
            .and_then(|items| items.first())
            .unwrap_or(&Value::Null);
        let masks: Vec<_> = self
            .plan
            .ext
            .mask
            .iter()
            .map(|(p, m)| (p.clone(), *m))
            .collect();
        let window = self
            .op
            .pagination
            .as_ref()
            .map(|p| p.window(&self.op.params, self.inputs));
        let len = listing.records.len();
        let range = window.as_ref().map_or(0..len, |w| w.range(len));
        let end = range.end;
        let items: Vec<Value> = listing.records[range]
            .iter()
            .filter_map(|stored| self.view_of(&stored.record))
            .map(|view| {
                let mut item = if shape.is_null() {
                    view.clone()
                } else {
                    record::project(view, shape)
                };
                record::mask(&mut item, &masks);
                item
            })
            .collect();
        let mut body = example.clone();
        if let Some(total) = &paging.total {
            record::set(&mut body, total, Value::from(len));
        }
        if let Some(count) = &paging.count {
            record::set(&mut body, count, Value::from(items.len()));
        }
        record::set(&mut body, &paging.items, Value::Array(items));
        if let Some(window) = &window {
            if let Some(page) = &paging.page_field {
                record::set(&mut body, page, Value::from(window.page));
            }
            if let (Some(field), Some(size)) = (&paging.page_size_field, window.page_size) {
                record::set(&mut body, field, Value::from(size));
            }
            if let (Some(field), Ok((offset, limit)), Some(size)) =
                (&paging.next_link, paging.parameters(), window.size)
            {
                let link = match end < len {
                    true => next_link_url(self.inputs.request, offset, limit, end, size),
                    false => String::new(),
                };
                record::set(&mut body, field, Value::String(link));
            }
        }
        answer.response.body = self.with_request_id(&answer.response, body);
        answer
    }

    fn view_of<'r>(&self, record: &'r Value) -> Option<&'r Value> {
        record.pointer(self.plan.ext.view.as_deref().unwrap_or(""))
    }

    /// `body` serialized, with the request id the chosen answer already carries.
    fn with_request_id(&self, response: &MockResponse, mut body: Value) -> Bytes {
        let service = &self.engine.index.services[self.op.service];
        if let (Some(plan), Some(id), Value::Object(map)) = (
            &service.request_id,
            request_id_of(service, response),
            &mut body,
        ) {
            for field in &plan.body_fields {
                if let Some(slot) = map.get_mut(field) {
                    *slot = Value::String(id.clone());
                }
            }
        }
        Bytes::from(serde_json::to_vec(&body).unwrap_or_default())
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
