//! Paginated operations on a loopback server: every convention the generator
//! recognises (client from `tests/fixtures/pagination.yaml`, plus a rule declared in
//! `tests/fixtures/pagination.toml`) with 0, 1 and many pages; laziness; a repeated
//! cursor; a `Link` to another origin; an error on page 3; retries and options.

#[path = "../../support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use prism_tests::pagination_fixture::{
    self as fixture, types::Item, Client, ListDeclaredParams, ListDropshotParams,
    ListFernCursorParams, ListFernOffsetParams, ListLinkedParams, ListOpenAiLikeParams,
    ListSpeakeasyPagesParams, RequestOptions,
};
use serde_json::{json, Value};
use support::{Recorded, Reply, Server};

const SIZE: usize = 2;

fn ids(total: usize) -> Vec<String> {
    (1..=total).map(|i| format!("i{i}")).collect()
}

fn items(all: &[String], from: usize) -> Vec<Value> {
    all.iter()
        .skip(from)
        .take(SIZE)
        .map(|id| json!({ "id": id }))
        .collect()
}

/// The query of a recorded request, decoded.
fn query(request: &Recorded) -> HashMap<String, String> {
    let target = request.target();
    let query = target.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn path(request: &Recorded) -> &str {
    request.target().split('?').next().unwrap_or("")
}

/// The position after the item with this id.
fn after(all: &[String], id: Option<&String>) -> usize {
    id.and_then(|id| all.iter().position(|x| x == id))
        .map_or(0, |p| p + 1)
}

/// Answers every convention of the fixture over a list of `total` items.
fn answer(total: usize, request: &Recorded) -> Reply {
    let all = ids(total);
    let q = query(request);
    let number =
        |key: &str, default: usize| q.get(key).and_then(|v| v.parse().ok()).unwrap_or(default);
    let body = match path(request) {
        "/v1/dropshot" => {
            let from = q.get("page_token").map_or(0, |t| number_of(t));
            let more = from + SIZE < total;
            json!({ "items": items(&all, from), "next_page": more.then(|| format!("t{}", from + SIZE)) })
        }
        "/v1/fern/cursor" => {
            let from = after(&all, q.get("starting_after"));
            let page = items(&all, from);
            let more = from + SIZE < total;
            let meta = if more {
                json!({ "next": all[from + SIZE - 1] })
            } else {
                json!({})
            };
            json!({ "data": page, "meta": meta })
        }
        "/v1/fern/offset" => {
            let from = number("offset", 0);
            json!({ "results": items(&all, from), "has_more": from + SIZE < total })
        }
        "/v1/speakeasy/pages" => {
            let page = number("page", 1);
            json!({ "items": items(&all, (page - 1) * SIZE) })
        }
        "/v1/speakeasy/url" => {
            let from = number("from", 0);
            let more = from + SIZE < total;
            json!({ "items": items(&all, from), "next": more.then(|| format!("/v1/speakeasy/url?from={}", from + SIZE)) })
        }
        "/v1/linked" => {
            let page = number("page", 1);
            let from = (page - 1) * SIZE;
            let mut reply = Reply::json(200, &Value::Array(items(&all, from)).to_string());
            if from + SIZE < total {
                let link = format!("</v1/linked?page={}&per_page={SIZE}>; rel=\"next\", </v1/linked?page=1>; rel=\"first\"", page + 1);
                reply = reply.with_header("Link", &link);
            }
            return reply;
        }
        "/v1/openai-like" => {
            let from = after(&all, q.get("after"));
            let page = items(&all, from);
            let last = page
                .last()
                .and_then(|i| i["id"].as_str())
                .unwrap_or("")
                .to_string();
            json!({ "object": "list", "data": page, "first_id": "", "last_id": last, "has_more": from + SIZE < total })
        }
        "/v1/declared" => {
            let from = q.get("cursor").map_or(0, |t| number_of(t));
            let more = from + SIZE < total;
            let mut body = json!({ "entries": items(&all, from) });
            if more {
                body["continuation"] = json!(format!("c{}", from + SIZE));
            }
            body
        }
        other => return Reply::json(404, &json!({ "unknown": other }).to_string()),
    };
    Reply::json(200, &body.to_string())
}

/// `t4` / `c4` → 4.
fn number_of(token: &str) -> usize {
    token[1..].parse().unwrap_or(0)
}

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .build()
        .expect("client")
}

