//! Methods of `Client`: matched by name, else by HTTP method and path (a rename).

use std::collections::BTreeMap;

use super::building::Sides;
use super::changes::{rust_type, Area, Changes, Class, Where};
use super::pointer_push;
use crate::model::{
    Api, Operation, Param, ParamLocation, RequestBody, ResponseBody, ResponseSet, ResponseShape,
};

pub(super) fn compare(old: &Api, new: &Api, sides: &Sides, out: &mut Changes) {
    let olds: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|op| (op.method_name.as_str(), op))
        .collect();
    let news: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|op| (op.method_name.as_str(), op))
        .collect();
    let mut gone: Vec<&Operation> = Vec::new();
    for (name, o) in &olds {
        match news.get(name) {
            Some(n) => operation(o, n, sides, out),
            None => gone.push(o),
        }
    }
    let mut added: Vec<&Operation> = news
        .iter()
        .filter(|(name, _)| !olds.contains_key(*name))
        .map(|(_, op)| *op)
        .collect();
    for o in gone {
        let renamed = added.iter().position(|n| same_endpoint(o, n));
        match renamed {
            Some(i) => {
                let n = added.remove(i);
                out.push(
                    Class::Breaking,
                    Area::Operations,
                    "method-renamed",
                    format!("Client::{}", o.method_name),
                    format!(
                        "renamed to `Client::{}` ({} {}; operationId `{}` → `{}`)",
                        n.method_name, n.http_method, n.path, o.operation_id, n.operation_id
                    ),
                    &Where {
                        old: Some(&o.pointer),
                        new: Some(&n.pointer),
                    },
                );
                operation(o, n, sides, out);
            }
            None => out.push(
                Class::Breaking,
                Area::Operations,
                "method-removed",
                format!("Client::{}", o.method_name),
                format!("removed ({} {})", o.http_method, o.path),
                &Where {
                    old: Some(&o.pointer),
                    new: None,
                },
            ),
        }
    }
    for n in added {
        out.push(
            Class::NonBreaking,
            Area::Operations,
            "method-added",
            format!("Client::{}", n.method_name),
            format!("new method ({} {})", n.http_method, n.path),
            &Where {
                old: None,
                new: Some(&n.pointer),
            },
        );
    }
}

/// The same HTTP method and path (parameter names aside), answering the same way.
fn same_endpoint(a: &Operation, b: &Operation) -> bool {
    a.http_method == b.http_method
        && template(&a.path) == template(&b.path)
        && a.streams == b.streams
        && a.alternative_of.is_some() == b.alternative_of.is_some()
        && a.body.as_ref().map(|b| &b.content_type) == b.body.as_ref().map(|b| &b.content_type)
}

/// `/pets/{id}` → `/pets/{}`.
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn operation(o: &Operation, n: &Operation, sides: &Sides, out: &mut Changes) {
    let item = format!("Client::{}", n.method_name);
    let at = Where {
        old: Some(&o.pointer),
        new: Some(&n.pointer),
    };
    if o.http_method != n.http_method || o.path != n.path {
        out.push(
            Class::WireOnly,
            Area::Operations,
            "endpoint-changed",
            &item,
            format!(
                "sends `{} {}` instead of `{} {}`",
                n.http_method, n.path, o.http_method, o.path
            ),
            &at,
        );
    }
    if !o.deprecated && n.deprecated {
        out.push(
            Class::NonBreaking,
            Area::Operations,
            "method-deprecated",
            &item,
            "now `#[deprecated]` (a warning where it is called)",
            &at,
        );
    }
    path_args(o, n, &item, &at, out);
    params(o, n, sides, &item, &at, out);
    body(o.body.as_ref(), n.body.as_ref(), &item, &at, out);
    responses(&o.success, &n.success, &item, "returns", &at, out);
    responses(&o.errors, &n.errors, &item, "error type", &at, out);
    if o.security != n.security {
        let show = |s: &Vec<Vec<String>>| {
            if s.is_empty() {
                "none".to_string()
            } else {
                s.iter()
                    .map(|alt| alt.join(" + "))
                    .collect::<Vec<_>>()
                    .join(" or ")
            }
        };
        out.push(
            Class::WireOnly,
            Area::Auth,
            "operation-security-changed",
            &item,
            format!(
                "credentials sent: {} (was {})",
                show(&n.security),
                show(&o.security)
            ),
            &Where {
                old: Some(&pointer_push(&o.pointer, "security")),
                new: Some(&pointer_push(&n.pointer, "security")),
            },
        );
    }
    match (&o.pagination, &n.pagination) {
        (Some(op), None) => out.push(
            Class::Breaking,
            Area::Operations,
            "method-removed",
            format!("Client::{}", op.method_name),
            "pagination no longer recognised: the page stream method is gone",
            &at,
        ),
        (None, Some(np)) => out.push(
            Class::NonBreaking,
            Area::Operations,
            "method-added",
            format!("Client::{}", np.method_name),
            format!("new page stream method ({})", np.source),
            &at,
        ),
        (Some(op), Some(np)) if op.item_type != np.item_type => out.push(
            Class::Breaking,
            Area::Operations,
            "item-type-changed",
            format!("Client::{}", np.method_name),
            format!(
                "streams `{}` instead of `{}`",
                rust_type(&np.item_type),
                rust_type(&op.item_type)
            ),
            &at,
        ),
        _ => {}
    }
    out.features_changed(
        "method-feature-changed",
        &item,
        &o.features,
        &n.features,
        &at,
    );
}

