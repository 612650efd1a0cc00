//! Which types users build and which they only receive, and so which the generated
//! crate may mark `#[non_exhaustive]`.
//!
//! A struct that only ever comes back from the server (a response body, an event, an
//! error body) is never built by users, so it is `#[non_exhaustive]`: the spec may add
//! fields to it without breaking their code. A struct reachable from a request (a body
//! or a parameter) stays open to struct literals, so users can build it. Enums and
//! unions are always `#[non_exhaustive]`: users still build them from their variants,
//! and a `match` must have a `_` arm, so new variants do not break it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Operation, TypeDef, TypeKind, TypeRef};

/// Sets [`TypeDef::non_exhaustive`] on every type.
pub fn mark_non_exhaustive(defs: &mut [TypeDef], operations: &[Operation]) {
    let built = request_types(defs, operations);
    for def in defs.iter_mut() {
        def.non_exhaustive = match &def.kind {
            TypeKind::Struct(_) => !built.contains(&def.name),
            TypeKind::Enum(_) | TypeKind::Union(_) => true,
            TypeKind::Alias(_) | TypeKind::Newtype(_) => false,
        };
    }
}

/// The names of the types a request may contain: the request bodies and parameters, and
/// everything they reach.
pub fn request_types(defs: &[TypeDef], operations: &[Operation]) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> = defs.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut todo: Vec<&TypeRef> = Vec::new();
    for op in operations {
        todo.extend(op.params.iter().map(|p| &p.ty));
        todo.extend(op.body.iter().map(|b| &b.ty));
    }
    let mut seen = BTreeSet::new();
    while let Some(ty) = todo.pop() {
        let name = match ty {
            TypeRef::Named(name) => name,
            TypeRef::Prim(_) => continue,
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => {
                todo.push(inner);
                continue;
            }
        };
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = by_name.get(name.as_str()) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(s) => {
                todo.extend(s.fields.iter().map(|f| &f.ty));
                todo.extend(s.additional.iter().map(|a| &a.value));
            }
            TypeKind::Union(u) => todo.extend(u.variants.iter().map(|v| &v.ty)),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => todo.push(t),
            TypeKind::Enum(_) => {}
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use crate::load;
    use crate::model::{build, TypeKind};

    fn non_exhaustive(yaml: &str) -> Vec<(String, bool)> {
        let doc = load::load_str(std::path::Path::new("test.yaml"), yaml).expect("loads");
        build(&doc)
            .types
            .iter()
            .filter(|d| !matches!(d.kind, TypeKind::Alias(_)))
            .map(|d| (d.name.clone(), d.non_exhaustive))
            .collect()
    }

    #[test]
    fn response_structs_and_all_enums_are_non_exhaustive_request_structs_are_not() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Kind: {type: string, enum: [cat, dog]}
    Tag: {type: object, properties: {name: {type: string}}}
    NewPet:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
    Pet:
      type: object
      properties:
        id: {type: integer}
        kind: {$ref: '#/components/schemas/Kind'}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner: {type: object, properties: {login: {type: string}}}
"#;
        let got = non_exhaustive(yaml);
        let get = |n: &str| got.iter().find(|(name, _)| name == n).map(|(_, b)| *b);
        assert_eq!(get("Kind"), Some(true), "{got:?}");
        assert_eq!(get("Tag"), Some(false), "shared with a request: {got:?}");
        assert_eq!(get("NewPet"), Some(false), "{got:?}");
        assert_eq!(get("Pet"), Some(true), "{got:?}");
        assert_eq!(get("Owner"), Some(true), "{got:?}");
    }
}
