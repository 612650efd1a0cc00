//! Shapes that description writers produce for things OpenAPI says another way, typed
//! as what they mean:
//! - a path parameter written `required: false` (zod-openapi, some NestJS output) or
//!   nullable: a path segment is always there and never `null`, so it is required and
//!   not nullable, with a warning;
//! - a nullable reference written as `allOf: [{$ref}, {type: [T, "null"]}]` (zod-openapi)
//!   or `allOf: [{$ref}, {nullable: true}]`: the second member only says "or null", so it
//!   becomes `nullable` on the reference. The other idioms of nullable references
//!   (`anyOf`/`oneOf` with `{type: "null"}` from FastAPI, pydantic and utoipa, `allOf:
//!   [{$ref}]` plus `nullable` from NestJS, `$ref` plus `nullable` from springdoc) the
//!   model already types as an optional, nullable reference (see the tests).

use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, Warning};

/// A path parameter is required and never null, whatever the description says.
pub(super) fn path_parameter(obj: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    if obj.get("in").and_then(Value::as_str) != Some("path") {
        return;
    }
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    if obj.get("required") != Some(&Value::Bool(true)) {
        obj.insert("required".into(), Value::Bool(true));
        warnings.push(Warning::new(
            pointer_push(at, "required"),
            "path-parameter-optional",
            format!("path parameter `{name}` is not marked required; a path segment always is, so it is typed as required"),
        ));
    }
    let schema = obj.get_mut("schema").and_then(Value::as_object_mut);
    if let Some(schema) = schema.filter(|s| s.get("nullable") == Some(&Value::Bool(true))) {
        schema.remove("nullable");
        warnings.push(Warning::new(
            pointer_push(&pointer_push(at, "schema"), "nullable"),
            "path-parameter-nullable",
            format!("path parameter `{name}` may be null; a path segment cannot be, so it is typed as not nullable"),
        ));
    }
}

/// `allOf` members that only say "or null" become `nullable` on the schema (after 3.1's
/// `type: [T, "null"]` has become `type: T, nullable: true`).
pub(super) fn nullable_all_of(obj: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = obj.get_mut("allOf") else {
        return;
    };
    let before = members.len();
    members.retain(|m| !is_null_marker(m));
    if members.len() == before {
        return;
    }
    if members.is_empty() {
        // Nothing but markers: an unconstrained, nullable value.
        obj.remove("allOf");
    }
    obj.insert("nullable".into(), Value::Bool(true));
}

/// A schema that says nothing but "nullable" (and a type, which zod writes beside it).
fn is_null_marker(member: &Value) -> bool {
    let Some(obj) = member.as_object() else {
        return false;
    };
    obj.get("nullable") == Some(&Value::Bool(true))
        && obj.keys().all(|k| k == "nullable" || k == "type")
}

#[cfg(test)]
mod tests {
    use crate::load;
    use crate::model::{build, Presence, TypeKind, TypeRef};

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: false, schema: {type: [integer, "null"]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Tag: {type: object, properties: {name: {type: string}}}
    Pet:
      type: object
      properties:
        zod: {allOf: [{$ref: '#/components/schemas/Tag'}, {type: [string, "null"]}]}
        zod_object: {allOf: [{$ref: '#/components/schemas/Tag'}, {type: [object, "null"]}]}
        marker: {allOf: [{$ref: '#/components/schemas/Tag'}, {nullable: true}]}
        fastapi: {anyOf: [{$ref: '#/components/schemas/Tag'}, {type: 'null'}]}
        utoipa: {oneOf: [{type: 'null'}, {$ref: '#/components/schemas/Tag'}]}
        nestjs: {allOf: [{$ref: '#/components/schemas/Tag'}], nullable: true}
        springdoc: {$ref: '#/components/schemas/Tag', nullable: true}
"#;

    #[test]
    fn a_path_parameter_is_required_and_not_null_with_warnings() {
        let doc = load::load_str(std::path::Path::new("t.yaml"), SPEC).expect("loads");
        let classes: Vec<&str> = doc.warnings.iter().map(|w| w.class).collect();
        assert!(classes.contains(&"path-parameter-optional"), "{classes:?}");
        assert!(classes.contains(&"path-parameter-nullable"), "{classes:?}");
        let api = build(&doc);
        let param = &api.operations[0].params[0];
        assert!(param.required);
        assert_eq!(param.ty, TypeRef::Prim(crate::model::Primitive::I64));
    }

    /// Every writer's nullable reference is an optional `Tag` that can be sent as `null`.
    #[test]
    fn nullable_references_of_every_writer_are_nullable_tags() {
        let doc = load::load_str(std::path::Path::new("t.yaml"), SPEC).expect("loads");
        let api = build(&doc);
        let pet = api.types.iter().find(|t| t.name == "Pet").expect("Pet");
        let TypeKind::Struct(s) = &pet.kind else {
            panic!("a struct")
        };
        let resolve = |ty: &TypeRef| -> String {
            let TypeRef::Named(name) = ty else {
                return format!("{ty:?}");
            };
            match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias(TypeRef::Named(target))) => target.clone(),
                _ => name.clone(),
            }
        };
        for f in &s.fields {
            assert_eq!(resolve(&f.ty), "Tag", "{}: {:?}", f.rust_name, f.ty);
            assert_eq!(f.presence, Presence::OptionalNullable, "{}", f.rust_name);
        }
        assert_eq!(s.fields.len(), 7);
    }
}