/// Collects the ids of every item a convention's stream yields.
async fn collect(client: &Client, style: &str) -> Vec<String> {
    let items: Vec<Item> = match style {
        "dropshot" => {
            let params = ListDropshotParams::new().limit(2u32).sort_by("name");
            client
                .list_dropshot_stream(&params)
                .collect_all()
                .await
                .expect("dropshot")
        }
        "fern cursor" => client
            .list_fern_cursor_stream(&ListFernCursorParams::default())
            .collect_all()
            .await
            .expect("fern cursor"),
        "fern offset" => {
            let params = ListFernOffsetParams::new().limit(2);
            client
                .list_fern_offset_stream(&params)
                .collect_all()
                .await
                .expect("fern offset")
        }
        "speakeasy pages" => client
            .list_speakeasy_pages_stream(&ListSpeakeasyPagesParams::default())
            .collect_all()
            .await
            .expect("speakeasy pages"),
        "speakeasy url" => client
            .list_speakeasy_url_stream()
            .collect_all()
            .await
            .expect("speakeasy url"),
        "link" => client
            .list_linked_stream(&ListLinkedParams::new().per_page(2))
            .collect_all()
            .await
            .expect("link"),
        "has_more cursor" => client
            .list_open_ai_like_stream(&ListOpenAiLikeParams::default())
            .collect_all()
            .await
            .expect("has_more"),
        _ => client
            .list_declared_stream(&ListDeclaredParams::default())
            .collect_all()
            .await
            .expect("declared"),
    };
    items.into_iter().map(|i| i.id).collect()
}

const STYLES: [(&str, bool); 8] = [
    ("dropshot", false),
    ("fern cursor", false),
    ("fern offset", false),
    ("speakeasy pages", true),
    ("speakeasy url", false),
    ("link", false),
    ("has_more cursor", false),
    ("declared", false),
];

#[tokio::test]
async fn every_convention_with_zero_one_and_many_pages() {
    for total in [0, 2, 7] {
        for (style, ends_on_empty_page) in STYLES {
            let server = Server::start_with(move |r| answer(total, r));
            let got = collect(&client(&server), style).await;
            assert_eq!(got, ids(total), "{style}, {total} items");
            let pages = total.div_ceil(SIZE).max(1);
            // Styles without an end marker learn of the end from an empty page.
            let expected = if ends_on_empty_page && total > 0 {
                pages + 1
            } else {
                pages
            };
            let requests = server.requests();
            assert_eq!(
                requests.len(),
                expected,
                "{style}, {total} items: {requests:#?}"
            );
            if style == "dropshot" && total > SIZE {
                // The page token stands for the other filters: later pages send only it.
                assert_eq!(
                    query(&requests[0]).get("sort_by").map(String::as_str),
                    Some("name")
                );
                assert_eq!(query(&requests[1]).get("sort_by"), None);
                assert_eq!(
                    query(&requests[1]).get("page_token").map(String::as_str),
                    Some("t2")
                );
                assert_eq!(
                    query(&requests[1]).get("limit").map(String::as_str),
                    Some("2")
                );
            }
            if style == "link" && total > SIZE {
                assert_eq!(requests[1].target(), "/v1/linked?page=2&per_page=2");
            }
        }
    }
}

