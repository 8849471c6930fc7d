//! What a golden script cannot state: properties of the engine's API and of whole runs.
//!
//! The behaviour of statements (results, error texts, EXPLAIN) is in the per-feature scripts of
//! `tests/sql_golden/`. Here stay the tests that need more than one session, a server's limits,
//! a connection's credentials, the commit log, serialisation, prepared statements or thousands
//! of generated statements.

use super::flavour::Flavour;
use super::log;
use super::server::{display_value, Outcome, Server, SessionId};
use crate::engines::rng::Rng;

fn server(f: Flavour) -> (Server, SessionId) {
    let mut s = Server::new(f, "pw", 0);
    let id = s.connect(f.admin_user(), "pw", Some(f.default_database())).expect("admin connects");
    (s, id)
}

/// Runs statements; returns each outcome rendered compactly: rows as `a|b` lines, affected
/// counts as `TAG n`, errors as the client prints them.
fn run(s: &mut Server, id: SessionId, sql: &str) -> String {
    let f = s.flavour;
    match s.execute(id, sql, 1_000_000) {
        Ok(Outcome::Rows { rows, .. }) => rows
            .iter()
            .map(|r| {
                r.iter().map(|v| display_value(v, f).unwrap_or_else(|| "NULL".into())).collect::<Vec<_>>().join("|")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Ok(Outcome::Affected { tag, count }) => format!("{tag} {count}"),
        Ok(Outcome::Done { tag, .. }) => tag,
        Err(e) => e.render(f),
    }
}

const SHOP: &[&str] = &[
    "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, city VARCHAR(40))",
    "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT REFERENCES customers(id), total DECIMAL(10,2), placed DATE)",
    "INSERT INTO customers VALUES (1, 'Ada', 'London'), (2, 'Grace', 'New York'), (3, 'Linus', NULL)",
    "INSERT INTO orders VALUES (10, 1, 25.50, '2026-01-05'), (11, 1, 4.50, '2026-02-01'), (12, 2, 100.00, '2026-02-03')",
];

#[test]
fn transactions_are_invisible_until_commit() {
    for f in [Flavour::MySql, Flavour::Postgres] {
        let (mut s, a) = server(f);
        let b = s.connect(f.admin_user(), "pw", Some(f.default_database())).unwrap();
        run(&mut s, a, "CREATE TABLE t (x INT)");
        run(&mut s, a, "BEGIN");
        run(&mut s, a, "INSERT INTO t VALUES (1)");
        assert_eq!(run(&mut s, a, "SELECT COUNT(*) FROM t"), "1");
        assert_eq!(run(&mut s, b, "SELECT COUNT(*) FROM t"), "0", "{f:?}: uncommitted rows are invisible");
        run(&mut s, b, "INSERT INTO t VALUES (2)");
        run(&mut s, a, "COMMIT");
        assert_eq!(run(&mut s, b, "SELECT x FROM t ORDER BY x"), "1\n2", "{f:?}: both commits survive");
        run(&mut s, a, "START TRANSACTION");
        run(&mut s, a, "DELETE FROM t");
        run(&mut s, a, "SAVEPOINT s1");
        run(&mut s, a, "INSERT INTO t VALUES (7)");
        run(&mut s, a, "ROLLBACK TO SAVEPOINT s1");
        assert_eq!(run(&mut s, a, "SELECT COUNT(*) FROM t"), "0");
        run(&mut s, a, "ROLLBACK");
        assert_eq!(run(&mut s, a, "SELECT COUNT(*) FROM t"), "2");
    }
}

#[test]
fn a_failed_statement_changes_nothing() {
    let (mut s, id) = server(Flavour::MySql);
    run(&mut s, id, "CREATE TABLE t (x INT PRIMARY KEY)");
    let lsn = s.log.latest_lsn();
    assert!(run(&mut s, id, "INSERT INTO t VALUES (1), (2), (1)").starts_with("ERROR 1062"));
    assert_eq!(run(&mut s, id, "SELECT COUNT(*) FROM t"), "0");
    assert_eq!(s.log.latest_lsn(), lsn, "no log record for a failed statement");
}

#[test]
fn users_passwords_and_grants() {
    let (mut s, root) = server(Flavour::MySql);
    run(&mut s, root, "CREATE DATABASE shop");
    run(&mut s, root, "CREATE USER 'app'@'%' IDENTIFIED BY 'secret'");
    assert_eq!(
        s.connect("app", "wrong", None).unwrap_err().render(Flavour::MySql),
        "ERROR 1045 (28000): Access denied for user 'app'@'localhost' (using password: YES)"
    );
    assert_eq!(
        s.connect("app", "secret", Some("shop")).unwrap_err().render(Flavour::MySql),
        "ERROR 1044 (42000): Access denied for user 'app'@'%' to database 'shop'"
    );
    run(&mut s, root, "GRANT ALL PRIVILEGES ON shop.* TO 'app'@'%'");
    let app = s.connect("app", "secret", Some("shop")).expect("granted");
    assert_eq!(run(&mut s, app, "CREATE TABLE t (x INT)"), "CREATE TABLE");
}

#[test]
fn budgets_and_limits_stop_runaway_work() {
    let (mut s, id) = server(Flavour::Postgres);
    s.limits.step_budget = 10_000;
    run(&mut s, id, "CREATE TABLE t (x INT)");
    let values: Vec<String> = (0..200).map(|i| format!("({i})")).collect();
    run(&mut s, id, &format!("INSERT INTO t VALUES {}", values.join(",")));
    assert_eq!(
        run(&mut s, id, "SELECT COUNT(*) FROM t a, t b, t c"),
        "ERROR:  canceling statement due to statement timeout"
    );
    let deep = format!("SELECT {}1{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(run(&mut s, id, &deep), "ERROR:  stack depth limit exceeded");
    s.limits.memory_quota = 20_000;
    let big = "INSERT INTO t SELECT a.x FROM t a, t b WHERE b.x < 3";
    let (mut m, mid) = server(Flavour::MySql);
    m.limits.memory_quota = 2_000;
    run(&mut m, mid, "CREATE TABLE t (x INT)");
    let r = run(&mut m, mid, &format!("INSERT INTO t VALUES {}", values.join(",")));
    assert_eq!(r, "ERROR 1114 (HY000): The table 't' is full");
    assert!(run(&mut s, id, big).starts_with("ERROR:  could not extend file"));
}

/// Runs random statements from a small grammar on a seeded generator; none may panic, and the
/// server must stay usable.
#[test]
fn thousands_of_random_statements_never_panic() {
    let mut rng = Rng::new(20261126);
    let pieces = [
        "SELECT",
        "FROM",
        "WHERE",
        "t",
        "u",
        "a",
        "b",
        "c",
        "1",
        "0",
        "-1",
        "NULL",
        "'x'",
        "''",
        "(",
        ")",
        ",",
        "*",
        "+",
        "-",
        "/",
        "%",
        "=",
        "<",
        ">",
        "<>",
        "AND",
        "OR",
        "NOT",
        "IN",
        "LIKE",
        "'%'",
        "BETWEEN",
        "IS",
        "CASE",
        "WHEN",
        "THEN",
        "ELSE",
        "END",
        "GROUP BY",
        "ORDER BY",
        "HAVING",
        "LIMIT",
        "UNION",
        "JOIN",
        "ON",
        "LEFT",
        "COUNT(*)",
        "SUM(a)",
        "MAX(b)",
        "abs(",
        "substr(",
        "coalesce(",
        "CAST(",
        "AS",
        "INT",
        "TEXT",
        "DECIMAL(5,2)",
        "2.5",
        "9223372036854775807",
        "EXISTS",
        "DISTINCT",
        "OVER",
        "ROW_NUMBER()",
        "(SELECT",
        "INSERT INTO",
        "VALUES",
        "UPDATE",
        "SET",
        "DELETE",
        "CREATE TABLE",
        "DROP TABLE",
        "CREATE INDEX i ON",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r)",
        "1e308",
        "||",
        "ALTER TABLE",
        "ADD COLUMN",
    ];
    for f in [Flavour::MySql, Flavour::Postgres] {
        let (mut s, id) = server(f);
        s.limits.step_budget = 200_000;
        run(&mut s, id, "CREATE TABLE t (a INT PRIMARY KEY, b TEXT, c DECIMAL(10,2))");
        run(&mut s, id, "CREATE TABLE u (a INT, b INT)");
        run(&mut s, id, "INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', NULL), (3, NULL, -2)");
        run(&mut s, id, "INSERT INTO u VALUES (1, 2), (2, NULL), (NULL, 3)");
        for _ in 0..2500 {
            let n = rng.range(1, 14) as usize;
            let sql: Vec<&str> = (0..n).map(|_| pieces[rng.range(0, pieces.len() as u64 - 1) as usize]).collect();
            let _ = s.execute(id, &sql.join(" "), 0);
        }
        // Still a working server.
        let _ = s.execute(id, "ROLLBACK", 0);
        assert!(matches!(s.execute(id, "SELECT 1", 0), Ok(Outcome::Rows { .. })));
    }
}

/// Random committed and rolled-back transactions on a primary; checks the commit log's three
/// promises.
#[test]
fn commit_log_replicas_and_point_in_time_restore() {
    for seed in 1..=5u64 {
        let mut rng = Rng::new(seed);
        let (mut primary, id) = server(Flavour::Postgres);
        run(&mut primary, id, "CREATE TABLE t (k INT PRIMARY KEY, v INT)");
        let base = primary.snapshot(0);
        let mut states: Vec<(i64, String)> = Vec::new();
        let dump = |s: &mut Server, id| run(s, id, "SELECT k, v FROM t ORDER BY k");
        for step in 0..60i64 {
            let now = 1_000_000 * (step + 1);
            let before = primary.log.latest_lsn();
            let commit = rng.range(0, 3) > 0;
            primary.execute(id, "BEGIN", now).unwrap();
            for _ in 0..rng.range(1, 4) {
                let k = rng.range(1, 20);
                let sql = match rng.range(0, 2) {
                    0 => format!(
                        "INSERT INTO t VALUES ({k}, {}) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                        rng.range(0, 99)
                    ),
                    1 => format!("UPDATE t SET v = v + 1 WHERE k = {k}"),
                    _ => format!("DELETE FROM t WHERE k = {k}"),
                };
                primary.execute(id, &sql, now).unwrap();
            }
            primary.execute(id, if commit { "COMMIT" } else { "ROLLBACK" }, now).unwrap();
            if !commit {
                assert_eq!(primary.log.latest_lsn(), before, "a rolled-back transaction leaves no record");
            }
            states.push((now, dump(&mut primary, id)));
        }
        // A replica that applied everything equals the primary.
        let mut replica = Server::new(Flavour::Postgres, "pw", 0);
        replica.load(base.catalog.clone());
        assert!(replica.apply_log(primary.log.since(base.lsn)));
        assert_eq!(replica.catalog, primary.catalog, "seed {seed}: replica equals primary");
        // A restore to time T equals the state at T.
        for (t, expected) in states.iter().step_by(7) {
            let (catalog, _) = log::restore(&base, &primary.log, *t);
            let mut restored = Server::new(Flavour::Postgres, "pw", 0);
            restored.load(catalog);
            let rid = restored.connect("postgres", "pw", Some("postgres")).unwrap();
            assert_eq!(&dump(&mut restored, rid), expected, "seed {seed}: restore to {t}");
        }
    }
}

#[test]
fn a_server_round_trips_through_json() {
    let (mut s, id) = server(Flavour::MySql);
    for st in SHOP {
        run(&mut s, id, st);
    }
    let json = serde_json::to_string(&s).unwrap();
    let back: Server = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
}

/// A random expression from a small grammar: columns, edge-case literals, operators, functions,
/// subqueries. Mostly valid SQL, so the planner and executor (not only the parser) are exercised.
fn random_expr(rng: &mut Rng, depth: u32) -> String {
    const ATOMS: &[&str] = &[
        "a",
        "b",
        "c",
        "t.a",
        "1",
        "0",
        "-1",
        "NULL",
        "'x'",
        "''",
        "'10'",
        "2.5",
        "-0.001",
        "9223372036854775807",
        "-9223372036854775808",
        "1e308",
        "'2026-02-30'",
        "'1e-2147483648'",
        "TRUE",
        "'%'",
    ];
    const FUNCS: &[&str] = &[
        "abs", "coalesce", "nullif", "length", "lower", "upper", "substr", "round", "floor", "ceil", "mod", "power",
        "sqrt", "greatest", "least", "left", "right", "repeat", "lpad", "replace", "concat", "sign", "year",
    ];
    const OPS: &[&str] = &["+", "-", "*", "/", "%", "=", "<>", "<", ">=", "AND", "OR", "||", "LIKE"];
    if depth == 0 {
        return ATOMS[rng.range(0, ATOMS.len() as u64 - 1) as usize].to_string();
    }
    let sub = |rng: &mut Rng| random_expr(rng, depth - 1);
    match rng.range(0, 9) {
        0 | 1 => format!("({} {} {})", sub(rng), OPS[rng.range(0, OPS.len() as u64 - 1) as usize], sub(rng)),
        2 => format!("{}({}, {})", FUNCS[rng.range(0, FUNCS.len() as u64 - 1) as usize], sub(rng), sub(rng)),
        3 => format!("CASE WHEN {} THEN {} ELSE {} END", sub(rng), sub(rng), sub(rng)),
        4 => format!(
            "CAST({} AS {})",
            sub(rng),
            ["INT", "TEXT", "DECIMAL(5,2)", "DATE", "BOOLEAN"][rng.range(0, 4) as usize]
        ),
        5 => format!("{} IN ({}, {})", sub(rng), sub(rng), sub(rng)),
        6 => format!("(SELECT MAX(a) FROM u WHERE u.b = {})", sub(rng)),
        7 => format!("{} BETWEEN {} AND {}", sub(rng), sub(rng), sub(rng)),
        8 => format!("{} IS NULL", sub(rng)),
        _ => format!("-{}", sub(rng)),
    }
}

#[test]
fn thousands_of_generated_queries_never_panic() {
    let mut rng = Rng::new(7);
    for f in [Flavour::MySql, Flavour::Postgres] {
        let (mut s, id) = server(f);
        s.limits.step_budget = 100_000;
        run(&mut s, id, "CREATE TABLE t (a INT PRIMARY KEY, b TEXT, c DECIMAL(10,2))");
        run(&mut s, id, "CREATE TABLE u (a INT, b INT)");
        run(&mut s, id, "INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', NULL), (3, NULL, -2)");
        run(&mut s, id, "INSERT INTO u VALUES (1, 2), (2, NULL), (NULL, 3)");
        let mut answered = 0;
        for i in 0..2000 {
            let depth = rng.range(1, 4) as u32;
            let e = random_expr(&mut rng, depth);
            let sql = match i % 6 {
                0 => format!("SELECT {e} FROM t"),
                1 => format!("SELECT a, COUNT(*) FROM t WHERE {e} GROUP BY a HAVING {e} ORDER BY 1"),
                2 => format!("SELECT t.a, u.b FROM t LEFT JOIN u ON t.a = u.a WHERE {e} ORDER BY {e} LIMIT 2"),
                3 => format!("UPDATE t SET c = {e} WHERE a = 2"),
                4 => format!("INSERT INTO u VALUES ({e}, 1)"),
                _ => format!("SELECT ROW_NUMBER() OVER (PARTITION BY {e} ORDER BY a), {e} FROM t UNION SELECT 1, 2"),
            };
            if s.execute(id, &sql, 0).is_ok() {
                answered += 1;
            }
        }
        assert!(answered > 500, "{f:?}: the generator should produce mostly runnable SQL ({answered})");
    }
}

/// Runs a prepared statement with parameters, rendered like `run`.
fn run_prepared(s: &mut Server, id: SessionId, p: &mut super::Prepared, params: &[super::Value]) -> String {
    let f = s.flavour;
    match s.execute_prepared(id, p, params, 1_000_000) {
        Ok(Outcome::Rows { rows, .. }) => rows
            .iter()
            .map(|r| {
                r.iter().map(|v| display_value(v, f).unwrap_or_else(|| "NULL".into())).collect::<Vec<_>>().join("|")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Ok(Outcome::Affected { tag, count }) => format!("{tag} {count}"),
        Ok(Outcome::Done { tag, .. }) => tag,
        Err(e) => e.render(f),
    }
}

#[test]
fn prepared_statements_take_parameters_and_replan_after_schema_changes() {
    use super::Value;
    for (f, mark) in [(Flavour::MySql, "?"), (Flavour::Postgres, "$1")] {
        let (mut s, id) = server(f);
        run(&mut s, id, "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
        let second = if f.is_mysql() { "?" } else { "$2" };
        let mut ins = s.prepare(&format!("INSERT INTO t VALUES ({mark}, {second})")).expect("prepare insert");
        for i in 1..=3 {
            let r = run_prepared(&mut s, id, &mut ins, &[Value::Int(i), Value::Text(format!("n{i}"))]);
            assert_eq!(r, "INSERT 1", "{f:?}");
        }
        let dup = run_prepared(&mut s, id, &mut ins, &[Value::Int(2), Value::Text("again".into())]);
        assert!(dup.contains("uplicate"), "{f:?}: {dup}");
        let mut get = s.prepare(&format!("SELECT name FROM t WHERE id = {mark}")).expect("prepare select");
        assert_eq!(run_prepared(&mut s, id, &mut get, &[Value::Int(2)]), "n2");
        // A text parameter against an integer key still finds the row (no index order to trust).
        assert_eq!(run_prepared(&mut s, id, &mut get, &[Value::Text("3".into())]), "n3");
        let missing = run_prepared(&mut s, id, &mut get, &[]);
        let want = if f.is_mysql() {
            "ERROR 1210 (HY000): Incorrect arguments to mysqld_stmt_execute"
        } else {
            "ERROR:  there is no parameter $1"
        };
        assert_eq!(missing, want);
        // The schema changes under the prepared statement: it plans again.
        run(&mut s, id, "ALTER TABLE t RENAME COLUMN name TO label");
        let r = run_prepared(&mut s, id, &mut get, &[Value::Int(1)]);
        assert!(r.contains("name"), "{f:?}: the old column is gone: {r}");
        run(&mut s, id, "ALTER TABLE t RENAME COLUMN label TO name");
        assert_eq!(run_prepared(&mut s, id, &mut get, &[Value::Int(1)]), "n1");
    }
}

#[test]
fn mysql_database_qualified_names_work_without_a_current_database() {
    let mut s = Server::new(Flavour::MySql, "pw", 0);
    let id = s.connect("root", "pw", None).expect("connects without a database");
    assert_eq!(run(&mut s, id, "CREATE TABLE t (a INT)"), "ERROR 1046 (3D000): No database selected");
    assert_eq!(run(&mut s, id, "CREATE TABLE nosuch.t (a INT)"), "ERROR 1049 (42000): Unknown database 'nosuch'");
    assert_eq!(
        run(&mut s, id, "INSERT INTO nosuch.t VALUES (1)"),
        "ERROR 1146 (42S02): Table 'nosuch.t' doesn't exist"
    );
    assert_eq!(run(&mut s, id, "CREATE DATABASE shop"), "CREATE DATABASE");
    assert_eq!(run(&mut s, id, "CREATE TABLE shop.orders (id INT PRIMARY KEY, total DECIMAL(10,2))"), "CREATE TABLE");
    assert_eq!(run(&mut s, id, "INSERT INTO shop.orders VALUES (1, 9.99), (2, 5.00)"), "INSERT 2");
    assert_eq!(run(&mut s, id, "UPDATE shop.orders SET total = 6.00 WHERE id = 2"), "UPDATE 1");
    assert_eq!(run(&mut s, id, "SELECT id, total FROM shop.orders ORDER BY id"), "1|9.99\n2|6.00");
    assert_eq!(run(&mut s, id, "SELECT * FROM shop.missing"), "ERROR 1146 (42S02): Table 'shop.missing' doesn't exist");
    assert_eq!(run(&mut s, id, "DELETE FROM shop.orders WHERE id = 1"), "DELETE 1");
    assert_eq!(run(&mut s, id, "DROP TABLE shop.orders"), "DROP TABLE");
    assert_eq!(run(&mut s, id, "SELECT * FROM shop.orders"), "ERROR 1146 (42S02): Table 'shop.orders' doesn't exist");
    // The session still has no current database.
    assert_eq!(run(&mut s, id, "SELECT * FROM orders"), "ERROR 1046 (3D000): No database selected");
}

#[test]
fn long_chains_nest_too_deep_past_the_engines_limit() {
    // Unoptimised builds use far more stack per level than the app's release build (where
    // 128 levels fit in half of the browser's 1 MB stack): run on a big one.
    let run = || {
        let (mut s, id) = server(Flavour::MySql);
        s.execute(id, "CREATE TABLE t0 (x INT)", 0).unwrap();
        let sum = |n: usize| format!("SELECT {}", vec!["1"; n].join(" + "));
        assert!(s.execute(id, &sum(120), 0).is_ok());
        let e = s.execute(id, &sum(300), 0).unwrap_err();
        assert_eq!(
            e.render(Flavour::MySql),
            "ERROR 1436 (HY000): Thread stack overrun: expression or subquery nesting is too deep"
        );
        let joins = format!("SELECT 1 FROM t0 {}", (1..300).map(|_| "JOIN t0 ON 1 = 1").collect::<Vec<_>>().join(" "));
        assert!(matches!(s.execute(id, &joins, 0), Err(super::SqlError::TooDeep)));
    };
    std::thread::Builder::new().stack_size(256 << 20).spawn(run).unwrap().join().unwrap();
}
