//! Lazy item streams over paged list operations (`x-keygate-pagination` in the specs).
//!
//! The generator gives each paged operation's builder an `into_stream()` that calls
//! [`items`] (offset and page styles) or [`items_by_link`] (next-link style) with the spec's
//! paging facts. Pages are fetched one at a time, only when the consumer has taken every
//! item of the previous one. Offset and page streams end as soon as the items seen reach the
//! total the service reports, or at an empty page (a service that over-reports its total
//! cannot make it loop); link streams end at the page without a next link.

mod link;

pub(crate) use link::{LinkPaging, items_by_link};

use std::future::Future;
use std::num::{NonZeroU32, NonZeroU64};
use std::pin::Pin;

use futures::stream::{self, Stream, StreamExt as _, TryStreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::response::Response;

/// A stream of items from a paged list operation, each page fetched on demand.
pub type Items<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// How the operation moves through its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `offset`/`limit`: the position counts items, from 0.
    Offset,
    /// `pageNumber`/`pageSize`: the position counts pages, from 1.
    Page,
}

/// One paged operation's paging facts, from its builder and the spec.
#[derive(Debug)]
pub(crate) struct Paging {
    pub(crate) style: Style,
    /// The position set on the builder, if any.
    pub(crate) start: Result<Option<u64>, String>,
    /// The page size set on the builder, if any.
    pub(crate) size: Result<Option<u64>, String>,
    /// The page size the service uses when none is sent.
    pub(crate) default_size: u64,
    /// JSON pointer to the items in the success body.
    pub(crate) items: &'static str,
    /// JSON pointer to the total count in the success body.
    pub(crate) total: &'static str,
}

/// A position handed to a builder's typed setter (`i64`, `NonZeroU32`, …).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Position(pub(crate) u64);

macro_rules! position_into {
    ($($t:ty => $convert:expr),* $(,)?) => {$(
        impl TryFrom<Position> for $t {
            type Error = std::num::TryFromIntError;
            fn try_from(position: Position) -> Result<Self, Self::Error> {
                $convert(position.0)
            }
        }
    )*};
}

position_into! {
    i32 => i32::try_from,
    i64 => i64::try_from,
    u32 => u32::try_from,
    NonZeroU64 => NonZeroU64::try_from,
}

impl TryFrom<Position> for NonZeroU32 {
    type Error = std::num::TryFromIntError;
    fn try_from(position: Position) -> Result<Self, Self::Error> {
        u32::try_from(position.0).and_then(NonZeroU32::try_from)
    }
}

/// A builder field's value as a position.
pub(crate) trait ToPosition {
    fn to_position(&self) -> Option<u64>;
}

macro_rules! to_position {
    ($($t:ty),*) => {$(
        impl ToPosition for $t {
            fn to_position(&self) -> Option<u64> {
                u64::try_from(<$t>::from(*self)).ok()
            }
        }
    )*};
}

to_position!(i32, i64, u32, u64);

impl ToPosition for NonZeroU32 {
    fn to_position(&self) -> Option<u64> {
        Some(u64::from(self.get()))
    }
}

impl ToPosition for NonZeroU64 {
    fn to_position(&self) -> Option<u64> {
        Some(self.get())
    }
}

/// Reads a builder's `Result<Option<T>, String>` field.
pub(crate) fn position_of<T: ToPosition>(
    field: &Result<Option<T>, String>,
) -> Result<Option<u64>, String> {
    match field {
        Ok(Some(value)) => value
            .to_position()
            .map(Some)
            .ok_or_else(|| "a negative paging parameter cannot start a stream".to_owned()),
        Ok(None) => Ok(None),
        Err(message) => Err(message.clone()),
    }
}

/// Where the stream stands between two pages.
struct Cursor<B, F> {
    builder: B,
    fetch: F,
    position: u64,
    page_size: u64,
    done: bool,
}

/// Streams the items of every page, starting at the builder's position.
pub(crate) fn items<'a, B, F, Fut, T, I>(builder: B, paging: Paging, fetch: F) -> Items<'a, I>
where
    B: Clone + Send + 'a,
    F: Fn(B, u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Response<T>, Error>> + Send + 'a,
    T: Serialize + Send + 'a,
    I: DeserializeOwned + Send + 'a,
{
    let first = match paging.style {
        Style::Offset => 0,
        Style::Page => 1,
    };
    let (start, size) = match (paging.start, paging.size) {
        (Ok(start), Ok(size)) => (start.unwrap_or(first), size.unwrap_or(paging.default_size)),
        (Err(message), _) | (_, Err(message)) => {
            return stream::once(async move { Err(Error::InvalidRequest { message }) }).boxed();
        }
    };
    let cursor = Cursor {
        builder,
        fetch,
        position: start,
        page_size: size,
        done: false,
    };
    let (style, items_at, total_at) = (paging.style, paging.items, paging.total);
    stream::try_unfold(cursor, move |mut cursor| async move {
        if cursor.done {
            return Ok::<_, Error>(None);
        }
        let page = (cursor.fetch)(cursor.builder.clone(), cursor.position).await?;
        let (items, rest) = split_page::<T, I>(page.into_inner(), items_at)?;
        let total = rest.pointer(total_at).and_then(serde_json::Value::as_u64);
        let count = items.len() as u64;
        let seen = match style {
            Style::Offset => cursor.position + count,
            Style::Page => cursor.position.saturating_sub(1) * cursor.page_size + count,
        };
        cursor.position += match style {
            Style::Offset => count,
            Style::Page => 1,
        };
        cursor.done = count == 0 || total.is_some_and(|total| seen >= total);
        Ok(Some((items, cursor)))
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// The items of one decoded page, found by the spec's JSON pointer, and the rest of the page
/// (for its total or next link).
fn split_page<T: Serialize, I: DeserializeOwned>(
    page: T,
    items_at: &str,
) -> Result<(Vec<I>, serde_json::Value), Error> {
    let invalid = |what: &str| Error::InvalidRequest {
        message: format!("a page could not be split into items: {what}"),
    };
    let mut body =
        serde_json::to_value(page).map_err(|_| invalid("the page does not serialize"))?;
    let items = match body.pointer_mut(items_at).map(serde_json::Value::take) {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(items) => {
            serde_json::from_value(items).map_err(|_| invalid("the items do not decode"))?
        }
    };
    Ok((items, body))
}
