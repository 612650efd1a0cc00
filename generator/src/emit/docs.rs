//! Doc comments from spec text. Spec markdown is made safe for rustdoc: no code block
//! in it may be compiled as a doctest.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc = "..."]` attributes for the given docs.
pub fn doc_attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&doc_lines(docs))
}

/// [`doc_attrs`] as prettyplease prints them (`///` lines, each with its line break),
/// for items written as text.
pub fn doc_comment_text(docs: &Docs) -> String {
    let mut out = String::new();
    for line in clean(&doc_lines(docs)) {
        out.push_str("///");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&line);
        }
        // prettyplease drops trailing spaces (not tabs) of a doc line.
        out.truncate(out.trim_end_matches(' ').len());
        out.push('\n');
    }
    out
}

/// `#[doc = "..."]` attributes for lines of doc text. Every line passes through
/// [`clean`] here, whatever its source. Spec text must have gone through [`doc_lines`]
/// or [`spec_lines`] first (which also escape its would-be intra-doc links).
pub fn lines_to_attrs(lines: &[String]) -> TokenStream {
    own_lines_to_attrs(&clean(lines))
}

/// `#[doc = "..."]` attributes for text the generator writes itself (the examples on
/// `Client`), which may hold doctests; never for text from a spec.
pub fn own_lines_to_attrs(lines: &[String]) -> TokenStream {
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

/// Spec text (a title, a scheme's or a response's description) as doc lines: made safe
/// for rustdoc as [`sanitize`] says, links included.
pub fn spec_lines(text: &str) -> Vec<String> {
    sanitize(text)
}

/// Lines of markdown made safe for rustdoc (see [`sanitize`]), intra-doc links kept;
/// idempotent.
pub fn clean(lines: &[String]) -> Vec<String> {
    if lines.is_empty() {
        return Vec::new();
    }
    let mut out = sanitize_with(&lines.join("\n"), false);
    // `sanitize` drops leading and trailing blank lines; keep the caller's layout.
    let leading = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let trailing = lines
        .iter()
        .rev()
        .take_while(|l| l.trim().is_empty())
        .count();
    if leading < lines.len() {
        let mut padded = vec![String::new(); leading];
        padded.append(&mut out);
        padded.extend(std::iter::repeat_n(String::new(), trailing));
        out = padded;
    }
    out
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
    // Spec text, whose would-be intra-doc links are escaped; then the generator's notes
    // (which link to generated items on purpose: "The [`Pet`] this extends").
    let spec_paragraphs = paragraphs.len();
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
        lines.extend(sanitize_with(p, i < spec_paragraphs));
    }
    lines
}

/// Code block languages passed through to rustdoc; any other info string (empty,
/// `rust`, `no_run`, `should_panic`, `compile_fail`, `ignore`, an unknown word) becomes
/// `text`, so that no block from a spec is ever compiled or run as a doctest, nor
/// warned about as an unknown attribute.
const CODE_LANGUAGES: [&str; 40] = [
    "bash",
    "c",
    "console",
    "cpp",
    "csharp",
    "css",
    "csv",
    "curl",
    "diff",
    "go",
    "graphql",
    "html",
    "http",
    "ini",
    "java",
    "javascript",
    "js",
    "json",
    "jsonc",
    "kotlin",
    "markdown",
    "md",
    "php",
    "plaintext",
    "powershell",
    "protobuf",
    "py",
    "python",
    "ruby",
    "sh",
    "shell",
    "sql",
    "swift",
    "text",
    "toml",
    "ts",
    "typescript",
    "xml",
    "yaml",
    "yml",
];

/// Characters a doc comment may not hold: a lone carriage return is a compile error,
/// and so are the bidirectional overrides and isolates (`text_direction_codepoint`);
/// other control characters are dropped too.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        || (c.is_control() && c != '\n' && c != '\t')
}

