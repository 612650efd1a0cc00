//! Unit tests of `pages.rs`: when each pagination style asks for another page and when
//! it stops (`Pages::next`), `Link` header parsing, and whole lists paged through a
//! server on 127.0.0.1.

use reqwest::header::{HeaderMap, HeaderValue, LINK};
use reqwest::{Method, StatusCode};
use serde::Deserialize;

use super::{answer, Reply, Server};
use crate::call::{Call, Operation};
use crate::client_core::{Client, ClientBuilder};
use crate::error::{Error, Undocumented};
use crate::options::BoxError;
use crate::pages::{next_link, Advance, PageError, PageParts, PageRequest, Pages, Paginator};

fn link(value: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(LINK, HeaderValue::from_static(value));
    headers
}

#[test]
fn next_links() {
    let headers = link(
        r#"<https://api.example.com/items?page=1>; rel="prev", <https://api.example.com/items?page=3>; rel="next", <https://api.example.com/items?page=9>; rel="last""#,
    );
    assert_eq!(
        next_link(&headers).as_deref(),
        Some("https://api.example.com/items?page=3")
    );
    assert_eq!(next_link(&link("</p2>; rel=\"next prefetch\"")).as_deref(), Some("/p2"));
    assert_eq!(next_link(&link("<https://x/last>; rel=last")), None);
}

#[test]
fn next_link_forms() {
    let cases: &[(&str, Option<&str>)] = &[
        ("</a>;rel=next", Some("/a")),
        ("</a> ; rel=next", Some("/a")),
        ("</a>; rel=\"NEXT\"", Some("/a")),
        ("</a>; title=\"x\"; rel=\"next\"", Some("/a")),
        ("</a>; rel=\"prefetch next\"", Some("/a")),
        ("</a>; rel=\"nextpage\"", None),
        ("</a>; rel=prev,</b>; rel=next", Some("/b")),
        ("/a; rel=next", None),
        ("</a>", None),
        ("", None),
    ];
    for (value, expected) in cases {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, HeaderValue::from_str(value).expect("a header value"));
        assert_eq!(next_link(&headers).as_deref(), *expected, "Link: {value}");
    }
    let mut headers = HeaderMap::new();
    headers.append(LINK, HeaderValue::from_static("</first>; rel=first"));
    headers.append(LINK, HeaderValue::from_static("</second>; rel=next"));
    assert_eq!(
        next_link(&headers).as_deref(),
        Some("/second"),
        "the rel=next of a second Link header"
    );
    assert_eq!(next_link(&HeaderMap::new()), None, "no Link header");
}

#[test]
fn a_link_target_may_contain_commas_and_semicolons() {
    let headers = link("<https://api.example.com/items?fields=id,name&page=2>; rel=\"next\"");
    assert_eq!(
        next_link(&headers).as_deref(),
        Some("https://api.example.com/items?fields=id,name&page=2")
    );
    let headers = link("<https://api.example.com/items;v=2?page=2>; rel=\"next\"");
    assert_eq!(
        next_link(&headers).as_deref(),
        Some("https://api.example.com/items;v=2?page=2")
    );
}

#[test]
fn link_parameter_names_are_case_insensitive() {
    assert_eq!(next_link(&link("</a>; Rel=\"next\"")).as_deref(), Some("/a"));
    assert_eq!(next_link(&link("</a>; rel = \"next\"")).as_deref(), Some("/a"));
}

// `Pages::next` decides on the next request from one page; the fetch closure and the
// split function are not used by it.

fn unused_split(_: ()) -> PageParts<u32> {
    unreachable!("next() does not split pages")
}

fn pages(advance: Advance) -> Pages<u32, ()> {
    let mut pages = Pages::new(
        |_| -> Call<(), Undocumented> { unreachable!("next() fetches nothing") },
        unused_split,
        advance,
    );
    pages.origin = Some(
        reqwest::Url::parse("https://api.example.com/v1/items")
            .expect("a URL")
            .origin(),
    );
    pages
}

fn page(items: usize, next: Option<&str>, has_more: Option<bool>) -> PageParts<u32> {
    PageParts {
        items: (0..items as u32).collect(),
        next: next.map(str::to_string),
        has_more,
    }
}

/// The decision of `next`, as text: `end`, `cursor c`, `number n`, `url u`, `error: …`.
fn decide(pages: &mut Pages<u32, ()>, parts: &PageParts<u32>, headers: &HeaderMap) -> String {
    match pages.next(parts, headers) {
        Ok(None) => "end".to_string(),
        Ok(Some((PageRequest::Cursor(cursor), None))) => format!("cursor {cursor}"),
        Ok(Some((PageRequest::Number(n), None))) => format!("number {n}"),
        Ok(Some((PageRequest::First, Some(url)))) => format!("url {url}"),
        Ok(Some(other)) => format!("unexpected {other:?}"),
        Err(message) => format!("error: {message}"),
    }
}

