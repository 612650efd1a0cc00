//! The typed mocks (cargo feature `mock`) as users use them: the README's tests of code
//! that calls the TxCloud client (kept identical to README.md, which a test checks), the
//! mock's matching, answers and report, and one test per operation of three more
//! clients, where the mock answers and the real client decodes: server-sent events
//! (`tests/fixtures/streaming.yaml`), every pagination convention
//! (`tests/fixtures/pagination.yaml`) and multipart uploads
//! (`progenitor-openai-subset.yaml` of the corpus).

use std::time::Duration;

use chrono::DateTime;
use txcloud::mock::MockServer;
use txcloud::types::{Verification, VerificationStatus};
use txcloud::Error;

/// The user's code under test: completes a session and says where it stands.
async fn finish(client: &txcloud::Client, id: &str) -> Result<VerificationStatus, Error> {
    Ok(client.complete_session(id).await?.status)
}

fn verification(status: VerificationStatus) -> Verification {
    let created = DateTime::parse_from_rfc3339("2026-12-04T09:30:00Z").unwrap();
    Verification::new("ver_1", created, status)
}

// README: begin
#[tokio::test]
async fn completes_the_session() {
    let mock = MockServer::start();
    mock.complete_session()
        .id("ses_1")
        .responds(verification(VerificationStatus::Pending))
        .expect(1);
    let status = finish(&mock.client(), "ses_1").await.unwrap();
    assert_eq!(status, VerificationStatus::Pending);
}

