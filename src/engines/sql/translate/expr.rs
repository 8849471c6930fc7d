//! Expressions: literals, parameters (`?`, `$1`), operators, LIKE, CASE, CAST, subqueries and
//! function calls (with DISTINCT, `*` and OVER).

use super::super::ast::*;
use super::super::error::{unsupported, Result, SqlError};
use super::super::types::{DataType, Decimal, Value};
use super::Translator;
use sqlparser::ast as sp;

impl Translator {
    pub(super) fn value(&self, v: &sp::Value) -> Result<Value> {
        Ok(match v {
            sp::Value::Number(n, _) => {
                if let Ok(i) = n.parse::<i64>() {
                    Value::Int(i)
                } else if n.contains(['e', 'E']) {
                    Value::Float(n.parse().map_err(|_| SqlError::Syntax { near: n.clone() })?)
                } else {
                    match Decimal::parse(n) {
                        Some(d) => Value::Dec(d),
                        None => Value::Float(n.parse().map_err(|_| SqlError::Syntax { near: n.clone() })?),
                    }
                }
            }
            sp::Value::SingleQuotedString(s)
            | sp::Value::EscapedStringLiteral(s)
            | sp::Value::NationalStringLiteral(s)
            | sp::Value::TripleSingleQuotedString(s) => Value::Text(s.clone()),
            sp::Value::DoubleQuotedString(s) => Value::Text(s.clone()),
            sp::Value::DollarQuotedString(d) => Value::Text(d.value.clone()),
            sp::Value::Boolean(b) => Value::Bool(*b),
            sp::Value::Null => Value::Null,
            _ => return unsupported(format!("literal {v}")),
        })
    }

