//! How users build what goes into a request: a constructor that takes the required
//! values, and a setter per optional one. Nothing needs a struct literal, so every
//! struct can be `#[non_exhaustive]` and a new optional field breaks no one.
//!
//! The rules, decided here once for the emitter and the review:
//! - the constructor (`new`) takes every required field in field order, except one whose
//!   type allows a single value (a one-value enum, which is also how a `const` and the
//!   discriminator a union variant implies are modelled): the constructor fills it in;
//! - each optional field gets a setter named like the field; a field that may also be
//!   sent as `null` gets a second one, `<field>_null`, for that;
//! - names never collide: `new`, then the setters, are claimed in one namespace, and a
//!   taken name is numbered.

use std::collections::{BTreeMap, BTreeSet};

use super::naming::Namespace;
use super::{
    Construction, Field, Filled, Operation, Param, ParamLocation, Presence, Setter, TypeDef,
    TypeKind, TypeRef,
};

/// What a field is to its constructor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Argument,
    Optional { nullable: bool },
}

/// The types by name, as [`single_value`] looks them up.
pub type Types<'a> = BTreeMap<&'a str, &'a TypeDef>;

/// The value `new` fills a required field or parameter with: the one its type allows,
/// when it allows one. The single rule behind [`takes_field`], [`takes_param`] and
/// [`decide`].
fn filled(required: bool, ty: &TypeRef, types: &Types) -> Option<(String, String)> {
    required.then(|| single_value(ty, types)).flatten()
}

/// Whether `new` takes this field as an argument (else a setter sets it, or `new` fills
/// it in). The review asks here too, so that it judges the constructor that is emitted.
pub fn takes_field(field: &Field, types: &Types) -> bool {
    match field.presence {
        Presence::Required => filled(true, &field.ty, types).is_none(),
        // `Option<T>`: `None` is a second value, so the caller chooses.
        Presence::RequiredNullable => true,
        Presence::Optional | Presence::OptionalNullable => false,
    }
}

/// Whether `XxxParams::new` takes this parameter as an argument.
pub fn takes_param(param: &Param, types: &Types) -> bool {
    param.required && filled(true, &param.ty, types).is_none()
}

/// The constructions of every struct users build (`built`: the types a request may
/// contain, by name), and of every operation's parameters struct (by its name).
pub fn decide(
    defs: &[TypeDef],
    operations: &[Operation],
    built: &BTreeSet<String>,
) -> BTreeMap<String, Construction> {
    let by_name: Types = defs.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut out = BTreeMap::new();
    for def in defs {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        if !built.contains(&def.name) {
            continue;
        }
        let fields = s.fields.iter().enumerate().map(|(i, f)| {
            let role = match f.presence {
                Presence::Required | Presence::RequiredNullable => Role::Argument,
                Presence::Optional => Role::Optional { nullable: false },
                Presence::OptionalNullable => Role::Optional { nullable: true },
            };
            let single = filled(f.presence == Presence::Required, &f.ty, &by_name);
            (i, f.rust_name.as_str(), role, single)
        });
        out.insert(def.name.clone(), construction(fields));
    }
    for op in operations {
        let Some(name) = &op.params_struct else {
            continue;
        };
        if op.alternative_of.is_some() || out.contains_key(name) {
            continue;
        }
        let params = op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .enumerate()
            .map(|(i, p)| {
                let role = if p.required {
                    Role::Argument
                } else {
                    Role::Optional { nullable: false }
                };
                (
                    i,
                    p.rust_name.as_str(),
                    role,
                    filled(p.required, &p.ty, &by_name),
                )
            });
        out.insert(name.clone(), construction(params));
    }
    out
}