/// Spec markdown to doc lines that rustdoc accepts without a warning or a doctest:
/// - carriage returns become line breaks; bidirectional and control characters go;
/// - code fences are matched as CommonMark matches them (a fence closes only with the
///   same character, at least as long, with no info string), so a four-backtick fence
///   closed by three does not flip every later fence; an unclosed fence is closed;
///   fenced code gets a known language or `text`;
/// - indented code blocks are indented less (they would be doctests);
/// - links that rustdoc would resolve as intra-doc links (`[Foo]`, `` [`Client`] ``,
///   `[text](crate::x)`) are escaped: spec text cannot name the crate's items, public
///   or private.
fn sanitize(text: &str) -> Vec<String> {
    sanitize_with(text, true)
}

/// [`sanitize`]; `escape_links` is false for text the generator writes itself, whose
/// intra-doc links name public items on purpose.
fn sanitize_with(text: &str, escape_links: bool) -> Vec<String> {
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !is_forbidden(c))
        .collect();
    let mut out = Vec::new();
    // The open fence: its character and length.
    let mut fence: Option<(char, usize)> = None;
    for raw in text.trim_matches('\n').lines() {
        let line = raw.trim_end().replace('\t', "    ");
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        if let (Some(m), true) = (marker, run >= 3) {
            let info = trimmed[run..].trim();
            match fence {
                Some((open, len)) if open == m && run >= len && info.is_empty() => {
                    out.push(m.to_string().repeat(len));
                    fence = None;
                    continue;
                }
                None if !(m == '`' && info.contains('`')) => {
                    fence = Some((m, run));
                    let lang = info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    let lang = if CODE_LANGUAGES.contains(&lang.as_str()) {
                        lang
                    } else {
                        "text".to_string()
                    };
                    out.push(format!("{}{lang}", m.to_string().repeat(run)));
                    continue;
                }
                _ => {}
            }
        }
        if fence.is_some() {
            out.push(line);
        } else {
            let indent = line.len() - trimmed.len();
            let line = if escape_links {
                escape_doc_links(&line)
            } else {
                line.clone()
            };
            out.push(if indent >= 4 {
                format!("   {}", line.trim_start())
            } else {
                line
            });
        }
    }
    if let Some((m, len)) = fence {
        out.push(m.to_string().repeat(len));
    }
    out
}

