//! The sorted set: members with scores, kept in score order.
//!
//! Redis keeps a hash table (member -> score) beside a skip list ordered by (score, member).
//! We keep the same two views: a hash map for `ZSCORE` in one step, and a `BTreeSet` of
//! `(score, member)` pairs for ranges. Ties in score are broken by the member's bytes, which
//! is also what makes `BYLEX` ranges meaningful when all scores are equal.
//!
//! ```text
//!   scores: { "b" -> 2, "a" -> 1, "c" -> 2 }
//!   order:  (1,"a") < (2,"b") < (2,"c")      ZRANK c = 2
//! ```
//!
//! Ranks are found by walking the ordered set (O(n)); a learning lab's sets are small.

use super::maps::{FxMap, FxSet};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// A score with a total order (scores are never NaN; `-0` and `0` compare equal, as in Redis).
#[derive(Clone, Copy, Debug)]
pub struct Score(pub f64);

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Score {}
impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZSet {
    scores: FxMap<Vec<u8>, f64>,
    order: BTreeSet<(Score, Vec<u8>)>,
}

impl ZSet {
    pub fn new() -> ZSet {
        ZSet::default()
    }
    pub fn len(&self) -> usize {
        self.scores.len()
    }
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Sets a member's score; returns true when the member is new.
    pub fn insert(&mut self, member: &[u8], score: f64) -> bool {
        match self.scores.get_mut(member) {
            Some(old) => {
                if *old != score || old.is_sign_negative() != score.is_sign_negative() {
                    self.order.remove(&(Score(*old), member.to_vec()));
                    self.order.insert((Score(score), member.to_vec()));
                    *old = score;
                }
                false
            }
            None => {
                self.scores.insert(member.to_vec(), score);
                self.order.insert((Score(score), member.to_vec()));
                true
            }
        }
    }

    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self.scores.remove(member) {
            Some(score) => {
                self.order.remove(&(Score(score), member.to_vec()));
                true
            }
            None => false,
        }
    }

    /// The 0-based rank of a member in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        let key = (Score(score), member.to_vec());
        Some(self.order.range(..&key).count())
    }

    /// Members in ascending order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> {
        self.order.iter().map(|(s, m)| (m.as_slice(), s.0))
    }

    /// Members whose scores lie inside `range`, ascending.
    pub fn range_by_score<'a>(
        &'a self,
        range: &'a ScoreRange,
    ) -> impl DoubleEndedIterator<Item = (&'a [u8], f64)> + 'a {
        // Walk only the pairs whose scores can match: from (min, "") up to just past max.
        use std::ops::Bound;
        let start = Bound::Included((Score(range.min), Vec::new()));
        let end = if range.max == f64::INFINITY || range.max.is_nan() {
            Bound::Unbounded
        } else {
            Bound::Excluded((Score(range.max.next_up()), Vec::new()))
        };
        let valid = range.min <= range.max;
        // BTreeSet::range panics on an inverted range; an impossible interval walks nothing.
        let (start, end) = if valid {
            (start, end)
        } else {
            (Bound::Unbounded, Bound::Excluded((Score(f64::NEG_INFINITY), Vec::new())))
        };
        self.order
            .range((start, end))
            .filter(move |(s, _)| valid && range.contains(s.0))
            .map(|(s, m)| (m.as_slice(), s.0))
    }

    /// Members inside a lexicographic range, ascending (meaningful when scores are equal).
    pub fn range_by_lex<'a>(&'a self, range: &'a LexRange) -> impl DoubleEndedIterator<Item = (&'a [u8], f64)> + 'a {
        self.order.iter().filter(move |(_, m)| range.contains(m)).map(|(s, m)| (m.as_slice(), s.0))
    }

    pub fn members(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.scores.keys()
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.scores.contains_key(member)
    }

    /// Bytes used by the members and scores, for memory accounting.
    pub fn approx_bytes(&self) -> usize {
        self.scores.keys().map(|m| m.len() * 2 + 48).sum()
    }
}

/// A score interval as ZRANGEBYSCORE takes it: `1`, `(1` (exclusive), `-inf`, `+inf`.
#[derive(Clone, Copy, Debug)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub min_exclusive: bool,
    pub max_exclusive: bool,
}

impl ScoreRange {
    pub fn parse(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
        let (min, min_exclusive) = parse_bound(min)?;
        let (max, max_exclusive) = parse_bound(max)?;
        Some(ScoreRange { min, max, min_exclusive, max_exclusive })
    }
    pub fn contains(&self, score: f64) -> bool {
        let above = if self.min_exclusive { score > self.min } else { score >= self.min };
        above && self.below_max(score)
    }
    pub fn below_max(&self, score: f64) -> bool {
        if self.max_exclusive {
            score < self.max
        } else {
            score <= self.max
        }
    }
    /// True when no score can lie inside the interval.
    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.min_exclusive || self.max_exclusive))
    }
}

fn parse_bound(arg: &[u8]) -> Option<(f64, bool)> {
    match arg.first() {
        Some(b'(') => super::args::parse_f64(&arg[1..]).map(|v| (v, true)),
        _ => super::args::parse_f64(arg).map(|v| (v, false)),
    }
}

/// A lexicographic interval: `[a` inclusive, `(a` exclusive, `-` and `+` the ends.
#[derive(Clone, Debug)]
pub struct LexRange {
    min: LexBound,
    max: LexBound,
}

#[derive(Clone, Debug)]
enum LexBound {
    NegInf,
    PosInf,
    Inclusive(Vec<u8>),
    Exclusive(Vec<u8>),
}

impl LexRange {
    pub fn parse(min: &[u8], max: &[u8]) -> Option<LexRange> {
        Some(LexRange { min: lex_bound(min)?, max: lex_bound(max)? })
    }
    pub fn contains(&self, m: &[u8]) -> bool {
        let above = match &self.min {
            LexBound::NegInf => true,
            LexBound::PosInf => false,
            LexBound::Inclusive(v) => m >= v.as_slice(),
            LexBound::Exclusive(v) => m > v.as_slice(),
        };
        let below = match &self.max {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Inclusive(v) => m <= v.as_slice(),
            LexBound::Exclusive(v) => m < v.as_slice(),
        };
        above && below
    }
}

fn lex_bound(arg: &[u8]) -> Option<LexBound> {
    match arg {
        b"-" => Some(LexBound::NegInf),
        b"+" => Some(LexBound::PosInf),
        _ => match arg.first() {
            Some(b'[') => Some(LexBound::Inclusive(arg[1..].to_vec())),
            Some(b'(') => Some(LexBound::Exclusive(arg[1..].to_vec())),
            _ => None,
        },
    }
}

// Saved as a list of (member, score bits): JSON has no infinity, so the score goes as the
// f64's bit pattern.
impl Serialize for ZSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.order.iter().map(|(s, m)| (m, s.0.to_bits())))
    }
}

impl<'de> Deserialize<'de> for ZSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list: Vec<(Vec<u8>, u64)> = Vec::deserialize(deserializer)?;
        let mut z = ZSet::new();
        for (m, bits) in list {
            z.insert(&m, f64::from_bits(bits));
        }
        Ok(z)
    }
}

/// Members of a set or sorted set as plain bytes (used by ZUNION etc. on plain sets).
pub fn from_set(set: &FxSet<Vec<u8>>) -> ZSet {
    let mut z = ZSet::new();
    for m in set {
        z.insert(m, 1.0);
    }
    z
}
