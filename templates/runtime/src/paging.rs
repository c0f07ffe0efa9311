//! Walking through paged list endpoints as a `Stream`.

use std::collections::VecDeque;
use std::pin::Pin;

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::{Call, Error};

/// A payload that is one page of a list.
pub trait Page {
    /// The list element.
    type Item;

    /// Splits the page into its items and the number of the next page
    /// (`None` when the service reports no next page, i.e. `next` is 0).
    fn into_items(self) -> (Vec<Self::Item>, Option<u32>);
}

/// A boxed stream of items across pages, as returned by the `*_stream` methods.
pub type PageStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// Streams every item of a paged list, starting at `first_page`.
///
/// `fetch` builds the call for a page number. The stream ends after the last
/// page, after the first error (which it yields), or when the service names
/// a next page that is not after the current one.
///
/// ```ignore
/// use futures_util::TryStreamExt;
/// let payments: Vec<_> = paginate(1, |page| client.list_payments_by_status(
///     &PaymentStatusFilter::Paid,
///     &ListQuery { page: Some(page), ..Default::default() },
/// )).try_collect().await?;
/// ```
pub fn paginate<'a, P, F>(first_page: u32, fetch: F) -> PageStream<'a, P::Item>
where
    F: FnMut(u32) -> Call<'a, P> + Send + 'a,
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
{
    walk(first_page, Box::new(fetch))
}

/// Builds a call for a page number. Boxed, so the walk below is compiled once per page type
/// rather than once per paged method.
type Fetch<'a, P> = Box<dyn FnMut(u32) -> Call<'a, P> + Send + 'a>;

fn walk<'a, P>(first_page: u32, fetch: Fetch<'a, P>) -> PageStream<'a, P::Item>
where
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
{
    let state = Pager {
        fetch,
        buffered: VecDeque::new(),
        next_page: Some(first_page),
    };
    Box::pin(futures_util::stream::unfold(state, Pager::advance))
}

struct Pager<'a, P: Page> {
    fetch: Fetch<'a, P>,
    buffered: VecDeque<P::Item>,
    next_page: Option<u32>,
}

impl<'a, P> Pager<'a, P>
where
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
{
    async fn advance(mut self) -> Option<(Result<P::Item, Error>, Self)> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some((Ok(item), self));
            }
            let page = self.next_page.take()?;
            match (self.fetch)(page).await {
                Ok(payload) => {
                    let (items, next) = payload.into_items();
                    self.buffered.extend(items);
                    self.next_page = next.filter(|&n| advances(page, n));
                }
                Err(error) => return Some((Err(error), self)),
            }
        }
    }
}

fn advances(current: u32, next: u32) -> bool {
    if next > current {
        true
    } else {
        tracing::warn!(
            current,
            next,
            "portone: next page does not advance; stopping"
        );
        false
    }
}
