//! The single-file form of a client, for a `build.rs` that writes into `OUT_DIR` and a
//! crate that `include!`s it inside a module of its own:
//!
//! ```ignore
//! mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore/lib.rs"));
//! }
//! ```
//!
//! `include!` takes items only: no inner attribute or inner doc comment (`//!`, E0753)
//! at the top of the file, and no `mod x;` that would look for a file beside the
//! includer. So the modules are written inline (`mod auth { … }`, where inner docs and
//! attributes are allowed), the crate docs become plain comments, and the crate-level
//! lint settings move onto each item.
//!
//! A crate calls a few of the client's operations and names a few of its types: the
//! rest is dead code to rustc when the module is private (in a binary, say). Each item
//! therefore allows `dead_code`, `unused_imports` and `missing_docs`, scoped to the
//! generated module, so a crate under `#![deny(warnings)]` builds it as it builds its
//! own code.

use quote::ToTokens;

use crate::GeneratedFile;

/// `files` (a client in the usual layout: `lib.rs` and one file per module) as one file
/// `lib.rs` that `include!` accepts.
pub fn single_file(files: &[GeneratedFile], usage: &str) -> Result<GeneratedFile, String> {
    let find = |name: &str| {
        files
            .iter()
            .find(|f| f.path.to_str() == Some(name))
            .map(|f| f.contents.as_str())
    };
    let lib_text = find("lib.rs").ok_or("internal error: no lib.rs to inline")?;
    let lib = syn::parse_file(lib_text)
        .map_err(|e| format!("internal error: the emitted lib.rs does not parse: {e}"))?;
    let mut out = String::new();
    // The header comment of lib.rs, as it is.
    for line in lib_text.lines().take_while(|l| l.starts_with("// ")) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(usage);
    out.push('\n');
    // The crate docs and lint settings: comments, and attributes on every item.
    let mut lints: Vec<String> = ["dead_code", "unused_imports", "missing_docs"]
        .map(String::from)
        .to_vec();
    for attr in &lib.attrs {
        if attr.path().is_ident("doc") {
            if let syn::Meta::NameValue(nv) = &attr.meta {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    out.push_str(&format!("//{}\n", s.value()));
                }
            }
        } else if attr.path().is_ident("allow") {
            let _ = attr.parse_nested_meta(|meta| {
                lints.push(meta.path.to_token_stream().to_string().replace(' ', ""));
                Ok(())
            });
        }
    }
    for item in &lib.items {
        out.push('\n');
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let name = m.ident.to_string();
                let text = find(&format!("{name}.rs"))
                    .ok_or_else(|| format!("internal error: no {name}.rs to inline"))?;
                // Everything as inner attributes (clippy's `mixed_attributes_style`),
                // less the lints the module allows already (`duplicated_attributes`).
                let own = syn::parse_file(text)
                    .map_err(|e| format!("internal error: {name}.rs does not parse: {e}"))?;
                let mut already = Vec::new();
                for attr in own.attrs.iter().filter(|a| a.path().is_ident("allow")) {
                    let _ = attr.parse_nested_meta(|meta| {
                        already.push(meta.path.to_token_stream().to_string().replace(' ', ""));
                        Ok(())
                    });
                }
                let lints: Vec<&String> = lints.iter().filter(|l| !already.contains(*l)).collect();
                let vis = m.vis.to_token_stream().to_string();
                let vis = if vis.is_empty() { vis } else { vis + " " };
                // A module compiled only with a feature (`mock`) stays behind it.
                for attr in m.attrs.iter().filter(|a| a.path().is_ident("cfg")) {
                    out.push_str(&attr.to_token_stream().to_string());
                    out.push('\n');
                }
                out.push_str(&format!("{vis}mod {name} {{\n"));
                if !lints.is_empty() {
                    let lints: Vec<&str> = lints.iter().map(|l| l.as_str()).collect();
                    out.push_str(&format!("#![allow({})]\n", lints.join(", ")));
                }
                // The module's own header comment is the same as the file's: left out.
                let body: Vec<&str> = text.lines().collect();
                let skip = body
                    .iter()
                    .take_while(|l| l.starts_with("// ") || l.is_empty())
                    .count();
                for line in &body[skip..] {
                    out.push_str(line);
                    out.push('\n');
                }
                out.push_str("}\n");
            }
            other => {
                out.push_str("#[allow(dead_code, unused_imports, missing_docs)]\n");
                let file = syn::File {
                    shebang: None,
                    attrs: Vec::new(),
                    items: vec![other.clone()],
                };
                out.push_str(&prettyplease::unparse(&file));
            }
        }
    }
    Ok(GeneratedFile {
        path: "lib.rs".into(),
        contents: out,
    })
}
