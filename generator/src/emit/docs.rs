//! Doc comments from spec text. Spec markdown is made safe for rustdoc: no code block
//! in it may be compiled as a doctest.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc = "..."]` attributes for the given docs.
pub fn doc_attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&doc_lines(docs))
}

pub fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

pub fn doc_lines(docs: &Docs) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    match (&docs.title, &docs.description) {
        (Some(t), Some(d)) if d.trim().starts_with(t.trim()) => paragraphs.push(d.clone()),
        (Some(t), Some(d)) => {
            paragraphs.push(t.clone());
            paragraphs.push(d.clone());
        }
        (Some(t), None) => paragraphs.push(t.clone()),
        (None, Some(d)) => paragraphs.push(d.clone()),
        (None, None) => {}
    }
    if !docs.notes.is_empty() {
        paragraphs.push(docs.notes.join("\n"));
    }
    if let Some(example) = &docs.example {
        let text = serde_json::to_string_pretty(example).unwrap_or_default();
        paragraphs.push(format!("Example:\n```json\n{text}\n```"));
    }
    let mut lines = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(sanitize(p));
    }
    lines
}

/// Fenced code without a language (or marked Rust) would run as a doctest; it becomes
/// `text`. Indented code blocks would too; their indentation is reduced. Trailing
/// blanks are trimmed.
fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.trim_matches('\n').lines() {
        let line = raw.trim_end().replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some(info) = trimmed
            .strip_prefix("```")
            .or_else(|| trimmed.strip_prefix("~~~"))
        {
            if in_fence {
                in_fence = false;
                out.push("```".to_string());
            } else {
                in_fence = true;
                let lang = info.trim();
                let rusty = lang.is_empty()
                    || lang.starts_with("rust")
                    || lang == "ignore"
                    || lang.contains("edition");
                out.push(if rusty {
                    "```text".to_string()
                } else {
                    format!("```{lang}")
                });
            }
            continue;
        }
        if in_fence {
            out.push(line);
        } else {
            let indent = line.len() - trimmed.len();
            out.push(if indent >= 4 {
                format!("   {trimmed}")
            } else {
                line.clone()
            });
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_fences_never_become_doctests() {
        assert_eq!(sanitize("a\n```\nx\n```"), vec!["a", "```text", "x", "```"]);
        assert_eq!(sanitize("```rust\nx"), vec!["```text", "x", "```"]);
        assert_eq!(sanitize("```json\n{}\n```"), vec!["```json", "{}", "```"]);
        assert_eq!(
            sanitize("para\n\n    indented"),
            vec!["para", "", "   indented"]
        );
    }

    #[test]
    fn example_is_a_json_block() {
        let docs = Docs {
            description: Some("Status.".into()),
            example: Some(serde_json::json!("pending")),
            ..Docs::default()
        };
        assert_eq!(
            doc_lines(&docs),
            vec!["Status.", "", "Example:", "```json", "\"pending\"", "```"]
        );
    }
}
