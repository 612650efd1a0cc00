//! The report in a compact Markdown form that fits a pull request description or
//! comment (GitHub takes at most 65,536 characters there), whatever the two versions.
//!
//! It shows the counts per area and class, the changes per class summarised by kind,
//! and then as many changes as the character budget allows: the breaking ones first and
//! unfolded, the others folded in `<details>`. A list cut short ends with "… and N more";
//! the full report is [`Report::markdown`] or [`Report::json`]. The budget holds by
//! construction: every line is clipped to a bounded length, the fixed parts (head,
//! section openings, the "… and N more" lines, the footer) are measured first, and the
//! lists only fill what remains.

use super::changes::{Area, Change, Class};
use super::render::{AREAS, CLASSES};
use super::{Report, COMPACT_LIMIT};

/// Clipping lengths, in characters, so that no single line can take the budget.
const MAX_TITLE: usize = 200;
const MAX_ITEM: usize = 200;
const MAX_DETAIL: usize = 400;
const MAX_POINTER: usize = 200;
const MAX_KINDS_LINE: usize = 2_000;
/// Kept per section for its "… and N more" line (which is shorter).
const MORE_LINE: usize = 120;

const FOOTER: &str = "\n---\n_Compact review: the full report is `generate --changes-from OLD --spec NEW --format markdown` (or `--format json`, or `--full-report FILE` beside `--format compact`)._\n";

impl Report {
    /// Markdown for a pull request that never exceeds [`COMPACT_LIMIT`] characters:
    /// the counts per area and class, each class summarised by kind, then the changes
    /// (breaking first, the others folded) as far as the budget goes.
    pub fn compact_markdown(&self) -> String {
        self.compact_markdown_within(COMPACT_LIMIT)
    }

    /// [`Report::compact_markdown`] within `limit` characters (below about 10,000 the
    /// summary itself may be cut).
    pub fn compact_markdown_within(&self, limit: usize) -> String {
        let head = self.compact_head();
        let sections: Vec<Section> = CLASSES
            .into_iter()
            .filter(|class| self.count(*class) > 0)
            .map(|class| Section::new(self, class))
            .collect();
        let fixed =
            chars(&head) + chars(FOOTER) + sections.iter().map(Section::fixed_chars).sum::<usize>();
        // The budget goes to breaking changes first, then to wire-only ones (the same
        // code behaves differently), then to additions; the sections still read in the
        // order of the full report.
        let mut room = limit.saturating_sub(fixed);
        let mut shown = vec![0; sections.len()];
        for class in [Class::Breaking, Class::WireOnly, Class::NonBreaking] {
            if let Some(i) = sections.iter().position(|s| s.class == class) {
                shown[i] = sections[i].fit(&mut room);
            }
        }
        let mut md = head;
        for (section, shown) in sections.iter().zip(shown) {
            md.push_str(&section.render(shown));
        }
        md.push_str(FOOTER);
        cap(md, limit)
    }

    /// The title line, the summary and the table of counts per area and class.
    fn compact_head(&self) -> String {
        let side = |s: &super::Side| {
            format!(
                "{} {}",
                clip(&s.title, MAX_TITLE),
                clip(&s.version, MAX_TITLE)
            )
        };
        let versions = if self.old.title == self.new.title {
            format!(
                "{} {} → {}",
                clip(&self.new.title, MAX_TITLE),
                clip(&self.old.version, MAX_TITLE),
                clip(&self.new.version, MAX_TITLE)
            )
        } else {
            format!("{} → {}", side(&self.old), side(&self.new))
        };
        let mut md = format!("# API changes: {versions}\n\n**{}**\n", self.summary());
        if self.changes.is_empty() {
            return md;
        }
        md.push_str(
            "\n| Area | Breaking | Non-breaking | Wire-only |\n| --- | ---: | ---: | ---: |\n",
        );
        let count = |area: Option<Area>, class: Class| {
            self.changes
                .iter()
                .filter(|c| c.class == class && area.is_none_or(|a| c.area == a))
                .count()
        };
        let row = |label: &str, area: Option<Area>| {
            let [b, n, w] = CLASSES.map(|class| count(area, class));
            format!("| {label} | {b} | {n} | {w} |\n")
        };
        for area in AREAS {
            if self.changes.iter().any(|c| c.area == area) {
                md.push_str(&row(area.label(), Some(area)));
            }
        }
        md.push_str(&row("**All**", None));
        md
    }
}

