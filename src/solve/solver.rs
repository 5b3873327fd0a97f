//! The evidence graph and its least fixpoint.
//!
//! Nodes are data sources, document types, information elements and
//! derivations (one per way of deriving an element). Edges say "supplies":
//! source → document (served whole), source → element, element → derivation
//! (an input), derivation → element (its output). Documents and elements are
//! OR nodes (any supplier suffices); derivations are AND nodes (every input
//! is needed). Availability is the least fixpoint from the ready sources,
//! computed by counting unsatisfied inputs: linear in the graph's size, it
//! terminates on cycles, and a cycle alone never makes anything available.

use crate::model::{Catalog, DocIdx, ElementIdx, SourceIdx};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    Source(SourceIdx),
    Document(DocIdx),
    Element(ElementIdx),
    /// Derivation `i` of `EvidenceGraph::derivations`.
    Derivation(usize),
}

/// How an element became available. The choice is canonical, whatever the
/// order of the catalogue's entries: every ready source serving it
/// directly; else the derivation that completes earliest, ties broken by
/// the element's own order of `derived_from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    Sources(Vec<SourceIdx>),
    Derivation(usize),
    /// Taken as available to ask "what if" (unlock ranking).
    Assumed,
}

#[derive(Debug)]
pub struct EvidenceGraph {
    pub graph: DiGraph<Node, ()>,
    sources: Vec<NodeIndex>,
    documents: Vec<NodeIndex>,
    elements: Vec<NodeIndex>,
    /// (output element, input elements).
    pub derivations: Vec<(ElementIdx, Vec<ElementIdx>)>,
}

/// What is available from data in one state of source readiness.
#[derive(Clone, Debug, PartialEq)]
pub struct Availability {
    /// Ready sources serving each document whole, in catalogue order.
    pub documents: Vec<Vec<SourceIdx>>,
    /// How each element became available, if it did.
    pub elements: Vec<Option<Via>>,
}

impl EvidenceGraph {
    pub fn build(cat: &Catalog) -> Self {
        let mut graph = DiGraph::new();
        let sources: Vec<_> = (0..cat.sources.len())
            .map(|i| graph.add_node(Node::Source(i)))
            .collect();
        let documents: Vec<_> = (0..cat.document_types.len())
            .map(|i| graph.add_node(Node::Document(i)))
            .collect();
        let elements: Vec<_> = (0..cat.elements.len())
            .map(|i| graph.add_node(Node::Element(i)))
            .collect();
        for (si, s) in cat.sources.iter().enumerate() {
            for &d in &s.documents {
                graph.add_edge(sources[si], documents[d], ());
            }
            for &e in &s.elements {
                graph.add_edge(sources[si], elements[e], ());
            }
        }
        let mut derivations = Vec::new();
        for (ei, e) in cat.elements.iter().enumerate() {
            for inputs in &e.derived_from {
                let di = derivations.len();
                let dn = graph.add_node(Node::Derivation(di));
                for &i in inputs {
                    graph.add_edge(elements[i], dn, ());
                }
                graph.add_edge(dn, elements[ei], ());
                derivations.push((ei, inputs.clone()));
            }
        }
        EvidenceGraph {
            graph,
            sources,
            documents,
            elements,
            derivations,
        }
    }

    /// The least fixpoint from the sources flagged ready.
    pub fn availability(&self, ready: &[bool]) -> Availability {
        self.availability_assuming(ready, &[])
    }

