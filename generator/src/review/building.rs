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

use std::collections::BTreeSet;

use crate::model::{construction, Api, Field, Param};

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
    requests: &'a BTreeSet<String>,
    types: construction::Types<'a>,
}

impl<'a> Building<'a> {
    pub fn new(api: &'a Api) -> Self {
        Building {
            requests: &api.request_types,
            types: api.types.iter().map(|d| (d.name.as_str(), d)).collect(),
        }
    }

    /// Whether users build this type (it is in some request), with a constructor when
    /// it is a struct.
    pub fn builds(&self, type_name: &str) -> bool {
        self.requests.contains(type_name)
    }

    /// Whether `Type::new` takes this field as an argument (the model's rule).
    pub fn in_constructor(&self, field: &Field) -> bool {
        construction::takes_field(field, &self.types)
    }

    /// Whether `XxxParams::new` takes this parameter as an argument (the model's rule).
    pub fn param_in_constructor(&self, param: &Param) -> bool {
        construction::takes_param(param, &self.types)
    }
}
