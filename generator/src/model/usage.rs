//! Which types users build (what a request may contain), and which the generated crate
//! marks `#[non_exhaustive]`.
//!
//! Every struct and enum is `#[non_exhaustive]`, so the spec may add fields and
//! variants without breaking users' code. Structs that come back from the server are
//! read; structs users build (reachable from a request body or a parameter) are built
//! with a constructor and setters (see [`construction`](super::construction)), never
//! with a struct literal. Enums and unions are built from their variants, and a
//! `match` must have a `_` arm. Aliases and newtypes stay open: a newtype is built as
//! `Name(value)` or `value.into()`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Operation, TypeDef, TypeKind, TypeRef, Wire};

/// Sets [`TypeDef::non_exhaustive`] on every type.
pub fn mark_non_exhaustive(defs: &mut [TypeDef]) {
    for def in defs.iter_mut() {
        def.non_exhaustive = match &def.kind {
            TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) => true,
            TypeKind::Alias(_) | TypeKind::Newtype(_) => false,
        };
    }
}

/// The names of the types a request may contain: the request bodies and parameters, and
/// everything they reach.
pub fn request_types(defs: &[TypeDef], operations: &[Operation]) -> BTreeSet<String> {
    let mut roots: Vec<&TypeRef> = Vec::new();
    for op in operations {
        roots.extend(op.params.iter().map(|p| &p.ty));
        roots.extend(op.body.iter().map(|b| &b.ty));
    }
    reachable(defs, roots)
}

/// The names of the types a response may contain (success and error bodies, page items,
/// events) or a received webhook (`received`), and everything they reach.
pub fn response_types(
    defs: &[TypeDef],
    operations: &[Operation],
    received: &[TypeRef],
) -> BTreeSet<String> {
    let mut roots: Vec<&TypeRef> = received.iter().collect();
    roots.extend(operations.iter().flat_map(super::features::received_types));
    reachable(defs, roots)
}

/// Sets [`TypeDef::wire`]: a type only sent implements `Serialize`, a type only received
/// `Deserialize`; one used both ways or neither implements both.
pub fn mark_wire(defs: &mut [TypeDef], sent: &BTreeSet<String>, received: &BTreeSet<String>) {
    for def in defs.iter_mut() {
        def.wire = match (sent.contains(&def.name), received.contains(&def.name)) {
            (true, false) => Wire::Sent,
            (false, true) => Wire::Received,
            _ => Wire::Both,
        };
    }
}

/// The names of the types `roots` reach.
fn reachable<'a>(defs: &'a [TypeDef], mut todo: Vec<&'a TypeRef>) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> = defs.iter().map(|d| (d.name.as_str(), d)).collect();
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
    use crate::model::{build, TypeKind, Wire};

    fn non_exhaustive(yaml: &str) -> Vec<(String, bool)> {
        let doc = load::load_str(std::path::Path::new("test.yaml"), yaml).expect("loads");
        build(&doc)
            .types
            .iter()
            .filter(|d| !matches!(d.kind, TypeKind::Alias(_)))
            .map(|d| (d.name.clone(), d.non_exhaustive))
            .collect()
    }

    /// A request body (`NewPet`), a response (`Pet`) and an error body (`Problem`), with
    /// types they share (`Kind`, `Tag`), one only the response reaches (`Owner`) and one
    /// nothing uses (`Spare`).
    const PETS: &str = r#"
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
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
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
    Problem: {type: object, properties: {detail: {type: string}}}
    Spare: {type: object, properties: {note: {type: string}}}
"#;

    /// Sent types implement `Serialize`, received ones `Deserialize`; shared and unused
    /// ones both (see `Wire`).
    #[test]
    fn each_type_gets_the_serde_direction_of_its_uses() {
        let doc = load::load_str(std::path::Path::new("test.yaml"), PETS).expect("loads");
        let api = build(&doc);
        let wire = |n: &str| api.types.iter().find(|d| d.name == n).map(|d| d.wire);
        assert_eq!(wire("NewPet"), Some(Wire::Sent));
        assert_eq!(wire("Pet"), Some(Wire::Received));
        assert_eq!(
            wire("Owner"),
            Some(Wire::Received),
            "reached from a response only"
        );
        assert_eq!(
            wire("Problem"),
            Some(Wire::Received),
            "an error body is received"
        );
        assert_eq!(wire("Tag"), Some(Wire::Both), "in a request and a response");
        assert_eq!(wire("Spare"), Some(Wire::Both), "used by no operation");
    }

    #[test]
    fn every_struct_and_enum_is_non_exhaustive() {
        let yaml = PETS;
        let got = non_exhaustive(yaml);
        let get = |n: &str| got.iter().find(|(name, _)| name == n).map(|(_, b)| *b);
        assert_eq!(get("Kind"), Some(true), "{got:?}");
        assert_eq!(
            get("Tag"),
            Some(true),
            "shared with a request, built with `new`: {got:?}"
        );
        assert_eq!(get("NewPet"), Some(true), "{got:?}");
        assert_eq!(get("Pet"), Some(true), "{got:?}");
        assert_eq!(get("Owner"), Some(true), "{got:?}");
    }
}