/// The changes of one class: its opening (heading, counts by kind, `<details>` for the
/// folded classes), its lines and its closing.
struct Section {
    class: Class,
    opening: String,
    closing: &'static str,
    lines: Vec<(Area, String)>,
}

impl Section {
    fn new(report: &Report, class: Class) -> Self {
        let changes: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        let total = changes.len();
        let mut opening = format!(
            "\n## {} ({total})\n\n{}\n",
            class.label(),
            clip(&kinds_line(&changes), MAX_KINDS_LINE)
        );
        // Breaking changes are what a reviewer must read; the rest is folded.
        let closing = if class == Class::Breaking {
            ""
        } else {
            opening.push_str(&format!(
                "\n<details><summary>The {total} {} change(s)</summary>\n",
                class.label().to_lowercase()
            ));
            "\n</details>\n"
        };
        // Grouped by area like the full report (the report is sorted by class, then area).
        let mut lines: Vec<(Area, String)> = changes.iter().map(|c| (c.area, line(c))).collect();
        lines.sort_by_key(|(area, _)| *area);
        Section {
            class,
            opening,
            closing,
            lines,
        }
    }

    /// What the section takes whatever the budget: all but its lines.
    fn fixed_chars(&self) -> usize {
        chars(&self.opening) + chars(self.closing) + MORE_LINE
    }

    /// How many of its lines (with their area headings) fit in `room`, which they use.
    fn fit(&self, room: &mut usize) -> usize {
        let mut shown = 0;
        for (i, (area, line)) in self.lines.iter().enumerate() {
            let needed = chars(&self.heading(i, *area)) + chars(line);
            if needed > *room {
                break;
            }
            *room -= needed;
            shown += 1;
        }
        shown
    }

    /// The area heading before line `i`, if it is the first of its area.
    fn heading(&self, i: usize, area: Area) -> String {
        if i > 0 && self.lines[i - 1].0 == area {
            return String::new();
        }
        let in_area = self.lines.iter().filter(|(a, _)| *a == area).count();
        format!("\n### {} ({in_area})\n\n", area.label())
    }

    /// The section with its first `shown` lines.
    fn render(&self, shown: usize) -> String {
        let mut out = self.opening.clone();
        for (i, (area, line)) in self.lines.iter().enumerate().take(shown) {
            out.push_str(&self.heading(i, *area));
            out.push_str(line);
        }
        if shown < self.lines.len() {
            out.push_str(&format!(
                "\n_… and {} more {} change(s): see the full report._\n",
                self.lines.len() - shown,
                self.class.label().to_lowercase()
            ));
        }
        out.push_str(self.closing);
        out
    }
}

