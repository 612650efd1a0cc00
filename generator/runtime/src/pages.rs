//! Pagination: every paginated operation gets a `*_stream` method whose [`Paginator`]
//! yields the items of all pages, fetching each page only when the items before it are
//! used up, through the same request path (retries, options, hooks) as any call.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::header::HeaderMap;

use super::call::Call;
use super::error::{Error, Undocumented};
use super::options::{per_call_options, RequestOptions};
use super::response::{head_accessors, Response, ResponseHead};

/// Which page to ask for; the generated method turns it into its parameters.
#[derive(Debug, Clone)]
#[allow(dead_code)] // A client uses the styles its spec has.
pub(crate) enum PageRequest {
    /// The caller's own parameters.
    First,
    /// The cursor the previous page named.
    Cursor(String),
    /// An offset or page number.
    Number(i64),
}

/// What one page holds, as the generated method reads it from the page's body.
pub(crate) struct PageParts<T> {
    pub items: Vec<T>,
    /// The next cursor or URL, where the page names one.
    pub next: Option<String>,
    /// Whether the server says there are more pages, where it says so.
    pub has_more: Option<bool>,
}

/// How the request for the next page follows from this one.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // A client uses the styles its spec has.
pub(crate) enum Advance {
    /// The page names the next cursor; an absent or empty one ends the list.
    Cursor,
    /// The offset grows by the number of items; an empty page ends the list.
    Offset { start: i64 },
    /// The page number grows by one; an empty page ends the list.
    Number { start: i64 },
    /// The page names the URL of the next page in its body.
    BodyUrl,
    /// The `Link: <…>; rel="next"` header names the URL of the next page.
    LinkHeader,
}

type Fetch<P, E> = Box<dyn FnMut(PageRequest) -> Call<P, E> + Send>;
type InFlight<P, E> = Pin<Box<dyn Future<Output = Result<Response<P>, Error<E>>> + Send>>;

/// A failure while paging: which page (1 for the first) and what went wrong. The items
/// of the pages before it have been yielded.
#[derive(Debug)]
pub struct PageError<E = Undocumented> {
    /// The page that could not be had (1 for the first).
    pub page: u32,
    /// What went wrong.
    pub error: Error<E>,
}

impl<E> PageError<E> {
    /// The error, without the page number.
    pub fn into_inner(self) -> Error<E> {
        self.error
    }
}

impl<E: fmt::Debug> fmt::Display for PageError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page {}: {}", self.page, self.error)
    }
}

impl<E: fmt::Debug + 'static> std::error::Error for PageError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// One page: its items and what the server said with them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// 1 for the first page.
    pub number: u32,
    head: ResponseHead,
}

impl<T> Page<T> {
    head_accessors!(head);
}

enum State<P, E> {
    Next(PageRequest, Option<reqwest::Url>),
    Fetching(InFlight<P, E>),
    /// The page before named a next page that cannot be fetched: yielded after its items.
    Failed(PageError<E>),
    Done,
}

/// The pages of a paginated operation, one at a time: a
/// [`Stream`](futures_core::Stream) of [`Page`]s, or [`next_page`](Pages::next_page)
/// without any stream library. From [`Paginator::pages`].
#[must_use = "a paginator sends nothing until it is polled"]
pub struct Pages<T, P, E = Undocumented> {
    fetch: Fetch<P, E>,
    split: fn(P) -> PageParts<T>,
    advance: Advance,
    options: RequestOptions,
    state: State<P, E>,
    fetched: u32,
    position: i64,
    /// Cursors and URLs already followed: a server that repeats one would loop forever.
    seen: HashSet<String>,
    pub(crate) origin: Option<url::Origin>,
    /// The URL of the last page fetched, which a relative next link is resolved against.
    last_url: Option<reqwest::Url>,
}

// No field is pinned: the in-flight future is boxed.
impl<T, P, E> Unpin for Pages<T, P, E> {}

