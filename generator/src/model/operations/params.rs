//! Parameters: path-item and operation parameters merged, typed and named, and the
//! path template split around them.

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};

use super::{OperationBuilder, ARGUMENT_NAMES};
use crate::diagnostics::pointer_push;
use crate::model::naming::{field_name, type_name, Namespace};
use crate::model::refs;
use crate::model::{Docs, Param, ParamLocation, ParamStyle, PathPart, Primitive, TypeRef};

impl<'b, 'a> OperationBuilder<'b, 'a> {
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
    pub(super) fn parameters(
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
    pub(super) fn path_parts(&mut self, path: &str, params: &mut Vec<Param>) -> Vec<PathPart> {
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
