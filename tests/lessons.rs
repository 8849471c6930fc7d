//! Every lesson parses, and its solutions, replayed in order on a fresh lab, make every step's
//! check pass. No lesson can silently break. The lab each step leaves behind also survives a
//! save and restore, as it must when the page reloads mid-lesson.
//!
//! `python3` lines run the real CPython of the virtualenv `make setup` makes (the SDK lessons'
//! scripts use boto3 and redis-py), as the golden transcripts run them.

use dblab::cloud::time::Timestamp;
use dblab::lessons::{catalog, check, replay, Step};
use dblab::shell::python::native::LazyPython;
use dblab::shell::python::Runtime;
use dblab::shell::session::Line;
use dblab::shell::{save, Lab};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_lesson_file_parses() {
    assert_eq!(catalog::problems(), Vec::<(String, String)>::new());
    assert!(!catalog::all().is_empty());
}

#[test]
fn every_solution_passes_its_check_on_a_fresh_lab() {
    for lesson in catalog::all() {
        let mut lab = Lab::new(2026, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut python = LazyPython::new();
        let cleanup = CLEANUP.iter().find(|(l, _, _)| *l == lesson.id).map(|(_, s, _)| *s);
        for (i, step) in lesson.steps.iter().enumerate() {
            if cleanup == Some(i + 1) {
                // Up to the clean-up, steps stay done: nothing later undid an earlier step.
                for (j, earlier) in lesson.steps[..i].iter().enumerate() {
                    assert!(earlier.check.passes(&lab), "lesson {} step {} stopped passing", lesson.id, j + 1);
                }
            }
            solve(&mut lab, step, &mut python);
            assert!(
                step.check.passes(&lab),
                "lesson {} step {} ({}) does not pass after its solution",
                lesson.id,
                i + 1,
                step.title
            );
            let text = save::encode(&lab)
                .unwrap_or_else(|e| panic!("lesson {} step {}: the lab does not save: {e}", lesson.id, i + 1));
            let restored = save::decode(&text).unwrap_or_else(|e| panic!("lesson {} step {}: {e}", lesson.id, i + 1));
            assert!(restored == lab, "lesson {} step {}: the restored lab differs", lesson.id, i + 1);
            lab = restored;
        }
        // Steps stay done: nothing later undid an earlier step (but what a clean-up removed).
        let from = cleanup.map_or(0, |s| s - 1);
        for (i, step) in lesson.steps.iter().enumerate().skip(from) {
            assert!(step.check.passes(&lab), "lesson {} step {} stopped passing", lesson.id, i + 1);
        }
        python.stop_all(&mut lab);
        if runs_python(&lesson) {
            compare_screens(&lesson.id, &lab);
        }
    }
}

/// Whether a lesson's solutions run Python programs: their output is real CPython's, boto3's
/// and redis-py's, so what its terminals show is kept as a golden file and reviewed.
fn runs_python(lesson: &dblab::lessons::Lesson) -> bool {
    lesson.steps.iter().flat_map(|s| &s.solution).any(|l| l.text.starts_with("python3"))
}

/// Every terminal of the lab as the learner sees it (prompt and line typed, then the output),
/// against `tests/lesson_screens/ID.txt`; `UPDATE_GOLDENFILES=1` rewrites it. One terminal at a
/// time, so that programs printing in two tabs at once cannot interleave differently.
fn compare_screens(id: &str, lab: &Lab) {
    let mut screens = String::new();
    for session in &lab.sessions {
        screens.push_str(&format!("=== terminal {} (opened on {})\n", session.id, session.opened_on()));
        for line in &session.transcript {
            match line {
                Line::Input { prompt, text } => screens.push_str(&format!("{prompt}{text}\n")),
                Line::Output(text) if text.ends_with('\n') => screens.push_str(text),
                Line::Output(text) => screens.push_str(&format!("{text}\n")),
            }
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lesson_screens").join(format!("{id}.txt"));
    if std::env::var("UPDATE_GOLDENFILES").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).expect("create tests/lesson_screens");
        std::fs::write(&path, &screens).expect("write the screens");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == screens,
        "{}: the terminals differ (`UPDATE_GOLDENFILES=1 cargo test --test lessons` re-records):\n{screens}",
        path.display()
    );
}

/// Steps that delete what the lesson built, on purpose (the checks of the steps before them
/// looked at it), and what they remove: the earlier steps must still pass just before them.
const CLEANUP: &[(&str, usize, &str)] = &[
    ("sdk-python", 9, "deletes the Movies table the earlier steps filled"),
    ("sdk-redis", 7, "deletes the cache and the instance the earlier steps used"),
];

/// Replays a step's solution, `python3` lines in the lab's real Python.
fn solve(lab: &mut Lab, step: &Step, python: &mut LazyPython) -> Vec<(u32, String)> {
    replay::run_solution_with(lab, step, Some(python))
}

#[test]
fn checks_that_are_about_state_fail_on_a_fresh_lab() {
    // A check that passes before the learner does anything would teach nothing.
    for lesson in catalog::all() {
        let lab = Lab::new(7, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        for step in &lesson.steps {
            assert!(!step.check.passes(&lab), "lesson {} step {} passes on a fresh lab", lesson.id, step.title);
        }
    }
}

#[test]
fn lessons_are_curriculum_lessons_in_curriculum_order() {
    let lessons = catalog::all();
    let ranks: Vec<usize> = lessons
        .iter()
        .map(|l| {
            catalog::CURRICULUM
                .iter()
                .position(|c| *c == l.id)
                .unwrap_or_else(|| panic!("lesson {} is not in the curriculum", l.id))
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]));
    // Lessons of one module share its title exactly, so the lesson list groups them.
    for pair in lessons.windows(2) {
        let number = |m: &str| m.split(' ').next().unwrap_or_default().to_string();
        if number(&pair[0].module) == number(&pair[1].module) {
            assert_eq!(pair[0].module, pair[1].module, "{} and {}", pair[0].id, pair[1].id);
        }
    }
}

#[test]
fn lesson_ids_are_unique_and_match_file_names() {
    let lessons = catalog::all();
    let mut ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate lesson ids");
}

#[test]
fn a_line_naming_a_tab_runs_in_that_terminal() {
    // `laptop[2]$` lines open and drive the laptop's second tab: the subscriber there sees what
    // the first tab publishes.
    let lesson = catalog::find("redis-pubsub-streams").expect("the pub/sub lesson exists");
    let mut lab = Lab::new(2026, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
    let typed_first = replay::run_solution(&mut lab, &lesson.steps[0]);
    let typed_second = replay::run_solution(&mut lab, &lesson.steps[1]);
    let laptop_tabs: Vec<u32> = lab.sessions.iter().filter(|s| s.host == "laptop").map(|s| s.id).collect();
    assert_eq!(laptop_tabs.len(), 2);
    assert!(typed_first.iter().all(|(s, _)| *s == laptop_tabs[1]));
    assert!(typed_second.iter().all(|(s, _)| *s == laptop_tabs[0]));
    let subscriber = format!("{:?}", lab.session(laptop_tabs[1]).unwrap().transcript);
    assert!(
        subscriber.contains("1) \\\"message\\\"\\n2) \\\"news\\\"\\n3) \\\"Hello, subscribers\\\""),
        "{subscriber}"
    );
    for step in &lesson.steps[2..] {
        replay::run_solution(&mut lab, step);
    }
    if std::env::var("DBLAB_SHOW_TRANSCRIPTS").is_ok() {
        for id in laptop_tabs {
            eprintln!("--- tab {id}\n{:#?}", lab.session(id).unwrap().transcript);
        }
    }
}

#[test]
fn the_checks_reference_is_generated_from_the_registry() {
    // Lesson authors read docs/checks.md; it is the registry's own rendering, so it cannot go
    // stale. `UPDATE_GOLDENFILES=1` rewrites it after a condition was added or changed.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
    let generated = check::reference();
    if std::env::var("UPDATE_GOLDENFILES").is_ok() {
        std::fs::write(&path, &generated).expect("write docs/checks.md");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/checks.md differs from the registry: run `UPDATE_GOLDENFILES=1 cargo test --test lessons`"
    );
}

#[test]
fn every_condition_is_documented_and_used_by_a_lesson() {
    let reference = check::reference();
    let mut registered = BTreeSet::new();
    for entry in check::registry() {
        assert!(registered.insert(entry.name), "`{}` is registered twice", entry.name);
        assert!(!entry.usage.is_empty() && !entry.holds_when.is_empty(), "`{}` lacks its usage or text", entry.name);
        assert!(reference.contains(&check::reference_row(entry)), "`{}` is not in the reference", entry.name);
    }
    let lessons = catalog::all();
    let conditions = lessons.iter().flat_map(|l| &l.steps).flat_map(|s| &s.check.conditions);
    let used: BTreeSet<String> = conditions.flat_map(|c| c.names()).map(str::to_string).collect();
    for name in &used {
        assert!(registered.contains(name.as_str()), "a lesson uses `{name}`, which is not registered");
    }
    for name in registered {
        assert!(used.contains(name), "no lesson uses `{name}`: use it or remove it");
    }
}

/// A correct way through a step other than its solution: lines typed as a learner who wandered
/// off the path might (another host, another tab, another command, an interactive client).
struct Detour {
    lesson: &'static str,
    /// The step, counting from 1.
    step: usize,
    lines: &'static [&'static str],
}

const DETOURS: &[Detour] = &[
    Detour { lesson: "lab-basics", step: 1, lines: &[r#"laptop$ echo "I am $(whoami) on $(hostname)""#] },
    Detour { lesson: "lab-basics", step: 4, lines: &["laptop$ aws dynamodb list-tables"] },
    Detour {
        lesson: "sql-flavours",
        step: 3,
        lines: &[
            "laptop$ psql shop",
            "laptop$ SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name;",
            r"laptop$ \q",
        ],
    },
    Detour { lesson: "rds-first-instance", step: 3, lines: &["cloudshell$ aws rds describe-db-instances --output text"] },
    Detour {
        lesson: "rds-private-network",
        step: 6,
        lines: &["laptop[2]$ nc -zv -w 3 {{endpoint:shop-db}} 3306"],
    },
    Detour {
        lesson: "rds-multi-az",
        step: 3,
        lines: &["cloudshell$ fault kill-primary shop-db", "cloudshell$ sleep 300"],
    },
    Detour {
        lesson: "rds-read-replicas",
        step: 2,
        lines: &[
            "cloudshell$ SG=$(aws rds describe-db-instances --db-instance-identifier shop-db --query 'DBInstances[0].VpcSecurityGroups[0].VpcSecurityGroupId' --output text)",
            "cloudshell$ aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 3306 --cidr 203.0.113.10/32",
            "laptop$ mysql -h {{endpoint:shop-db}} -u admin -pLab-pass-123",
            "laptop$ CREATE DATABASE shop;",
            "laptop$ USE shop;",
            "laptop$ CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(8,2));",
            "laptop$ INSERT INTO orders VALUES (1, 9.99);",
            "laptop$ exit",
        ],
    },
    Detour {
        lesson: "rds-backup-pitr",
        step: 2,
        lines: &["cloudshell$ aws rds describe-db-instance-automated-backups --output table"],
    },
    Detour {
        lesson: "aurora-cluster",
        step: 3,
        lines: &[
            "cloudshell$ SG=$(aws rds describe-db-clusters --db-cluster-identifier shop-cluster --query 'DBClusters[0].VpcSecurityGroups[0].VpcSecurityGroupId' --output text)",
            "cloudshell$ aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 3306 --cidr 203.0.113.10/32",
            "cloudshell$ dig {{cluster:shop-cluster}}",
        ],
    },
    Detour {
        lesson: "ddb-tables-keys",
        step: 3,
        lines: &["cloudshell$ aws dynamodb get-item --table-name Music --key Artist={S=Acme},SongTitle={S=Sunrise}"],
    },
    Detour {
        lesson: "ddb-gsi",
        step: 4,
        lines: &[
            r#"cloudshell$ aws dynamodb query --table-name Music --index-name GenreIndex --key-condition-expression "Genre = :g" --expression-attribute-values '{":g": {"S": "Rock"}}' --select COUNT"#,
        ],
    },
    Detour {
        lesson: "ddb-capacity",
        step: 2,
        lines: &[
            r#"cloudshell$ aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "Bolt"}, "SongTitle": {"S": "Hi"}}'"#,
            r#"cloudshell$ aws dynamodb get-item --table-name Music --key '{"Artist": {"S": "Bolt"}, "SongTitle": {"S": "Hi"}}' --return-consumed-capacity TOTAL --query ConsumedCapacity"#,
        ],
    },
    // The client and its waiter, in the REPL, instead of a script with the resource.
    Detour {
        lesson: "sdk-python",
        step: 2,
        lines: &[
            "laptop$ python3",
            "laptop$ import boto3",
            r#"laptop$ client = boto3.client("dynamodb")"#,
            r#"laptop$ client.create_table(TableName="Movies", KeySchema=[{"AttributeName": "year", "KeyType": "HASH"}, {"AttributeName": "title", "KeyType": "RANGE"}], AttributeDefinitions=[{"AttributeName": "year", "AttributeType": "N"}, {"AttributeName": "title", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableStatus"]"#,
            r#"laptop$ client.get_waiter("table_exists").wait(TableName="Movies")"#,
            "laptop$ exit()",
        ],
    },
    Detour {
        lesson: "redis-strings-hashes",
        step: 1,
        lines: &["laptop$ redis-cli", r#"laptop$ SET greeting "Hello, Redis""#, "laptop$ quit"],
    },
    Detour { lesson: "redis-strings-hashes", step: 2, lines: &["laptop$ redis-cli INCRBY page:views 3"] },
    // SETEX in an interactive redis-cli instead of SET ... EX, and the clock moved in two
    // steps: the key expires all the same.
    Detour {
        lesson: "redis-strings-hashes",
        step: 3,
        lines: &[
            "laptop$ redis-cli",
            "laptop$ SETEX session:42 30 alice",
            "laptop$ quit",
            "laptop$ sleep 15",
            "laptop$ sleep 16",
        ],
    },
    Detour {
        lesson: "redis-pubsub-streams",
        step: 3,
        lines: &[
            "laptop$ redis-cli",
            "laptop$ XADD orders * item book qty 1",
            "laptop$ XADD orders * item lamp qty 2",
            "laptop$ XADD orders * item desk qty 1",
            "laptop$ quit",
        ],
    },
    // Another producer, and one read of the whole stream acknowledged at once, in the REPL.
    Detour {
        lesson: "sdk-redis",
        step: 6,
        lines: &[
            "app$ python3",
            "app$ import os, redis",
            r#"app$ r = redis.Redis(host=os.environ["REDIS_HOST"], decode_responses=True)"#,
            r#"app$ for n in range(5): r.xadd("orders", {"item": f"thing {n}", "qty": 1})"#,
            "app$",
            r#"app$ r.xgroup_create("orders", "billing", id="0")"#,
            r#"app$ [[_, entries]] = r.xreadgroup("billing", "worker-2", {"orders": ">"})"#,
            r#"app$ r.xack("orders", "billing", *[entry_id for entry_id, _ in entries])"#,
            "app$ exit()",
        ],
    },
    Detour {
        lesson: "elasticache-cluster",
        step: 2,
        lines: &["cloudshell$ dig +short {{cache:sessions}}", "laptop$ redis-cli -h {{cache:sessions}} PING"],
    },
    Detour {
        lesson: "redis-cluster-mode",
        step: 4,
        lines: &["app$ MSET {board}:b 2 player:1 1", "app$ SET {board}:b 2", "app$ quit"],
    },
];

/// Steps whose check is already green when the learner reaches them, and why that is accepted
/// (the step shows something rather than changing anything the lab keeps).
const GREEN_ON_ARRIVAL: &[(&str, usize, &str)] = &[(
    "ddb-capacity",
    5,
    "a reading step: its describe-table shows the table the earlier steps built (and waited for with the same call)",
)];

#[test]
fn every_lesson_goes_green_off_its_path_and_no_step_before_its_time() {
    for lesson in catalog::all() {
        let detours: Vec<&Detour> = DETOURS.iter().filter(|d| d.lesson == lesson.id).collect();
        assert!(!detours.is_empty(), "lesson {} is never taken off its path", lesson.id);
        let mut lab = Lab::new(2026, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let mut python = LazyPython::new();
        for (i, step) in lesson.steps.iter().enumerate() {
            let (number, accepted) = (i + 1, GREEN_ON_ARRIVAL.iter().any(|(l, s, _)| *l == lesson.id && *s == i + 1));
            assert!(
                accepted || !step.check.passes(&lab),
                "lesson {} step {number} ({}) is green before the learner did it",
                lesson.id,
                step.title
            );
            match detours.iter().find(|d| d.step == number) {
                Some(detour) => {
                    solve(&mut lab, &off_path(step, detour.lines), &mut python);
                    assert!(
                        step.check.passes(&lab),
                        "lesson {} step {number} ({}) refuses a correct way: {:?}",
                        lesson.id,
                        step.title,
                        detour.lines
                    );
                }
                None => {
                    solve(&mut lab, step, &mut python);
                }
            }
        }
        python.stop_all(&mut lab);
    }
}

/// The step with its solution replaced by other lines.
fn off_path(step: &Step, lines: &[&str]) -> Step {
    let text = format!("---\nid: d\ntitle: D\nmodule: 0\nminutes: 1\nsummary: S\n---\n\n## D\n```check\nclock_advanced 0\n```\n```solution\n{}\n```\n", lines.join("\n"));
    let detour = dblab::lessons::parse::parse_lesson(&text).expect("a detour parses");
    Step { solution: detour.steps[0].solution.clone(), ..step.clone() }
}
