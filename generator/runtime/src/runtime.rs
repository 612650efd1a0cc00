//! Helpers the generated methods share: path and query encoding, credentials, and
//! decoding bodies. Not every API uses every helper.
#![allow(dead_code, unused_macros, unused_imports)]

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::auth::Secret;
use super::error::Error;

/// Everything but the unreserved characters of RFC 3986 is escaped, so a value can
/// never add a path segment, a query or a fragment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Encodes one path parameter as exactly one path segment (borrowed when nothing needs
/// escaping, as for most ids).
pub fn path_segment<'a, E>(name: &str, value: &'a str) -> Result<Cow<'a, str>, Error<E>> {
    match value {
        "" => Err(Error::InvalidRequest(format!("path parameter `{name}` is empty"))),
        // URL parsers resolve these as dot-segments, which would change the path.
        "." | ".." => Err(Error::InvalidRequest(format!(
            "path parameter `{name}` cannot be `{value}`"
        ))),
        _ => Ok(utf8_percent_encode(value, SEGMENT).into()),
    }
}

/// The text form of a scalar parameter value.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A non-string path parameter as a segment.
pub fn path_value<E, T: Serialize>(name: &str, value: &T) -> Result<String, Error<E>> {
    let value = to_value(name, value)?;
    path_segment(name, &simple_text(&value, false)).map(Cow::into_owned)
}

fn to_value<E, T: Serialize>(name: &str, value: &T) -> Result<Value, Error<E>> {
    serde_json::to_value(value).map_err(|e| Error::InvalidRequest(format!("parameter `{name}` cannot be encoded: {e}")))
}

/// `simple` style (paths and headers): arrays and objects as comma-separated lists.
fn simple_text(value: &Value, explode: bool) -> String {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                if explode {
                    format!("{k}={}", scalar_text(v))
                } else {
                    format!("{k},{}", scalar_text(v))
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(other),
    }
}

/// How a query parameter is written (OpenAPI `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// Everything a request carries besides its URL path and body: query pairs, headers
/// and cookies, from parameters and credentials alike, applied to the request at once.
#[derive(Default)]
pub struct Parts {
    query: Vec<(String, String)>,
    headers: reqwest::header::HeaderMap,
    cookies: Vec<String>,
    basic: Option<(String, Secret)>,
}

impl fmt::Debug for Parts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Query pairs and cookies may hold credentials: show their names only.
        f.debug_struct("Parts")
            .field("query", &self.query.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("headers", &self.headers)
            .field("cookies", &self.cookies.len())
            .finish()
    }
}

impl Parts {
    /// Adds a query parameter; `None` and `null` add nothing.
    pub fn query<E, T: Serialize>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) -> Result<(), Error<E>> {
        let value = to_value(name, value)?;
        match value {
            Value::Null => {}
            Value::Array(items) => {
                let texts: Vec<String> = items.iter().map(scalar_text).collect();
                match (style, explode) {
                    (QueryStyle::Form, true) | (QueryStyle::DeepObject, _) => {
                        for t in texts {
                            self.query.push((name.to_string(), t));
                        }
                    }
                    (QueryStyle::Form, false) => self.query.push((name.to_string(), texts.join(","))),
                    (QueryStyle::SpaceDelimited, _) => self.query.push((name.to_string(), texts.join(" "))),
                    (QueryStyle::PipeDelimited, _) => self.query.push((name.to_string(), texts.join("|"))),
                }
            }
            Value::Object(map) => match (style, explode) {
                (QueryStyle::DeepObject, _) => {
                    for (k, v) in &map {
                        self.query.push((format!("{name}[{k}]"), scalar_text(v)));
                    }
                }
                (_, true) => {
                    for (k, v) in &map {
                        self.query.push((k.clone(), scalar_text(v)));
                    }
                }
                (_, false) => {
                    let joined = map
                        .iter()
                        .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                        .collect::<Vec<_>>()
                        .join(",");
                    self.query.push((name.to_string(), joined));
                }
            },
            scalar => self.query.push((name.to_string(), scalar_text(&scalar))),
        }
        Ok(())
    }

    /// Adds a header parameter (`simple` style); `None` and `null` add nothing.
    pub fn header<E, T: Serialize>(&mut self, name: &str, value: &T, explode: bool) -> Result<(), Error<E>> {
        let value = to_value(name, value)?;
        if value.is_null() {
            return Ok(());
        }
        let header = header_name(name)?;
        let text = simple_text(&value, explode);
        let value = reqwest::header::HeaderValue::from_str(&text).map_err(|_| {
            Error::InvalidRequest(format!(
                "header parameter `{name}` contains characters a header cannot carry"
            ))
        })?;
        self.headers.append(header, value);
        Ok(())
    }

    /// Adds a cookie parameter; `None` and `null` add nothing.
    pub fn cookie<E, T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), Error<E>> {
        let value = to_value(name, value)?;
        if !value.is_null() {
            let text = simple_text(&value, false);
            self.cookies
                .push(format!("{name}={}", utf8_percent_encode(&text, SEGMENT)));
        }
        Ok(())
    }

    /// A credential in a header, marked sensitive so that no `Debug` output shows it.
    pub fn secret_header<E>(&mut self, name: &str, value: &str) -> Result<(), Error<E>> {
        let (name, value) = sensitive_header(name, value).map_err(Error::InvalidRequest)?;
        self.header_value(name, value);
        Ok(())
    }

    /// A credential's header made beforehand by [`sensitive_header`].
    pub fn header_value(&mut self, name: reqwest::header::HeaderName, value: reqwest::header::HeaderValue) {
        self.headers.insert(name, value);
    }

    /// A credential in the query string.
    pub fn secret_query(&mut self, name: &str, value: &Secret) {
        self.query.push((name.to_string(), value.expose().to_string()));
    }

    /// A credential in a cookie.
    pub fn secret_cookie(&mut self, name: &str, value: &Secret) {
        self.cookies
            .push(format!("{name}={}", utf8_percent_encode(value.expose(), SEGMENT)));
    }

    /// HTTP basic authentication.
    pub fn basic_auth(&mut self, username: &str, password: &Secret) {
        self.basic = Some((username.to_string(), password.clone()));
    }

    /// Puts everything on the request.
    pub fn apply(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let mut request = request.headers(self.headers);
        if !self.query.is_empty() {
            request = request.query(&self.query);
        }
        if !self.cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, self.cookies.join("; "));
        }
        if let Some((user, password)) = &self.basic {
            request = request.basic_auth(user, Some(password.expose()));
        }
        request
    }
}