#[test]
fn cursor_pages_end_without_a_cursor() {
    let none = HeaderMap::new();
    for (parts, why) in [
        (page(3, None, None), "no cursor"),
        (page(3, Some(""), None), "an empty cursor"),
        (page(3, None, Some(true)), "no cursor though has_more"),
        (page(3, Some("c2"), Some(false)), "has_more false"),
    ] {
        assert_eq!(decide(&mut pages(Advance::Cursor), &parts, &none), "end", "{why}");
    }
    // An empty page that names a cursor goes on: the server may filter pages.
    assert_eq!(
        decide(&mut pages(Advance::Cursor), &page(0, Some("c2"), None), &none),
        "cursor c2"
    );
}

#[test]
fn a_repeated_cursor_is_an_error_not_a_loop() {
    let none = HeaderMap::new();
    let mut pages = pages(Advance::Cursor);
    assert_eq!(decide(&mut pages, &page(2, Some("c2"), None), &none), "cursor c2");
    assert_eq!(decide(&mut pages, &page(2, Some("c3"), Some(true)), &none), "cursor c3");
    let repeated = decide(&mut pages, &page(2, Some("c2"), None), &none);
    assert!(
        repeated.starts_with("error: ") && repeated.contains("already fetched") && repeated.contains("c2"),
        "{repeated}"
    );
}

#[test]
fn offset_pages_grow_by_the_items_and_end_on_an_empty_page() {
    let none = HeaderMap::new();
    let mut pages = pages(Advance::Offset { start: 10 });
    assert_eq!(decide(&mut pages, &page(5, None, None), &none), "number 15");
    assert_eq!(
        decide(&mut pages, &page(3, Some("ignored"), Some(true)), &none),
        "number 18"
    );
    assert_eq!(decide(&mut pages, &page(0, None, None), &none), "end");
    assert_eq!(
        decide(
            &mut self::pages(Advance::Offset { start: 0 }),
            &page(0, None, Some(true)),
            &none
        ),
        "end",
        "empty, though has_more"
    );
    assert_eq!(
        decide(
            &mut self::pages(Advance::Offset { start: 0 }),
            &page(4, None, Some(false)),
            &none
        ),
        "end",
        "has_more false"
    );
}

#[test]
fn numbered_pages_grow_by_one_and_end_on_an_empty_page() {
    let none = HeaderMap::new();
    let mut pages = pages(Advance::Number { start: 1 });
    assert_eq!(decide(&mut pages, &page(50, None, None), &none), "number 2");
    assert_eq!(decide(&mut pages, &page(1, None, Some(true)), &none), "number 3");
    assert_eq!(decide(&mut pages, &page(0, None, None), &none), "end");
    assert_eq!(
        decide(
            &mut self::pages(Advance::Number { start: 0 }),
            &page(0, None, Some(true)),
            &none
        ),
        "end",
        "empty, though has_more"
    );
    assert_eq!(
        decide(
            &mut self::pages(Advance::Number { start: 0 }),
            &page(9, None, Some(false)),
            &none
        ),
        "end",
        "has_more false"
    );
}

#[test]
fn body_url_pages_follow_links_on_the_same_origin() {
    let none = HeaderMap::new();
    let mut pages = pages(Advance::BodyUrl);
    let cases = [
        (
            page(1, Some("/v1/items?page=2"), None),
            "url https://api.example.com/v1/items?page=2",
        ),
        (
            page(1, Some("https://api.example.com/v1/items?page=3"), Some(true)),
            "url https://api.example.com/v1/items?page=3",
        ),
        (
            page(1, Some("https://API.example.com:443/v1/items?page=4"), None),
            "url https://api.example.com/v1/items?page=4",
        ),
    ];
    for (parts, expected) in cases {
        assert_eq!(decide(&mut pages, &parts, &none), expected, "next: {:?}", parts.next);
    }
    for (parts, why) in [
        (page(1, None, None), "no link"),
        (page(1, Some(""), None), "an empty link"),
        (page(1, Some("/v1/items?page=9"), Some(false)), "has_more false"),
    ] {
        assert_eq!(
            decide(&mut self::pages(Advance::BodyUrl), &parts, &none),
            "end",
            "{why}"
        );
    }
    // The Link header is not what this style reads.
    let headers = link("</v1/items?page=2>; rel=next");
    assert_eq!(
        decide(&mut self::pages(Advance::BodyUrl), &page(1, None, None), &headers),
        "end"
    );
}

