//! Unit tests of `pages.rs`.

use reqwest::header::HeaderMap;

use crate::pages::next_link;

#[test]
fn next_links() {
    let mut headers = HeaderMap::new();
    headers.insert(
        reqwest::header::LINK,
        reqwest::header::HeaderValue::from_static(
            r#"<https://api.example.com/items?page=1>; rel="prev", <https://api.example.com/items?page=3>; rel="next", <https://api.example.com/items?page=9>; rel="last""#,
        ),
    );
    assert_eq!(next_link(&headers).as_deref(), Some("https://api.example.com/items?page=3"));
    headers.insert(reqwest::header::LINK, reqwest::header::HeaderValue::from_static("</p2>; rel=\"next prefetch\""));
    assert_eq!(next_link(&headers).as_deref(), Some("/p2"));
    headers.insert(reqwest::header::LINK, reqwest::header::HeaderValue::from_static("<https://x/last>; rel=last"));
    assert_eq!(next_link(&headers), None);
}