/// A credential's header, marked sensitive so that no `Debug` output shows it, or why
/// it cannot be sent (the message never shows the value).
pub(crate) fn sensitive_header(
    name: &str,
    value: &str,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), String> {
    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    let mut value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| "a credential contains characters that cannot be sent in a header".to_string())?;
    value.set_sensitive(true);
    Ok((name, value))
}

use super::options::header_name;
pub use super::options::BoxError;

/// Decodes a JSON body.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BoxError> {
    serde_json::from_slice(body).map_err(Into::into)
}

/// Decodes a text body.
pub fn text(body: &[u8]) -> Result<String, BoxError> {
    String::from_utf8(body.to_vec()).map_err(Into::into)
}

/// Decodes an error body when it is JSON of the documented shape.
pub fn json_error<E: DeserializeOwned>(body: &[u8]) -> Option<E> {
    serde_json::from_slice(body).ok()
}

/// For operations without documented error bodies.
pub fn no_error_body<E>(_: StatusCode, _: &[u8]) -> Option<E> {
    None
}

/// A success whose status the spec does not list.
pub fn undocumented_status(status: StatusCode) -> BoxError {
    format!("the spec documents no response for HTTP {status}").into()
}

/// The trait impls of an open string enum, from its `as_str` and `from_wire`: `Display`,
/// `From<&str>`, and serde as a plain string.
macro_rules! string_enum {
    ($name:ident) => {
        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                <$name>::from_wire(value)
            }
        }

        impl ::core::convert::From<String> for $name {
            fn from(value: String) -> Self {
                <$name>::from_wire(&value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                runtime::deserialize_str(deserializer)
            }
        }
    };
}
pub(crate) use string_enum;

/// The trait impls of an open integer enum, from its `as_i64` and `from_wire`.
macro_rules! integer_enum {
    ($name:ident) => {
        impl ::core::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                <$name>::from_wire(value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                runtime::deserialize_i64(deserializer)
            }
        }
    };
}
pub(crate) use integer_enum;

/// Deserialises an open string enum from a borrowed or owned string without copying.
pub fn deserialize_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Visit<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(Visit(std::marker::PhantomData))
}

/// Deserialises an open integer enum.
pub fn deserialize_i64<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<i64>,
{
    <i64 as serde::Deserialize>::deserialize(deserializer).map(T::from)
}

