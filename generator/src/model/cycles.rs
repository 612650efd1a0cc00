//! Breaking cycles: a type that contains itself by value needs a `Box` somewhere on the
//! cycle, and a type alias cannot refer to itself at all.

use std::collections::{HashMap, HashSet};

use super::{TypeDef, TypeKind, TypeRef};

/// Boxes every by-value reference that closes a cycle, and turns recursive aliases
/// into newtypes.
pub fn break_cycles(defs: &mut [TypeDef]) {
    alias_cycles_to_newtypes(defs);
    let index: HashMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|d| {
            let mut out = Vec::new();
            for ty in contained(&d.kind) {
                by_value_names(ty, &mut |n| {
                    if let Some(&j) = index.get(n) {
                        out.push(j);
                    }
                });
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for (i, def) in defs.iter_mut().enumerate() {
        let same = |name: &str| {
            index
                .get(name)
                .is_some_and(|&j| component[j] == component[i])
        };
        for ty in contained_mut(&mut def.kind) {
            box_by_value(ty, &same);
        }
    }
}

/// The types a definition holds directly (struct fields, union variants, targets).
fn contained(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn contained_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Newtype(t) => vec![t],
        // An alias is expanded where it is used; the boxes go there.
        TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Names held by value: not behind a `Vec`, a map or an existing `Box`.
fn by_value_names(ty: &TypeRef, f: &mut impl FnMut(&str)) {
    match ty {
        TypeRef::Named(n) => f(n),
        TypeRef::Option(inner) => by_value_names(inner, f),
        TypeRef::Prim(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Box(_) => {}
    }
}

fn box_by_value(ty: &mut TypeRef, same_component: &impl Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(n) if same_component(n) => {
            let inner = std::mem::replace(ty, TypeRef::Prim(super::Primitive::Json));
            *ty = TypeRef::Box(Box::new(inner));
        }
        TypeRef::Option(inner) => box_by_value(inner, same_component),
        _ => {}
    }
}

/// `type A = Vec<A>` is not valid Rust; such aliases become `struct A(Vec<A>)`.
fn alias_cycles_to_newtypes(defs: &mut [TypeDef]) {
    let aliases: HashMap<String, TypeRef> = defs
        .iter()
        .filter_map(|d| match &d.kind {
            TypeKind::Alias(t) => Some((d.name.clone(), t.clone())),
            _ => None,
        })
        .collect();
    let recursive: HashSet<String> = aliases
        .keys()
        .filter(|start| {
            let mut seen = HashSet::new();
            let mut stack = vec![(*start).clone()];
            while let Some(name) = stack.pop() {
                let Some(target) = aliases.get(&name) else {
                    continue;
                };
                let mut found = false;
                all_names(target, &mut |n| {
                    if n == start.as_str() {
                        found = true;
                    } else if seen.insert(n.to_string()) {
                        stack.push(n.to_string());
                    }
                });
                if found {
                    return true;
                }
            }
            false
        })
        .cloned()
        .collect();
    for def in defs.iter_mut() {
        if recursive.contains(&def.name) {
            if let TypeKind::Alias(t) = &def.kind {
                def.kind = TypeKind::Newtype(t.clone());
            }
        }
    }
}

fn all_names(ty: &TypeRef, f: &mut impl FnMut(&str)) {
    match ty {
        TypeRef::Named(n) => f(n),
        TypeRef::Prim(_) => {}
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => all_names(i, f),
    }
}

/// Tarjan's algorithm, iterative; returns the component id of every node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::super::{Docs, Field, Presence, StructDef};
    use super::*;

    fn strukt(name: &str, fields: Vec<TypeRef>) -> TypeDef {
        TypeDef {
            name: name.into(),
            docs: Docs::default(),
            deprecated: false,
            pointer: String::new(),
            kind: TypeKind::Struct(StructDef {
                fields: fields
                    .into_iter()
                    .enumerate()
                    .map(|(i, ty)| Field {
                        wire_name: format!("f{i}"),
                        rust_name: format!("f{i}"),
                        ty,
                        presence: Presence::Optional,
                        docs: Docs::default(),
                        deprecated: false,
                        flatten: false,
                    })
                    .collect(),
                additional: None,
            }),
            features: Vec::new(),
            non_exhaustive: false,
            wire: Default::default(),
        }
    }

    fn field_types(def: &TypeDef) -> Vec<TypeRef> {
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn self_reference_is_boxed_but_vec_is_not() {
        let mut defs = vec![strukt(
            "Node",
            vec![
                TypeRef::named("Node"),
                TypeRef::Vec(Box::new(TypeRef::named("Node"))),
            ],
        )];
        break_cycles(&mut defs);
        assert_eq!(
            field_types(&defs[0]),
            vec![
                TypeRef::Box(Box::new(TypeRef::named("Node"))),
                TypeRef::Vec(Box::new(TypeRef::named("Node")))
            ]
        );
    }

    #[test]
    fn mutual_recursion_is_boxed_and_acyclic_refs_are_not() {
        let mut defs = vec![
            strukt("A", vec![TypeRef::named("B").option(), TypeRef::named("C")]),
            strukt("B", vec![TypeRef::named("A")]),
            strukt("C", vec![]),
        ];
        break_cycles(&mut defs);
        assert_eq!(
            field_types(&defs[0])[0],
            TypeRef::Box(Box::new(TypeRef::named("B"))).option()
        );
        assert_eq!(field_types(&defs[0])[1], TypeRef::named("C"));
        assert_eq!(
            field_types(&defs[1])[0],
            TypeRef::Box(Box::new(TypeRef::named("A")))
        );
    }

    #[test]
    fn recursive_alias_becomes_newtype() {
        let mut defs = vec![TypeDef {
            name: "Tree".into(),
            docs: Docs::default(),
            deprecated: false,
            pointer: String::new(),
            kind: TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::named("Tree")))),
            features: Vec::new(),
            non_exhaustive: false,
            wire: Default::default(),
        }];
        break_cycles(&mut defs);
        assert!(matches!(defs[0].kind, TypeKind::Newtype(_)));
    }
}