#[tokio::test]
async fn an_unknown_session_is_a_404() {
    let mock = MockServer::start();
    mock.complete_session().id("ses_gone").responds_status(404);
    match finish(&mock.client(), "ses_gone").await {
        Err(Error::Status(answer)) => assert_eq!(answer.status, 404),
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_503_is_retried() {
    let mock = MockServer::start();
    mock.complete_session()
        .id("ses_1")
        .responds_status(503)
        .responds(verification(VerificationStatus::Verified))
        .expect(2);
    let status = finish(&mock.client(), "ses_1").await.unwrap();
    assert_eq!(status, VerificationStatus::Verified);
}
// README: end

/// The README's examples are these tests, word for word.
#[test]
fn the_readme_shows_these_tests() {
    let source = include_str!("mocks.rs");
    let tests = source
        .split("// README: begin\n")
        .nth(1)
        .and_then(|rest| rest.split("// README: end\n").next())
        .expect("markers");
    let readme = include_str!("../../../README.md");
    for test in tests.split("\n\n") {
        let test = test.trim();
        assert!(
            readme.contains(test),
            "README.md does not show this test as it is here:\n{test}"
        );
        assert!(test.lines().count() <= 15, "over 15 lines:\n{test}");
    }
}

#[tokio::test]
async fn matches_by_predicate_counts_calls_and_sends_credentials() {
    let mock = MockServer::start();
    let ok = mock
        .complete_session()
        .id_matches(|id| id.starts_with("ses_"))
        .responds(verification(VerificationStatus::Review));
    let client = mock.builder().bearer_auth("sk_test").build().unwrap();
    assert_eq!(
        finish(&client, "ses_a b").await.unwrap(),
        VerificationStatus::Review
    );
    assert_eq!(
        finish(&client, "ses_2").await.unwrap(),
        VerificationStatus::Review
    );
    assert_eq!(ok.calls(), 2);
    mock.verify();
}

#[tokio::test]
async fn the_most_specific_expectation_wins() {
    let mock = MockServer::start();
    mock.complete_session()
        .responds(verification(VerificationStatus::Pending));
    mock.complete_session()
        .id("ses_bad")
        .responds(verification(VerificationStatus::Rejected));
    let client = mock.client();
    assert_eq!(
        finish(&client, "ses_1").await.unwrap(),
        VerificationStatus::Pending
    );
    assert_eq!(
        finish(&client, "ses_bad").await.unwrap(),
        VerificationStatus::Rejected
    );
}

#[tokio::test]
async fn a_reset_is_a_transport_error_then_the_next_answer_comes() {
    let mock = MockServer::start();
    mock.complete_session()
        .resets_connection()
        .responds(verification(VerificationStatus::Verified))
        .expect(2);
    let client = mock.client();
    // A POST without an idempotency key is not resent once the server may have it.
    match finish(&client, "ses_1").await {
        Err(Error::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(
        finish(&client, "ses_1").await.unwrap(),
        VerificationStatus::Verified
    );
}

#[tokio::test]
async fn a_delay_runs_into_the_clients_timeout() {
    let mock = MockServer::start();
    mock.complete_session()
        .delay(Duration::from_millis(500))
        .responds(verification(VerificationStatus::Pending));
    let client = mock
        .builder()
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let error = finish(&client, "ses_1").await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn raw_bytes_that_do_not_decode_are_a_decode_error() {
    let mock = MockServer::start();
    mock.complete_session()
        .responds_raw(200, "application/json", &b"{\"id\": 1}"[..]);
    let error = finish(&mock.client(), "ses_1").await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// The report names the request that matched nothing, the closest expectation and
/// what differed; and an `expect` that did not hold.
#[tokio::test]
async fn the_report_lists_unmatched_requests_with_the_closest_expectation() {
    let mock = MockServer::start();
    mock.complete_session()
        .id("ses_1")
        .responds(verification(VerificationStatus::Pending))
        .expect(1);
    let error = finish(&mock.client(), "ses_2").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(mock.unmatched_requests(), 1);
    let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mock.verify()))
        .expect_err("verify fails");
    let report = report.downcast_ref::<String>().cloned().unwrap_or_default();
    for part in [
        "completeSession expected to be called 1 time(s), called 0 time(s)",
        "a request matched no expectation: POST /identity/sessions/ses_2/complete",
        "closest: POST /identity/sessions/{id}/complete",
        "path parameter: not `id` = \"ses_1\"",
    ] {
        assert!(report.contains(part), "`{part}` missing from:\n{report}");
    }
    // Satisfy the expectation so that dropping the server passes.
    finish(&mock.client(), "ses_1").await.unwrap();
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(mock)));
}

mod streaming {
    use prism_tests::streaming_fixture::mock::MockServer;
    use prism_tests::streaming_fixture::types::{
        Completion, CompletionChunk, CompletionRequest, Problem, Received, Tick, UploadFileBody,
    };
    use prism_tests::streaming_fixture::Error;

    #[tokio::test]
    async fn create_completion_and_its_typed_error() {
        let mock = MockServer::start();
        mock.create_completion()
            .body_matches(|b: &CompletionRequest| b.prompt == "hi")
            .responds(Completion::new("hello"));
        mock.create_completion()
            .body(&CompletionRequest::new("boom").stream(false))
            .fails(422, Problem::new().message("no"));
        let client = mock.client();
        let answer = client
            .create_completion(&CompletionRequest::new("hi"))
            .await;
        assert_eq!(answer.unwrap().text, "hello");
        match client
            .create_completion(&CompletionRequest::new("boom"))
            .await
        {
            Err(Error::Status(e)) => {
                assert_eq!(e.status, 422);
                assert_eq!(e.parsed.and_then(|p| p.message).as_deref(), Some("no"));
            }
            other => panic!("expected the 422, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn create_completion_stream() {
        let mock = MockServer::start();
        mock.create_completion_stream()
            .events([
                CompletionChunk::new("a"),
                CompletionChunk::new("b").index(1),
            ])
            .expect(1);
        let client = mock.client();
        let mut events = client
            .create_completion_stream(&CompletionRequest::new("hi"))
            .await
            .unwrap();
        let mut deltas = Vec::new();
        while let Some(event) = events.next_event().await {
            deltas.push(event.unwrap().data.delta);
        }
        assert_eq!(deltas, ["a", "b"]);
    }

    #[tokio::test]
    async fn watch_ticks() {
        let mock = MockServer::start();
        mock.watch_ticks().events((1..=3).map(Tick::new));
        let mut events = mock.client().watch_ticks().await.unwrap();
        let mut ticks = Vec::new();
        while let Some(event) = events.next_event().await {
            ticks.push(event.unwrap().data.n);
        }
        assert_eq!(ticks, [1, 2, 3]);
    }

    #[tokio::test]
    async fn download_file() {
        let mock = MockServer::start();
        mock.download_file()
            .id("f 1")
            .responds(b"\x00bytes".to_vec());
        let bytes = mock.client().download_file("f 1").await.unwrap();
        assert_eq!(bytes, b"\x00bytes");
    }

    #[tokio::test]
    async fn upload_file() {
        let mock = MockServer::start();
        mock.upload_file()
            .responds(Received::new(5, "abc").file_name("a.txt"))
            .expect(1);
        let body = UploadFileBody::new(b"hello".to_vec(), "notes");
        let received = mock.client().upload_file(&body).await.unwrap();
        assert_eq!(
            (received.size, received.file_name),
            (5, Some(Some("a.txt".into())))
        );
    }

    #[tokio::test]
    async fn put_blob() {
        let mock = MockServer::start();
        mock.put_blob().id("b1").responds(Received::new(3, "def"));
        let received = mock.client().put_blob("b1", b"abc".to_vec()).await.unwrap();
        assert_eq!(received.sha256, "def");
    }
}

mod pagination {
    use prism_tests::pagination_fixture::mock::MockServer;
    use prism_tests::pagination_fixture::types::*;
    use prism_tests::pagination_fixture::{
        ListDeclaredParams, ListDropshotParams, ListFernCursorParams, ListFernOffsetParams,
        ListLinkedParams, ListOpenAiLikeParams, ListSpeakeasyPagesParams,
    };

    fn items(ids: &[&str]) -> Vec<Item> {
        ids.iter().map(|id| Item::new(*id)).collect()
    }

    fn ids(items: Vec<Item>) -> Vec<String> {
        items.into_iter().map(|i| i.id).collect()
    }

    const ALL: [&str; 3] = ["i1", "i2", "i3"];

    #[tokio::test]
    async fn list_dropshot() {
        let mock = MockServer::start();
        let pages = [items(&ALL[..2]), items(&ALL[2..])];
        mock.list_dropshot()
            .limit(2)
            .pages(pages.map(ListDropshotResponse200::new))
            .expect(2);
        let params = ListDropshotParams::new().limit(2u32);
        let all = mock
            .client()
            .list_dropshot_stream(&params)
            .collect_all()
            .await;
        assert_eq!(ids(all.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_fern_cursor() {
        let mock = MockServer::start();
        let pages = [items(&ALL[..2]), items(&ALL[2..])];
        mock.list_fern_cursor()
            .pages(pages.map(|p| ListFernCursorResponse200::new().data(p)))
            .expect(2);
        let client = mock.client();
        let all = client.list_fern_cursor_stream(&ListFernCursorParams::default());
        assert_eq!(ids(all.collect_all().await.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_fern_offset() {
        let mock = MockServer::start();
        let pages = [items(&ALL[..2]), items(&ALL[2..])];
        mock.list_fern_offset()
            .pages(pages.map(|p| ListFernOffsetResponse200::new(p, true)))
            .expect(3);
        let params = ListFernOffsetParams::new().limit(2);
        let all = mock
            .client()
            .list_fern_offset_stream(&params)
            .collect_all()
            .await;
        assert_eq!(ids(all.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_speakeasy_pages() {
        let mock = MockServer::start();
        let pages = [items(&ALL[..2]), items(&ALL[2..])];
        mock.list_speakeasy_pages()
            .pages(pages.map(ListSpeakeasyPagesResponse200::new))
            .expect(3);
        let client = mock.client();
        let all = client.list_speakeasy_pages_stream(&ListSpeakeasyPagesParams::default());
        assert_eq!(ids(all.collect_all().await.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_speakeasy_url() {
        let mock = MockServer::start();
        let pages = [items(&ALL[..1]), items(&ALL[1..2]), items(&ALL[2..])];
        mock.list_speakeasy_url()
            .pages(pages.map(ListSpeakeasyUrlResponse200::new))
            .expect(3);
        let all = mock
            .client()
            .list_speakeasy_url_stream()
            .collect_all()
            .await;
        assert_eq!(ids(all.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_linked() {
        let mock = MockServer::start();
        mock.list_linked()
            .pages([items(&ALL[..2]), items(&ALL[2..])])
            .expect(2);
        let params = ListLinkedParams::new().per_page(2);
        let all = mock
            .client()
            .list_linked_stream(&params)
            .collect_all()
            .await;
        assert_eq!(ids(all.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_open_ai_like() {
        let mock = MockServer::start();
        let page = |ids: &[&str]| {
            let (first, last) = (ids[0], ids[ids.len() - 1]);
            ListOpenAiLikeResponse200::new("list", items(ids), first, last, false)
        };
        mock.list_open_ai_like()
            .pages([page(&ALL[..2]), page(&ALL[2..])])
            .expect(2);
        let client = mock.client();
        let all = client.list_open_ai_like_stream(&ListOpenAiLikeParams::default());
        assert_eq!(ids(all.collect_all().await.unwrap()), ALL);
    }

    #[tokio::test]
    async fn list_declared() {
        let mock = MockServer::start();
        let pages = [items(&ALL[..2]), items(&ALL[2..])];
        mock.list_declared()
            .pages(pages.map(|p| ListDeclaredResponse200::new().entries(p)))
            .expect(2);
        let client = mock.client();
        let all = client.list_declared_stream(&ListDeclaredParams::default());
        assert_eq!(ids(all.collect_all().await.unwrap()), ALL);
    }
}

mod multipart {
    use prism_tests::openai_subset::mock::MockServer;
    use prism_tests::openai_subset::types::{
        CreateImageEditRequest, CreateImageRequest, CreateImageVariationRequest, Image,
        ImagesResponse,
    };

    fn images(url: &str) -> ImagesResponse {
        ImagesResponse::new(1_700_000_000, [Image::new().url(url)])
    }

    #[tokio::test]
    async fn create_image() {
        let mock = MockServer::start();
        mock.create_image()
            .body(&CreateImageRequest::new("a cat"))
            .responds(images("https://img/1"))
            .expect(1);
        let answer = mock
            .client()
            .create_image(&CreateImageRequest::new("a cat"))
            .await;
        assert_eq!(
            answer.unwrap().data[0].url.as_deref(),
            Some("https://img/1")
        );
    }

    #[tokio::test]
    async fn create_image_edit() {
        let mock = MockServer::start();
        mock.create_image_edit()
            .responds(images("https://img/2"))
            .expect(1);
        let body = CreateImageEditRequest::new(b"\x89PNG".to_vec(), "add a hat");
        let answer = mock.client().create_image_edit(&body).await.unwrap();
        assert_eq!(answer.created, 1_700_000_000);
    }

    #[tokio::test]
    async fn create_image_variation() {
        let mock = MockServer::start();
        mock.create_image_variation()
            .responds(images("https://img/3"))
            .expect(1);
        let body = CreateImageVariationRequest::new(b"\x89PNG".to_vec());
        let answer = mock.client().create_image_variation(&body).await.unwrap();
        assert_eq!(answer.data.len(), 1);
    }
}
