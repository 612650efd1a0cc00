//! Which operations are paginated and how: a rule the user declares, the spec's
//! extensions (`x-dropshot-pagination`, `x-fern-pagination`,
//! `x-speakeasy-pagination`), a `Link` response header, or OpenAI's unambiguous
//! `has_more` + cursor shape. Each is read into a [`Declared`] rule of wire names, then
//! resolved against the operation's parameters and its page type into a
//! [`Pagination`] of Rust names, or a warning saying why it cannot be.

use std::collections::BTreeSet;

use serde_json::Value;

use super::naming::Namespace;
use super::{
    FieldStep, Operation, PageStyle, Pagination, ParamLocation, Presence, Primitive, ResponseBody,
    ResponseShape, TypeDef, TypeKind, TypeRef,
};
use crate::diagnostics::Warning;

/// The operation extensions read here, in order of preference.
pub const EXTENSIONS: [&str; 3] = [
    "x-dropshot-pagination",
    "x-fern-pagination",
    "x-speakeasy-pagination",
];

/// Pagination the user declares for an operation, e.g. from a TOML file:
///
/// ```toml
/// [[operation]]
/// id = "listThings"        # operationId, or the generated method name
/// style = "cursor"         # cursor | offset | page | next-url | link
/// param = "after"          # the parameter that carries the cursor, offset or page
/// next = "meta.next"       # the next cursor or URL in the body (cursor, next-url)
/// items = "data"           # the items in the body (absent: the body is the array)
/// has-more = "has_more"    # optional: a boolean "more pages" in the body
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub style: PageStyle,
    #[serde(default)]
    pub param: Option<String>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub items: Option<String>,
    #[serde(default)]
    pub has_more: Option<String>,
}

/// A file of [`Rule`]s: `[[operation]]` tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub operation: Vec<Rule>,
}

/// A rule in wire names: parameter names and body paths.
#[derive(Debug, Clone, PartialEq)]
struct Declared {
    source: String,
    style: PageStyle,
    param: Option<String>,
    first_page_only: Vec<String>,
    items: Option<Vec<String>>,
    next: Vec<String>,
    has_more: Vec<String>,
}

/// Finds and resolves the pagination of every operation, and names the stream methods.
pub fn assign(
    operations: &mut [Operation],
    defs: &[TypeDef],
    rules: &[Rule],
    warnings: &mut Vec<Warning>,
) {
    let mut names = Namespace::new();
    for op in operations.iter() {
        names.reserve(&op.method_name);
    }
    for op in operations.iter_mut() {
        if op.alternative_of.is_some() {
            continue;
        }
        let rule = rules
            .iter()
            .find(|r| r.id == op.operation_id || r.id == op.method_name);
        let declared = match rule {
            Some(rule) => Some(from_rule(rule)),
            None => match declared(op, defs) {
                Ok(found) => found,
                Err(message) => {
                    warnings.push(Warning::new(&op.pointer, "pagination-unsupported", message));
                    None
                }
            },
        };
        let Some(declared) = declared else { continue };
        match resolve(op, defs, &declared) {
            Ok(mut pagination) => {
                let id = format!("{}#pages", op.pointer);
                pagination.method_name =
                    names.claim_for(&format!("{}_stream", op.method_name), &id);
                op.pagination = Some(pagination);
            }
            Err(message) => warnings.push(Warning::new(
                &op.pointer,
                "pagination-unsupported",
                format!("{}: {message}; no stream method", declared.source),
            )),
        }
    }
    for rule in rules {
        if !operations
            .iter()
            .any(|op| rule.id == op.operation_id || rule.id == op.method_name)
        {
            warnings.push(Warning::new(
                "",
                "pagination-unknown-operation",
                format!(
                    "the pagination rule names `{}`, which no operation is",
                    rule.id
                ),
            ));
        }
    }
}

