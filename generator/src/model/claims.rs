//! Names that stay put when a spec grows. Every type and method name is claimed with the
//! identity of the item that wants it (its JSON pointer, and a role for the names an
//! operation makes: `#params`, `#stream`, …) and the strength of its claim ([`Rank`]).
//! A contested name goes to the strongest claim, then to the smallest identity, whatever
//! the order of the document and whatever else it holds; every other claimant takes the
//! name followed by a short hash of its own identity (`Error` → `Error7C1D`,
//! `duplicate_name` → `duplicate_name_5b2e`), never a counter that shifts when an item
//! is added before it.
//!
//! The winner of a name can only be known once every claim on it is known, while the
//! names of inline types are made from the names of their parents. So the model is built
//! in passes: a pass names provisionally what the plan of the previous pass does not
//! cover, and the model is built again with the plan of its own claims until every name
//! given is the name the plan gives (one pass for a spec without collisions, two for
//! most others).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::naming::{cap_length, suffixed, Namespace};

/// How strong a claim on a name is; the lowest wins a contested name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// The spec writes the name itself: a component key that is already its type name
    /// (`Pet`), an operationId that is already its method name (`list_pets`).
    Exact,
    /// A name the spec writes, converted (`pet` → `Pet`, `listPets` → `list_pets`).
    Converted,
    /// A name made from where an item is written: inline schemas, operation-level types
    /// (`ListPetsParams`), method names made from the path (`get_pets_by_id`).
    Derived,
    /// A name made from another item's name: `create_pet_form`, `list_events_stream`.
    Secondary,
}

/// The names a previous pass decided: (wanted name, identity) → name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan(HashMap<(String, String), String>);

#[derive(Debug, Clone)]
struct Ask {
    wanted: String,
    id: String,
    rank: Rank,
    given: String,
}

/// One scope of names (the types, or the client's methods) for one pass.
#[derive(Debug, Clone)]
pub struct Claims {
    reserved: HashSet<String>,
    /// Claims of this rank or weaker never take a reserved name; stronger ones may.
    reserved_from: Rank,
    /// What such a claim wants instead: the reserved name followed by this
    /// (`Call` → `CallModel`, `authorize` → `authorize_operation`).
    reserved_suffix: &'static str,
    plan: Plan,
    asks: Vec<Ask>,
    ids: HashSet<(String, String)>,
    /// Names given in this pass, and every name of the plan (which provisional names
    /// avoid).
    given: Namespace,
}