/// For fields that may be absent or `null`: absent is `None`, `null` is `Some(None)`.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// The value of a discriminator property (a string, or an integer as text), if the
/// JSON value has one.
pub fn tag<'v>(value: &'v Value, property: &str) -> Option<std::borrow::Cow<'v, str>> {
    match value.get(property)? {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Decodes one variant of a tagged union from the buffered value.
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// The text parts of one multipart field: none for an absent value, one per item of an
/// array, JSON text for an object.
pub fn form_texts<E, T: Serialize>(name: &str, value: &T) -> Result<Vec<String>, Error<E>> {
    Ok(match to_value(name, value)? {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().map(scalar_text).collect(),
        other => vec![scalar_text(&other)],
    })
}

/// An `application/x-www-form-urlencoded` body: one pair per field, arrays as repeated
/// pairs, nested objects as JSON text (which form encoding has no standard for).
pub fn form_pairs<E, T: Serialize>(body: &T) -> Result<Vec<(String, String)>, Error<E>> {
    match to_value("body", body)? {
        Value::Object(map) => {
            let mut pairs = Vec::new();
            for (k, v) in map {
                match v {
                    Value::Null => {}
                    Value::Array(items) => pairs.extend(items.iter().map(|i| (k.clone(), scalar_text(i)))),
                    other => pairs.push((k, scalar_text(&other))),
                }
            }
            Ok(pairs)
        }
        Value::Null => Ok(Vec::new()),
        _ => Err(Error::InvalidRequest("a form body must be an object".to_string())),
    }
}

pub use super::files::{FilePart, FileParts};

/// A multipart file part: the file's name (the field's name when it has none), its
/// content type, and its body, streamed from disk or a stream when it comes from one.
pub fn file_part<E>(field: &str, file: &FilePart) -> Result<reqwest::multipart::Part, Error<E>> {
    let (body, length) = file.body().map_err(Error::Io)?;
    let part = match length {
        Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
        None => reqwest::multipart::Part::stream(body),
    };
    let name = file.name().unwrap_or(field).to_string();
    part.file_name(name)
        .mime_str(file.mime())
        .map_err(|_| Error::InvalidRequest(format!("`{}` is not a valid content type", file.mime())))
}

/// A whole binary body: the file's content type when it was set, else the spec's media
/// type (or, for a wildcard, the type guessed from the file name); its length announced
/// when known.
pub fn file_body<E>(
    request: reqwest::RequestBuilder,
    media_type: &str,
    file: FilePart,
) -> Result<reqwest::RequestBuilder, Error<E>> {
    let (body, length) = file.body().map_err(Error::Io)?;
    let content_type = if file.has_content_type() || media_type.contains('*') {
        file.mime()
    } else {
        media_type
    };
    let mut request = request.header(reqwest::header::CONTENT_TYPE, content_type);
    if let Some(length) = length {
        request = request.header(reqwest::header::CONTENT_LENGTH, length);
    }
    Ok(request.body(body))
}

/// The characters kept in a server variable's value in the host and port: the
/// unreserved ones and `:` (a port), `[` and `]` (an IPv6 address).
const AUTHORITY: &AsciiSet = &SEGMENT.remove(b':').remove(b'[').remove(b']');

/// A string value of a server URL variable, as it goes in the URL: the spec's `default`
/// as written, any other value percent-encoded so that it stays within its part of the
/// URL (`authority`: the host and port; otherwise the scheme or a path segment). A `/`,
/// `?`, `#` or `@` in a tenant name adds no path segment, query, fragment or user.
pub fn server_variable(value: &str, default: &str, authority: bool) -> String {
    if value == default {
        return value.to_string();
    }
    let set = if authority { AUTHORITY } else { SEGMENT };
    utf8_percent_encode(value, set).to_string()
}

/// A key of a wide struct's JSON object (see [`next_field`]).
pub enum FieldKey {
    /// The declared field at this index of the struct.
    Declared(usize),
    /// A key the struct does not declare.
    Other(String),
}

/// Reads the next key of a wide struct's object: the index of the declared field it
/// names, as the generated `index` finds it, or the key itself. The code generated for
/// structs with more fields than `serde`'s derive can take (its `Deserialize` nests a
/// scope per field, which overflows rustc's stack in a debug build) decodes them with
/// this and [`set_field`].
#[inline]
pub fn next_field<'de, A, F>(map: &mut A, index: F) -> Result<Option<FieldKey>, A::Error>
where
    A: serde::de::MapAccess<'de>,
    F: Fn(&str) -> Option<usize>,
{
    map.next_key_seed(FieldSeed(index))
}

struct FieldSeed<F>(F);

impl<F: Fn(&str) -> Option<usize>> FieldSeed<F> {
    #[inline]
    fn key(&self, name: &str) -> FieldKey {
        match (self.0)(name) {
            Some(found) => FieldKey::Declared(found),
            None => FieldKey::Other(name.to_string()),
        }
    }
}

impl<'de, F: Fn(&str) -> Option<usize>> serde::de::DeserializeSeed<'de> for FieldSeed<F> {
    type Value = FieldKey;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<FieldKey, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, F: Fn(&str) -> Option<usize>> serde::de::Visitor<'de> for FieldSeed<F> {
    type Value = FieldKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<FieldKey, E> {
        Ok(self.key(value))
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<FieldKey, E> {
        Ok(self.key(&String::from_utf8_lossy(value)))
    }
}

/// Decodes the value of a wide struct's field into its slot; a field given twice is
/// an error, as `serde`'s derive makes it.
#[inline]
pub fn set_field<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(<A::Error as serde::de::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field of a wide struct, or the error `serde`'s derive gives
/// when it is missing.
pub fn required_field<T, E: serde::de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}