fn path(text: &str) -> Vec<String> {
    text.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn from_rule(rule: &Rule) -> Declared {
    Declared {
        source: "declared pagination".to_string(),
        style: rule.style,
        param: rule.param.clone(),
        first_page_only: Vec::new(),
        items: rule.items.as_deref().map(path),
        next: rule.next.as_deref().map(path).unwrap_or_default(),
        has_more: rule.has_more.as_deref().map(path).unwrap_or_default(),
    }
}

/// The rule the spec states or implies for `op`, if any.
fn declared(op: &Operation, defs: &[TypeDef]) -> Result<Option<Declared>, String> {
    if let Some((name, value)) = &op.pagination_hint {
        return match name.as_str() {
            "x-dropshot-pagination" => Ok(Some(dropshot(op, value))),
            "x-fern-pagination" => fern(value).map(Some),
            _ => speakeasy(value).map(Some),
        };
    }
    if op.http_method != "GET" || op.body.is_some() {
        return Ok(None);
    }
    if op.success.responses.iter().any(|r| r.link_header) {
        return Ok(Some(Declared {
            source: "Link header".to_string(),
            style: PageStyle::Link,
            param: None,
            first_page_only: Vec::new(),
            items: None,
            next: Vec::new(),
            has_more: Vec::new(),
        }));
    }
    Ok(has_more_cursor(op, defs))
}

/// Dropshot: `page_token` in, `next_page` and `items` out; the token carries the other
/// query parameters, so later pages send only it, `limit` and the `required` ones.
fn dropshot(op: &Operation, value: &Value) -> Declared {
    let required: BTreeSet<&str> = value
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let first_page_only = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && !p.required)
        .map(|p| p.wire_name.clone())
        .filter(|n| n != "page_token" && n != "limit" && !required.contains(n.as_str()))
        .collect();
    Declared {
        source: "x-dropshot-pagination".to_string(),
        style: PageStyle::Cursor,
        param: Some("page_token".to_string()),
        first_page_only,
        items: Some(vec!["items".to_string()]),
        next: vec!["next_page".to_string()],
        has_more: Vec::new(),
    }
}

/// `$request.name` → `name`.
fn request_param(text: &str) -> Result<String, String> {
    let name = text
        .strip_prefix("$request.")
        .ok_or_else(|| format!("`{text}` is not a `$request.<parameter>` reference"))?;
    if name.contains('.') {
        return Err(format!(
            "`{text}` points into the request body, which is not supported"
        ));
    }
    Ok(name.to_string())
}

/// `$response.a.b` or the JSONPath `$.a.b` → `[a, b]`.
fn response_path(text: &str) -> Result<Vec<String>, String> {
    let rest = text
        .strip_prefix("$response.")
        .or_else(|| text.strip_prefix("$."))
        .or_else(|| (text == "$response" || text == "$").then_some(""))
        .ok_or_else(|| format!("`{text}` is not a `$response.…` or `$.…` path"))?;
    if rest.contains(['[', ']', '*']) {
        return Err(format!("`{text}` uses JSONPath beyond plain field names"));
    }
    Ok(path(rest))
}

fn text_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

/// Fern: `cursor` + `next_cursor` + `results`, or `offset` + `results` (+ `step`,
/// `has-next-page`).
fn fern(value: &Value) -> Result<Declared, String> {
    let results = text_of(value, "results")
        .ok_or("x-fern-pagination: no `results`")
        .map_err(str::to_string)
        .and_then(response_path)?;
    let has_more = text_of(value, "has-next-page")
        .map(response_path)
        .transpose()?
        .unwrap_or_default();
    let base = |style, param| Declared {
        source: "x-fern-pagination".to_string(),
        style,
        param: Some(param),
        first_page_only: Vec::new(),
        items: Some(results.clone()),
        next: Vec::new(),
        has_more: has_more.clone(),
    };
    if let Some(cursor) = text_of(value, "cursor") {
        let next = text_of(value, "next_cursor")
            .ok_or("x-fern-pagination: a `cursor` without `next_cursor`")
            .map_err(str::to_string)
            .and_then(response_path)?;
        return Ok(Declared {
            next,
            ..base(PageStyle::Cursor, request_param(cursor)?)
        });
    }
    if let Some(offset) = text_of(value, "offset") {
        // With a `step` (the page size) the offset counts items, without it pages.
        let style = if value.get("step").is_some() {
            PageStyle::Offset
        } else {
            PageStyle::Page
        };
        return Ok(base(style, request_param(offset)?));
    }
    Err("x-fern-pagination: neither `cursor` nor `offset`".to_string())
}

