//! The axum server: every route of the description, answering with the types of
//! `api`.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use sha2::{Digest, Sha256};

use crate::api::{
    ChatChunk, ChatReply, ChatRequest, FormEcho, FormInput, Item, NewItem, Problem, Received,
    DOWNLOAD_SIZE,
};

/// The routes the server serves, as the description writes them (method, path).
pub const ROUTES: [(&str, &str); 6] = [
    ("post", "/items"),
    ("get", "/items/{id}"),
    ("post", "/chat"),
    ("post", "/files"),
    ("get", "/files/{id}/content"),
    ("post", "/forms"),
];

#[derive(Clone, Default)]
struct Items(Arc<Mutex<BTreeMap<u64, Item>>>);

/// The byte at `offset` of every download.
pub fn download_byte(offset: u64) -> u8 {
    ((offset * 7 + offset / 4096) % 256) as u8
}

fn router() -> Router {
    Router::new()
        .route("/items", post(create_item))
        .route("/items/{id}", get(get_item))
        .route("/chat", post(chat))
        .route("/files", post(upload_file))
        .route("/files/{id}/content", get(download_file))
        .route("/forms", post(submit_form))
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(Items::default())
}

/// Starts the server on a free port of 127.0.0.1 and answers with its base URL.
pub async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router()).await;
    });
    format!("http://{addr}")
}

async fn create_item(
    State(items): State<Items>,
    Json(new): Json<NewItem>,
) -> (StatusCode, Json<Item>) {
    let mut items = items.0.lock().expect("items");
    let id = items.len() as u64 + 1;
    let item = Item {
        id,
        name: new.name,
        tags: new.tags,
    };
    items.insert(id, item.clone());
    (StatusCode::CREATED, Json(item))
}

async fn get_item(
    State(items): State<Items>,
    Path(id): Path<u64>,
) -> Result<Json<Item>, (StatusCode, Json<Problem>)> {
    let items = items.0.lock().expect("items");
    match items.get(&id) {
        Some(item) => Ok(Json(item.clone())),
        None => Err((
            StatusCode::NOT_FOUND,
            Json(Problem {
                message: format!("no item {id}"),
            }),
        )),
    }
}

async fn chat(Json(request): Json<ChatRequest>) -> Response {
    let words: Vec<String> = request.prompt.split(' ').map(str::to_uppercase).collect();
    if request.stream == Some(true) {
        let mut events: Vec<Event> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let chunk = ChatChunk {
                    index: i as u32,
                    delta: format!("{w} "),
                };
                Event::default()
                    .json_data(chunk)
                    .expect("a chunk serialises")
            })
            .collect();
        events.push(Event::default().comment("keep-alive"));
        events.push(Event::default().data("[DONE]"));
        let stream = futures_util::stream::iter(events.into_iter().map(Ok::<Event, Infallible>));
        Sse::new(stream).into_response()
    } else {
        Json(ChatReply {
            text: words.join(" "),
        })
        .into_response()
    }
}

async fn upload_file(
    mut multipart: Multipart,
) -> Result<Json<Received>, (StatusCode, Json<Problem>)> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        (
            StatusCode::BAD_REQUEST,
            Json(Problem {
                message: e.to_string(),
            }),
        )
    };
    let mut received = Received {
        file_name: None,
        content_type: None,
        size: 0,
        sha256: String::new(),
        purpose: String::new(),
    };
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                received.file_name = field.file_name().map(str::to_string);
                received.content_type = field.content_type().map(str::to_string);
                let mut hash = Sha256::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    received.size += chunk.len() as u64;
                    hash.update(&chunk);
                }
                received.sha256 = hex(&hash.finalize());
            }
            Some("purpose") => received.purpose = field.text().await.map_err(bad)?,
            _ => {}
        }
    }
    Ok(Json(received))
}

/// Hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn download_file(Path(_id): Path<String>) -> Response {
    const CHUNK: u64 = 256 * 1024;
    let chunks = (0..DOWNLOAD_SIZE.div_ceil(CHUNK)).map(|i| {
        let start = i * CHUNK;
        let end = (start + CHUNK).min(DOWNLOAD_SIZE);
        Ok::<Bytes, Infallible>((start..end).map(download_byte).collect::<Vec<u8>>().into())
    });
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        "application/octet-stream".parse().expect("header"),
    );
    headers.insert(
        header::CONTENT_LENGTH,
        DOWNLOAD_SIZE.to_string().parse().expect("header"),
    );
    (headers, body).into_response()
}

async fn submit_form(headers: HeaderMap, Form(input): Form<FormInput>) -> Json<FormEcho> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Json(FormEcho {
        name: input.name,
        count: input.count,
        content_type,
    })
}
