//! The choices about reading a spec, in a module of their own: the stage's entry points
//! take them and the bundler reads them.

use std::path::PathBuf;

/// How to read a spec.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// URL prefixes mapped to local folders: a `$ref` to `PREFIX/rest` reads
    /// `FOLDER/rest`. Other URLs are never fetched (they stay unresolved, with a warning).
    pub url_map: Vec<(String, PathBuf)>,
}