/// Speakeasy: `type` (`cursor`, `offsetLimit`, `url`), `inputs` and `outputs`.
fn speakeasy(value: &Value) -> Result<Declared, String> {
    let kind = text_of(value, "type").unwrap_or_default();
    let outputs = value.get("outputs").cloned().unwrap_or(Value::Null);
    let items = text_of(&outputs, "results")
        .map(response_path)
        .transpose()?;
    let input = |wanted: &[&str]| -> Result<Option<String>, String> {
        let inputs = value.get("inputs").and_then(Value::as_array);
        let Some(found) = inputs
            .into_iter()
            .flatten()
            .find(|i| wanted.contains(&text_of(i, "type").unwrap_or_default()))
        else {
            return Ok(None);
        };
        if text_of(found, "in") == Some("requestBody") {
            return Err(
                "x-speakeasy-pagination: inputs in the request body are not supported".to_string(),
            );
        }
        Ok(text_of(found, "name").map(str::to_string))
    };
    let base = |style, param, next| Declared {
        source: "x-speakeasy-pagination".to_string(),
        style,
        param,
        first_page_only: Vec::new(),
        items: items.clone(),
        next,
        has_more: Vec::new(),
    };
    match kind {
        "cursor" => {
            let next = text_of(&outputs, "nextCursor")
                .ok_or("x-speakeasy-pagination: a cursor without `outputs.nextCursor`")
                .map_err(str::to_string)
                .and_then(response_path)?;
            let param = input(&["cursor"])?.ok_or("x-speakeasy-pagination: no cursor input")?;
            Ok(base(PageStyle::Cursor, Some(param), next))
        }
        "offsetLimit" => {
            if let Some(offset) = input(&["offset"])? {
                Ok(base(PageStyle::Offset, Some(offset), Vec::new()))
            } else if let Some(page) = input(&["page"])? {
                Ok(base(PageStyle::Page, Some(page), Vec::new()))
            } else {
                Err(
                    "x-speakeasy-pagination: offsetLimit without an offset or page input"
                        .to_string(),
                )
            }
        }
        "url" => {
            let next = text_of(&outputs, "nextUrl")
                .ok_or("x-speakeasy-pagination: url without `outputs.nextUrl`")
                .map_err(str::to_string)
                .and_then(response_path)?;
            Ok(base(PageStyle::NextUrl, None, next))
        }
        other => Err(format!("x-speakeasy-pagination: unknown type `{other}`")),
    }
}

/// OpenAI's shape, when it fits exactly one way: a list of `data`, `has_more`, and a
/// cursor field that a query parameter takes back (`last_id` → `after`, `next` →
/// `after`, `next_page` → `page`).
fn has_more_cursor(op: &Operation, defs: &[TypeDef]) -> Option<Declared> {
    if op.http_method != "GET" || op.body.is_some() {
        return None;
    }
    let ResponseShape::Single(ResponseBody::Json(page)) = &op.success.shape else {
        return None;
    };
    let fields = struct_fields(page, defs)?;
    let has = |wire: &str, ok: &dyn Fn(&TypeRef) -> bool| {
        fields
            .iter()
            .any(|f| f.wire_name == wire && !f.flatten && ok(strip(&f.ty)))
    };
    let string_param = |wire: &str| {
        op.params.iter().any(|p| {
            p.wire_name == wire
                && p.location == ParamLocation::Query
                && strip(&p.ty) == &TypeRef::Prim(Primitive::String)
        })
    };
    let is_string = |t: &TypeRef| t == &TypeRef::Prim(Primitive::String);
    if !has("data", &|t| matches!(t, TypeRef::Vec(_)))
        || !has("has_more", &|t| t == &TypeRef::Prim(Primitive::Bool))
    {
        return None;
    }
    let matches: Vec<(&str, &str)> = [
        ("last_id", "after"),
        ("next", "after"),
        ("next_page", "page"),
    ]
    .into_iter()
    .filter(|(field, param)| has(field, &is_string) && string_param(param))
    .collect();
    let [(field, param)] = matches[..] else {
        return None;
    };
    Some(Declared {
        source: "has_more cursor".to_string(),
        style: PageStyle::Cursor,
        param: Some(param.to_string()),
        first_page_only: Vec::new(),
        items: Some(vec!["data".to_string()]),
        next: vec![field.to_string()],
        has_more: vec!["has_more".to_string()],
    })
}

/// The type under `Option` and `Box` wrappers.
fn strip(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) | TypeRef::Box(inner) => strip(inner),
        other => other,
    }
}

