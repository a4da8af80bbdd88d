//! `x-keygate-pagination`: which window of a documented listing a request asks for.
//!
//! The window is read from the (already validated) request: the offset/page and
//! limit/page-size parameters, clamped where the spec says the service clamps
//! (`x-keygate-clamp`), their schema `default` when absent.

use keygate_spec::ext::{PageStyle, PaginationExt};

use super::params::{Coerce, Location, OpParam, ParamSpec, Shape};
use crate::render::page::Window;
use crate::request::Inputs;

/// An operation's pagination, with its parameters found among the operation's.
#[derive(Debug)]
pub(crate) struct Pagination {
    style: PageStyle,
    /// Index of the offset (or page) parameter among the operation's parameters.
    start: usize,
    /// Index of the limit (or page-size) parameter.
    size: usize,
}

impl Pagination {
    /// Finds the extension's parameters in `params`; they must be integer query parameters.
    pub(crate) fn compile(ext: &PaginationExt, params: &[ParamSpec]) -> Result<Self, String> {
        let (start, size) = ext.parameters()?;
        let find = |name: &str| {
            params
                .iter()
                .position(|p| {
                    p.name.as_ref() == name
                        && p.location == Location::Query
                        && p.shape == Shape::Scalar(Coerce::Integer)
                })
                .ok_or_else(|| {
                    format!("x-keygate-pagination: {name} is not an integer query parameter")
                })
        };
        Ok(Self {
            style: ext.style,
            start: find(start)?,
            size: find(size)?,
        })
    }

    /// The window `inputs` ask for; `params` are the operation's, as compiled with it.
    pub(crate) fn window(&self, params: &[OpParam], inputs: &Inputs<'_>) -> Window {
        let first = effective(&params[self.start].spec, inputs);
        let size = effective(&params[self.size].spec, inputs);
        let count = size.map(|s| u64::try_from(s).unwrap_or(0));
        match self.style {
            PageStyle::Offset | PageStyle::NextLink => {
                let offset = first.unwrap_or(0);
                Window {
                    start: u64::try_from(offset).unwrap_or(0),
                    size: count,
                    page: offset,
                    page_size: size,
                }
            }
            PageStyle::Page => {
                let page = first.unwrap_or(1);
                let before = u64::try_from(page.saturating_sub(1)).unwrap_or(0);
                let start = match count {
                    Some(count) => before.saturating_mul(count),
                    // No page size: everything is on page 1.
                    None if before == 0 => 0,
                    None => u64::MAX,
                };
                Window {
                    start,
                    size: count,
                    page,
                    page_size: size,
                }
            }
        }
    }
}

/// The value the service works with: the request's (clamped), else the schema's default.
fn effective(spec: &ParamSpec, inputs: &Inputs<'_>) -> Option<i64> {
    let sent = spec
        .query_values(inputs)
        .next()
        .and_then(|text| text.parse::<i64>().ok());
    match (sent, &spec.clamp) {
        (Some(number), Some(clamp)) => Some(clamp.apply(number)),
        (Some(number), None) => Some(number),
        (None, _) => spec.default,
    }
}