#[tokio::test]
async fn pages_are_fetched_only_when_needed_and_keep_their_metadata() {
    let server = Server::start_with(|r| answer(7, r).with_header("x-request-id", "req_page"));
    let client = client(&server);
    let mut items = client.list_open_ai_like_stream(&ListOpenAiLikeParams::default());
    assert!(
        server.requests().is_empty(),
        "nothing is sent before the first item is asked for"
    );
    let first = items.next_item().await.expect("an item").expect("ok");
    assert_eq!(first.id, "i1");
    assert_eq!(server.requests().len(), 1);
    items.next_item().await.expect("second").expect("ok");
    assert_eq!(
        server.requests().len(),
        1,
        "the second item is on the first page"
    );
    items.next_item().await.expect("third").expect("ok");
    assert_eq!(server.requests().len(), 2);

    let mut pages = client
        .list_open_ai_like_stream(&ListOpenAiLikeParams::default())
        .pages();
    let mut numbers = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.expect("page");
        assert_eq!(page.request_id(), Some("req_page"));
        assert_eq!(page.status().as_u16(), 200);
        numbers.push((page.number, page.items.len()));
    }
    assert_eq!(numbers, [(1, 2), (2, 2), (3, 2), (4, 1)]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_with_an_error_not_a_loop() {
    let server = Server::start(Reply::json(
        200,
        r#"{"items":[{"id":"x"}],"next_page":"same"}"#,
    ));
    let mut items = client(&server).list_dropshot_stream(&ListDropshotParams::default());
    let mut seen = Vec::new();
    let error = loop {
        match items.next_item().await {
            Some(Ok(item)) => seen.push(item.id),
            Some(Err(e)) => break e,
            None => panic!("the stream ended without an error"),
        }
    };
    assert_eq!(seen, ["x", "x"], "pages 1 and 2 are yielded");
    assert_eq!(error.page, 3);
    assert!(
        matches!(error.error, fixture::Error::Paging(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("already fetched"), "{error}");
    assert!(
        items.next_item().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_link_to_another_origin_is_not_followed() {
    let server = Server::start(Reply::json(200, r#"[{"id":"a"}]"#).with_header(
        "Link",
        "<https://elsewhere.example/v1/linked?page=2>; rel=\"next\"",
    ));
    let mut items = client(&server).list_linked_stream(&ListLinkedParams::default());
    assert_eq!(items.next_item().await.expect("item").expect("ok").id, "a");
    let error = items
        .next_item()
        .await
        .expect("an error")
        .expect_err("not followed");
    assert_eq!(error.page, 2);
    assert!(error.to_string().contains("another origin"), "{error}");
    assert!(items.next_item().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_error_on_page_3_comes_after_the_items_of_pages_1_and_2() {
    let server = Server::start_with(|r| {
        if query(r).get("page").map(String::as_str) == Some("3") {
            Reply::json(500, r#"{"error":"boom"}"#)
        } else {
            answer(9, r)
        }
    });
    let mut items = client(&server)
        .list_speakeasy_pages_stream(&ListSpeakeasyPagesParams::default())
        .options(&RequestOptions::new().max_retries(0));
    let mut seen = Vec::new();
    let error = loop {
        match items.next_item().await {
            Some(Ok(item)) => seen.push(item.id),
            Some(Err(e)) => break e,
            None => panic!("no error"),
        }
    };
    assert_eq!(seen, ["i1", "i2", "i3", "i4"]);
    assert_eq!(error.page, 3);
    assert_eq!(error.error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        error.error.attempts(),
        1,
        "the options reach every page's request"
    );
    assert!(items.next_item().await.is_none());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_page_that_fails_once_is_retried() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let server = Server::start_with(move |r| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        if n == 1 {
            Reply::json(503, "{}").with_header("Retry-After", "0")
        } else {
            answer(5, r)
        }
    });
    let got = collect(&client(&server), "fern cursor").await;
    assert_eq!(got, ids(5));
    assert_eq!(calls.load(Ordering::SeqCst), 4, "3 pages and one retry");
}
