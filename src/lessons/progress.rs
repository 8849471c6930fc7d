//! Which steps a learner has completed, kept in the browser across reloads.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Lesson id → indexes of completed steps.
    pub completed: BTreeMap<String, BTreeSet<usize>>,
}

impl Progress {
    /// Records a completed step; true if it was new.
    pub fn complete(&mut self, lesson: &str, step: usize) -> bool {
        self.completed.entry(lesson.to_string()).or_default().insert(step)
    }

    pub fn is_done(&self, lesson: &str, step: usize) -> bool {
        self.completed.get(lesson).is_some_and(|s| s.contains(&step))
    }

    pub fn done_count(&self, lesson: &str) -> usize {
        self.completed.get(lesson).map_or(0, BTreeSet::len)
    }

    pub fn forget(&mut self, lesson: &str) {
        self.completed.remove(lesson);
    }
}
