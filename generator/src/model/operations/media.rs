//! Media types: the body kind each stands for and which one an operation prefers.

use indexmap::IndexMap;
use openapiv3::MediaType;

use crate::model::BodyKind;

pub(super) fn body_kind(media: &str) -> BodyKind {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
    {
        BodyKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if essence.starts_with("multipart/") || essence == "form-data" {
        BodyKind::Multipart
    } else if essence.starts_with("text/") && essence != "text/event-stream" {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

pub(super) fn is_event_stream(media: &str) -> bool {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("text/event-stream")
}

pub(super) fn request_rank(media: &str) -> u8 {
    match body_kind(media) {
        BodyKind::Json if media.starts_with("application/json") => 0,
        BodyKind::Json => 1,
        BodyKind::Form => 2,
        BodyKind::Multipart => 3,
        BodyKind::Binary => 4,
        BodyKind::Text => 5,
    }
}

pub(super) fn response_rank(media: &str) -> u8 {
    match body_kind(media) {
        BodyKind::Json if media.starts_with("application/json") => 0,
        BodyKind::Json => 1,
        BodyKind::Text => 2,
        _ => 3,
    }
}

/// The preferred media type; ties keep spec order.
pub(super) fn choose_media(
    content: &IndexMap<String, MediaType>,
    rank: fn(&str) -> u8,
) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .enumerate()
        .min_by_key(|(i, (media, _))| (rank(media), *i))
        .map(|(_, (m, mt))| (m.as_str(), mt))
}
