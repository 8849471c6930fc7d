//! The event queue: a deterministic discrete-event scheduler on the virtual clock.
//!
//! Anything in the simulated region that takes time (an instance finishing `creating`, a
//! failover completing, a replica applying the log after its lag) is an event scheduled for a
//! moment on the clock. Advancing the clock pops the due events in order and applies them:
//!
//! ```text
//!   now                                   now + 90 s
//!    |----e1(t+5)----e2(t+60)--e3(t+60)-----|------e4(t+300)
//!         applied      applied  applied          still queued
//! ```
//!
//! Events at the same moment run in the order they were scheduled (a sequence number breaks
//! ties), so the same inputs always give the same history.

use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One scheduled event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scheduled<E> {
    pub at: Timestamp,
    /// Order of scheduling: breaks ties between events due at the same moment.
    pub seq: u64,
    pub event: E,
}

/// Events waiting for their time. Kept sorted by `(at, seq)`; the queue is small (tens of
/// entries), so a sorted vector is simpler than a heap and serialises in a readable order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventQueue<E> {
    pending: Vec<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue { pending: Vec::new(), next_seq: 0 }
    }
}

impl<E> EventQueue<E> {
    /// Schedules `event` at `at`.
    pub fn schedule(&mut self, at: Timestamp, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let pos = self.pending.partition_point(|s| (s.at, s.seq) <= (at, seq));
        self.pending.insert(pos, Scheduled { at, seq, event });
    }

    /// When the next event falls due, if any is queued.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.pending.first().map(|s| s.at)
    }

    /// Removes and returns the earliest event if it is due at or before `until`.
    pub fn pop_due(&mut self, until: Timestamp) -> Option<Scheduled<E>> {
        match self.pending.first() {
            Some(first) if first.at <= until => Some(self.pending.remove(0)),
            _ => None,
        }
    }

    /// Drops every queued event for which `keep` is false (e.g. a deleted instance's events).
    pub fn retain(&mut self, keep: impl FnMut(&Scheduled<E>) -> bool) {
        self.pending.retain(keep);
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Scheduled<E>> {
        self.pending.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_ties_in_schedule_order() {
        let mut q = EventQueue::default();
        q.schedule(Timestamp(60), "b");
        q.schedule(Timestamp(5), "a");
        q.schedule(Timestamp(60), "c");
        q.schedule(Timestamp(300), "d");
        assert_eq!(q.next_due(), Some(Timestamp(5)));
        let mut seen = Vec::new();
        while let Some(s) = q.pop_due(Timestamp(90)) {
            seen.push(s.event);
        }
        assert_eq!(seen, ["a", "b", "c"]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.next_due(), Some(Timestamp(300)));
        assert!(q.pop_due(Timestamp(299)).is_none());
    }

    #[test]
    fn retain_drops_events() {
        let mut q = EventQueue::default();
        for i in 0..10 {
            q.schedule(Timestamp(i), i);
        }
        q.retain(|s| s.event % 2 == 0);
        assert_eq!(q.iter().map(|s| s.event).collect::<Vec<_>>(), [0, 2, 4, 6, 8]);
    }
}