/// Path parameters are the method's positional arguments.
fn path_args(o: &Operation, n: &Operation, item: &str, at: &Where, out: &mut Changes) {
    let args = |op: &Operation| -> Vec<String> {
        op.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| format!("{}: {}", p.rust_name, rust_type(&p.ty)))
            .collect()
    };
    let types = |op: &Operation| -> Vec<String> {
        op.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| rust_type(&p.ty))
            .collect()
    };
    if types(o) != types(n) {
        out.push(
            Class::Breaking,
            Area::Operations,
            "arguments-changed",
            item,
            format!(
                "path arguments are ({}) (were ({}))",
                args(n).join(", "),
                args(o).join(", ")
            ),
            at,
        );
    }
}

/// Query, header and cookie parameters: fields of the params struct, which users build
/// with `XxxParams::new(<required parameters>)` and a setter per optional one.
fn params(o: &Operation, n: &Operation, sides: &Sides, item: &str, at: &Where, out: &mut Changes) {
    if o.alternative_of.is_some() && n.alternative_of.is_some() {
        // Shares the params struct of its primary method, compared there.
        return;
    }
    let fields = |op: &'_ Operation| -> BTreeMap<String, Param> {
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .map(|p| (p.rust_name.clone(), p.clone()))
            .collect()
    };
    let (of, nf) = (fields(o), fields(n));
    // The params struct as a whole: the operation's parameters.
    let op_ptr = at.old.map(|p| pointer_push(p, "parameters"));
    let np_ptr = at.new.map(|p| pointer_push(p, "parameters"));
    let pat = Where {
        old: op_ptr.as_deref(),
        new: np_ptr.as_deref(),
    };
    match (&o.params_struct, &n.params_struct) {
        (None, Some(s)) => out.push(
            Class::Breaking,
            Area::Operations,
            "params-struct-added",
            item,
            format!("takes a new `{s}` argument"),
            &pat,
        ),
        (Some(s), None) => out.push(
            Class::Breaking,
            Area::Operations,
            "params-struct-removed",
            item,
            format!("no longer takes a `{s}` argument"),
            &pat,
        ),
        (Some(a), Some(b)) if a != b => out.push(
            Class::Breaking,
            Area::Operations,
            "params-struct-renamed",
            item,
            format!("its parameters struct is `{b}` (was `{a}`)"),
            &pat,
        ),
        _ => {}
    }
    let strukt = n
        .params_struct
        .clone()
        .or_else(|| o.params_struct.clone())
        .unwrap_or_default();
    for (name, p) in &of {
        let field = format!("{strukt}::{name}");
        match nf.get(name) {
            None => out.push(
                Class::Breaking,
                Area::Operations,
                "param-removed",
                field,
                format!(
                    "{} parameter `{}` removed",
                    location(p.location),
                    p.wire_name
                ),
                &Where {
                    old: Some(&p.pointer),
                    new: None,
                },
            ),
            Some(q) => param(
                p,
                q,
                sides,
                &field,
                &Where {
                    old: Some(&p.pointer),
                    new: Some(&q.pointer),
                },
                out,
            ),
        }
    }
    for (name, q) in &nf {
        if of.contains_key(name) || o.params_struct.is_none() {
            continue;
        }
        let (class, kind, detail) = added_param(q, sides, &strukt);
        out.push(
            class,
            Area::Operations,
            kind,
            format!("{strukt}::{name}"),
            detail,
            &Where {
                old: None,
                new: Some(&q.pointer),
            },
        );
    }
}

