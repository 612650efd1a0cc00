//! Relative links in spec text. Descriptions are written for the vendor's website,
//! where `[guide](/docs/guides/x)` resolves; in rustdoc it goes nowhere. A link rooted at
//! `/` becomes absolute against the spec's `externalDocs` origin, else its first server's
//! origin; with neither, and for other relative links (`guide.md`, `../x`), the link
//! becomes its plain text. Absolute links, `mailto:` and `#fragment` links are kept.

use super::{Api, Docs, TypeKind};

/// Rewrites the relative links of every text of `api` that becomes docs.
pub fn absolutize(api: &mut Api, external_docs: Option<&str>) {
    let base = external_docs
        .and_then(origin)
        .or_else(|| api.servers.first().and_then(|s| origin(&s.url)));
    let base = base.as_deref();
    let fix = |text: &mut String| {
        if text.contains("](") {
            *text = rewrite(text, base);
        }
    };
    let fix_docs = |docs: &mut Docs| {
        docs.title
            .iter_mut()
            .chain(docs.description.iter_mut())
            .for_each(fix);
    };
    api.description.iter_mut().for_each(fix);
    for scheme in &mut api.auth {
        scheme.description.iter_mut().for_each(fix);
    }
    for def in &mut api.types {
        fix_docs(&mut def.docs);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| fix_docs(&mut f.docs)),
            TypeKind::Enum(e) => e.variants.iter_mut().for_each(|v| fix_docs(&mut v.docs)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| fix_docs(&mut v.docs)),
            TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
        }
    }
    for op in &mut api.operations {
        fix_docs(&mut op.docs);
        op.params.iter_mut().for_each(|p| fix_docs(&mut p.docs));
        if let Some(body) = &mut op.body {
            fix_docs(&mut body.docs);
        }
        for set in [&mut op.success, &mut op.errors] {
            set.responses
                .iter_mut()
                .for_each(|r| fix(&mut r.description));
        }
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty() && !h.contains('{'))?;
    Some(format!("{scheme}://{host}"))
}

/// `text` with each markdown link `[label](target)` whose target is relative made
/// absolute against `base` (when rooted at `/`) or turned into its label.
fn rewrite(text: &str, base: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some((label, target, after)) = link_at(&rest[open..]) else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        match resolve(target, base) {
            Some(url) => out.push_str(&format!("[{label}]({url})")),
            None => out.push_str(label),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The label, target and the text after a link starting at `text` (which starts with
/// `[`); `None` when it is not a link.
fn link_at(text: &str) -> Option<(&str, &str, &str)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    // A label may wrap lines within its paragraph, never span paragraphs.
    if label.contains(['[', ']']) || label.contains("\n\n") {
        return None;
    }
    let target_start = close + 2;
    let end = text[target_start..].find(')')? + target_start;
    let target = &text[target_start..end];
    if target.contains(char::is_whitespace) && !target.contains('"') {
        return None;
    }
    Some((label, target, &text[end + 1..]))
}

/// The target a link keeps: itself when absolute or a fragment, joined to `base` when
/// rooted at `/`; `None` (plain text) for anything else relative.
fn resolve(target: &str, base: Option<&str>) -> Option<String> {
    let has_scheme = target.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || target.starts_with('#') || target.starts_with("//") {
        return Some(target.to_string());
    }
    match (target.strip_prefix('/'), base) {
        (Some(path), Some(base)) => Some(format!("{base}/{path}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooted_links_join_the_origin_other_relative_ones_become_text() {
        let base = Some("https://platform.example.com");
        let text = "See the [guide](/docs/guides/x), [spec](https://a.example/b), [here](#top), \
                    [file](guide.md), [mail](mailto:a@b.c) and [a] b (c).";
        assert_eq!(
            rewrite(text, base),
            "See the [guide](https://platform.example.com/docs/guides/x), [spec](https://a.example/b), \
             [here](#top), file, [mail](mailto:a@b.c) and [a] b (c)."
        );
        assert_eq!(rewrite("[guide](/docs/x)", None), "guide");
        assert_eq!(
            rewrite("the [model\nguide](/m)", base),
            "the [model\nguide](https://platform.example.com/m)"
        );
        assert_eq!(rewrite("[a\n\nb](/m)", base), "[a\n\nb](/m)");
    }

    #[test]
    fn the_origin_comes_from_external_docs_then_the_first_server() {
        assert_eq!(
            origin("https://api.example.com/v1").as_deref(),
            Some("https://api.example.com")
        );
        assert_eq!(
            origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(origin("/v1"), None);
        assert_eq!(origin("https://{region}.example.com"), None);
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1', description: 'Read [the guide](/docs/g).'}\n\
                    externalDocs: {url: 'https://docs.example.com/ref'}\nservers: [{url: 'https://api.example.com/v1'}]\npaths: {}\n";
        let doc = crate::load::load_str(std::path::Path::new("t.yaml"), yaml).expect("loads");
        let api = crate::model::build(&doc);
        assert_eq!(
            api.description.as_deref(),
            Some("Read [the guide](https://docs.example.com/docs/g).")
        );
    }
}