impl<T, P, E> fmt::Debug for Pages<T, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("advance", &self.advance)
            .field("fetched", &self.fetched)
            .finish()
    }
}

impl<T: Send + 'static, P: Send + 'static, E: Send + 'static> Pages<T, P, E> {
    pub(crate) fn new(
        fetch: impl FnMut(PageRequest) -> Call<P, E> + Send + 'static,
        split: fn(P) -> PageParts<T>,
        advance: Advance,
    ) -> Self {
        let position = match advance {
            Advance::Offset { start } | Advance::Number { start } => start,
            _ => 0,
        };
        Pages {
            fetch: Box::new(fetch),
            split,
            advance,
            options: RequestOptions::default(),
            state: State::Next(PageRequest::First, None),
            fetched: 0,
            position,
            seen: HashSet::new(),
            origin: None,
            last_url: None,
        }
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<Page<T>, PageError<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Page<T>, PageError<E>>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(error) => return Poll::Ready(Some(Err(error))),
                State::Next(request, url) => {
                    let mut call = (self.fetch)(request).options(&self.options);
                    if let Some(url) = url {
                        call = call.at_url(url);
                    }
                    self.state = State::Fetching(Box::pin(call.with_response().into_future()));
                }
                State::Fetching(mut future) => match future.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Fetching(future);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(error)) => {
                        return Poll::Ready(Some(Err(PageError {
                            page: self.fetched + 1,
                            error,
                        })));
                    }
                    Poll::Ready(Ok(response)) => return Poll::Ready(Some(Ok(self.turn(response)))),
                },
            }
        }
    }

    /// Takes a page apart and decides on the next request (or the error that the next
    /// page cannot be had, yielded after this page).
    fn turn(&mut self, response: Response<P>) -> Page<T> {
        self.fetched += 1;
        let number = self.fetched;
        self.last_url = Some(response.url().clone());
        if self.origin.is_none() {
            self.origin = Some(response.url().origin());
        }
        let head = response.head().clone();
        let parts = (self.split)(response.into_inner());
        self.state = match self.next(&parts, &head.headers) {
            Ok(Some((request, url))) => State::Next(request, url),
            Ok(None) => State::Done,
            Err(message) => State::Failed(PageError {
                page: number + 1,
                error: Error::Paging(message),
            }),
        };
        Page {
            items: parts.items,
            number,
            head,
        }
    }

    /// The request for the page after this one; `None` at the end.
    pub(crate) fn next(
        &mut self,
        parts: &PageParts<T>,
        headers: &HeaderMap,
    ) -> Result<Option<(PageRequest, Option<reqwest::Url>)>, String> {
        let number = self.fetched;
        if parts.has_more == Some(false) {
            return Ok(None);
        }
        Ok(match self.advance {
            Advance::Cursor => match parts.next.as_deref().filter(|c| !c.is_empty()) {
                Some(cursor) => Some((PageRequest::Cursor(self.follow(cursor, number)?), None)),
                None => None,
            },
            Advance::Offset { .. } | Advance::Number { .. } if parts.items.is_empty() => None,
            Advance::Offset { .. } => {
                self.position += parts.items.len() as i64;
                Some((PageRequest::Number(self.position), None))
            }
            Advance::Number { .. } => {
                self.position += 1;
                Some((PageRequest::Number(self.position), None))
            }
            Advance::BodyUrl | Advance::LinkHeader => {
                let link = match self.advance {
                    Advance::LinkHeader => next_link(headers),
                    _ => parts.next.clone(),
                };
                match link.filter(|u| !u.is_empty()) {
                    Some(link) => {
                        let url = self.resolve(&link)?;
                        self.follow(url.as_str(), number)?;
                        Some((PageRequest::First, Some(url)))
                    }
                    None => None,
                }
            }
        })
    }

    /// Records a cursor or URL; one seen before is an error rather than a loop.
    fn follow(&mut self, next: &str, page: u32) -> Result<String, String> {
        if self.seen.insert(next.to_string()) {
            Ok(next.to_string())
        } else {
            Err(format!(
                "page {page} names a next page that was already fetched ({next}); stopped rather than loop"
            ))
        }
    }

    /// The absolute URL of a next-page link, resolved against the page that named it (RFC
    /// 3986, 5.2), which must be on the first page's origin.
    fn resolve(&self, link: &str) -> Result<reqwest::Url, String> {
        let origin = self
            .origin
            .clone()
            .ok_or_else(|| "the first page's URL is unknown".to_string())?;
        let base = match &self.last_url {
            Some(url) => url.clone(),
            None => reqwest::Url::parse(&origin.ascii_serialization()).map_err(|e| e.to_string())?,
        };
        let url = base
            .join(link)
            .map_err(|e| format!("the next page link `{link}` is not a URL: {e}"))?;
        if url.origin() == origin {
            Ok(url)
        } else {
            Err(format!(
                "the next page link points to another origin ({}), not followed",
                url.origin().ascii_serialization()
            ))
        }
    }
}