/// A new parameter breaks the calls of `new` only when `new` takes it.
fn added_param(q: &Param, sides: &Sides, strukt: &str) -> (Class, &'static str, String) {
    let what = format!(
        "{} {} parameter `{}: {}`",
        if q.required { "required" } else { "optional" },
        location(q.location),
        q.wire_name,
        rust_type(&q.ty)
    );
    if sides.new.param_in_constructor(q) {
        (
            Class::Breaking,
            "param-added-required",
            format!("new {what}: `{strukt}::new` takes it as a new argument"),
        )
    } else if q.required {
        (
            Class::NonBreaking,
            "param-added-required",
            format!("new {what} with a single possible value, which `{strukt}::new` fills in"),
        )
    } else {
        (
            Class::NonBreaking,
            "param-added-optional",
            format!("new {what}: a new setter `.{}(value)`", q.rust_name),
        )
    }
}

fn param(p: &Param, q: &Param, sides: &Sides, field: &str, at: &Where, out: &mut Changes) {
    let shown = |p: &Param| {
        let t = rust_type(&p.ty);
        if p.required {
            t
        } else {
            format!("Option<{t}>")
        }
    };
    if p.required != q.required {
        out.push(
            Class::Breaking,
            Area::Operations,
            if q.required {
                "param-made-required"
            } else {
                "param-made-optional"
            },
            field,
            format!("`{}` (was `{}`)", shown(q), shown(p)),
            at,
        );
    } else if p.ty != q.ty {
        out.push(
            Class::Breaking,
            Area::Operations,
            "param-retyped",
            field,
            format!("`{}` (was `{}`)", shown(q), shown(p)),
            at,
        );
    } else if sides.old.param_in_constructor(p) != sides.new.param_in_constructor(q) {
        // Required both times, but its type gained or lost its single possible value.
        out.push(
            Class::Breaking,
            Area::Operations,
            "param-constructor-changed",
            field,
            if sides.new.param_in_constructor(q) {
                "`new` now takes it as an argument (its type has more than one value)"
            } else {
                "`new` no longer takes it (its type has a single value, filled in)"
            },
            at,
        );
    }
    if p.wire_name != q.wire_name || p.location != q.location {
        out.push(
            Class::WireOnly,
            Area::Operations,
            "param-wire-renamed",
            field,
            format!(
                "sent as {} parameter `{}` (was {} parameter `{}`)",
                location(q.location),
                q.wire_name,
                location(p.location),
                p.wire_name
            ),
            at,
        );
    }
    if p.style != q.style || p.explode != q.explode {
        out.push(
            Class::WireOnly,
            Area::Operations,
            "param-style-changed",
            field,
            format!(
                "serialised as {:?} (explode {}) (was {:?}, explode {})",
                q.style, q.explode, p.style, p.explode
            ),
            at,
        );
    }
    if !p.deprecated && q.deprecated {
        out.push(
            Class::NonBreaking,
            Area::Operations,
            "param-deprecated",
            field,
            "now `#[deprecated]`",
            at,
        );
    }
}

