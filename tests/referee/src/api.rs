//! The API as the server's types and utoipa's annotations describe it. `build.rs`
//! includes this file to write the OpenAPI 3.1 description (utoipa's output, not
//! written by hand) and generate the client from it; the server (`server.rs`) speaks
//! these same types, and a test checks that it serves exactly the described routes.
//!
//! The `#[utoipa::path]` items are declarations of the server's handlers: build scripts
//! cannot use the handlers themselves without building axum for the host too.

#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NewItem {
    pub name: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Item {
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChatRequest {
    pub prompt: String,
    /// Answer with events (`text/event-stream`) rather than one JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChatReply {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChatChunk {
    pub index: u32,
    pub delta: String,
}

/// A multipart upload: the file, and what it is for.
#[derive(Debug, ToSchema)]
pub struct UploadForm {
    /// The file's bytes.
    #[schema(value_type = String, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
    pub purpose: String,
}

/// What the server received of an upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Received {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FormInput {
    pub name: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FormEcho {
    pub name: String,
    pub count: u32,
    /// The request's content type as the server saw it.
    pub content_type: String,
}

/// The size of `GET /files/{id}/content`: several MiB.
pub const DOWNLOAD_SIZE: u64 = 5 * 1024 * 1024 + 3;

#[utoipa::path(post, path = "/items", operation_id = "createItem", request_body = NewItem,
    responses((status = 201, description = "The new item.", body = Item)))]
pub fn create_item() {}

#[utoipa::path(get, path = "/items/{id}", operation_id = "getItem",
    params(("id" = u64, Path, description = "The item's id.")),
    responses(
        (status = 200, description = "The item.", body = Item),
        (status = 404, description = "No such item.", body = Problem)
    ))]
pub fn get_item() {}

#[utoipa::path(post, path = "/chat", operation_id = "chat", request_body = ChatRequest,
    responses((status = 200, description = "The reply, or its chunks as events when `stream` is true.",
        content((ChatReply = "application/json"), (ChatChunk = "text/event-stream")))))]
pub fn chat() {}

#[utoipa::path(post, path = "/files", operation_id = "uploadFile",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "What the server received.", body = Received)))]
pub fn upload_file() {}

#[utoipa::path(get, path = "/files/{id}/content", operation_id = "downloadFile",
    params(("id" = String, Path, description = "The file's id.")),
    responses((status = 200, description = "The file's bytes.", content_type = "application/octet-stream", body = Vec<u8>)))]
pub fn download_file() {}

#[utoipa::path(post, path = "/forms", operation_id = "submitForm",
    request_body(content = FormInput, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The form as the server read it.", body = FormEcho)))]
pub fn submit_form() {}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Referee",
        version = "1.0",
        description = "An axum server described by utoipa."
    ),
    paths(create_item, get_item, chat, upload_file, download_file, submit_form)
)]
pub struct ApiDoc;
