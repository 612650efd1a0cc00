use std::path::Path;

use serde_json::Value;

fn convert_yaml(text: &str) -> (Value, Vec<String>) {
    let bundle = crate::load::load_str(Path::new("s.yaml"), text).map(|d| d.warnings);
    let warnings = bundle
        .expect("loads")
        .iter()
        .map(|w| w.class.to_string())
        .collect();
    let value = serde_yaml::from_str::<Value>(text).expect("yaml");
    (super::convert(value).0, warnings)
}

const DOC: &str = r#"
swagger: '2.0'
info: {title: t, version: '1'}
host: api.example.com
basePath: /v2/
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basic: {type: basic}
  key: {type: apiKey, name: X-Key, in: header}
  oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth', tokenUrl: 'https://a/token', scopes: {read: Read}}
parameters:
  Limit: {name: limit, in: query, type: integer, format: int32}
  PetBody: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
responses:
  NotFound: {description: missing, schema: {$ref: '#/definitions/Error'}}
definitions:
  Pet:
    type: object
    discriminator: kind
    properties:
      kind: {type: string}
      nick: {type: string, x-nullable: true}
  Error: {type: object, properties: {message: {type: string}}}
paths:
  /pets:
    get:
      parameters:
        - $ref: '#/parameters/Limit'
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: query, type: array, items: {type: integer}}
        - {name: piped, in: query, type: array, items: {type: string}, collectionFormat: pipes}
        - {name: spaced, in: query, type: array, items: {type: string}, collectionFormat: ssv}
        - {name: tabbed, in: query, type: array, items: {type: string}, collectionFormat: tsv}
      responses:
        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}, headers: {X-Rate: {type: integer}}}
        '404': {$ref: '#/responses/NotFound'}
    post:
      parameters: [{$ref: '#/parameters/PetBody'}]
      responses: {'201': {description: created}}
  /pets/{id}/photo:
    parameters: [{name: id, in: path, required: true, type: integer}]
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string}
      responses: {'200': {description: ok}}
  /pets/{id}/form:
    put:
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: id, in: path, required: true, type: integer}
        - {name: name, in: formData, type: string}
      responses: {'204': {description: ok}}
"#;

fn at<'v>(v: &'v Value, pointer: &str) -> &'v Value {
    v.pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {v:#}"))
}

#[test]
fn servers_security_and_components() {
    let (v, _) = convert_yaml(DOC);
    assert_eq!(at(&v, "/openapi"), "3.0.3");
    assert_eq!(at(&v, "/servers/0/url"), "https://api.example.com/v2");
    assert_eq!(at(&v, "/servers/1/url"), "http://api.example.com/v2");
    assert_eq!(at(&v, "/components/securitySchemes/basic/scheme"), "basic");
    assert_eq!(at(&v, "/components/securitySchemes/key/in"), "header");
    assert_eq!(
        at(
            &v,
            "/components/securitySchemes/oauth/flows/authorizationCode/tokenUrl"
        ),
        "https://a/token"
    );
    assert_eq!(
        at(&v, "/components/schemas/Pet/discriminator/propertyName"),
        "kind"
    );
    assert_eq!(
        at(&v, "/components/schemas/Pet/properties/nick/nullable"),
        true
    );
    assert!(v.pointer("/components/parameters/PetBody").is_none());
    assert_eq!(
        at(
            &v,
            "/components/responses/NotFound/content/application~1json/schema/$ref"
        ),
        "#/components/schemas/Error"
    );
}

#[test]
fn parameters_bodies_and_forms() {
    let (v, warnings) = convert_yaml(DOC);
    let get = at(&v, "/paths/~1pets/get");
    assert_eq!(
        at(get, "/parameters/0/$ref"),
        "#/components/parameters/Limit"
    );
    let style = |i: usize| {
        (
            at(get, &format!("/parameters/{i}/style"))
                .as_str()
                .unwrap_or("")
                .to_string(),
            at(get, &format!("/parameters/{i}/explode")).as_bool(),
        )
    };
    assert_eq!(style(1), ("form".into(), Some(true)));
    assert_eq!(style(2), ("form".into(), Some(false)));
    assert_eq!(style(3), ("pipeDelimited".into(), Some(false)));
    assert_eq!(style(4), ("spaceDelimited".into(), Some(false)));
    assert!(
        warnings.contains(&"swagger2-tsv".to_string()),
        "{warnings:?}"
    );
    assert_eq!(
        at(get, "/responses/200/headers/X-Rate/schema/type"),
        "integer"
    );
    assert_eq!(
        at(
            get,
            "/responses/200/content/application~1json/schema/items/$ref"
        ),
        "#/components/schemas/Pet"
    );
    assert_eq!(
        at(get, "/responses/404/$ref"),
        "#/components/responses/NotFound"
    );
    // A body parameter by reference becomes the request body.
    let post = at(&v, "/paths/~1pets/post");
    assert_eq!(at(post, "/requestBody/required"), true);
    assert_eq!(
        at(post, "/requestBody/content/application~1json/schema/$ref"),
        "#/components/schemas/Pet"
    );
    assert!(post.get("parameters").is_none());
    let photo = at(
        &v,
        "/paths/~1pets~1{id}~1photo/post/requestBody/content/multipart~1form-data/schema",
    );
    assert_eq!(at(photo, "/properties/file/format"), "binary");
    assert_eq!(at(photo, "/required/0"), "file");
    assert_eq!(at(&v, "/paths/~1pets~1{id}~1photo/parameters/0/in"), "path");
    let form = at(&v, "/paths/~1pets~1{id}~1form/put");
    assert_eq!(
        at(
            form,
            "/requestBody/content/application~1x-www-form-urlencoded/schema/properties/name/type"
        ),
        "string"
    );
    assert_eq!(at(form, "/parameters/0/name"), "id");
}

#[test]
fn converted_document_generates() {
    let doc = crate::load::load_str(Path::new("s.yaml"), DOC).expect("loads");
    assert_eq!(doc.version, "2.0");
    let api = crate::model::build_with(&doc, &Default::default());
    assert_eq!(api.operations.len(), 4);
}
