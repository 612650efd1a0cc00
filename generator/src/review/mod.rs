//! Spec-change review: what a new version of a description changes in the generated
//! Rust API, and whether each change breaks the code of the crate's users.
//!
//! [`compare`] takes the models ([`crate::model::Api`]) built from the old and the new
//! description and lists [`Change`]s, each classified for a user of the generated crate:
//!
//! - [`Class::Breaking`]: their code may stop compiling or behave differently (a method,
//!   a type, a field or a variant removed; a type changed; a change to the arguments of
//!   the constructor `new` of a struct they build: a new required field or parameter, one
//!   that becomes required or stops being required);
//! - [`Class::NonBreaking`]: their code compiles and behaves as before (a new method, a
//!   new type, a new field in a response struct, a new optional field or parameter in a
//!   struct they build, which is a new setter, a new variant in a `#[non_exhaustive]`
//!   enum);
//! - [`Class::WireOnly`]: the Rust API is the same but what goes over the wire changed (a
//!   renamed wire field behind the same Rust name, a new path, format, range or default).
//!
//! Items are matched by their Rust names (methods, types, fields, variants), since that
//! is what users' code names; an operation whose method was renamed is found again by
//! its HTTP method and path. Every struct is `#[non_exhaustive]`; the structs in requests
//! are built with `new` and setters (see `building`). The [`Report`] renders as Markdown
//! (every change), as compact Markdown that fits a pull request ([`COMPACT_LIMIT`]), as
//! JSON for tools, and as a one-line summary with the semver bump it requires.
//!
//! ```no_run
//! let report = openapi_client_gen::Config::new("spec/new.yaml")
//!     .review("spec/old.yaml")
//!     .expect("both specs load");
//! println!("{}", report.compact_markdown());
//! if report.has_breaking() {
//!     eprintln!("{}", report.summary());
//! }
//! ```

mod building;
mod changes;
mod compact;
mod operations;
mod render;
mod surface;
mod types;

use serde::Serialize;

use crate::model::Api;
use changes::Changes;
pub use changes::{Area, Change, Class};

/// The most GitHub takes in a comment or a pull request description, in characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// The length of [`Report::compact_markdown`] at most, in characters: GitHub's limit
/// less room for a few lines of the author's around it.
pub const COMPACT_LIMIT: usize = 60_000;
const _: () = assert!(COMPACT_LIMIT < GITHUB_COMMENT_LIMIT);

/// The version bump of the generated crate that a set of changes requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The title and version of one description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub title: String,
    pub version: String,
}

/// Everything that changed between two descriptions, at the level of the generated API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    /// Sorted: breaking first, then by area and item.
    pub changes: Vec<Change>,
}

impl Report {
    /// How many changes have this class.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    pub fn has_breaking(&self) -> bool {
        self.count(Class::Breaking) > 0
    }

    /// The bump the generated crate needs: major for a breaking change, minor for an
    /// addition, patch for a wire-only change. (Under 1.0, Cargo reads a minor bump as
    /// major: `0.3` → `0.4` for a breaking change.)
    pub fn bump(&self) -> Bump {
        if self.has_breaking() {
            Bump::Major
        } else if self.count(Class::NonBreaking) > 0 {
            Bump::Minor
        } else if self.count(Class::WireOnly) > 0 {
            Bump::Patch
        } else {
            Bump::None
        }
    }
}

/// Compares the models of two descriptions (built with the same [`crate::model::Options`]).
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut out = Changes::default();
    let sides = building::Sides::new(old, new);
    operations::compare(old, new, &sides, &mut out);
    types::compare(old, new, &sides, &mut out);
    surface::compare(old, new, &mut out);
    let mut changes = out.0;
    changes.sort_by(|a, b| {
        (a.class, a.area, &a.item, a.kind, &a.detail)
            .cmp(&(b.class, b.area, &b.item, b.kind, &b.detail))
    });
    changes.dedup();
    Report {
        old: Side {
            title: old.title.clone(),
            version: old.version.clone(),
        },
        new: Side {
            title: new.title.clone(),
            version: new.version.clone(),
        },
        changes,
    }
}

pub(crate) use crate::diagnostics::pointer_push;

#[cfg(test)]
mod tests;