/// The fields of the struct a type names (through aliases).
fn struct_fields<'d>(ty: &TypeRef, defs: &'d [TypeDef]) -> Option<&'d [super::Field]> {
    let TypeRef::Named(name) = strip(ty) else {
        return None;
    };
    let def = defs.iter().find(|d| &d.name == name)?;
    match &def.kind {
        TypeKind::Struct(s) => Some(&s.fields),
        TypeKind::Alias(target) => struct_fields(target, defs),
        _ => None,
    }
}

/// How many `Option`s wrap a type (its own, not those inside a `Vec`).
fn option_layers(ty: &TypeRef) -> u8 {
    match ty {
        TypeRef::Option(inner) => 1 + option_layers(inner),
        TypeRef::Box(inner) => option_layers(inner),
        _ => 0,
    }
}

/// Walks a path of wire names into a type: the steps (with flattened structs walked
/// through) and the type at the end.
fn walk(
    start: &TypeRef,
    wire_path: &[String],
    defs: &[TypeDef],
) -> Result<(Vec<FieldStep>, TypeRef), String> {
    let mut steps = Vec::new();
    let mut ty = start.clone();
    for wire in wire_path {
        let found = find_field(&ty, wire, defs, 0)
            .ok_or_else(|| format!("the page has no field `{}`", wire_path.join(".")))?;
        steps.extend(found.0);
        ty = found.1;
    }
    Ok((steps, ty))
}

fn find_field(
    ty: &TypeRef,
    wire: &str,
    defs: &[TypeDef],
    depth: usize,
) -> Option<(Vec<FieldStep>, TypeRef)> {
    if depth > 8 {
        return None;
    }
    let fields = struct_fields(ty, defs)?;
    let step = |f: &super::Field| {
        let presence = match f.presence {
            Presence::Required => 0,
            Presence::RequiredNullable | Presence::Optional => 1,
            Presence::OptionalNullable => 2,
        };
        FieldStep {
            rust_name: f.rust_name.clone(),
            options: presence + option_layers(&f.ty),
        }
    };
    if let Some(f) = fields.iter().find(|f| !f.flatten && f.wire_name == wire) {
        return Some((vec![step(f)], f.ty.clone()));
    }
    fields.iter().filter(|f| f.flatten).find_map(|f| {
        let (mut inner, leaf) = find_field(&f.ty, wire, defs, depth + 1)?;
        inner.insert(0, step(f));
        Some((inner, leaf))
    })
}

