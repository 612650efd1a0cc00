//! The report as a one-line summary, as Markdown for a pull request and as JSON.

use super::changes::{Area, Class};
use super::Report;

pub(super) const CLASSES: [Class; 3] = [Class::Breaking, Class::NonBreaking, Class::WireOnly];
pub(super) const AREAS: [Area; 5] = [
    Area::Operations,
    Area::Types,
    Area::Auth,
    Area::Servers,
    Area::Features,
];

impl Report {
    /// One line: the counts per class and the bump the generated crate needs, e.g.
    /// `2 breaking, 5 non-breaking, 1 wire-only change(s): major version bump`.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return "no change to the generated API: no version bump".to_string();
        }
        format!(
            "{} breaking, {} non-breaking, {} wire-only change(s): {} version bump",
            self.count(Class::Breaking),
            self.count(Class::NonBreaking),
            self.count(Class::WireOnly),
            self.bump().label()
        )
    }

    /// Markdown for a pull request: the summary, then a section per class (breaking
    /// first) with a subsection per area, one line per change naming the Rust item and
    /// its JSON pointers in the old and the new description.
    pub fn markdown(&self) -> String {
        let mut md = format!(
            "# API changes: {} {} → {} {}\n\n**{}**\n",
            self.old.title,
            self.old.version,
            self.new.title,
            self.new.version,
            self.summary()
        );
        for class in CLASSES {
            let count = self.count(class);
            if count == 0 {
                continue;
            }
            md.push_str(&format!("\n## {} ({count})\n", class.label()));
            for area in AREAS {
                let lines: Vec<String> = self
                    .changes
                    .iter()
                    .filter(|c| c.class == class && c.area == area)
                    .map(|c| {
                        let ptr = |p: &Option<String>| {
                            p.as_deref()
                                .map(|p| format!("`{p}`"))
                                .unwrap_or_else(|| "–".to_string())
                        };
                        format!(
                            "- `{}`: {} (old: {}, new: {})\n",
                            c.item,
                            c.detail,
                            ptr(&c.old_pointer),
                            ptr(&c.new_pointer)
                        )
                    })
                    .collect();
                if lines.is_empty() {
                    continue;
                }
                md.push_str(&format!("\n### {}\n\n", area.label()));
                md.extend(lines);
            }
        }
        md
    }

    /// JSON for tools: `old` and `new` (title, version), `summary` (counts, `bump`,
    /// `text`) and `changes` (each with `class`, `area`, `kind`, `item`, `detail`,
    /// `old_pointer`, `new_pointer`).
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "old": self.old,
            "new": self.new,
            "summary": {
                "breaking": self.count(Class::Breaking),
                "non_breaking": self.count(Class::NonBreaking),
                "wire_only": self.count(Class::WireOnly),
                "bump": self.bump(),
                "text": self.summary(),
            },
            "changes": self.changes,
        })
    }
}
