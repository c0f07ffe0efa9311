//! Walking through paged list endpoints as a `Stream`.

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::{Call, CallFuture, Error};

/// A payload that is one page of a list.
pub trait Page {
    /// The list element.
    type Item;

    /// Splits the page into its items and the number of the next page
    /// (`None` when the service reports no next page, i.e. `next` is 0).
    fn into_items(self) -> (Vec<Self::Item>, Option<u32>);
}

/// Builds the call for a page number. Boxed, so the stream's type names only the page type.
type Fetch<'a, P> = Box<dyn FnMut(u32) -> Call<'a, P> + Send + 'a>;

/// Every item of a paged list, page after page: what the `*_stream` methods return.
///
/// `P` is the page payload (for example `PaymentPage`); the stream yields
/// `Result<P::Item, Error>`. It ends after the last page, after the first error (which it
/// yields), or when the service names a next page that is not after the current one. It is
/// `Unpin`, so `StreamExt::next` works on it directly.
///
/// Decoding is compiled where the stream is polled, as for an awaited call, so the
/// `*_stream` methods cost nothing in builds that never use them.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<'a, P: Page> {
    fetch: Fetch<'a, P>,
    buffered: VecDeque<P::Item>,
    next_page: Option<u32>,
    /// The page being fetched, and its number.
    in_flight: Option<(u32, CallFuture<'a, P>)>,
}

/// Streams every item of a paged list, starting at `first_page`; `fetch` builds the call for
/// a page number. Called by the generated `*_stream` methods.
///
/// ```ignore
/// let stream = paginate(1, move |page| client.list_payments_by_status(
///     &PaymentStatusFilter::Paid,
///     &ListQuery { page: Some(page), ..Default::default() },
/// ));
/// ```
pub fn paginate<'a, P, F>(first_page: u32, fetch: F) -> PageStream<'a, P>
where
    F: FnMut(u32) -> Call<'a, P> + Send + 'a,
    P: Page,
{
    PageStream {
        fetch: Box::new(fetch),
        buffered: VecDeque::new(),
        next_page: Some(first_page),
        in_flight: None,
    }
}

impl<'a, P> Stream for PageStream<'a, P>
where
    P: Page + DeserializeOwned + Send + 'a,
    P::Item: Unpin,
{
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((page, call)) = &mut this.in_flight {
                let page = *page;
                let result = match Pin::new(call).poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                this.in_flight = None;
                match result {
                    Ok(payload) => {
                        let (items, next) = payload.into_items();
                        this.buffered.extend(items);
                        this.next_page = next.filter(|&n| advances(page, n));
                    }
                    Err(error) => return Poll::Ready(Some(Err(error))),
                }
                continue;
            }
            let Some(page) = this.next_page.take() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some((page, (this.fetch)(page).into_future()));
        }
    }
}

impl<P: Page> fmt::Debug for PageStream<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("buffered", &self.buffered.len())
            .field("next_page", &self.next_page)
            .field("fetching", &self.in_flight.as_ref().map(|(page, _)| page))
            .finish_non_exhaustive()
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
