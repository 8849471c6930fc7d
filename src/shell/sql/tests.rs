//! The clients as a learner sees them in the terminal.

use crate::cloud::time::Timestamp;
use crate::shell::Lab;

fn lab() -> Lab {
    Lab::new(1, Timestamp::from_civil(2026, 11, 26, 10, 0, 0))
}

#[test]
fn mysql_session_with_prompts_tables_and_footers() {
    let mut lab = lab();
    let banner = lab.exec(1, "mysql -u root shop").text;
    assert!(banner.starts_with("Welcome to the MySQL monitor."), "{banner}");
    assert_eq!(lab.prompt(1), "mysql> ");
    assert_eq!(
        lab.exec(1, "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20));").text,
        "Query OK, 0 rows affected (0.00 sec)\n\n"
    );
    assert_eq!(lab.exec(1, "INSERT INTO t VALUES (1, 'ada'),").text, "");
    assert_eq!(lab.prompt(1), "    -> ");
    assert_eq!(
        lab.exec(1, "(2, NULL);").text,
        "Query OK, 2 rows affected (0.00 sec)\nRecords: 2  Duplicates: 0  Warnings: 0\n\n"
    );
    assert_eq!(
        lab.exec(1, "SELECT * FROM t;").text,
        "+----+------+\n| id | name |\n+----+------+\n|  1 | ada  |\n|  2 | NULL |\n+----+------+\n2 rows in set (0.00 sec)\n\n"
    );
    assert_eq!(
        lab.exec(1, "SELECT name FROM t WHERE id = 1\\G").text,
        "*************************** 1. row ***************************\nname: ada\n1 row in set (0.00 sec)\n\n"
    );
    assert_eq!(lab.exec(1, "SELECT * FROM nope;").text, "ERROR 1146 (42S02): Table 'shop.nope' doesn't exist\n");
    assert_eq!(lab.exec(1, "SELECT * FROM t WHERE id = 9;").text, "Empty set (0.00 sec)\n\n");
    assert_eq!(lab.exec(1, "exit").text, "Bye\n");
    assert_eq!(lab.prompt(1), "laptop:~$ ");
    // One-shot use, and the data is still there.
    assert_eq!(
        lab.exec(1, "mysql -u root shop -e 'SELECT COUNT(*) AS n FROM t'").text,
        "+---+\n| n |\n+---+\n| 2 |\n+---+\n"
    );
    assert_eq!(
        lab.exec(1, "mysql -u root -pwrong").text,
        "mysql: [Warning] Using a password on the command line interface can be insecure.\n\
         ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n"
    );
}

#[test]
fn mysql_asks_for_the_password_and_does_not_echo_it() {
    use crate::shell::session::Line;
    let mut lab = lab();
    assert_eq!(lab.exec(1, "mysql -u root -p shop").text, "");
    assert_eq!(lab.prompt(1), "Enter password: ");
    assert_eq!(
        lab.exec(1, "secret").text,
        "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n"
    );
    let typed = lab.session(1).unwrap().transcript.iter().rev().find_map(|l| match l {
        Line::Input { prompt, text } if prompt == "Enter password: " => Some(text.clone()),
        _ => None,
    });
    assert_eq!(typed.as_deref(), Some(""), "the password is not shown");
    assert!(!lab.session(1).unwrap().history.iter().any(|h| h.contains("secret")), "nor kept in history");
    assert_eq!(lab.exec(1, "echo $?").text, "1\n");
    // The local root has no password: an empty answer logs in.
    lab.exec(1, "mysql -u root -p shop");
    assert!(lab.exec(1, "").text.starts_with("Welcome to the MySQL monitor."));
    assert_eq!(lab.prompt(1), "mysql> ");
    lab.exec(1, "exit");
    // `-e` runs once the password is in; Ctrl+C at the prompt gives up.
    lab.exec(1, "mysql -u root -p shop -e 'SELECT 1 AS one'");
    assert_eq!(lab.exec(1, "").text, "+-----+\n| one |\n+-----+\n|   1 |\n+-----+\n");
    lab.exec(1, "mysql -p");
    lab.interrupt(1, "");
    assert_eq!(lab.prompt(1), "laptop:~$ ");
}

#[test]
fn psql_asks_for_the_password_with_capital_w() {
    let mut lab = lab();
    assert_eq!(lab.exec(1, "psql -W shop").text, "");
    assert_eq!(lab.prompt(1), "Password for user learner: ");
    // The laptop's server trusts its users: any password will do.
    assert_eq!(lab.exec(1, "anything").text, "psql (16.4)\nType \"help\" for help.\n\n");
    assert_eq!(lab.prompt(1), "shop=> ");
}

#[test]
fn psql_session_with_meta_commands() {
    let mut lab = lab();
    let out = lab.exec(1, "psql shop").text;
    assert_eq!(out, "psql (16.4)\nType \"help\" for help.\n\n");
    assert_eq!(lab.prompt(1), "shop=> ");
    assert_eq!(lab.exec(1, "CREATE TABLE t (id SERIAL PRIMARY KEY, name TEXT NOT NULL);").text, "CREATE TABLE\n");
    lab.exec(1, "INSERT INTO t (name)");
    assert_eq!(lab.prompt(1), "shop-> ");
    assert_eq!(lab.exec(1, "VALUES ('ada'), ('grace');").text, "INSERT 0 2\n");
    assert_eq!(
        lab.exec(1, "SELECT id, name FROM t ORDER BY id;").text,
        " id | name\n----+-------\n  1 | ada\n  2 | grace\n(2 rows)\n\n"
    );
    assert_eq!(lab.exec(1, "SELECT * FROM orders;").text, "ERROR:  relation \"orders\" does not exist\n");
    let dt = lab.exec(1, "\\dt").text;
    assert!(dt.contains("List of relations") && dt.contains("| t "), "{dt}");
    let d = lab.exec(1, "\\d t").text;
    assert!(d.contains("Table \"public.t\"") && d.contains("\"t_pkey\" PRIMARY KEY, btree (id)"), "{d}");
    assert!(lab.exec(1, "\\l").text.contains("shop"));
    assert_eq!(
        lab.exec(1, "\\c postgres").text,
        "You are now connected to database \"postgres\" as user \"learner\".\n"
    );
    assert_eq!(lab.prompt(1), "postgres=> ");
    assert_eq!(lab.exec(1, "\\q").text, "");
    assert_eq!(lab.prompt(1), "laptop:~$ ");
    assert_eq!(lab.exec(1, "psql shop -c 'SELECT 7 / 2 AS half'").text, " half\n------\n    3\n(1 row)\n\n");
    assert!(lab.exec(1, "psql").text.contains("FATAL:  database \"learner\" does not exist"));
    lab.exec(1, "psql -U postgres");
    assert_eq!(lab.prompt(1), "postgres=# ", "the superuser's prompt");
}

#[test]
fn a_lab_with_databases_round_trips_through_json() {
    let mut lab = lab();
    lab.exec(1, "mysql -u root shop");
    lab.exec(1, "CREATE TABLE t (x INT);");
    lab.exec(1, "INSERT INTO t VALUES (1);");
    let json = serde_json::to_string(&lab).unwrap();
    let back: Lab = serde_json::from_str(&json).unwrap();
    assert_eq!(back, lab);
}