#[test]
fn a_next_link_to_another_origin_is_refused() {
    for target in [
        "https://evil.example/v1/items?page=2",
        "http://api.example.com/v1/items?page=2",
        "https://api.example.com:8443/v1/items?page=2",
        "//evil.example/v1/items",
    ] {
        let outcome = decide(
            &mut pages(Advance::BodyUrl),
            &page(1, Some(target), None),
            &HeaderMap::new(),
        );
        assert!(
            outcome.starts_with("error: ") && outcome.contains("another origin"),
            "{target}: {outcome}"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_str(&format!("<{target}>; rel=\"next\"")).expect("a header value"),
        );
        let outcome = decide(&mut pages(Advance::LinkHeader), &page(1, None, None), &headers);
        assert!(
            outcome.starts_with("error: ") && outcome.contains("another origin"),
            "Link {target}: {outcome}"
        );
    }
    let outcome = decide(
        &mut pages(Advance::BodyUrl),
        &page(1, Some("http://[::1"), None),
        &HeaderMap::new(),
    );
    assert!(
        outcome.starts_with("error: ") && outcome.contains("not a URL"),
        "{outcome}"
    );
}

#[test]
fn a_repeated_next_url_is_an_error_not_a_loop() {
    let mut pages = pages(Advance::BodyUrl);
    assert_eq!(
        decide(&mut pages, &page(1, Some("/v1/items?page=2"), None), &HeaderMap::new()),
        "url https://api.example.com/v1/items?page=2"
    );
    // The same URL, written another way.
    let outcome = decide(
        &mut pages,
        &page(1, Some("https://api.example.com/v1/items?page=2"), None),
        &HeaderMap::new(),
    );
    assert!(outcome.contains("already fetched"), "{outcome}");
}

#[test]
fn link_header_pages_end_without_rel_next() {
    let cursor_in_body = page(1, Some("/v1/items?page=2"), None);
    let mut pages = pages(Advance::LinkHeader);
    assert_eq!(
        decide(&mut pages, &cursor_in_body, &link("</v1/items?page=2>; rel=\"next\"")),
        "url https://api.example.com/v1/items?page=2"
    );
    assert_eq!(
        decide(&mut pages, &cursor_in_body, &HeaderMap::new()),
        "end",
        "no Link header: the body's link is not used"
    );
    assert_eq!(
        decide(
            &mut self::pages(Advance::LinkHeader),
            &page(1, None, None),
            &link("</v1/items?page=1>; rel=\"prev\"")
        ),
        "end",
        "rel=prev only"
    );
    assert_eq!(
        decide(
            &mut self::pages(Advance::LinkHeader),
            &page(1, None, Some(false)),
            &link("</v1/items?page=2>; rel=next")
        ),
        "end",
        "has_more false"
    );
}

#[test]
fn a_link_before_the_first_page_is_known_is_an_error() {
    let mut pages = pages(Advance::BodyUrl);
    pages.origin = None;
    let outcome = decide(&mut pages, &page(1, Some("/v1/items?page=2"), None), &HeaderMap::new());
    assert!(outcome.contains("first page's URL is unknown"), "{outcome}");
}

// Whole lists, through a real client and a server on 127.0.0.1.

#[derive(Deserialize)]
struct ListBody {
    items: Vec<u32>,
    next: Option<String>,
}

fn split(body: ListBody) -> PageParts<u32> {
    PageParts {
        items: body.items,
        next: body.next,
        has_more: None,
    }
}

fn decode(_: StatusCode, body: &[u8]) -> Result<ListBody, BoxError> {
    crate::runtime::json(body)
}

static LIST: Operation = Operation {
    id: "listItems",
    method: "GET",
    path: "/v1/items",
    idempotency_header: None,
};

/// The items of a list served by `server`, paged with `advance`, and the error that
/// stopped it, if any.
async fn page_through(server: &Server, advance: Advance) -> (Vec<u32>, Option<PageError>) {
    let client: Client = ClientBuilder::for_base_url(&server.url("/v1"))
        .max_retries(0)
        .build()
        .expect("a client");
    let fetch = move |request: PageRequest| {
        let query = match request {
            PageRequest::First => String::new(),
            PageRequest::Cursor(cursor) => format!("?cursor={cursor}"),
            PageRequest::Number(n) => format!("?page={n}"),
        };
        let url = format!("{}/items{query}", client.base_url);
        let transport = client.transport.clone();
        Call::new(
            &client.transport,
            &LIST,
            decode,
            crate::runtime::no_error_body,
            move || Ok(transport.request(Method::GET, url, None)),
        )
    };
    let mut items = Paginator::new(Pages::new(fetch, split, advance));
    let mut all = Vec::new();
    while let Some(item) = items.next_item().await {
        match item {
            Ok(item) => all.push(item),
            Err(error) => {
                assert!(items.next_item().await.is_none(), "nothing after the error {error}");
                return (all, Some(error));
            }
        }
        assert!(all.len() < 100, "the list does not end");
    }
    (all, None)
}