impl Claims {
    /// A scope with names it never gives to claims of rank `reserved_from` or weaker
    /// (which want the name followed by `reserved_suffix` instead), following `plan`
    /// (empty on the first pass).
    pub fn new<'r>(
        reserved: impl IntoIterator<Item = &'r str>,
        reserved_from: Rank,
        reserved_suffix: &'static str,
        plan: Plan,
    ) -> Self {
        let reserved: HashSet<String> = reserved.into_iter().map(str::to_string).collect();
        let mut given = Namespace::new();
        for name in plan.0.values() {
            given.reserve(name);
        }
        Claims {
            reserved,
            reserved_from,
            reserved_suffix,
            plan,
            asks: Vec::new(),
            ids: HashSet::new(),
            given,
        }
    }

    /// The name of the item `id` that wants `wanted`.
    pub fn claim(&mut self, wanted: &str, rank: Rank, id: &str) -> String {
        let mut wanted = cap_length(wanted);
        if rank >= self.reserved_from && self.reserved.contains(&wanted) {
            wanted = cap_length(&format!("{wanted}{}", self.reserved_suffix));
        }
        // The same item asking twice for the same name (one schema reached from two
        // places with one hint) is told apart by the order of asking.
        let mut id = id.to_string();
        let base = id.clone();
        let mut n = 1;
        while !self.ids.insert((wanted.clone(), id.clone())) {
            n += 1;
            id = format!("{base}#{n}");
        }
        let given = match self.plan.0.get(&(wanted.clone(), id.clone())) {
            Some(name) => name.clone(),
            None => {
                let blocked = rank >= self.reserved_from && self.reserved.contains(&wanted);
                if blocked || self.given.is_taken(&wanted) {
                    let reserved = &self.reserved;
                    let given = &self.given;
                    suffixed(&wanted, &id, |n| given.is_taken(n) || reserved.contains(n))
                } else {
                    wanted.clone()
                }
            }
        };
        self.given.reserve(&given);
        self.asks.push(Ask {
            wanted,
            id,
            rank,
            given: given.clone(),
        });
        given
    }

    /// The plan of this pass's claims, and whether every name given in this pass is
    /// the one it gives (then the names are final; otherwise the model is built again
    /// with that plan).
    pub fn settle(&self) -> (Plan, bool) {
        let plan = self.plan_of_asks();
        let settled = self
            .asks
            .iter()
            .all(|a| plan.0.get(&(a.wanted.clone(), a.id.clone())) == Some(&a.given));
        (plan, settled)
    }

    /// Every name given, and the reserved ones: what a name made later must avoid.
    pub fn into_namespace(self) -> Namespace {
        let mut names = Namespace::new();
        for name in self.asks.iter().map(|a| &a.given).chain(&self.reserved) {
            names.reserve(name);
        }
        names
    }

    /// The winner of each name is the strongest claim, then the smallest identity; the
    /// others take the name with a hash of their identity.
    fn plan_of_asks(&self) -> Plan {
        let mut groups: BTreeMap<&str, Vec<&Ask>> = BTreeMap::new();
        for ask in &self.asks {
            groups.entry(&ask.wanted).or_default().push(ask);
        }
        let mut plan = HashMap::new();
        let mut taken: HashSet<String> = self.reserved.clone();
        let mut losers = Vec::new();
        for (wanted, mut asks) in groups {
            asks.sort_by(|a, b| (a.rank, &a.id).cmp(&(b.rank, &b.id)));
            let free = asks[0].rank < self.reserved_from || !self.reserved.contains(wanted);
            if free {
                taken.insert(wanted.to_string());
                plan.insert(
                    (asks[0].wanted.clone(), asks[0].id.clone()),
                    wanted.to_string(),
                );
            }
            losers.extend(asks.into_iter().skip(usize::from(free)));
        }
        losers.sort_by(|a, b| (&a.wanted, a.rank, &a.id).cmp(&(&b.wanted, b.rank, &b.id)));
        for ask in losers {
            let name = suffixed(&ask.wanted, &ask.id, |n| taken.contains(n));
            taken.insert(name.clone());
            plan.insert((ask.wanted.clone(), ask.id.clone()), name);
        }
        Plan(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the items get, in the order given, with the passes the model takes.
    fn names(items: &[(&str, Rank, &str)]) -> Vec<String> {
        let mut plan = Plan::default();
        loop {
            let mut claims = Claims::new(["Call"], Rank::Derived, "Model", plan);
            let given: Vec<String> = items
                .iter()
                .map(|(wanted, rank, id)| claims.claim(wanted, *rank, id))
                .collect();
            let (next, settled) = claims.settle();
            if settled {
                return given;
            }
            plan = next;
        }
    }

    fn name_of(items: &[(&str, Rank, &str)], id: &str) -> String {
        let at = items.iter().position(|i| i.2 == id).expect("an item");
        names(items)[at].clone()
    }

    #[test]
    fn the_winner_of_a_name_and_every_suffix_ignore_the_order_of_claims() {
        let items = [
            ("Foo", Rank::Converted, "/components/schemas/foo"),
            ("Foo", Rank::Derived, "/paths/~1a/get#params"),
            ("Foo", Rank::Exact, "/components/schemas/Foo"),
            ("Foo", Rank::Converted, "/components/schemas/FOO"),
        ];
        let forward = names(&items);
        assert_eq!(forward[2], "Foo", "the exact name wins");
        let mut reversed = items;
        reversed.reverse();
        let mut backward = names(&reversed);
        backward.reverse();
        assert_eq!(forward, backward);
        // Each loser's name comes from its own place: removing one moves no other
        // (removing the winner gives its name to the next strongest).
        for skip in [0, 1, 3] {
            let fewer: Vec<_> = (0..items.len())
                .filter(|&i| i != skip)
                .map(|i| items[i])
                .collect();
            for item in &fewer {
                let before = name_of(&items, item.2);
                if before != "Foo" {
                    assert_eq!(name_of(&fewer, item.2), before, "{item:?}");
                }
            }
        }
    }

    #[test]
    fn a_reserved_name_goes_to_a_strong_claim_or_takes_the_suffix() {
        let items = [
            ("Call", Rank::Converted, "/components/schemas/call"),
            ("Call", Rank::Derived, "/paths/~1a/get#Response"),
        ];
        assert_eq!(names(&items), ["Call", "CallModel"]);
    }

    #[test]
    fn suffixes_keep_the_case_style() {
        let items = [
            ("get_pet", Rank::Exact, "/paths/~1a/get"),
            ("get_pet", Rank::Converted, "/paths/~1b/get"),
            ("self_", Rank::Derived, "/paths/~1c/get"),
            ("self_", Rank::Derived, "/paths/~1d/get"),
        ];
        let given = names(&items);
        assert_eq!(given[0], "get_pet");
        assert!(
            given[1].starts_with("get_pet_") && given[1].len() == 12,
            "{given:?}"
        );
        assert_eq!(given[2], "self_");
        assert!(
            given[3].starts_with("self_") && !given[3].contains("__"),
            "{given:?}"
        );
    }
}
