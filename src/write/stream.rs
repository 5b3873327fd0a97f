//! JSON documents written as they are made: the large arrays of a
//! document (a plan's cuts, a list's procedures) are made item by item
//! while the writer runs, never held whole as a `serde_json::Value` tree.
//! The bytes equal those of the same document built as a `Value`: object
//! keys in the same (sorted) order, the same pretty layout.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// A node of a JSON document.
pub enum Node<'a> {
    /// A small value, made whole.
    Value(Value),
    /// An object; its keys are written sorted, as `Value`'s map sorts them.
    Object(Vec<(&'static str, Node<'a>)>),
    /// An array whose items are made as they are written.
    Items(Box<dyn Fn() -> Box<dyn Iterator<Item = Node<'a>> + 'a> + 'a>),
}

impl<'a> Node<'a> {
    /// An array of the items `make` yields, made when written.
    pub fn items<I>(make: impl Fn() -> I + 'a) -> Self
    where
        I: Iterator<Item = Node<'a>> + 'a,
    {
        Node::Items(Box::new(move || Box::new(make())))
    }
}

impl From<Value> for Node<'_> {
    fn from(v: Value) -> Self {
        Node::Value(v)
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Value(v) => v.serialize(s),
            Node::Object(fields) => {
                let mut sorted: Vec<&(&str, Node)> = fields.iter().collect();
                sorted.sort_by_key(|(k, _)| *k);
                let mut m = s.serialize_map(Some(sorted.len()))?;
                for (k, v) in sorted {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Node::Items(make) => s.collect_seq(make()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_streamed_document_equals_its_value() {
        let rows = [1, 2, 3];
        let streamed = Node::Object(vec![
            ("schema", json!("x/1").into()),
            (
                "rows",
                Node::items(|| {
                    rows.iter().map(|&r| {
                        Node::Object(vec![
                            ("n", json!(r).into()),
                            ("empty", Node::items(std::iter::empty)),
                            ("a", json!({"z": r, "b": [r]}).into()),
                        ])
                    })
                }),
            ),
            ("none", Node::items(std::iter::empty)),
        ]);
        let value = json!({
            "schema": "x/1",
            "rows": rows.iter().map(|&r| json!({"n": r, "empty": [], "a": {"z": r, "b": [r]}})).collect::<Vec<_>>(),
            "none": [],
        });
        assert_eq!(
            serde_json::to_string_pretty(&streamed).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}