/// The rule in Rust terms, checked against the operation and its page type.
fn resolve(op: &Operation, defs: &[TypeDef], declared: &Declared) -> Result<Pagination, String> {
    if op.body.is_some() {
        return Err("operations with a request body are not paginated".to_string());
    }
    let ResponseShape::Single(ResponseBody::Json(page)) = &op.success.shape else {
        return Err("the successful answer is not one JSON type".to_string());
    };
    let param_index = |wire: &str| {
        op.params
            .iter()
            .position(|p| p.wire_name == wire && p.location != ParamLocation::Path)
            .ok_or_else(|| format!("no query, header or cookie parameter `{wire}`"))
    };
    let param = match (&declared.param, declared.style) {
        (_, PageStyle::NextUrl | PageStyle::Link) => None,
        (None, _) => return Err("no parameter named for the cursor, offset or page".to_string()),
        (Some(wire), style) => {
            let index = param_index(wire)?;
            let ty = strip(&op.params[index].ty);
            let ok = match style {
                PageStyle::Cursor => ty == &TypeRef::Prim(Primitive::String),
                _ => matches!(
                    ty,
                    TypeRef::Prim(
                        Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64
                    )
                ),
            };
            if !ok {
                return Err(format!(
                    "the parameter `{wire}` has a type this style cannot fill"
                ));
            }
            Some(index)
        }
    };
    let (items, item_type) = match &declared.items {
        Some(wire_path) => walk(page, wire_path, defs)?,
        None => {
            // The body itself, or its one array field.
            match strip(page) {
                TypeRef::Vec(_) => (Vec::new(), page.clone()),
                _ => {
                    let arrays: Vec<&super::Field> = struct_fields(page, defs)
                        .unwrap_or_default()
                        .iter()
                        .filter(|f| !f.flatten && matches!(strip(&f.ty), TypeRef::Vec(_)))
                        .collect();
                    let [field] = arrays[..] else {
                        return Err(
                            "the page is neither an array nor an object with one array".to_string()
                        );
                    };
                    walk(page, std::slice::from_ref(&field.wire_name), defs)?
                }
            }
        }
    };
    let TypeRef::Vec(item) = strip(&item_type) else {
        return Err("the items are not an array".to_string());
    };
    let (next, next_is_string) = match declared.style {
        PageStyle::Cursor | PageStyle::NextUrl => {
            let (steps, leaf) = walk(page, &declared.next, defs)?;
            let leaf = strip(&leaf);
            let is_string = leaf == &TypeRef::Prim(Primitive::String);
            let is_integer = matches!(
                leaf,
                TypeRef::Prim(Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64)
            );
            if steps.is_empty() || !(is_string || is_integer && declared.style == PageStyle::Cursor)
            {
                return Err("the next cursor or URL is not a string field".to_string());
            }
            (steps, is_string)
        }
        _ => (Vec::new(), true),
    };
    let has_more = if declared.has_more.is_empty() {
        Vec::new()
    } else {
        let (steps, leaf) = walk(page, &declared.has_more, defs)?;
        if strip(&leaf) != &TypeRef::Prim(Primitive::Bool) {
            return Err("the has-more field is not a boolean".to_string());
        }
        steps
    };
    let first_page_only = declared
        .first_page_only
        .iter()
        .filter_map(|wire| param_index(wire).ok())
        .filter(|i| !op.params[*i].required)
        .collect();
    Ok(Pagination {
        source: declared.source.clone(),
        style: declared.style,
        method_name: String::new(),
        param,
        first_page_only,
        items,
        item_type: (**item).clone(),
        next,
        next_is_string,
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_response_references() {
        assert_eq!(request_param("$request.after").as_deref(), Ok("after"));
        assert!(request_param("$request.body.cursor").is_err());
        assert!(request_param("after").is_err());
        assert_eq!(
            response_path("$response.meta.next"),
            Ok(vec!["meta".to_string(), "next".to_string()])
        );
        assert_eq!(response_path("$.data"), Ok(vec!["data".to_string()]));
        assert_eq!(response_path("$response"), Ok(Vec::new()));
        assert!(response_path("$.data[*].id").is_err());
    }

    #[test]
    fn fern_styles() {
        let cursor = fern(&serde_json::json!({
            "cursor": "$request.starting_after",
            "next_cursor": "$response.meta.next",
            "results": "$response.data"
        }))
        .expect("cursor");
        assert_eq!(cursor.style, PageStyle::Cursor);
        assert_eq!(cursor.param.as_deref(), Some("starting_after"));
        assert_eq!(cursor.next, ["meta", "next"]);
        let stepped = fern(
            &serde_json::json!({"offset": "$request.offset", "step": "$request.limit", "results": "$response.data"}),
        );
        assert_eq!(stepped.map(|d| d.style), Ok(PageStyle::Offset));
        let pages =
            fern(&serde_json::json!({"offset": "$request.page", "results": "$response.data"}));
        assert_eq!(pages.map(|d| d.style), Ok(PageStyle::Page));
        assert!(
            fern(&serde_json::json!({"cursor": "$request.c", "results": "$response.data"}))
                .is_err()
        );
    }

    #[test]
    fn speakeasy_styles() {
        let offset = speakeasy(&serde_json::json!({
            "type": "offsetLimit",
            "inputs": [{"name": "skip", "in": "parameters", "type": "offset"}, {"name": "take", "in": "parameters", "type": "limit"}],
            "outputs": {"results": "$.items"}
        }))
        .expect("offset");
        assert_eq!(
            (offset.style, offset.param.as_deref()),
            (PageStyle::Offset, Some("skip"))
        );
        let in_body = speakeasy(&serde_json::json!({
            "type": "cursor",
            "inputs": [{"name": "cursor", "in": "requestBody", "type": "cursor"}],
            "outputs": {"nextCursor": "$.next"}
        }));
        assert!(in_body.is_err());
        assert!(speakeasy(&serde_json::json!({"type": "magic"})).is_err());
    }

    #[test]
    fn rules_read_from_toml() {
        let file: RuleFile = toml::from_str(
            "[[operation]]\nid = \"listThings\"\nstyle = \"next-url\"\nnext = \"links.next\"\n",
        )
        .expect("parses");
        assert_eq!(file.operation[0].style, PageStyle::NextUrl);
        assert_eq!(from_rule(&file.operation[0]).next, ["links", "next"]);
        assert!(
            toml::from_str::<RuleFile>("[[operation]]\nid = \"x\"\nstyle = \"sideways\"\n")
                .is_err()
        );
    }
}
