//! Operations to client methods: names, parameters, request bodies and responses.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody as OaRequestBody, Response as OaResponse, StatusCode,
};

use super::naming::{field_name, type_name, Namespace};
use super::refs;
use super::schemas::TypeBuilder;
use super::{
    BodyKind, Docs, Events, MultipartPart, Operation, Param, ParamLocation, ParamStyle, PathPart,
    Primitive, RequestBody, Response, ResponseBody, ResponseSet, ResponseShape, StatusMatch,
    TypeKind, TypeRef,
};
use crate::diagnostics::pointer_push;

/// Method names the generated `Client` defines itself (public and private), and those
/// of the traits it implements, which an inherent method would shadow. An operation
/// whose name is taken is numbered: `authorize` becomes `authorize_2`.
pub const CLIENT_METHODS: [&str; 13] = [
    "authorize",
    "base_url",
    "builder",
    "clone",
    "clone_from",
    "default",
    "fmt",
    "has_credentials",
    "http_client",
    "new",
    "to_owned",
    "with_base_url",
    "with_options",
];
/// Argument names the generated methods use besides path parameters.
const ARGUMENT_NAMES: [&str; 3] = ["self", "body", "params"];

pub fn build<'a>(api: &'a OpenAPI, types: &mut TypeBuilder<'a>) -> Vec<Operation> {
    let mut method_names = Namespace::new();
    for name in CLIENT_METHODS {
        method_names.reserve(name);
    }
    let mut operations = Vec::new();
    for (path, item) in &api.paths.paths {
        let item_at = pointer_push("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                types.warn(&item_at, "unsupported-ref", format!("path item reference `{reference}` is not supported; its operations are skipped"));
                continue;
            }
        };
        for (method, op) in item.iter() {
            let at = pointer_push(&item_at, method);
            let wanted = match &op.operation_id {
                Some(id) => field_name(id),
                None => derived_method_name(method, path),
            };
            let method_name = method_names.claim(&wanted);
            let type_prefix = type_name(&method_name, "Operation");
            let builder = OperationBuilder {
                api,
                types,
                at: &at,
                type_prefix: &type_prefix,
            };
            let (mut primary, alternatives) =
                builder.operation(method, path, op, &item.parameters, method_name);
            // An operation answered with JSON (or bytes) or with events gets a second
            // method for the events; one answered with events alone streams itself.
            let stream_twin = match &primary.events {
                Some(_) if !primary.streams => {
                    let mut twin = primary.clone();
                    twin.method_name =
                        method_names.claim(&format!("{}_stream", primary.method_name));
                    twin.alternative_of = Some(primary.method_name.clone());
                    twin.streams = true;
                    primary.docs.notes.push(format!(
                        "For the answer as server-sent events, see [`Client::{}`].",
                        twin.method_name
                    ));
                    Some(twin)
                }
                _ => None,
            };

            let alternatives: Vec<Operation> = alternatives
                .into_iter()
                .map(|body| {
                    let mut alternative = primary.clone();
                    alternative.method_name = method_names.claim(&format!(
                        "{}_{}",
                        primary.method_name,
                        media_suffix(&body)
                    ));
                    alternative.alternative_of = Some(primary.method_name.clone());
                    alternative.docs.notes.push(format!(
                        "Same as [`Client::{}`], with the body sent as `{}`.",
                        primary.method_name, body.content_type
                    ));
                    alternative.body = Some(body);
                    alternative
                })
                .collect();
            operations.push(primary);
            if let Some(mut twin) = stream_twin {
                let flag = twin.events.as_ref().is_some_and(|e| e.stream_flag);
                twin.docs.notes.push(format!(
                    "Same as [`Client::{}`], answered as server-sent events: a stream of decoded events ([`EventStream`](super::EventStream)){}.",
                    twin.alternative_of.as_deref().unwrap_or_default(),
                    if flag { "; sends `stream: true` whatever the body says" } else { "" }
                ));
                operations.push(twin);
            }
            operations.extend(alternatives);
        }
    }
    operations
}

/// How a method for another body encoding is told apart: `create_pet_form`.
fn media_suffix(body: &RequestBody) -> String {
    match body.kind {
        BodyKind::Form => "form".to_string(),
        BodyKind::Multipart => "multipart".to_string(),
        BodyKind::Text => "text".to_string(),
        BodyKind::Json => "json".to_string(),
        BodyKind::Binary => {
            let essence = body.content_type.split(';').next().unwrap_or("");
            field_name(essence.rsplit('/').next().unwrap_or("bytes"))
        }
    }
}