pub(super) fn notes(notes: &[String]) -> String {
    if notes.is_empty() {
        "no format, range or default".to_string()
    } else {
        notes.join(" ")
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn body(
    o: Option<&RequestBody>,
    n: Option<&RequestBody>,
    item: &str,
    at: &Where,
    out: &mut Changes,
) {
    let ob = at.old.map(|p| pointer_push(p, "requestBody"));
    let nb = at.new.map(|p| pointer_push(p, "requestBody"));
    let at = Where {
        old: ob.as_deref(),
        new: nb.as_deref(),
    };
    match (o, n) {
        (None, None) => {}
        (None, Some(b)) => out.push(
            Class::Breaking,
            Area::Operations,
            "body-added",
            item,
            format!("takes a new `body: {}` argument", rust_type(&b.ty)),
            &at,
        ),
        (Some(b), None) => out.push(
            Class::Breaking,
            Area::Operations,
            "body-removed",
            item,
            format!("no longer takes its `body: {}` argument", rust_type(&b.ty)),
            &at,
        ),
        (Some(a), Some(b)) => {
            if a.ty != b.ty || a.kind != b.kind {
                out.push(
                    Class::Breaking,
                    Area::Operations,
                    "body-retyped",
                    item,
                    format!(
                        "body is `{}` as {:?} (was `{}` as {:?})",
                        rust_type(&b.ty),
                        b.kind,
                        rust_type(&a.ty),
                        a.kind
                    ),
                    &at,
                );
            } else if a.required != b.required {
                out.push(
                    Class::Breaking,
                    Area::Operations,
                    if b.required {
                        "body-made-required"
                    } else {
                        "body-made-optional"
                    },
                    item,
                    format!(
                        "body is {} (the argument {} an `Option`)",
                        if b.required { "required" } else { "optional" },
                        if b.required {
                            "is no longer"
                        } else {
                            "becomes"
                        }
                    ),
                    &at,
                );
            }
            if a.content_type != b.content_type {
                out.push(
                    Class::WireOnly,
                    Area::Operations,
                    "body-media-type-changed",
                    item,
                    format!(
                        "body sent as `{}` (was `{}`)",
                        b.content_type, a.content_type
                    ),
                    &at,
                );
            }
        }
    }
}

/// What a response set looks like from Rust: the type the method returns (or the `E` of
/// its `Error<E>`), and the variants when it is an enum.
fn shape(set: &ResponseSet) -> (String, Vec<(String, String)>) {
    match &set.shape {
        ResponseShape::Single(body) => (body_type(body), Vec::new()),
        ResponseShape::Enum { name, variants } => (
            name.clone(),
            variants
                .iter()
                .zip(&set.responses)
                .map(|(v, r)| (v.clone(), body_type(&r.body)))
                .collect(),
        ),
    }
}

fn body_type(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => "()".to_string(),
        ResponseBody::Json(t) => rust_type(t),
        ResponseBody::Text => "String".to_string(),
        ResponseBody::Binary => "Bytes".to_string(),
    }
}

fn responses(
    o: &ResponseSet,
    n: &ResponseSet,
    item: &str,
    what: &str,
    at: &Where,
    out: &mut Changes,
) {
    let orp = at.old.map(|p| pointer_push(p, "responses"));
    let nrp = at.new.map(|p| pointer_push(p, "responses"));
    let at = Where {
        old: orp.as_deref(),
        new: nrp.as_deref(),
    };
    let ((ot, ov), (nt, nv)) = (shape(o), shape(n));
    if ot != nt {
        out.push(
            Class::Breaking,
            Area::Operations,
            if what == "returns" {
                "response-retyped"
            } else {
                "error-retyped"
            },
            item,
            format!("{what} `{nt}` (was `{ot}`)"),
            &at,
        );
        return;
    }
    for (v, t) in &ov {
        match nv.iter().find(|(w, _)| w == v) {
            None => out.push(
                Class::Breaking,
                Area::Operations,
                "response-variant-removed",
                format!("{ot}::{v}"),
                "variant removed",
                &at,
            ),
            Some((_, u)) if u != t => out.push(
                Class::Breaking,
                Area::Operations,
                "response-variant-retyped",
                format!("{ot}::{v}"),
                format!("carries `{u}` (was `{t}`)"),
                &at,
            ),
            _ => {}
        }
    }
    for (v, u) in &nv {
        if !ov.iter().any(|(w, _)| w == v) {
            out.push(
                Class::NonBreaking,
                Area::Operations,
                "response-variant-added",
                format!("{nt}::{v}"),
                format!("new variant carrying `{u}` (the enum is `#[non_exhaustive]`)"),
                &at,
            );
        }
    }
    let statuses = |s: &ResponseSet| -> Vec<String> {
        s.responses
            .iter()
            .map(|r| format!("{:?}", r.status))
            .collect()
    };
    if ov.is_empty() && statuses(o) != statuses(n) {
        out.push(
            Class::WireOnly,
            Area::Operations,
            "statuses-changed",
            item,
            format!(
                "documented statuses [{}] (were [{}]), same Rust type",
                statuses(n).join(", "),
                statuses(o).join(", ")
            ),
            &at,
        );
    }
}