fn json(items: &str, next: Option<&str>, headers: &[(&str, &str)]) -> Reply {
    let next = next.map_or("null".to_string(), |n| format!("\"{n}\""));
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    answer("200 OK", &all, &format!("{{\"items\":{items},\"next\":{next}}}"))
}

#[tokio::test]
async fn a_cursor_list_is_read_to_its_end() {
    let server = Server::start(|line| match line.split(' ').nth(1).unwrap_or_default() {
        "/v1/items" => json("[1,2]", Some("b"), &[]),
        "/v1/items?cursor=b" => json("[3]", Some("c"), &[]),
        "/v1/items?cursor=c" => json("[4]", None, &[]),
        _ => answer("404 Not Found", &[], ""),
    });
    let (items, error) = page_through(&server, Advance::Cursor).await;
    assert_eq!(items, vec![1, 2, 3, 4]);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(server.requests.lock().expect("request log").len(), 3);
}

#[tokio::test]
async fn a_cursor_list_that_loops_stops_with_a_paging_error_after_the_items() {
    let server = Server::start(|line| match line.split(' ').nth(1).unwrap_or_default() {
        "/v1/items" => json("[1]", Some("a"), &[]),
        "/v1/items?cursor=a" => json("[2]", Some("b"), &[]),
        "/v1/items?cursor=b" => json("[3]", Some("a"), &[]),
        _ => answer("404 Not Found", &[], ""),
    });
    let (items, error) = page_through(&server, Advance::Cursor).await;
    assert_eq!(items, vec![1, 2, 3], "every item before the loop");
    let error = error.expect("a paging error");
    assert_eq!(error.page, 4, "the page that would repeat: {error}");
    assert!(matches!(error.error, Error::Paging(_)), "{error:?}");
    assert_eq!(
        server.requests.lock().expect("request log").len(),
        3,
        "the repeated page is not fetched"
    );
}

#[tokio::test]
async fn link_header_pages_are_followed_until_a_link_leaves_the_origin() {
    let server = Server::start(|line| match line.split(' ').nth(1).unwrap_or_default() {
        "/v1/items" => json("[1,2]", None, &[("link", "</v1/items?page=2>; rel=\"next\"")]),
        "/v1/items?page=2" => json(
            "[3]",
            None,
            &[("link", "<https://elsewhere.example/v1/items?page=3>; rel=\"next\"")],
        ),
        _ => answer("404 Not Found", &[], ""),
    });
    let (items, error) = page_through(&server, Advance::LinkHeader).await;
    assert_eq!(items, vec![1, 2, 3]);
    let error = error.expect("the link to another origin is an error");
    assert_eq!(error.page, 3, "{error}");
    assert!(
        matches!(&error.error, Error::Paging(m) if m.contains("another origin")),
        "{error:?}"
    );
    let requests = server.requests.lock().expect("request log").clone();
    assert_eq!(
        requests,
        vec!["GET /v1/items HTTP/1.1", "GET /v1/items?page=2 HTTP/1.1"]
    );
}

#[tokio::test]
async fn a_failed_page_says_its_number() {
    let server = Server::start(|line| match line.split(' ').nth(1).unwrap_or_default() {
        "/v1/items" => json("[1]", None, &[]),
        _ => answer("500 Internal Server Error", &[], "down"),
    });
    let (items, error) = page_through(&server, Advance::Number { start: 1 }).await;
    assert_eq!(items, vec![1]);
    let error = error.expect("the second page fails");
    assert_eq!(error.page, 2, "{error}");
    assert_eq!(
        error.error.status(),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_relative_next_link_resolves_against_the_page_url() {
    let server = Server::start(|line| match line.split(' ').nth(1).unwrap_or_default() {
        "/v1/items" => json("[1]", None, &[("link", "<?page=2>; rel=\"next\"")]),
        "/v1/items?page=2" => json("[2]", None, &[]),
        _ => answer("404 Not Found", &[], ""),
    });
    let (items, error) = page_through(&server, Advance::LinkHeader).await;
    let requests = server.requests.lock().expect("request log").clone();
    assert_eq!(items, vec![1, 2], "requests: {requests:?}, error: {error:?}");
}