/// `Idempotency-Key`, `X-Idempotency-Key`, `idempotency_key`: a header through which
/// the server deduplicates retried requests.
fn is_idempotency_key(name: &str) -> bool {
    let letters: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    letters == "idempotencykey" || letters == "xidempotencykey"
}

/// `GET /pets/{id}/toys` → `get_pets_by_id_toys`.
fn derived_method_name(method: &str, path: &str) -> String {
    let mut parts = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parts.push(format!("by_{param}"));
        } else {
            parts.push(segment.to_string());
        }
    }
    field_name(&parts.join("_"))
}

struct OperationBuilder<'b, 'a> {
    api: &'a OpenAPI,
    types: &'b mut TypeBuilder<'a>,
    at: &'b str,
    type_prefix: &'b str,
}

impl<'b, 'a> OperationBuilder<'b, 'a> {
    fn operation(
        mut self,
        method: &str,
        path: &str,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
        method_name: String,
    ) -> (Operation, Vec<RequestBody>) {
        let mut params = self.parameters(shared, &op.parameters);
        let path_parts = self.path_parts(path, &mut params);
        let params_struct = params
            .iter()
            .any(|p| p.location != ParamLocation::Path)
            .then(|| {
                self.types
                    .claim_name(&format!("{}Params", self.type_prefix))
            });
        let mut bodies = op
            .request_body
            .as_ref()
            .map(|b| self.request_bodies(b))
            .unwrap_or_default()
            .into_iter();
        let body = bodies.next();
        let alternative_bodies: Vec<RequestBody> = bodies.collect();
        let (success, errors) = self.responses(&op.responses);
        let events = self.events(&op.responses, body.as_ref());
        // Events alone: the method itself streams.
        let streams = events.is_some()
            && success
                .responses
                .iter()
                .all(|r| matches!(r.body, ResponseBody::Binary | ResponseBody::Empty))
            && self.events_only(&op.responses);
        let security = op
            .security
            .as_ref()
            .or(self.api.security.as_ref())
            .map(|reqs| reqs.iter().map(|r| r.keys().cloned().collect()).collect())
            .unwrap_or_default();
        let idempotency_header = params
            .iter()
            .find(|p| p.location == ParamLocation::Header && is_idempotency_key(&p.wire_name))
            .map(|p| p.wire_name.clone());
        let operation = Operation {
            operation_id: op
                .operation_id
                .clone()
                .unwrap_or_else(|| method_name.clone()),
            method_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_parts,
            docs: Docs {
                title: op.summary.clone(),
                description: op.description.clone(),
                notes: Vec::new(),
                example: None,
            },
            deprecated: op.deprecated,
            pointer: self.at.to_string(),
            params,
            params_struct,
            body,
            success,
            errors,
            security,
            alternative_of: None,
            idempotency_header,
            pagination_hint: super::pagination::EXTENSIONS.iter().find_map(|name| {
                op.extensions
                    .get(*name)
                    .map(|value| (name.to_string(), value.clone()))
            }),
            pagination: None,
            tags: op.tags.clone(),
            features: Vec::new(),
            events,
            streams,
        };
        (operation, alternative_bodies)
    }

