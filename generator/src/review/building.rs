//! How users build the structs of one version of the generated crate, which decides what
//! breaks their code.
//!
//! Every struct is `#[non_exhaustive]`, so users never write a struct literal. The
//! structs a request contains (request bodies, what they reach, and the per-operation
//! `XxxParams` structs) are built with `Type::new(..)`, which takes every required field
//! in field order except those whose type has a single possible value (a one-value enum,
//! a `const`: the constructor fills them in), then a chained setter per optional field.
//! So only a change to the constructor's arguments breaks the code that builds them; a
//! new optional field is a new setter.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{usage, Api, Field, Param, Presence, TypeDef, TypeKind, TypeRef};

/// How users build the structs of the old and the new version.
pub(super) struct Sides<'a> {
    pub old: Building<'a>,
    pub new: Building<'a>,
}

impl<'a> Sides<'a> {
    pub fn new(old: &'a Api, new: &'a Api) -> Self {
        Sides {
            old: Building::new(old),
            new: Building::new(new),
        }
    }
}

/// The request structs of one version and the types their fields resolve to.
pub(super) struct Building<'a> {
    requests: BTreeSet<String>,
    types: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> Building<'a> {
    pub fn new(api: &'a Api) -> Self {
        Building {
            requests: usage::request_types(&api.types, &api.operations),
            types: api.types.iter().map(|d| (d.name.as_str(), d)).collect(),
        }
    }

    /// Whether users build this type (it is in some request), with a constructor when
    /// it is a struct.
    pub fn builds(&self, type_name: &str) -> bool {
        self.requests.contains(type_name)
    }

    /// Whether `Type::new` takes this field as an argument.
    pub fn in_constructor(&self, field: &Field) -> bool {
        match field.presence {
            Presence::Required => field.flatten || !self.single_valued(&field.ty),
            // `Option<T>`: `None` is a second value, so the caller chooses.
            Presence::RequiredNullable => true,
            Presence::Optional | Presence::OptionalNullable => false,
        }
    }

    /// Whether `XxxParams::new` takes this parameter as an argument.
    pub fn param_in_constructor(&self, param: &Param) -> bool {
        param.required && !self.single_valued(&param.ty)
    }

    /// A type with one possible value: it resolves, through aliases, to an enum with one
    /// variant besides the fallback that keeps unknown values (how a `const` reads).
    pub fn single_valued(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // Bounded: a chain of aliases is never longer than the list of types.
        for _ in 0..=self.types.len() {
            let TypeRef::Named(name) = ty else {
                return false;
            };
            match self.types.get(name.as_str()).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Enum(e)) => return e.variants.len() == 1,
                _ => return false,
            }
        }
        false
    }
}