    /// The least fixpoint from the ready sources and the `assume`d elements.
    pub fn availability_assuming(&self, ready: &[bool], assume: &[ElementIdx]) -> Availability {
        let mut docs: Vec<Vec<SourceIdx>> = vec![Vec::new(); self.documents.len()];
        // Breadth-first levels: sources 0, elements and derivations after
        // their suppliers. FIFO order keeps levels non-decreasing, so each
        // node's level is its least derivation depth.
        let mut element_level: Vec<Option<u32>> = vec![None; self.elements.len()];
        let mut derivation_level: Vec<Option<u32>> = vec![None; self.derivations.len()];
        let mut direct: Vec<Vec<SourceIdx>> = vec![Vec::new(); self.elements.len()];
        let mut assumed = vec![false; self.elements.len()];
        // Unsatisfied inputs of each derivation (deduplicated inputs).
        let mut pending: Vec<usize> = self
            .derivations
            .iter()
            .map(|(_, ins)| {
                let mut v = ins.clone();
                v.sort();
                v.dedup();
                v.len()
            })
            .collect();
        let mut queue: VecDeque<(NodeIndex, u32)> = VecDeque::new();
        for (si, &n) in self.sources.iter().enumerate() {
            if ready.get(si).copied().unwrap_or(false) {
                queue.push_back((n, 0));
            }
        }
        for &e in assume {
            if element_level[e].is_none() {
                element_level[e] = Some(1);
                assumed[e] = true;
                queue.push_back((self.elements[e], 1));
            }
        }
        while let Some((n, level)) = queue.pop_front() {
            let from = self.graph[n];
            for m in self.graph.neighbors_directed(n, Direction::Outgoing) {
                match (from, self.graph[m]) {
                    (Node::Source(s), Node::Document(d)) => docs[d].push(s),
                    (Node::Source(s), Node::Element(e)) => {
                        direct[e].push(s);
                        if element_level[e].is_none() {
                            element_level[e] = Some(level + 1);
                            queue.push_back((m, level + 1));
                        }
                    }
                    (Node::Element(_), Node::Derivation(d)) => {
                        pending[d] -= 1;
                        if pending[d] == 0 {
                            derivation_level[d] = Some(level + 1);
                            queue.push_back((m, level + 1));
                        }
                    }
                    (Node::Derivation(_), Node::Element(e)) if element_level[e].is_none() => {
                        element_level[e] = Some(level + 1);
                        queue.push_back((m, level + 1));
                    }
                    _ => {}
                }
            }
        }
        for d in &mut docs {
            d.sort();
            d.dedup();
        }
        let elements = (0..self.elements.len())
            .map(|e| {
                let level = element_level[e]?;
                if !direct[e].is_empty() {
                    let mut ss = direct[e].clone();
                    ss.sort();
                    ss.dedup();
                    return Some(Via::Sources(ss));
                }
                if assumed[e] {
                    return Some(Via::Assumed);
                }
                // Derivation indices follow each element's own order.
                (0..self.derivations.len())
                    .find(|&d| self.derivations[d].0 == e && derivation_level[d] == Some(level - 1))
                    .map(Via::Derivation)
            })
            .collect();
        Availability {
            documents: docs,
            elements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::model::*;

    fn el(id: &str, derived_from: Vec<Vec<usize>>) -> Element {
        Element {
            id: id.into(),
            name: id.into(),
            aliases: vec![],
            derived_from,
        }
    }

    fn cat(elements: Vec<Element>, serves: Vec<usize>) -> Catalog {
        Catalog {
            settings: Settings {
                analysis_date: Param {
                    value: Date::new(2026, 1, 1).unwrap(),
                    source: String::new(),
                },
                coverage_threshold: Param {
                    value: 0.9,
                    source: String::new(),
                },
                hourly_income_vnd: None,
                minutes_per_paper: None,
                certified_copy_fee_vnd: None,
                copy_cost_vnd: None,
            },
            agencies: vec![],
            provinces: vec![],
            elements,
            document_types: vec![],
            sources: vec![Source {
                id: "s".into(),
                name: "s".into(),
                aliases: vec![],
                kind: SourceKind::NationalDatabase,
                operator: 0,
                status: SourceStatus::Operational,
                since: None,
                due: None,
                due_basis: DueBasis::Decided,
                documents: vec![],
                elements: serves,
                coverage: None,
                legal_basis: vec![],
                quality: None,
                holds: vec![],
                freshness: None,
                land_phase: None,
            }],
            legal_documents: vec![],
            recognition: Recognition::default(),
            lists: vec![],
            procedures: vec![],
            reviews: vec![],
        }
    }

    #[test]
    fn a_cycle_alone_makes_nothing_available() {
        // a ← b, b ← a, nothing served.
        let c = cat(vec![el("a", vec![vec![1]]), el("b", vec![vec![0]])], vec![]);
        let g = EvidenceGraph::build(&c);
        let av = g.availability(&[true]);
        assert_eq!(av.elements, vec![None, None]);
    }

    #[test]
    fn a_cycle_with_an_entry_point_is_resolved() {
        // a ← b, b ← a; the source serves a.
        let c = cat(
            vec![el("a", vec![vec![1]]), el("b", vec![vec![0]])],
            vec![0],
        );
        let av = EvidenceGraph::build(&c).availability(&[true]);
        assert_eq!(av.elements[0], Some(Via::Sources(vec![0])));
        assert_eq!(av.elements[1], Some(Via::Derivation(1)));
    }

    #[test]
    fn a_derivation_needs_all_its_inputs() {
        // c ← (a AND b); only a served.
        let c = cat(
            vec![el("a", vec![]), el("b", vec![]), el("c", vec![vec![0, 1]])],
            vec![0],
        );
        let av = EvidenceGraph::build(&c).availability(&[true]);
        assert_eq!(av.elements[2], None);
        // Not ready: nothing at all.
        let av = EvidenceGraph::build(&c).availability(&[false]);
        assert!(av.elements.iter().all(Option::is_none));
    }
}