    fn resolve_parameter<'p>(
        &mut self,
        p: &'p ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<&'p Parameter>
    where
        'a: 'p,
    {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let found = refs::follow(
                    self.api.components.as_ref().map(|c| &c.parameters),
                    refs::PARAMETERS,
                    reference,
                );
                if found.is_none() {
                    self.types.warn(
                        at,
                        "unresolved-ref",
                        format!(
                            "parameter reference `{reference}` does not resolve; parameter skipped"
                        ),
                    );
                }
                found
            }
        }
    }

    /// Path-item parameters overridden by operation parameters of the same name and
    /// location, in spec order.
    fn parameters(
        &mut self,
        shared: &[ReferenceOr<Parameter>],
        own: &[ReferenceOr<Parameter>],
    ) -> Vec<Param> {
        let mut merged: IndexMap<(String, &'static str), (&Parameter, String)> = IndexMap::new();
        let item_at = self
            .at
            .rsplit_once('/')
            .map_or("", |(base, _)| base)
            .to_string();
        let lists = [
            (shared, pointer_push(&item_at, "parameters")),
            (own, pointer_push(self.at, "parameters")),
        ];
        for (list, list_at) in &lists {
            for (i, p) in list.iter().enumerate() {
                let at = pointer_push(list_at, &i.to_string());
                let Some(p) = self.resolve_parameter(p, &at) else {
                    continue;
                };
                if p.parameter_data_ref().extensions.contains_key("x-dropped") {
                    continue;
                }
                let key = (p.parameter_data_ref().name.clone(), location_name(p));
                merged.insert(key, (p, at));
            }
        }
        let mut names = Namespace::new();
        for n in ARGUMENT_NAMES {
            names.reserve(n);
        }
        merged
            .into_values()
            .map(|(p, at)| self.parameter(p, &at, &mut names))
            .collect()
    }

    fn parameter(&mut self, p: &Parameter, at: &str, names: &mut Namespace) -> Param {
        let data = p.parameter_data_ref();
        let (location, style, explode) = match p {
            Parameter::Query { style, .. } => {
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (
                    ParamLocation::Query,
                    style,
                    data.explode.unwrap_or(style == ParamStyle::Form),
                )
            }
            Parameter::Path { style, .. } => {
                let style = match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Label => ParamStyle::Label,
                    PathStyle::Matrix => ParamStyle::Matrix,
                };
                (ParamLocation::Path, style, data.explode.unwrap_or(false))
            }
            Parameter::Header { .. } => (
                ParamLocation::Header,
                ParamStyle::Simple,
                data.explode.unwrap_or(false),
            ),
            Parameter::Cookie { .. } => (
                ParamLocation::Cookie,
                ParamStyle::Form,
                data.explode.unwrap_or(true),
            ),
        };
        let hint = format!("{}{}", self.type_prefix, type_name(&data.name, "Param"));
        let resolved = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                Some(self.types.resolve(s, &hint, &pointer_push(at, "schema")))
            }
            ParameterSchemaOrContent::Content(content) => {
                content.first().and_then(|(media, mt)| {
                    let media_at = pointer_push(&pointer_push(at, "content"), media);
                    mt.schema.as_ref().map(|s| {
                        self.types
                            .resolve(s, &hint, &pointer_push(&media_at, "schema"))
                    })
                })
            }
        };
        // Path parameters are always required, whatever the spec says.
        let required = data.required || location == ParamLocation::Path;
        // For a parameter, absent and null are the same thing (there is no way to send
        // a JSON null in a query string or a header): an optional parameter is one
        // `Option`, whether or not its schema admits null.
        let ty = match resolved {
            Some(r) if required => r.into_type(),
            Some(r) => strip_option(r.ty),
            None => TypeRef::Prim(Primitive::String),
        };
        Param {
            wire_name: data.name.clone(),
            rust_name: names.claim(&field_name(&data.name)),
            location,
            ty,
            required,
            style,
            explode,
            docs: Docs {
                title: None,
                description: data.description.clone(),
                notes: Vec::new(),
                example: data.example.clone(),
            },
            deprecated: data.deprecated.unwrap_or(false),
            pointer: at.to_string(),
        }
    }

    /// Splits the path template; a `{name}` the spec does not declare becomes a required
    /// string parameter (with a warning) rather than being sent literally.
    fn path_parts(&mut self, path: &str, params: &mut Vec<Param>) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_string()));
            }
            let name = &rest[open + 1..close];
            let index = match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(i) => i,
                None => {
                    self.types.warn(
                        self.at,
                        "undeclared-path-param",
                        format!("path parameter `{name}` is not declared; generated as a required string"),
                    );
                    let mut names = Namespace::new();
                    for n in ARGUMENT_NAMES
                        .iter()
                        .copied()
                        .chain(params.iter().map(|p| p.rust_name.as_str()))
                    {
                        names.reserve(n);
                    }
                    params.push(Param {
                        wire_name: name.to_string(),
                        rust_name: names.claim(&field_name(name)),
                        location: ParamLocation::Path,
                        ty: TypeRef::Prim(Primitive::String),
                        required: true,
                        style: ParamStyle::Simple,
                        explode: false,
                        docs: Docs {
                            description: Some(
                                "Not declared in the spec; appears in the path template.".into(),
                            ),
                            ..Docs::default()
                        },
                        deprecated: false,
                        pointer: self.at.to_string(),
                    });
                    params.len() - 1
                }
            };
            parts.push(PathPart::Param(index));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !parts.contains(&PathPart::Param(i)) {
                self.types.warn(
                    self.at,
                    "unused-path-param",
                    format!(
                        "path parameter `{}` is declared but not in the path template `{path}`; it is not sent",
                        p.wire_name
                    ),
                );
            }
        }
        parts
    }

    fn request_bodies(&mut self, body: &ReferenceOr<OaRequestBody>) -> Vec<RequestBody> {
        let at = pointer_push(self.at, "requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let found = refs::follow(
                    self.api.components.as_ref().map(|c| &c.request_bodies),
                    refs::REQUEST_BODIES,
                    reference,
                );
                match found {
                    Some(b) => b,
                    None => {
                        self.types.warn(&at, "unresolved-ref", format!("request body reference `{reference}` does not resolve; no body is sent"));
                        return Vec::new();
                    }
                }
            }
        };
        // One body per kind of media type, in order of preference: the first becomes
        // the operation's method, the others methods of their own.
        let mut ranked: Vec<(usize, &String, &MediaType)> = body
            .content
            .iter()
            .enumerate()
            .map(|(i, (media, mt))| (i, media, mt))
            .collect();
        ranked.sort_by_key(|(i, media, _)| (request_rank(media), *i));
        let mut bodies: Vec<RequestBody> = Vec::new();
        let mut schemas: Vec<Option<&ReferenceOr<openapiv3::Schema>>> = Vec::new();
        for (_, media, mt) in ranked {
            let kind = body_kind(media);
            if bodies.iter().any(|b| b.kind == kind) {
                let used = bodies
                    .iter()
                    .find(|b| b.kind == kind)
                    .map(|b| b.content_type.clone())
                    .unwrap_or_default();
                self.types.warn(
                    &pointer_push(&pointer_push(&at, "content"), media),
                    "other-media-types",
                    format!("`{media}` is served by the method for `{used}` (same encoding); no separate method"),
                );
                continue;
            }
            let media_at = pointer_push(&pointer_push(&at, "content"), media);
            // The same inline schema under another media type is the same type.
            let same_schema = bodies
                .iter()
                .zip(&schemas)
                .find(|(_, s)| s.is_some() && **s == mt.schema.as_ref())
                .map(|(b, _)| b.ty.clone());
            let ty = match (kind, &mt.schema, same_schema) {
                (BodyKind::Binary, _, _) => TypeRef::Prim(Primitive::Bytes),
                (BodyKind::Text, _, _) => TypeRef::Prim(Primitive::String),
                (_, _, Some(ty)) => ty,
                (_, Some(s), None) => self
                    .types
                    .resolve(
                        s,
                        &format!("{}Body", self.type_prefix),
                        &pointer_push(&media_at, "schema"),
                    )
                    .into_type(),
                (_, None, None) => TypeRef::Prim(Primitive::Json),
            };
            let parts = if kind == BodyKind::Multipart {
                self.multipart_parts(&ty)
            } else {
                Vec::new()
            };
            schemas.push(mt.schema.as_ref());
            bodies.push(RequestBody {
                content_type: media.to_string(),
                kind,
                ty,
                required: body.required,
                docs: Docs {
                    description: body.description.clone(),
                    ..Docs::default()
                },
                parts,
            });
        }
        bodies
    }

    /// The success responses as they are written (status, response object), resolved.
    fn success_responses<'r>(
        &'r self,
        responses: &'r openapiv3::Responses,
    ) -> Vec<(String, &'r OaResponse)> {
        let mut out = Vec::new();
        for (code, r) in &responses.responses {
            let success = match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            };
            let r = match r {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|key| self.api.components.as_ref()?.responses.get(key))
                    .and_then(|r| match r {
                        ReferenceOr::Item(r) => Some(r),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            if let (true, Some(r)) = (success, r) {
                out.push((code.to_string(), r));
            }
        }
        out
    }

    /// The first success answered as `text/event-stream`, typed by its schema.
    fn events(
        &mut self,
        responses: &openapiv3::Responses,
        body: Option<&RequestBody>,
    ) -> Option<Events> {
        let (code, media, schema) =
            self.success_responses(responses)
                .into_iter()
                .find_map(|(code, r)| {
                    r.content
                        .iter()
                        .find(|(media, _)| is_event_stream(media))
                        .map(|(media, mt)| (code, media.clone(), mt.schema.clone()))
                })?;
        let at = pointer_push(
            &pointer_push(
                &pointer_push(&pointer_push(self.at, "responses"), &code),
                "content",
            ),
            &media,
        );
        let item = match &schema {
            Some(s) => self
                .types
                .resolve(
                    s,
                    &format!("{}StreamEvent", self.type_prefix),
                    &pointer_push(&at, "schema"),
                )
                .into_type(),
            None => TypeRef::Prim(Primitive::Json),
        };
        let stream_flag = body.is_some_and(|b| {
            matches!(
                b.kind,
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart
            ) && self.has_bool_field(&b.ty, "stream", 0)
        });
        Some(Events { item, stream_flag })
    }

    /// Whether every success that has content is answered with events only.
    fn events_only(&self, responses: &openapiv3::Responses) -> bool {
        self.success_responses(responses)
            .iter()
            .filter(|(_, r)| !r.content.is_empty())
            .all(|(_, r)| r.content.keys().all(|m| is_event_stream(m)))
    }

    /// Whether the type (a struct, through aliases and flattened fields) has a
    /// boolean property of this wire name.
    fn has_bool_field(&self, ty: &TypeRef, wire_name: &str, depth: u32) -> bool {
        if depth > 8 {
            return false;
        }
        let mut ty = ty;
        while let TypeRef::Option(inner) | TypeRef::Box(inner) = ty {
            ty = inner;
        }
        let TypeRef::Named(name) = ty else {
            return false;
        };
        match self.types.find(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(target)) => self.has_bool_field(target, wire_name, depth + 1),
            Some(TypeKind::Struct(def)) => def.fields.iter().any(|f| {
                if f.flatten {
                    return self.has_bool_field(&f.ty, wire_name, depth + 1);
                }
                let mut field_ty = &f.ty;
                while let TypeRef::Option(inner) = field_ty {
                    field_ty = inner;
                }
                f.wire_name == wire_name && *field_ty == TypeRef::Prim(Primitive::Bool)
            }),
            _ => false,
        }
    }

    /// The parts of a multipart body: one per field of its struct.
    fn multipart_parts(&mut self, ty: &TypeRef) -> Vec<MultipartPart> {
        let mut name = ty;
        // Follow aliases to the struct.
        for _ in 0..8 {
            let TypeRef::Named(n) = name else { break };
            match self.types.find(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => name = target,
                _ => break,
            }
        }
        let struct_def = match name {
            TypeRef::Named(n) => match self.types.find(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        // A flattened field has no part of its own: then the fields of the JSON object
        // are sent as parts at run time.
        let struct_def = struct_def.filter(|s| !s.fields.iter().any(|f| f.flatten));
        let Some(def) = struct_def else {
            // Not a struct (a union, say): the emitted code sends the fields of its JSON
            // object as text parts, decided at run time.
            return Vec::new();
        };
        def.fields
            .iter()
            .map(|f| {
                let mut item = &f.ty;
                while let TypeRef::Option(inner) | TypeRef::Vec(inner) = item {
                    item = inner;
                }
                MultipartPart {
                    wire_name: f.wire_name.clone(),
                    rust_name: f.rust_name.clone(),
                    file: *item == TypeRef::Prim(Primitive::Bytes),
                }
            })
            .collect()
    }

    fn responses(&mut self, responses: &openapiv3::Responses) -> (ResponseSet, ResponseSet) {
        let at = pointer_push(self.at, "responses");
        let mut all: Vec<Response> = Vec::new();
        let entries = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (status, code.to_string(), r)
            })
            .chain(
                responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, "default".to_string(), r)),
            );
        let entries: Vec<_> = entries.collect();
        for (status, key, r) in entries {
            let r_at = pointer_push(&at, &key);
            let hint = format!(
                "{}Response{}",
                self.type_prefix,
                status_suffix(status, true)
            );
            if let Some(resp) = self.response(r, status, &hint, &r_at) {
                all.push(resp);
            }
        }
        let is_success =
            |s: StatusMatch| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
        let mut success: Vec<Response> = all
            .iter()
            .filter(|r| is_success(r.status))
            .cloned()
            .collect();
        if success.is_empty() {
            // Only `default` documented: it describes the successful answer too.
            success = all
                .iter()
                .filter(|r| r.status == StatusMatch::Default)
                .cloned()
                .collect();
        }
        // Error bodies without a JSON schema are not typed: the error keeps their bytes.
        let errors: Vec<Response> = all
            .into_iter()
            .filter(|r| !is_success(r.status) && matches!(r.body, ResponseBody::Json(_)))
            .collect();
        let success_shape = self.shape(&success, "Response");
        let error_shape = self.shape(&errors, "Error");
        (
            ResponseSet {
                responses: success,
                shape: success_shape,
            },
            ResponseSet {
                responses: errors,
                shape: error_shape,
            },
        )
    }

    fn response(
        &mut self,
        r: &ReferenceOr<OaResponse>,
        status: StatusMatch,
        hint: &str,
        at: &str,
    ) -> Option<Response> {
        let r = match r {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let found = refs::follow(
                    self.api.components.as_ref().map(|c| &c.responses),
                    refs::RESPONSES,
                    reference,
                );
                match found {
                    Some(r) => r,
                    None => {
                        self.types.warn(at, "unresolved-ref", format!("response reference `{reference}` does not resolve; treated as undocumented"));
                        return None;
                    }
                }
            }
        };
        let body = match choose_media(&r.content, response_rank) {
            None => ResponseBody::Empty,
            Some((media, mt)) => match body_kind(media) {
                BodyKind::Json => match &mt.schema {
                    Some(s) => {
                        let media_at = pointer_push(&pointer_push(at, "content"), media);
                        ResponseBody::Json(
                            self.types
                                .resolve(s, hint, &pointer_push(&media_at, "schema"))
                                .into_type(),
                        )
                    }
                    None => ResponseBody::Json(TypeRef::Prim(Primitive::Json)),
                },
                BodyKind::Text => ResponseBody::Text,
                _ => ResponseBody::Binary,
            },
        };
        Some(Response {
            status,
            body,
            description: r.description.clone(),
            link_header: r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")),
        })
    }

    /// How a set of responses surfaces: one type when they agree, an enum otherwise.
    fn shape(&mut self, responses: &[Response], suffix: &str) -> ResponseShape {
        let mut bodies: Vec<&ResponseBody> = Vec::new();
        for r in responses {
            if !bodies.contains(&&r.body) {
                bodies.push(&r.body);
            }
        }
        match bodies.len() {
            0 => ResponseShape::Single(ResponseBody::Empty),
            1 => ResponseShape::Single(bodies[0].clone()),
            _ => {
                let name = self
                    .types
                    .claim_name(&format!("{}{suffix}", self.type_prefix));
                let mut ns = Namespace::new();
                let variants = responses
                    .iter()
                    .map(|r| ns.claim(&status_suffix(r.status, false)))
                    .collect();
                ResponseShape::Enum { name, variants }
            }
        }
    }
}

