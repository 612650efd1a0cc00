use super::media::body_kind;
use super::responses::status_suffix;
use super::*;
use crate::model::{Api, PathPart, Primitive, ResponseShape, StatusMatch, TypeRef};

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
            "authorize_operation",
            // No longer a method of the client (credentials are the runtime's).
            "has_credentials",
            "builder_operation",
            "with_options_operation",
            "clone_operation",
            "base_url_operation",
            // `Authorize` converts to the same name, and loses to the exact one: the
            // hash of its place tells it apart, whatever the order of the two.
            "authorize_operation_1526"
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
    assert_eq!(name, "WithResponseModel");
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
