//! The vocabulary of a review: each [`Change`] with its [`Class`] and [`Area`], the
//! list the comparisons fill, and how a type reads in their messages. A module of its
//! own so that the comparisons and the report share it without using each other.

use serde::Serialize;

use crate::model::{Presence, TypeRef};

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

/// The changes found so far.
#[derive(Default)]
pub(crate) struct Changes(pub(super) Vec<Change>);

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
