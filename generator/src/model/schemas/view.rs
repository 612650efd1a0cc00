//! A uniform view of a schema's keywords, whichever `SchemaKind` openapiv3 chose.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// The keywords of a schema, whichever `SchemaKind` openapiv3 chose for it.
#[derive(Default)]
pub(super) struct View<'s> {
    pub(super) kind: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>,
    pub(super) required: Vec<&'s str>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    pub(super) has_not: bool,
    pub(super) minimum: Option<String>,
    pub(super) maximum: Option<String>,
}

pub(super) fn format_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(known(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn bound(n: impl ToString, exclusive: bool, lower: bool) -> String {
    let n = n.to_string();
    match (exclusive, lower) {
        (true, true) => format!("> {n}"),
        (true, false) => format!("< {n}"),
        (false, _) => n,
    }
}

impl<'s> View<'s> {
    pub(super) fn of(schema: &'s Schema) -> Self {
        let mut v = View::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.kind = Some("string");
                v.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.kind = Some("number");
                v.format = format_name(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::from))
                    .collect();
                v.minimum = n.minimum.map(|m| bound(m, n.exclusive_minimum, true));
                v.maximum = n.maximum.map(|m| bound(m, n.exclusive_maximum, false));
            }
            SchemaKind::Type(Type::Integer(i)) => {
                v.kind = Some("integer");
                v.format = format_name(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                v.enumeration = i
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::from))
                    .collect();
                v.minimum = i.minimum.map(|m| bound(m, i.exclusive_minimum, true));
                v.maximum = i.maximum.map(|m| bound(m, i.exclusive_maximum, false));
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.kind = Some("boolean");
                v.enumeration = b
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.kind = Some("object");
                v.properties = o.properties.iter().map(|(k, s)| (k.as_str(), s)).collect();
                v.required = o.required.iter().map(String::as_str).collect();
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.kind = Some("array");
                v.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(a) => {
                v.kind = a.typ.as_deref();
                v.format = a.format.clone();
                v.enumeration = a.enumeration.clone();
                v.properties = a.properties.iter().map(|(k, s)| (k.as_str(), s)).collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.has_not = a.not.is_some();
                v.minimum = a
                    .minimum
                    .as_ref()
                    .map(|m| bound(m, a.exclusive_minimum == Some(true), true));
                v.maximum = a
                    .maximum
                    .as_ref()
                    .map(|m| bound(m, a.exclusive_maximum == Some(true), false));
                if v.kind.is_none() {
                    v.kind = if !v.properties.is_empty() || v.additional.is_some() {
                        Some("object")
                    } else if v.items.is_some() {
                        Some("array")
                    } else {
                        None
                    };
                }
            }
        }
        v
    }

    /// A schema that only admits `null` (3.1 `type: "null"` after normalisation).
    pub(super) fn is_null_only(&self) -> bool {
        self.kind.is_none()
            && !self.enumeration.is_empty()
            && self.enumeration.iter().all(Value::is_null)
            && self.properties.is_empty()
    }
}