/// The type inside any `Option` wrappers: the emitter adds the one `Option` of an
/// optional parameter.
fn strip_option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(inner) => strip_option(*inner),
        other => other,
    }
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// A readable name for a status: `Ok`, `NotFound`, `Status418`, `Status4xx`, `Default`.
fn status_suffix(status: StatusMatch, for_type: bool) -> String {
    match status {
        StatusMatch::Code(c) if for_type => c.to_string(),
        StatusMatch::Code(c) => reason(c).map_or_else(|| format!("Status{c}"), str::to_string),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".to_string(),
    }
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        304 => "NotModified",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}

fn body_kind(media: &str) -> BodyKind {
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

fn is_event_stream(media: &str) -> bool {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("text/event-stream")
}

fn request_rank(media: &str) -> u8 {
    match body_kind(media) {
        BodyKind::Json if media.starts_with("application/json") => 0,
        BodyKind::Json => 1,
        BodyKind::Form => 2,
        BodyKind::Multipart => 3,
        BodyKind::Binary => 4,
        BodyKind::Text => 5,
    }
}

fn response_rank(media: &str) -> u8 {
    match body_kind(media) {
        BodyKind::Json if media.starts_with("application/json") => 0,
        BodyKind::Json => 1,
        BodyKind::Text => 2,
        _ => 3,
    }
}

/// The preferred media type; ties keep spec order.
fn choose_media(
    content: &IndexMap<String, MediaType>,
    rank: fn(&str) -> u8,
) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .enumerate()
        .min_by_key(|(i, (media, _))| (rank(media), *i))
        .map(|(_, (m, mt))| (m.as_str(), mt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Api;

    /// The model of a spec with the given `paths` (and optional `components`) section.
    pub(crate) fn api_of(paths: &str, components: &str) -> Api {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n{components}\n"
        );
        let doc = crate::load::load_str(std::path::Path::new("t.yaml"), &text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        crate::model::build(&doc)
    }

    #[test]
    fn optional_nullable_parameters_are_one_option() {
        let api = api_of(
            "  /pets:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string, nullable: true}}\n        - {name: h, in: header, schema: {$ref: '#/components/schemas/N'}}\n        - {name: c, in: cookie, required: true, schema: {type: integer, nullable: true}}\n      responses: {'204': {description: ok}}",
            "  schemas:\n    N: {type: string, nullable: true}",
        );
        let params = &api.operations[0].params;
        assert_eq!(params[0].ty, TypeRef::Prim(Primitive::String));
        assert!(!params[0].required);
        assert_eq!(params[1].ty, TypeRef::named("N"));
        // Required and nullable keeps its Option: the caller may send nothing.
        assert_eq!(
            params[2].ty,
            TypeRef::Option(Box::new(TypeRef::Prim(Primitive::I64)))
        );
    }

    #[test]
    fn operation_names_never_take_client_methods() {
        let mut paths = String::new();
        for (i, id) in [
            "authorize",
            "has_credentials",
            "builder",
            "with_options",
            "clone",
            "base_url",
            "Authorize",
        ]
        .iter()
        .enumerate()
        {
            paths.push_str(&format!(
                "  /p{i}:\n    get:\n      operationId: {id}\n      responses: {{'204': {{description: ok}}}}\n"
            ));
        }
        let api = api_of(&paths, "  {}");
        let names: Vec<&str> = api
            .operations
            .iter()
            .map(|o| o.method_name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "authorize_2",
                "has_credentials_2",
                "builder_2",
                "with_options_2",
                "clone_2",
                "base_url_2",
                "authorize_3"
            ]
        );
        assert_eq!(api.operations[0].operation_id, "authorize");
    }

    #[test]
    fn operation_types_never_take_support_names() {
        let api = api_of(
            "  /a:\n    get:\n      operationId: with\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}\n        '201': {description: ok, content: {application/json: {schema: {type: string}}}}",
            "  schemas:\n    Call: {type: string}\n    From: {type: string, enum: [a]}\n    RetryPolicy: {type: string}",
        );
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        // Schema types live in `types`, where only the prelude's names are taken.
        assert!(!names.contains(&"From"), "{names:?}");
        assert!(
            names.contains(&"Call") && names.contains(&"FromModel"),
            "{names:?}"
        );
        let ResponseShape::Enum { name, .. } = &api.operations[0].success.shape else {
            panic!("an enum of responses")
        };
        assert_eq!(name, "WithResponse2");
    }

    #[test]
    fn reference_chains_are_followed() {
        let api = api_of(
            "  /pets:\n    post:\n      parameters: [{$ref: '#/components/parameters/P1'}]\n      requestBody: {$ref: '#/components/requestBodies/B1'}\n      responses:\n        '200': {$ref: '#/components/responses/R1'}",
            "  parameters:\n    P1: {$ref: '#/components/parameters/P%202'}\n    P 2: {name: limit, in: query, schema: {type: integer}}\n  requestBodies:\n    B1: {$ref: '#/components/requestBodies/B2'}\n    B2: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/a%20b'}}}}\n  responses:\n    R1: {$ref: '#/components/responses/R2'}\n    R2: {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/a%20b'}}}}\n  schemas:\n    a b: {type: object, properties: {x: {type: string}}}",
        );
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
        let op = &api.operations[0];
        assert_eq!(op.params.len(), 1);
        assert_eq!(op.params[0].wire_name, "limit");
        let body = op.body.as_ref().map(|b| b.ty.clone());
        assert_eq!(body, Some(TypeRef::named("AB")));
        assert_eq!(
            op.success.shape,
            ResponseShape::Single(ResponseBody::Json(TypeRef::named("AB")))
        );
    }

    #[test]
    fn reference_loops_warn() {
        let api = api_of(
            "  /pets:\n    get:\n      parameters: [{$ref: '#/components/parameters/A'}]\n      responses: {'204': {description: ok}}",
            "  parameters:\n    A: {$ref: '#/components/parameters/B'}\n    B: {$ref: '#/components/parameters/A'}",
        );
        assert!(
            api.warnings.iter().any(|w| w.class == "unresolved-ref"),
            "{:?}",
            api.warnings
        );
    }

    #[test]
    fn repeated_path_parameter_is_one_parameter() {
        let api = api_of(
            "  /pets/{id}/{id}:\n    get:\n      operationId: twice\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: ok}}",
            "  {}",
        );
        let op = &api.operations[0];
        assert_eq!(op.params.len(), 1);
        assert_eq!(
            op.path_parts,
            vec![
                PathPart::Literal("/pets/".into()),
                PathPart::Param(0),
                PathPart::Literal("/".into()),
                PathPart::Param(0),
            ]
        );
    }

    #[test]
    fn declared_path_parameter_missing_from_template_warns() {
        let api = api_of(
            "  /pets:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: ok}}",
            "  {}",
        );
        let w: Vec<_> = api
            .warnings
            .iter()
            .filter(|w| w.class == "unused-path-param")
            .collect();
        assert_eq!(w.len(), 1, "{:?}", api.warnings);
        assert!(w[0].message.contains("`id`"));
        assert_eq!(w[0].pointer, "/paths/~1pets/get");
    }

    #[test]
    fn derived_names() {
        assert_eq!(
            derived_method_name("get", "/pets/{petId}/toys"),
            "get_pets_by_pet_id_toys"
        );
        assert_eq!(derived_method_name("post", "/"), "post");
    }

    #[test]
    fn idempotency_key_headers() {
        for name in ["Idempotency-Key", "idempotency_key", "X-Idempotency-Key"] {
            assert!(is_idempotency_key(name), "{name}");
        }
        for name in ["Idempotency", "X-Request-Id", "Idempotency-Key-Hash"] {
            assert!(!is_idempotency_key(name), "{name}");
        }
    }

    #[test]
    fn status_names() {
        assert_eq!(status_suffix(StatusMatch::Code(404), false), "NotFound");
        assert_eq!(status_suffix(StatusMatch::Code(418), false), "Status418");
        assert_eq!(status_suffix(StatusMatch::Code(404), true), "404");
        assert_eq!(status_suffix(StatusMatch::Range(4), false), "Status4xx");
        assert_eq!(status_suffix(StatusMatch::Default, false), "Default");
    }

    #[test]
    fn media_kinds() {
        assert_eq!(body_kind("application/json; charset=utf-8"), BodyKind::Json);
        assert_eq!(body_kind("application/problem+json"), BodyKind::Json);
        assert_eq!(body_kind("form-data"), BodyKind::Multipart);
        assert_eq!(body_kind("text/event-stream"), BodyKind::Binary);
        assert_eq!(body_kind("image/png"), BodyKind::Binary);
    }
}

#[cfg(test)]
mod event_tests {
    use std::path::Path;

    use crate::model::{Primitive, TypeRef};

    fn api(spec: &str) -> crate::model::Api {
        let doc = crate::load::load_str(Path::new("t.yaml"), spec).expect("loads");
        crate::model::build(&doc)
    }

    const SPEC: &str = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /chat:
    post:
      operationId: chat
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [prompt]
              properties:
                prompt: {type: string}
                stream: {type: [boolean, "null"]}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {text: {type: string}}}
            text/event-stream:
              schema: {$ref: "#/components/schemas/Chunk"}
  /ticks:
    get:
      operationId: ticks
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              schema: {type: string}
components:
  schemas:
    Chunk:
      type: object
      properties:
        delta: {type: string}
"##;

    #[test]
    fn json_or_events_gets_a_stream_twin_that_sets_the_flag() {
        let api = api(SPEC);
        let names: Vec<&str> = api
            .operations
            .iter()
            .map(|o| o.method_name.as_str())
            .collect();
        assert_eq!(names, ["chat", "chat_stream", "ticks"]);
        let chat = &api.operations[0];
        let twin = &api.operations[1];
        assert!(!chat.streams);
        assert!(twin.streams);
        assert_eq!(twin.alternative_of.as_deref(), Some("chat"));
        let events = twin.events.as_ref().expect("events");
        assert_eq!(events.item, TypeRef::named("Chunk"));
        assert!(events.stream_flag);
        assert_eq!(chat.events, twin.events);
    }

    #[test]
    fn events_alone_make_the_method_itself_stream() {
        let api = api(SPEC);
        let ticks = &api.operations[2];
        assert!(ticks.streams);
        let events = ticks.events.as_ref().expect("events");
        assert_eq!(events.item, TypeRef::Prim(Primitive::String));
        assert!(!events.stream_flag, "no body, no flag");
    }
}
