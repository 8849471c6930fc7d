//! The SQL engine against SQLite, same workloads, one run: `cargo run --profile native --example sql_bench`
//! (the `native` profile is the release build optimised for speed; SQLite is built at the same level).
//!
//! Each workload is timed on both; the ratio is engine time / SQLite time (lower is better;
//! the target is at most 3, aiming for 1.5). Both sides run the same SQL text as
//! prepared statements, as an application would: prepared once per workload (inside the timing),
//! then executed with parameter values (`$1`, ... reads the same in both).

use dblab::engines::sql::{Flavour, Outcome, Prepared, Server, Value};
use rusqlite::Connection;
use std::time::Instant;

const ROWS: i64 = 100_000;
const SMALL: i64 = 10_000;

fn engine_exec(s: &mut Server, id: u32, sql: &str) -> usize {
    match s.execute(id, sql, 0) {
        Ok(Outcome::Rows { rows, .. }) => rows.len(),
        Ok(_) => 0,
        Err(e) => panic!("{sql}: {}", e.render(s.flavour)),
    }
}

fn engine_run(s: &mut Server, id: u32, p: &mut Prepared, params: &[Value]) -> usize {
    match s.execute_prepared(id, p, params, 0) {
        Ok(Outcome::Rows { rows, .. }) => rows.len(),
        Ok(_) => 0,
        Err(e) => panic!("{}", e.render(s.flavour)),
    }
}

fn prepare(s: &Server, sql: &str) -> Prepared {
    s.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {}", e.render(s.flavour)))
}

fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let r = f();
    (start.elapsed().as_secs_f64(), r)
}

fn main() {
    let mut s = Server::new(Flavour::Postgres, "", 0);
    s.limits.memory_quota = 1 << 30;
    s.limits.step_budget = u64::MAX / 2;
    let id = s.connect("postgres", "", Some("postgres")).expect("connect");
    let db = Connection::open_in_memory().expect("sqlite");
    let schema = [
        "CREATE TABLE t (id INTEGER PRIMARY KEY, grp INTEGER, other INTEGER, score INTEGER, name TEXT)",
        "CREATE INDEX t_grp ON t (grp)",
        "CREATE TABLE u (id INTEGER PRIMARY KEY, label TEXT)",
    ];
    for sql in schema {
        engine_exec(&mut s, id, sql);
        db.execute(sql, []).expect("sqlite schema");
    }
    let mut results = Vec::new();
    let row = |i: i64| (i, i % 1000, i % SMALL, (i * 7919) % 100_003, format!("name{i}"));

    // 1. Insert 100k rows in one transaction.
    let insert = "INSERT INTO t VALUES ($1, $2, $3, $4, $5)";
    let (e, _) = time(|| {
        engine_exec(&mut s, id, "BEGIN");
        let mut st = prepare(&s, insert);
        for i in 0..ROWS {
            let (a, b, c, d, n) = row(i);
            let params = [Value::Int(a), Value::Int(b), Value::Int(c), Value::Int(d), Value::Text(n)];
            engine_run(&mut s, id, &mut st, &params);
        }
        engine_exec(&mut s, id, "COMMIT");
    });
    let (q, _) = time(|| {
        let tx = db.unchecked_transaction().expect("tx");
        {
            let mut st = tx.prepare(insert).expect("prepare");
            for i in 0..ROWS {
                let (a, b, c, d, n) = row(i);
                st.execute(rusqlite::params![a, b, c, d, n]).expect("insert");
            }
        }
        tx.commit().expect("commit");
    });
    results.push(("insert 100k rows in one transaction", e, q));
    let insert_u = "INSERT INTO u VALUES ($1, $2)";
    let mut st = prepare(&s, insert_u);
    for i in 0..SMALL {
        engine_run(&mut s, id, &mut st, &[Value::Int(i), Value::Text(format!("label{i}"))]);
        db.execute(insert_u, rusqlite::params![i, format!("label{i}")]).expect("u");
    }

    // 2. 100k primary-key lookups.
    let lookup = "SELECT name FROM t WHERE id = $1";
    let (e, found) = time(|| {
        let mut st = prepare(&s, lookup);
        (0..ROWS).map(|i| engine_run(&mut s, id, &mut st, &[Value::Int((i * 31) % ROWS)])).sum::<usize>()
    });
    assert_eq!(found, ROWS as usize);
    let (q, found) = time(|| {
        let mut st = db.prepare(lookup).expect("prepare");
        (0..ROWS)
            .map(|i| st.query_row([(i * 31) % ROWS], |r| r.get::<_, String>(0)).map(|_| 1).unwrap_or(0))
            .sum::<usize>()
    });
    assert_eq!(found, ROWS as usize);
    results.push(("100k primary-key lookups", e, q));

    // 3. An indexed range scan (100 times).
    let range = "SELECT COUNT(*), SUM(score) FROM t WHERE grp BETWEEN 100 AND 150";
    let (e, _) = time(|| {
        let mut st = prepare(&s, range);
        (0..100).map(|_| engine_run(&mut s, id, &mut st, &[])).sum::<usize>()
    });
    let (q, _) = time(|| {
        let mut st = db.prepare(range).expect("prepare");
        (0..100).map(|_| st.query_row([], |r| r.get::<_, i64>(0)).unwrap_or(0)).sum::<i64>()
    });
    results.push(("indexed range scan (x100)", e, q));

    // 4. GROUP BY over 100k rows.
    let group = "SELECT grp, COUNT(*), SUM(score) FROM t GROUP BY grp";
    let (e, n) = time(|| {
        let mut st = prepare(&s, group);
        engine_run(&mut s, id, &mut st, &[])
    });
    assert_eq!(n, 1000);
    let (q, _) = time(|| {
        let mut st = db.prepare(group).expect("prepare");
        st.query_map([], |r| r.get::<_, i64>(0)).expect("q").count()
    });
    results.push(("GROUP BY over 100k rows", e, q));

    // 5. A 100k x 10k equi-join.
    let join = "SELECT COUNT(*) FROM t JOIN u ON t.other = u.id";
    let (e, _) = time(|| {
        let mut st = prepare(&s, join);
        engine_run(&mut s, id, &mut st, &[])
    });
    let (q, _) = time(|| {
        let mut st = db.prepare(join).expect("prepare");
        st.query_row([], |r| r.get::<_, i64>(0)).expect("join")
    });
    results.push(("100k x 10k equi-join", e, q));

    // 6. ORDER BY ... LIMIT 10 over 100k rows.
    let top = "SELECT id, score FROM t ORDER BY score DESC LIMIT 10";
    let (e, n) = time(|| {
        let mut st = prepare(&s, top);
        engine_run(&mut s, id, &mut st, &[])
    });
    assert_eq!(n, 10);
    let (q, _) = time(|| {
        let mut st = db.prepare(top).expect("prepare");
        st.query_map([], |r| r.get::<_, i64>(0)).expect("q").count()
    });
    results.push(("ORDER BY ... LIMIT 10 over 100k", e, q));

    println!("{:<38} {:>10} {:>10} {:>8}", "workload", "engine s", "sqlite s", "ratio");
    for (name, e, q) in results {
        println!("{name:<38} {e:>10.4} {q:>10.4} {:>7.1}x", e / q.max(1e-9));
    }
}