/// `By kind: 75 `type-removed`, 38 `method-removed`.`: most frequent first.
fn kinds_line(changes: &[&Change]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for c in changes {
        match kinds.iter_mut().find(|(k, _)| *k == c.kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((c.kind, 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} `{k}`")).collect();
    format!("By kind: {}.", list.join(", "))
}

/// One change; its JSON pointer written once when it is the same in both descriptions.
fn line(c: &Change) -> String {
    let p = |p: &str| format!("`{}`", clip(p, MAX_POINTER));
    let pointers = match (c.old_pointer.as_deref(), c.new_pointer.as_deref()) {
        (Some(a), Some(b)) if a == b => format!(" ({})", p(a)),
        (Some(a), Some(b)) => format!(" ({} → {})", p(a), p(b)),
        (Some(a), None) => format!(" (old: {})", p(a)),
        (None, Some(b)) => format!(" (new: {})", p(b)),
        (None, None) => String::new(),
    };
    format!(
        "- `{}`: {}{pointers}\n",
        clip(&c.item, MAX_ITEM),
        clip(&c.detail, MAX_DETAIL)
    )
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to at most `max` characters, ending in `…` when cut (and closing a code span
/// the cut left open).
fn clip(s: &str, max: usize) -> String {
    if chars(s) <= max {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(max.saturating_sub(2)).collect();
    cut.push('…');
    if cut.matches('`').count() % 2 == 1 {
        cut.push('`');
    }
    cut
}

/// The last guard: `md` within `limit` characters even when the fixed parts alone
/// exceed it (a tiny limit).
fn cap(md: String, limit: usize) -> String {
    if chars(&md) <= limit {
        return md;
    }
    let mut cut: String = md.chars().take(limit.saturating_sub(2)).collect();
    cut.push_str("\n…");
    cut.chars().take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Change, Side};
    use super::*;

    fn change(class: Class, area: Area, kind: &'static str, n: usize) -> Change {
        Change {
            class,
            area,
            kind,
            item: format!("types::T{n}"),
            detail: format!("change {n}"),
            old_pointer: Some(format!("#/components/schemas/T{n}")),
            new_pointer: Some(format!("#/components/schemas/T{n}")),
        }
    }

    fn report(changes: Vec<Change>) -> Report {
        let side = |version: &str| Side {
            title: "Pets".to_string(),
            version: version.to_string(),
        };
        Report {
            old: side("1"),
            new: side("2"),
            changes,
        }
    }

    fn length(md: &str) -> usize {
        md.chars().count()
    }

    #[test]
    fn a_small_report_is_listed_whole_with_each_pointer_once() {
        let mut moved = change(Class::WireOnly, Area::Operations, "endpoint-changed", 3);
        moved.new_pointer = Some("#/paths/~1v2".to_string());
        let mut added = change(Class::NonBreaking, Area::Types, "type-added", 2);
        added.old_pointer = None;
        let md = report(vec![
            change(Class::Breaking, Area::Types, "field-removed", 1),
            added,
            moved,
        ])
        .compact_markdown();
        assert!(md.starts_with("# API changes: Pets 1 → 2\n"), "{md}");
        assert!(
            md.contains(
                "| Operations | 0 | 0 | 1 |\n| Types | 1 | 1 | 0 |\n| **All** | 1 | 1 | 1 |"
            ),
            "{md}"
        );
        assert!(md.contains("By kind: 1 `field-removed`."), "{md}");
        assert!(
            md.contains("- `types::T1`: change 1 (`#/components/schemas/T1`)\n"),
            "{md}"
        );
        assert!(md.contains("(new: `#/components/schemas/T2`)"), "{md}");
        assert!(
            md.contains("(`#/components/schemas/T3` → `#/paths/~1v2`)"),
            "{md}"
        );
        assert!(md.contains("<details><summary>The 1 non-breaking change(s)</summary>"));
        assert!(!md.contains("more"), "{md}");
        let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s:?} not in\n{md}"));
        assert!(at("## Breaking (1)") < at("## Non-breaking (1)"));
        assert!(at("## Non-breaking (1)") < at("## Wire-only (1)"));
    }

    #[test]
    fn a_huge_report_stays_under_githubs_limit() {
        let long = "x`y".repeat(2_000);
        let classes = [Class::Breaking, Class::NonBreaking, Class::WireOnly];
        let changes: Vec<Change> = (0..30_000)
            .map(|n| {
                let mut c = change(classes[n % 3], AREAS[n % 5], "field-added", n);
                c.detail = format!("{n} {long}");
                c.old_pointer = Some(format!("#/{long}"));
                c
            })
            .collect();
        let mut r = report(changes);
        r.new.title = long.repeat(20);
        let md = r.compact_markdown();
        assert!(length(&md) <= COMPACT_LIMIT, "{}", length(&md));
        for class in ["breaking", "non-breaking", "wire-only"] {
            assert!(md.contains(&format!("more {class} change(s): see the full report")));
        }
        assert!(md.contains("## Breaking (10000)"), "{md}");
        assert!(md.contains("By kind: 10000 `field-added`."));
        assert!(md.contains("| **All** | 10000 | 10000 | 10000 |"));
        // Clipped lines still close their code spans.
        let shown = md.lines().find(|l| l.starts_with("- `types::T0`")).unwrap();
        assert_eq!(shown.matches('`').count() % 2, 0, "{shown}");
    }

    #[test]
    fn wire_only_changes_are_shown_before_additions_take_the_budget() {
        let mut changes: Vec<Change> = (0..5_000)
            .map(|n| change(Class::NonBreaking, Area::Types, "type-added", n))
            .collect();
        changes.extend((0..3).map(|n| change(Class::WireOnly, Area::Servers, "x", 9_000 + n)));
        let md = report(changes).compact_markdown();
        assert!(length(&md) <= COMPACT_LIMIT);
        assert!(md.contains("more non-breaking change(s)"));
        assert!(!md.contains("more wire-only"), "{md}");
        assert!(md.contains("- `types::T9002`"));
    }

    #[test]
    fn any_limit_holds() {
        let changes: Vec<Change> = (0..100)
            .map(|n| change(Class::Breaking, Area::Types, "type-removed", n))
            .collect();
        let r = report(changes);
        for limit in [0, 1, 50, 300, 2_000] {
            assert!(length(&r.compact_markdown_within(limit)) <= limit);
        }
        let empty = report(Vec::new()).compact_markdown();
        assert!(empty.contains("no change to the generated API"), "{empty}");
    }
}