impl<T: Send + 'static, P: Send + 'static, E: Send + 'static> futures_core::Stream for Pages<T, P, E> {
    type Item = Result<Page<T>, PageError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The URL of `rel="next"` in a `Link` header (RFC 8288), if any.
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(next_in_link_header)
}

/// The target of the `rel="next"` link in one `Link` header value (RFC 8288): link
/// values are `<target>; param=value; …`, separated by commas outside `<…>` and quotes;
/// parameter names are case-insensitive.
fn next_in_link_header(value: &str) -> Option<String> {
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let (target, after) = rest.strip_prefix('<')?.split_once('>')?;
        let mut quoted = false;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == ',' && !quoted
            })
            .map_or(after.len(), |(i, _)| i);
        let is_next = after[..end].split(';').any(|param| {
            param.split_once('=').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(target.to_string());
        }
        rest = &after[end..];
    }
}

/// The items of every page of a paginated operation, lazily: a
/// [`Stream`](futures_core::Stream) of items, or [`next_item`](Paginator::next_item)
/// without any stream library. The list ends after the last page, and at the first
/// error, which says the page it happened on.
///
/// ```no_run
/// # async fn example<T, P, E: std::fmt::Debug>(mut items: __crate__::Paginator<T, P, E>)
/// # -> Result<(), __crate__::PageError<E>>
/// # where T: Send + 'static, P: Send + 'static, E: Send + 'static {
/// while let Some(item) = items.next_item().await {
///     let item = item?;
///     // …
/// #   let _ = item;
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paginator sends nothing until it is polled"]
pub struct Paginator<T, P, E = Undocumented> {
    pages: Pages<T, P, E>,
    buffer: VecDeque<T>,
}

impl<T, P, E> Unpin for Paginator<T, P, E> {}

impl<T, P, E> fmt::Debug for Paginator<T, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T: Send + 'static, P: Send + 'static, E: Send + 'static> Paginator<T, P, E> {
    pub(crate) fn new(pages: Pages<T, P, E>) -> Self {
        Paginator {
            pages,
            buffer: VecDeque::new(),
        }
    }

    // Options for every page's request.
    per_call_options!(pages.options);

    /// Page by page instead of item by item, with each page's metadata.
    pub fn pages(self) -> Pages<T, P, E> {
        self.pages
    }

    /// The next item, or `None` after the last one (or after an error).
    pub async fn next_item(&mut self) -> Option<Result<T, PageError<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item of every page (fetching them all).
    pub async fn collect_all(mut self) -> Result<Vec<T>, PageError<E>> {
        let mut all = Vec::new();
        while let Some(item) = self.next_item().await {
            all.push(item?);
        }
        Ok(all)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, PageError<E>>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Ready(Some(Ok(page))) => self.buffer.extend(page.items),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T: Send + 'static, P: Send + 'static, E: Send + 'static> futures_core::Stream for Paginator<T, P, E> {
    type Item = Result<T, PageError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