fn construction<'a>(
    fields: impl Iterator<Item = (usize, &'a str, Role, Option<(String, String)>)>,
) -> Construction {
    let mut names = Namespace::new();
    names.reserve("new");
    let mut built = Construction::default();
    let mut nullable = Vec::new();
    for (index, rust_name, role, single) in fields {
        match (role, single) {
            (Role::Argument, Some((enum_name, variant))) => built.filled.push(Filled {
                field: index,
                enum_name,
                variant,
            }),
            (Role::Argument, None) => built.args.push(index),
            (Role::Optional { nullable: null }, _) => {
                // Field names are unique already; only `new` can be taken.
                let name = names.claim(bare(rust_name));
                nullable.push(null);
                built.setters.push(Setter {
                    field: index,
                    name,
                    null_name: None,
                });
            }
        }
    }
    // The null setters come after every plain one: a field's own name wins.
    for (setter, null) in built.setters.iter_mut().zip(nullable) {
        if null {
            setter.null_name = Some(names.claim(&format!("{}_null", setter.name)));
        }
    }
    built
}

/// A field name without the `r#` a keyword needs (`r#type` → `type`).
fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The enum and variant when `ty` allows exactly one value (through aliases): a
/// one-value enum, which is also how a `const` reads.
pub fn single_value(ty: &TypeRef, by_name: &Types) -> Option<(String, String)> {
    let mut name = match ty {
        TypeRef::Named(name) => name.as_str(),
        _ => return None,
    };
    // An alias chain cannot loop (cycles are broken before), but stay bounded anyway.
    for _ in 0..16 {
        match &by_name.get(name)?.kind {
            TypeKind::Alias(TypeRef::Named(next)) => name = next,
            TypeKind::Enum(e) if e.variants.len() == 1 => {
                return Some((name.to_string(), e.variants[0].rust_name.clone()));
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::load;
    use crate::model::build;

    fn constructions(yaml: &str) -> std::collections::BTreeMap<String, super::Construction> {
        let doc = load::load_str(std::path::Path::new("test.yaml"), yaml).expect("loads");
        build(&doc).constructions
    }

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /messages:
    post:
      operationId: send
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: new, in: query, schema: {type: string}}
        - {name: tenant, in: header, required: true, schema: {type: string}}
        - {name: x-version, in: header, required: true, schema: {type: string, enum: ['2024-01']}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/UserMessage'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Reply'}
components:
  schemas:
    Role: {type: string, enum: [user]}
    UserMessage:
      type: object
      required: [role, content, kind]
      properties:
        content: {type: string}
        role: {$ref: '#/components/schemas/Role'}
        kind: {const: text}
        name: {type: string}
        temperature: {type: [number, 'null']}
        temperature_null: {type: boolean}
    Reply: {type: object, properties: {text: {type: string}}}
"#;

    #[test]
    fn required_fields_are_arguments_single_values_are_filled_optional_ones_set() {
        let built = constructions(SPEC);
        let message = &built["UserMessage"];
        // content (0) is an argument; role (1) and the const kind (2) are filled in.
        assert_eq!(message.args, [0], "{message:?}");
        let filled: Vec<(usize, &str)> = message
            .filled
            .iter()
            .map(|f| (f.field, f.variant.as_str()))
            .collect();
        assert_eq!(filled, [(1, "User"), (2, "Text")], "{message:?}");
        let setters: Vec<(&str, Option<&str>)> = message
            .setters
            .iter()
            .map(|s| (s.name.as_str(), s.null_name.as_deref()))
            .collect();
        // `temperature_null` is a field of its own: the null setter of `temperature` is numbered.
        assert_eq!(
            setters,
            [
                ("name", None),
                ("temperature", Some("temperature_null_2")),
                ("temperature_null", None)
            ]
        );
    }

    #[test]
    fn only_what_users_build_gets_a_construction_parameters_included() {
        let built = constructions(SPEC);
        assert!(
            !built.contains_key("Reply"),
            "a response is never built: {:?}",
            built.keys()
        );
        let params = built.get("SendParams").expect("the parameters struct");
        // tenant (2) is required; the constructor is `new`, so the setter of `new` is numbered.
        assert_eq!(params.args, [2]);
        // x-version (3) allows one value: `new` fills it in, as the review assumes.
        let filled: Vec<usize> = params.filled.iter().map(|f| f.field).collect();
        assert_eq!(filled, [3], "{params:?}");
        let setters: Vec<&str> = params.setters.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(setters, ["limit", "new_2"]);
    }
}
