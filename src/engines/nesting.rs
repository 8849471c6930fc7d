//! A bound on nesting while a saved value is read back.
//!
//! The engines' recursive types (SQL expressions, queries and joins; DynamoDB lists and maps)
//! are only ever built as deep as the engines allow, but a save file can be edited or damaged,
//! and reading a value nested a hundred thousand levels deep would overflow the stack: in the
//! browser, that kills the page. So each recursive type reads itself through
//! [`bounded_deserialize!`], which counts how deep the reader is and refuses to go past
//! [`MAX_SAVED_DEPTH`] with an ordinary error.
//!
//! The count is the one piece of thread-local state in the engines; it is zero whenever no
//! saved value is being read.

use std::cell::Cell;

/// Far deeper than anything the engines build (SQL's nesting limit, DynamoDB's 32 levels),
/// far shallower than what overflows a browser's stack.
pub const MAX_SAVED_DEPTH: u32 = 256;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One level of nesting being read; dropping it leaves the level.
pub struct Level(());

impl Level {
    /// Enters one level, or fails when that would go past [`MAX_SAVED_DEPTH`].
    pub fn enter<E: serde::de::Error>() -> Result<Level, E> {
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        // Made before the check, so that leaving on the error path counts down too.
        let level = Level(());
        if depth > MAX_SAVED_DEPTH {
            return Err(E::custom(format!("a saved value nests more than {MAX_SAVED_DEPTH} levels deep")));
        }
        Ok(level)
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Serde impls for a recursive type whose derive carries `#[serde(remote = "Self")]`: the
/// derive then writes inherent `serialize` / `deserialize` functions, and these trait impls
/// call them, reading one [`Level`] deeper.
macro_rules! bounded_deserialize {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let _level = $crate::engines::nesting::Level::enter::<D::Error>()?;
                <$ty>::deserialize(d)
            }
        }
    };
}
pub(crate) use bounded_deserialize;

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, serde::Serialize, Deserialize)]
    #[serde(remote = "Self")]
    enum Tree {
        Leaf,
        Node(Vec<Tree>),
    }
    bounded_deserialize!(Tree);

    /// `depth` nested nodes around a leaf, as postcard writes them: each node is its variant
    /// index (1) and its list's length (1); the leaf is variant 0.
    fn nested(depth: usize) -> Vec<u8> {
        let mut bytes = [1u8, 1].repeat(depth);
        bytes.push(0);
        bytes
    }

    #[test]
    fn shallow_values_read_back() {
        let tree = Tree::Node(vec![Tree::Node(vec![Tree::Leaf]), Tree::Leaf]);
        let bytes = postcard::to_allocvec(&tree).unwrap();
        assert_eq!(postcard::from_bytes::<Tree>(&bytes).unwrap(), tree);
        assert!(postcard::from_bytes::<Tree>(&nested(MAX_SAVED_DEPTH as usize - 1)).is_ok());
    }

    #[test]
    fn a_value_nested_too_deep_is_an_error_not_a_stack_overflow() {
        for depth in [MAX_SAVED_DEPTH as usize, 100_000] {
            assert!(postcard::from_bytes::<Tree>(&nested(depth)).is_err(), "{depth} levels");
        }
        // The count is back at zero: a shallow value still reads.
        assert_eq!(postcard::from_bytes::<Tree>(&[0]).unwrap(), Tree::Leaf);
        assert_eq!(DEPTH.with(Cell::get), 0);
    }

    /// `depth` levels of `wrap` around `leaf`, written directly as postcard bytes: the bytes of
    /// `wrap` once are a prefix, the leaf, and a suffix (empty for the shapes used here).
    fn crafted<T: serde::Serialize>(leaf: &T, wrap: &T, depth: usize) -> Vec<u8> {
        let leaf = postcard::to_allocvec(leaf).unwrap();
        let once = postcard::to_allocvec(wrap).unwrap();
        assert!(once.ends_with(&leaf), "the leaf comes last");
        let mut bytes = once[..once.len() - leaf.len()].repeat(depth);
        bytes.extend_from_slice(&leaf);
        bytes
    }

    #[test]
    fn the_engines_recursive_types_are_bounded() {
        use crate::engines::dynamo::value::AttrValue;
        use crate::engines::sql::ast::{Expr, UnOp};
        let list = AttrValue::L(vec![AttrValue::Null]);
        assert!(postcard::from_bytes::<AttrValue>(&crafted(&AttrValue::Null, &list, 30)).is_ok());
        assert!(postcard::from_bytes::<AttrValue>(&crafted(&AttrValue::Null, &list, 100_000)).is_err());
        let leaf = Expr::Param(0);
        let not = Expr::Unary { op: UnOp::Not, expr: Box::new(leaf.clone()) };
        assert!(postcard::from_bytes::<Expr>(&crafted(&leaf, &not, 30)).is_ok());
        assert!(postcard::from_bytes::<Expr>(&crafted(&leaf, &not, 100_000)).is_err());
    }
}
