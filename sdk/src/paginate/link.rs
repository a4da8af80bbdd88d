//! Streams over lists that link each page to the next (Azure's `nextLink`): the link the
//! service returned is followed as it is, never rebuilt.

use std::future::Future;
use std::pin::Pin;

use futures::stream::{self, StreamExt as _, TryStreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Items, split_page};
use crate::error::Error;
use crate::response::Response;

/// Where a linked page keeps its items and its link to the next page (JSON pointers).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkPaging {
    pub(crate) items: &'static str,
    pub(crate) next_link: &'static str,
}

/// What comes next: the builder's own first page, a link, or nothing.
enum Next<'a, T> {
    First(Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send + 'a>>),
    Link(String),
    Done,
}

/// Streams the items of `first` and of every page its links lead to; `follow` fetches a link.
pub(crate) fn items_by_link<'a, T, I, Fut>(
    first: impl Future<Output = Result<Response<T>, Error>> + Send + 'a,
    paging: LinkPaging,
    follow: impl Fn(String) -> Fut + Send + 'a,
) -> Items<'a, I>
where
    Fut: Future<Output = Result<Response<T>, Error>> + Send + 'a,
    T: Serialize + Send + 'a,
    I: DeserializeOwned + Send + 'a,
{
    let start = Next::First(Box::pin(first));
    stream::try_unfold(start, move |next| {
        let page = match next {
            Next::First(first) => Some(first),
            Next::Link(link) => {
                Some(Box::pin(follow(link)) as Pin<Box<dyn Future<Output = _> + Send + 'a>>)
            }
            Next::Done => None,
        };
        async move {
            let Some(page) = page else {
                return Ok::<_, Error>(None);
            };
            let (items, rest) = split_page::<T, I>(page.await?.into_inner(), paging.items)?;
            let next = match rest
                .pointer(paging.next_link)
                .and_then(serde_json::Value::as_str)
            {
                Some(link) if !link.is_empty() => Next::Link(link.to_owned()),
                _ => Next::Done,
            };
            Ok(Some((items, next)))
        }
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
