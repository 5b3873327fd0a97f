//! Strings a catalogue repeats (fees and processing times, legal titles
//! and numbers, applicants, sectors, the importer's notes), kept once: at
//! national scale most procedures share them with others.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

/// A string kept once and shared.
pub type Shared = Arc<str>;

/// The strings kept so far; shared by the threads validating procedures.
#[derive(Debug, Default)]
pub struct Interner {
    set: Mutex<HashSet<Shared>>,
}

impl Interner {
    /// `s`, shared with every earlier equal string.
    pub fn get(&self, s: &str) -> Shared {
        let mut set = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = set.get(s) {
            return kept.clone();
        }
        let kept: Shared = s.into();
        set.insert(kept.clone());
        kept
    }

    /// [`Interner::get`] for an optional string.
    pub fn opt(&self, s: &Option<String>) -> Option<Shared> {
        s.as_deref().map(|s| self.get(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_are_kept_once() {
        let i = Interner::default();
        let (a, b) = (i.get("Không"), i.get(&String::from("Không")));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &i.get("Có")));
    }
}
