//! Spec-change review: what a new version of a description changes in the generated
//! Rust API, and whether each change breaks the code of the crate's users.
//!
//! [`compare`] takes the models ([`crate::model::Api`]) built from the old and the new
//! description and lists [`Change`]s, each classified for a user of the generated crate:
//!
//! - [`Class::Breaking`]: their code may stop compiling or behave differently (a method,
//!   a type, a field or a variant removed; a type changed; a new required parameter; a
//!   new field in a struct they build with a struct literal);
//! - [`Class::NonBreaking`]: their code compiles and behaves as before (a new method, a
//!   new type, a new field in a `#[non_exhaustive]` response struct, a new variant in a
//!   `#[non_exhaustive]` enum);
//! - [`Class::WireOnly`]: the Rust API is the same but what goes over the wire changed (a
//!   renamed wire field behind the same Rust name, a new path, format, range or default).
//!
//! Items are matched by their Rust names (methods, types, fields, variants), since that
//! is what users' code names; an operation whose method was renamed is found again by
//! its HTTP method and path. The [`Report`] renders as Markdown for a pull request, as
//! JSON for tools, and as a one-line summary with the semver bump it requires.
//!
//! ```no_run
//! let report = openapi_client_gen::Config::new("spec/new.yaml")
//!     .review("spec/old.yaml")
//!     .expect("both specs load");
//! println!("{}", report.markdown());
//! if report.has_breaking() {
//!     eprintln!("{}", report.summary());
//! }
//! ```

mod operations;
mod render;
mod surface;
mod types;

use serde::Serialize;

use crate::model::{Api, Presence, TypeRef};

/// What a change means for the code of the generated crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Their code may stop compiling or behave differently.
    Breaking,
    /// Their code compiles and behaves as before; there is more to use.
    NonBreaking,
    /// The Rust API is unchanged; what goes over the wire changed.
    WireOnly,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "Breaking",
            Class::NonBreaking => "Non-breaking",
            Class::WireOnly => "Wire-only",
        }
    }
}

/// Which part of the generated crate a change is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// Methods of `Client`, their parameters, bodies and responses.
    Operations,
    /// The named types of `types.rs`.
    Types,
    /// Credentials (`ClientBuilder` methods) and which operations need them.
    Auth,
    /// The default base URL.
    Servers,
    /// Cargo features (one per tag).
    Features,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Operations => "Operations",
            Area::Types => "Types",
            Area::Auth => "Auth",
            Area::Servers => "Servers",
            Area::Features => "Features",
        }
    }
}

/// One difference in the generated Rust API (or on the wire behind it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub area: Area,
    /// A stable code for tools, e.g. `field-added`, `param-required`, `variant-removed`.
    pub kind: &'static str,
    /// The Rust item, e.g. `Client::get_pet`, `types::Pet::name`, `types::Kind::Cat`.
    pub item: String,
    /// What changed, in a sentence.
    pub detail: String,
    /// JSON pointer of the item in the old description (none when it is new).
    pub old_pointer: Option<String>,
    /// JSON pointer of the item in the new description (none when it is gone).
    pub new_pointer: Option<String>,
}

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
    operations::compare(old, new, &mut out);
    types::compare(old, new, &mut out);
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

/// The changes found so far.
#[derive(Default)]
pub(crate) struct Changes(Vec<Change>);

/// The pointers of an item in both descriptions.
pub(crate) struct Where<'a> {
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

impl Changes {
    /// An item that loses a cargo feature it was compiled with: breaking, unless it is
    /// now always compiled.
    pub fn features_changed(
        &mut self,
        kind: &'static str,
        item: &str,
        old: &[String],
        new: &[String],
        at: &Where,
    ) {
        if old.is_empty() || old.iter().all(|f| new.contains(f)) {
            return;
        }
        let class = if new.is_empty() {
            Class::NonBreaking
        } else {
            Class::Breaking
        };
        self.push(
            class,
            Area::Features,
            kind,
            item,
            format!(
                "compiled with features [{}] (was [{}])",
                new.join(", "),
                old.join(", ")
            ),
            at,
        );
    }

    pub fn push(
        &mut self,
        class: Class,
        area: Area,
        kind: &'static str,
        item: impl Into<String>,
        detail: impl Into<String>,
        at: &Where,
    ) {
        let pointer = |p: Option<&str>| p.map(|p| format!("#{p}"));
        self.0.push(Change {
            class,
            area,
            kind,
            item: item.into(),
            detail: detail.into(),
            old_pointer: pointer(at.old),
            new_pointer: pointer(at.new),
        });
    }
}

pub(crate) use crate::diagnostics::pointer_push;

/// How a type reads in the generated `types.rs`, for messages: the emitter's own text.
pub(crate) fn rust_type(ty: &TypeRef) -> String {
    crate::emit::type_text(ty, crate::emit::Scope::Types)
}

/// The Rust type of a struct field with this presence.
pub(crate) fn field_type(ty: &TypeRef, presence: Presence, flatten: bool) -> String {
    let t = rust_type(ty);
    if flatten {
        return t;
    }
    match presence {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{t}>"),
        Presence::OptionalNullable => format!("Option<Option<{t}>>"),
    }
}

#[cfg(test)]
mod tests;