    /// `$n` (PostgreSQL) or `?` (MySQL): a parameter supplied when a prepared statement runs.
    pub(super) fn placeholder(&self, p: &str) -> Result<Expr> {
        if p == "?" {
            let n = self.next_param.get();
            self.next_param.set(n + 1);
            return Ok(Expr::Param(n));
        }
        match p.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n >= 1 => Ok(Expr::Param(n - 1)),
            _ => Err(SqlError::Syntax { near: p.to_string() }),
        }
    }

    pub(super) fn boxed(&self, e: &sp::Expr) -> Result<Box<Expr>> {
        Ok(Box::new(self.expr(e)?))
    }

    pub(super) fn expr(&self, e: &sp::Expr) -> Result<Expr> {
        self.deeper(1, || self.expr_here(e))
    }

    pub(super) fn expr_here(&self, e: &sp::Expr) -> Result<Expr> {
        use sp::Expr as E;
        Ok(match e {
            E::Identifier(id) => {
                if id.quote_style == Some('"') && self.flavour.is_mysql() {
                    // MySQL reads "text" as a string literal, which sqlparser may hand us as a name.
                    Expr::Literal(Value::Text(id.value.clone()))
                } else {
                    Expr::Column { table: None, name: self.ident(id) }
                }
            }
            E::CompoundIdentifier(parts) => match parts.as_slice() {
                [t, c] => Expr::Column { table: Some(self.ident(t)), name: self.ident(c) },
                [_, t, c] => Expr::Column { table: Some(self.ident(t)), name: self.ident(c) },
                _ => return unsupported(format!("name {e}")),
            },
            E::Value(v) => match &v.value {
                sp::Value::Placeholder(p) => self.placeholder(p)?,
                other => Expr::Literal(self.value(other)?),
            },
            E::Nested(inner) => self.expr(inner)?,
            E::IsNull(x) => Expr::IsNull { expr: self.boxed(x)?, negated: false },
            E::IsNotNull(x) => Expr::IsNull { expr: self.boxed(x)?, negated: true },
            E::IsTrue(x) => Expr::IsBool { expr: self.boxed(x)?, value: true, negated: false },
            E::IsNotTrue(x) => Expr::IsBool { expr: self.boxed(x)?, value: true, negated: true },
            E::IsFalse(x) => Expr::IsBool { expr: self.boxed(x)?, value: false, negated: false },
            E::IsNotFalse(x) => Expr::IsBool { expr: self.boxed(x)?, value: false, negated: true },
            E::IsDistinctFrom(a, b) => {
                Expr::Binary { op: BinOp::IsDistinct, left: self.boxed(a)?, right: self.boxed(b)? }
            }
            E::IsNotDistinctFrom(a, b) => {
                Expr::Binary { op: BinOp::NullSafeEq, left: self.boxed(a)?, right: self.boxed(b)? }
            }
            E::In { expr, target, negated, .. } => match target {
                sp::InTarget::List(list) => Expr::InList {
                    expr: self.boxed(expr)?,
                    list: list.iter().map(|x| self.expr(x)).collect::<Result<Vec<_>>>()?,
                    negated: *negated,
                },
                sp::InTarget::Subquery(q) => {
                    Expr::InSubquery { expr: self.boxed(expr)?, query: Box::new(self.query(q)?), negated: *negated }
                }
                _ => return unsupported("IN UNNEST / IN table"),
            },
            E::Between { expr, negated, low, high } => Expr::Between {
                expr: self.boxed(expr)?,
                low: self.boxed(low)?,
                high: self.boxed(high)?,
                negated: *negated,
            },
            E::BinaryOp { left, op, right } => {
                use sp::BinaryOperator as B;
                let op = match op {
                    B::Plus => BinOp::Add,
                    B::Minus => BinOp::Sub,
                    B::Multiply => BinOp::Mul,
                    B::Divide => BinOp::Div,
                    B::Modulo => BinOp::Mod,
                    B::MyIntegerDivide | B::DuckIntegerDivide => BinOp::IntDiv,
                    B::StringConcat => {
                        if self.flavour.is_mysql() {
                            BinOp::Or
                        } else {
                            BinOp::Concat
                        }
                    }
                    B::Gt => BinOp::Gt,
                    B::Lt => BinOp::Lt,
                    B::GtEq => BinOp::GtEq,
                    B::LtEq => BinOp::LtEq,
                    B::Eq => BinOp::Eq,
                    B::NotEq => BinOp::NotEq,
                    B::And => BinOp::And,
                    B::Or => BinOp::Or,
                    B::Spaceship => BinOp::NullSafeEq,
                    other => return unsupported(format!("operator {other}")),
                };
                Expr::Binary { op, left: self.boxed(left)?, right: self.boxed(right)? }
            }
            E::UnaryOp { op, expr } => {
                let op = match op {
                    sp::UnaryOperator::Minus => UnOp::Neg,
                    sp::UnaryOperator::Plus => UnOp::Plus,
                    sp::UnaryOperator::Not | sp::UnaryOperator::BangNot => UnOp::Not,
                    other => return unsupported(format!("operator {other}")),
                };
                // Fold `-5` into a literal so that i64::MIN and index keys read naturally.
                if let (UnOp::Neg, E::Value(v)) = (op, expr.as_ref()) {
                    if let sp::Value::Number(n, _) = &v.value {
                        if let Ok(i) = format!("-{n}").parse::<i64>() {
                            return Ok(Expr::Literal(Value::Int(i)));
                        }
                    }
                }
                Expr::Unary { op, expr: self.boxed(expr)? }
            }
            E::Like { negated, expr, pattern, escape_char, any: false } => {
                self.like(expr, pattern, escape_char, *negated, false)?
            }
            E::ILike { negated, expr, pattern, escape_char, any: false } => {
                self.like(expr, pattern, escape_char, *negated, true)?
            }
            E::Case { operand, conditions, else_result, .. } => Expr::Case {
                operand: operand.as_ref().map(|o| self.boxed(o)).transpose()?,
                whens: conditions
                    .iter()
                    .map(|w| Ok((self.expr(&w.condition)?, self.expr(&w.result)?)))
                    .collect::<Result<Vec<_>>>()?,
                otherwise: else_result.as_ref().map(|o| self.boxed(o)).transpose()?,
            },
            E::Cast { expr, data_type, .. } => Expr::Cast { expr: self.boxed(expr)?, to: self.cast_type(data_type)? },
            E::Exists { subquery, negated } => {
                Expr::Exists { query: Box::new(self.query(subquery)?), negated: *negated }
            }
            E::Subquery(q) => Expr::Subquery(Box::new(self.query(q)?)),
            E::Function(f) => self.function(f)?,
            E::TypedString(ts) => Expr::Cast {
                expr: Box::new(Expr::Literal(self.value(&ts.value.value)?)),
                to: self.data_type(&ts.data_type)?.0,
            },
            E::Substring { expr, substring_from, substring_for, .. } => {
                let mut args = vec![self.expr(expr)?];
                args.push(match substring_from {
                    Some(f) => self.expr(f)?,
                    None => Expr::Literal(Value::Int(1)),
                });
                if let Some(n) = substring_for {
                    args.push(self.expr(n)?);
                }
                Expr::Function { name: "substring".into(), args, distinct: false, star: false, over: None }
            }
            E::Trim { expr, trim_where: None, trim_what: None, .. } => Expr::Function {
                name: "trim".into(),
                args: vec![self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Ceil { expr, .. } => Expr::Function {
                name: "ceil".into(),
                args: vec![self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Floor { expr, .. } => Expr::Function {
                name: "floor".into(),
                args: vec![self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Position { expr, r#in } => Expr::Function {
                name: "position".into(),
                args: vec![self.expr(expr)?, self.expr(r#in)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Extract { field, expr, .. } => Expr::Function {
                name: "extract".into(),
                args: vec![Expr::Literal(Value::Text(field.to_string().to_lowercase())), self.expr(expr)?],
                distinct: false,
                star: false,
                over: None,
            },
            E::Tuple(_) => return unsupported("row values"),
            other => {
                let text = other.to_string();
                return unsupported(format!("expression {}", text.chars().take(40).collect::<String>()));
            }
        })
    }

    pub(super) fn like(
        &self,
        expr: &sp::Expr,
        pattern: &sp::Expr,
        escape: &Option<Box<sp::Expr>>,
        negated: bool,
        ci: bool,
    ) -> Result<Expr> {
        let escape = match escape.as_deref() {
            Some(sp::Expr::Value(v)) => match &v.value {
                sp::Value::SingleQuotedString(s) => s.chars().next(),
                _ => None,
            },
            _ => None,
        };
        Ok(Expr::Like { expr: self.boxed(expr)?, pattern: self.boxed(pattern)?, negated, case_insensitive: ci, escape })
    }

    pub(super) fn cast_type(&self, dt: &sp::DataType) -> Result<DataType> {
        let text = dt.to_string().to_uppercase();
        // MySQL's CAST(x AS SIGNED / UNSIGNED / CHAR).
        Ok(match text.as_str() {
            "SIGNED" | "UNSIGNED" | "SIGNED INTEGER" | "UNSIGNED INTEGER" => DataType::BigInt,
            _ => self.data_type(dt)?.0,
        })
    }

    pub(super) fn function(&self, f: &sp::Function) -> Result<Expr> {
        let name = f.name.to_string().to_lowercase();
        let name = name.rsplit('.').next().unwrap_or(&name).trim_matches('"').to_string();
        if f.filter.is_some() {
            return unsupported("FILTER");
        }
        let mut distinct = false;
        let mut star = false;
        let mut args = Vec::new();
        match &f.args {
            sp::FunctionArguments::None => {}
            sp::FunctionArguments::Subquery(_) => return unsupported("a subquery as function arguments"),
            sp::FunctionArguments::List(list) => {
                distinct = matches!(list.duplicate_treatment, Some(sp::DuplicateTreatment::Distinct));
                if !list.clauses.is_empty() {
                    return unsupported(format!("clauses inside {name}()"));
                }
                for a in &list.args {
                    match a {
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Expr(e)) => args.push(self.expr(e)?),
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Wildcard) => star = true,
                        _ => return unsupported(format!("this argument of {name}()")),
                    }
                }
            }
        }
        let over = match &f.over {
            None => None,
            Some(sp::WindowType::WindowSpec(spec)) => {
                if spec.window_frame.is_some() {
                    return unsupported("window frames");
                }
                Some(WindowSpec {
                    partition_by: spec.partition_by.iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>()?,
                    order_by: self.order_items(&spec.order_by)?,
                })
            }
            Some(sp::WindowType::NamedWindow(_)) => return unsupported("named windows"),
        };
        Ok(Expr::Function { name, args, distinct, star, over })
    }
}