/// Escapes the brackets of a link whose target looks like a Rust path (rustdoc would
/// try to resolve it as an intra-doc link); links to URLs and code spans are kept.
fn escape_doc_links(line: &str) -> String {
    if !line.contains('[') {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut escape = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '`' => {
                // Skip a code span: a run of backticks up to the same run.
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let r = chars[j..].iter().take_while(|c| **c == '`').count();
                        if r == run {
                            closed = Some(j + r);
                            break;
                        }
                        j += r;
                    } else {
                        j += 1;
                    }
                }
                i = closed.unwrap_or(i + run);
            }
            '\\' => i += 2,
            '[' => {
                let Some(close) = matching(&chars, i, '[', ']') else {
                    i += 1;
                    continue;
                };
                let label: String = chars[i + 1..close].iter().collect();
                let (target, end) = match chars.get(close + 1) {
                    Some('(') => match matching(&chars, close + 1, '(', ')') {
                        Some(p) => (chars[close + 2..p].iter().collect::<String>(), p),
                        None => (label.clone(), close),
                    },
                    Some('[') => match matching(&chars, close + 1, '[', ']') {
                        Some(p) => (chars[close + 2..p].iter().collect::<String>(), p),
                        None => (label.clone(), close),
                    },
                    _ => (label.clone(), close),
                };
                if looks_like_path(&target) {
                    escape[i] = true;
                    escape[close] = true;
                }
                i = if looks_like_path(&target) {
                    close + 1
                } else {
                    end + 1
                };
            }
            _ => i += 1,
        }
    }
    let mut out = String::with_capacity(line.len() + 4);
    for (c, e) in chars.iter().zip(escape) {
        if e {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

/// Index of the bracket closing the one at `open`, on the same line.
fn matching(chars: &[char], open: usize, left: char, right: char) -> Option<usize> {
    let mut depth = 0usize;
    for (j, c) in chars.iter().enumerate().skip(open) {
        if *c == left {
            depth += 1;
        } else if *c == right {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
    }
    None
}

/// `Foo`, `` `foo::bar()` ``, `crate::x`, `Vec<T>`, `foo!`: what rustdoc resolves as a path.
fn looks_like_path(target: &str) -> bool {
    let t = target.trim().trim_matches('`');
    let t = t
        .strip_prefix("struct@")
        .or_else(|| t.strip_prefix("enum@"))
        .or_else(|| t.strip_prefix("fn@"))
        .or_else(|| t.strip_prefix("mod@"))
        .or_else(|| t.strip_prefix("method@"))
        .unwrap_or(t);
    let t = t.trim_end_matches("()").trim_end_matches('!');
    !t.is_empty()
        && !t.contains("://")
        && t.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && t.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | ':' | '<' | '>' | ',' | ' ' | '#' | '.' | '-')
        })
        && !t.contains(' ')
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
    fn fences_close_as_commonmark_closes_them() {
        // Four backticks open; three do not close; the block is closed for the spec.
        assert_eq!(
            sanitize("````\n```\nx\n````\nafter [Foo]"),
            vec!["````text", "```", "x", "````", "after \\[Foo\\]"]
        );
        assert_eq!(
            sanitize("````rust\nx\n```"),
            vec!["````text", "x", "```", "````"]
        );
        assert_eq!(sanitize("~~~\n```\n~~~"), vec!["~~~text", "```", "~~~"]);
    }

    #[test]
    fn doctest_attributes_become_text() {
        for tag in [
            "no_run",
            "should_panic",
            "compile_fail",
            "ignore",
            "rust,no_run",
            "edition2021",
            "test_harness",
            "should-panic",
            "{.rust}",
        ] {
            assert_eq!(
                sanitize(&format!("```{tag}\nfn main() {{}}\n```"))[0],
                "```text",
                "{tag}"
            );
        }
        assert_eq!(sanitize("```JSON\n{}\n```")[0], "```json");
        assert_eq!(sanitize("```yaml title=x\na: 1\n```")[0], "```yaml");
    }

    #[test]
    fn forbidden_characters_are_removed() {
        assert_eq!(sanitize("a\rb\r\nc"), vec!["a", "b", "c"]);
        assert_eq!(sanitize("x\u{202E}y\u{2066}z\u{0}w\u{7}"), vec!["xyzw"]);
    }

    #[test]
    fn intra_doc_looking_links_are_escaped() {
        assert_eq!(
            escape_doc_links("see [Client] and [`authorize`]"),
            "see \\[Client\\] and \\[`authorize`\\]"
        );
        assert_eq!(
            escape_doc_links("[x](crate::runtime)"),
            "\\[x\\](crate::runtime)"
        );
        assert_eq!(escape_doc_links("[Foo](Foo)"), "\\[Foo\\](Foo)");
        assert_eq!(
            escape_doc_links("[docs](https://x.io/a b)"),
            "[docs](https://x.io/a b)"
        );
        assert_eq!(escape_doc_links("`[Foo]` [the docs]"), "`[Foo]` [the docs]");
        assert_eq!(escape_doc_links("[1] [a]["), "[1] \\[a\\][");
    }

    #[test]
    fn cleaning_is_idempotent() {
        let text =
            "para [Foo]\n\n````rust\n```\n    deep\n````\n\n    indented\n~~~ should_panic\nx";
        let once = sanitize(text);
        assert_eq!(sanitize(&once.join("\n")), once);
        let lines: Vec<String> = vec!["a".into(), String::new()];
        assert_eq!(clean(&lines), lines);
    }

    #[test]
    fn notes_keep_their_links_and_spec_text_does_not() {
        let docs = Docs {
            description: Some("See [Client].".into()),
            notes: vec!["The [`Pet`] this extends.".into()],
            ..Docs::default()
        };
        assert_eq!(
            doc_lines(&docs),
            vec!["See \\[Client\\].", "", "The [`Pet`] this extends."]
        );
        assert_eq!(
            clean(&["Parameters of [`Client::x`].".to_string()]),
            vec!["Parameters of [`Client::x`]."]
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
