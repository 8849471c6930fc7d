//! RDS in the console: the Databases list, *Create database*, and a database's actions.

use super::{read, text, Action, Plan};
use crate::shell::Lab;
use serde_json::{json, Map, Value};

/// The engine choices of *Create database*, with the versions offered for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineChoice {
    Mysql,
    Postgres,
    AuroraMysql,
    AuroraPostgres,
}

impl EngineChoice {
    pub const ALL: [EngineChoice; 4] =
        [EngineChoice::AuroraMysql, EngineChoice::AuroraPostgres, EngineChoice::Mysql, EngineChoice::Postgres];

    /// The name the console shows.
    pub fn label(self) -> &'static str {
        match self {
            EngineChoice::Mysql => "MySQL",
            EngineChoice::Postgres => "PostgreSQL",
            EngineChoice::AuroraMysql => "Aurora (MySQL Compatible)",
            EngineChoice::AuroraPostgres => "Aurora (PostgreSQL Compatible)",
        }
    }

    /// The API's engine name.
    pub fn engine(self) -> &'static str {
        match self {
            EngineChoice::Mysql => "mysql",
            EngineChoice::Postgres => "postgres",
            EngineChoice::AuroraMysql => "aurora-mysql",
            EngineChoice::AuroraPostgres => "aurora-postgresql",
        }
    }

    pub fn versions(self) -> &'static [&'static str] {
        match self {
            EngineChoice::Mysql => &["8.0.39", "8.0.36", "8.4.3"],
            EngineChoice::Postgres => &["16.4", "15.8", "17.2"],
            EngineChoice::AuroraMysql => &["8.0.mysql_aurora.3.08.0", "8.0.mysql_aurora.3.05.2"],
            EngineChoice::AuroraPostgres => &["16.4", "15.8"],
        }
    }

    pub fn is_aurora(self) -> bool {
        matches!(self, EngineChoice::AuroraMysql | EngineChoice::AuroraPostgres)
    }

    /// The instance classes the form offers for this engine.
    pub fn classes(self) -> Vec<&'static str> {
        if self.is_aurora() {
            crate::cloud::rds::cluster::AURORA_CLASSES.to_vec()
        } else {
            crate::cloud::rds::instance::CLASSES.iter().map(|c| c.0).collect()
        }
    }

    pub fn from_engine(engine: &str) -> Option<EngineChoice> {
        EngineChoice::ALL.into_iter().find(|c| c.engine() == engine)
    }
}

/// The console's templates: each sets the defaults the real console sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    Production,
    DevTest,
    FreeTier,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::Production, Template::DevTest, Template::FreeTier];

    pub fn label(self) -> &'static str {
        match self {
            Template::Production => "Production",
            Template::DevTest => "Dev/Test",
            Template::FreeTier => "Free tier",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Template::Production => "Use defaults for high availability and fast, consistent performance.",
            Template::DevTest => "This instance is intended for development use outside of a production environment.",
            Template::FreeTier => "Use RDS Free Tier to develop new applications, test existing applications, or gain hands-on experience with Amazon RDS.",
        }
    }
}

/// What *Create database* holds. [`CreateDatabase::new`] fills in a template's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateDatabase {
    pub engine: EngineChoice,
    pub version: String,
    pub template: Template,
    pub identifier: String,
    pub master_username: String,
    pub master_password: String,
    pub confirm_password: String,
    pub instance_class: String,
    pub allocated_storage: i64,
    /// "Multi-AZ DB instance" (or, for Aurora, "Create an Aurora Replica or Reader node in a
    /// different AZ").
    pub multi_az: bool,
    /// The DB subnet group, or "" for the account's default.
    pub subnet_group: String,
    pub public_access: bool,
    pub security_groups: Vec<String>,
    /// "" for "No preference".
    pub availability_zone: String,
    pub initial_database: String,
    pub backup_retention: i64,
    pub deletion_protection: bool,
}

impl CreateDatabase {
    pub fn new(engine: EngineChoice, template: Template) -> CreateDatabase {
        let mut form = CreateDatabase {
            engine,
            version: engine.versions()[0].to_string(),
            template,
            identifier: "database-1".to_string(),
            master_username: if engine == EngineChoice::Mysql || engine == EngineChoice::AuroraMysql {
                "admin".to_string()
            } else {
                "postgres_admin".to_string()
            },
            master_password: String::new(),
            confirm_password: String::new(),
            instance_class: String::new(),
            allocated_storage: 20,
            multi_az: false,
            subnet_group: String::new(),
            public_access: false,
            security_groups: Vec::new(),
            availability_zone: String::new(),
            initial_database: String::new(),
            backup_retention: 7,
            deletion_protection: false,
        };
        form.apply_template(template);
        form
    }

    /// Sets the fields a template decides, as the console does when one is picked.
    pub fn apply_template(&mut self, template: Template) {
        self.template = template;
        let aurora = self.engine.is_aurora();
        let (class, storage, multi_az, retention, protection) = match template {
            Template::Production => (if aurora { "db.r6g.large" } else { "db.m6g.large" }, 100, true, 7, true),
            Template::DevTest => (if aurora { "db.r6g.large" } else { "db.m6g.large" }, 100, false, 7, false),
            Template::FreeTier => (if aurora { "db.t4g.medium" } else { "db.t4g.micro" }, 20, false, 1, false),
        };
        self.instance_class = class.to_string();
        self.allocated_storage = storage;
        self.multi_az = multi_az;
        self.backup_retention = retention;
        self.deletion_protection = protection;
    }

    /// Picks another engine: its first version, and the template's class for it.
    pub fn set_engine(&mut self, engine: EngineChoice) {
        self.engine = engine;
        self.version = engine.versions()[0].to_string();
        if engine == EngineChoice::Postgres || engine == EngineChoice::AuroraPostgres {
            if self.master_username == "admin" {
                self.master_username = "postgres_admin".to_string();
            }
        } else if self.master_username == "postgres_admin" {
            self.master_username = "admin".to_string();
        }
        let template = self.template;
        self.apply_template(template);
    }

    /// The requests *Create database* sends: one `CreateDBInstance`, or for Aurora the
    /// cluster and then its writer (and a reader in another zone when Multi-AZ is chosen).
    pub fn plan(&self) -> Plan {
        if self.master_password != self.confirm_password {
            return Err("Passwords must match.".to_string());
        }
        let mut common = Map::new();
        put_str(&mut common, "DBSubnetGroupName", &self.subnet_group);
        if !self.security_groups.is_empty() {
            common.insert("VpcSecurityGroupIds".into(), json!(self.security_groups));
        }
        if !self.engine.is_aurora() {
            let mut request = Map::new();
            request.insert("DBInstanceIdentifier".into(), json!(self.identifier));
            request.insert("DBInstanceClass".into(), json!(self.instance_class));
            request.insert("Engine".into(), json!(self.engine.engine()));
            request.insert("EngineVersion".into(), json!(self.version));
            request.insert("AllocatedStorage".into(), json!(self.allocated_storage));
            request.insert("MasterUsername".into(), json!(self.master_username));
            request.insert("MasterUserPassword".into(), json!(self.master_password));
            put_str(&mut request, "DBName", &self.initial_database);
            request.extend(common);
            put_str(&mut request, "AvailabilityZone", if self.multi_az { "" } else { &self.availability_zone });
            request.insert("MultiAZ".into(), json!(self.multi_az));
            request.insert("PubliclyAccessible".into(), json!(self.public_access));
            request.insert("BackupRetentionPeriod".into(), json!(self.backup_retention));
            request.insert("DeletionProtection".into(), json!(self.deletion_protection));
            return Ok(vec![Action::new("rds", "CreateDBInstance", Value::Object(request))]);
        }
        let mut cluster = Map::new();
        cluster.insert("DBClusterIdentifier".into(), json!(self.identifier));
        cluster.insert("Engine".into(), json!(self.engine.engine()));
        cluster.insert("EngineVersion".into(), json!(self.version));
        cluster.insert("MasterUsername".into(), json!(self.master_username));
        cluster.insert("MasterUserPassword".into(), json!(self.master_password));
        put_str(&mut cluster, "DatabaseName", &self.initial_database);
        cluster.extend(common);
        cluster.insert("BackupRetentionPeriod".into(), json!(self.backup_retention));
        cluster.insert("DeletionProtection".into(), json!(self.deletion_protection));
        let instance = |id: String| {
            Action::new(
                "rds",
                "CreateDBInstance",
                json!({
                    "DBInstanceIdentifier": id,
                    "DBInstanceClass": self.instance_class,
                    "Engine": self.engine.engine(),
                    "DBClusterIdentifier": self.identifier,
                    "PubliclyAccessible": self.public_access,
                }),
            )
        };
        let mut plan = vec![Action::new("rds", "CreateDBCluster", Value::Object(cluster))];
        plan.push(instance(format!("{}-instance-1", self.identifier)));
        if self.multi_az {
            plan.push(instance(format!("{}-instance-1-{}", self.identifier, "reader")));
        }
        Ok(plan)
    }
}

fn put_str(map: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        map.insert(key.to_string(), json!(value));
    }
}

/// A row of the Databases list.
#[derive(Clone, Debug, PartialEq)]
pub struct DatabaseRow {
    pub identifier: String,
    /// "Instance", "Regional cluster", "Writer instance", "Reader instance", "Replica",
    /// "Primary" (an instance with read replicas).
    pub role: String,
    pub engine: String,
    /// The zone, or "2 zones" for a cluster.
    pub zone: String,
    pub size: String,
    pub status: String,
    /// Rows under a cluster (its instances) or a primary (its replicas) are indented.
    pub child: bool,
    pub multi_az: bool,
}

/// The Databases list: clusters with their instances under them, then instances, each
/// primary followed by its read replicas, as the console nests them.
pub fn databases(lab: &mut Lab) -> Vec<DatabaseRow> {
    let instances = read(lab, "rds", "DescribeDBInstances", json!({}))
        .ok()
        .and_then(|v| v.get("DBInstances").cloned())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let clusters = read(lab, "rds", "DescribeDBClusters", json!({}))
        .ok()
        .and_then(|v| v.get("DBClusters").cloned())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for cluster in &clusters {
        let id = text(cluster, "DBClusterIdentifier");
        let members = cluster.get("DBClusterMembers").and_then(Value::as_array).cloned().unwrap_or_default();
        let zones: std::collections::BTreeSet<&str> = instances
            .iter()
            .filter(|i| text(i, "DBClusterIdentifier") == id)
            .map(|i| text(i, "AvailabilityZone"))
            .filter(|z| !z.is_empty())
            .collect();
        rows.push(DatabaseRow {
            identifier: id.to_string(),
            role: "Regional cluster".to_string(),
            engine: engine_label(text(cluster, "Engine")),
            zone: match zones.len() {
                0 => String::new(),
                1 => zones.iter().next().map(|z| z.to_string()).unwrap_or_default(),
                n => format!("{n} zones"),
            },
            size: format!("{} instance{}", members.len(), if members.len() == 1 { "" } else { "s" }),
            status: status_label(text(cluster, "Status")),
            child: false,
            multi_az: zones.len() > 1,
        });
        for member in &members {
            let member_id = text(member, "DBInstanceIdentifier");
            if let Some(instance) = instances.iter().find(|i| text(i, "DBInstanceIdentifier") == member_id) {
                let writer = member.get("IsClusterWriter").and_then(Value::as_bool).unwrap_or(false);
                rows.push(instance_row(instance, if writer { "Writer instance" } else { "Reader instance" }, true));
            }
        }
    }
    let standalone: Vec<&Value> = instances.iter().filter(|i| text(i, "DBClusterIdentifier").is_empty()).collect();
    for instance in standalone.iter().filter(|i| text(i, "ReadReplicaSourceDBInstanceIdentifier").is_empty()) {
        let id = text(instance, "DBInstanceIdentifier");
        let replicas: Vec<&&Value> =
            standalone.iter().filter(|i| text(i, "ReadReplicaSourceDBInstanceIdentifier") == id).collect();
        rows.push(instance_row(instance, if replicas.is_empty() { "Instance" } else { "Primary" }, false));
        for replica in replicas {
            rows.push(instance_row(replica, "Replica", true));
        }
    }
    rows
}

fn instance_row(instance: &Value, role: &str, child: bool) -> DatabaseRow {
    let multi_az = instance.get("MultiAZ").and_then(Value::as_bool).unwrap_or(false);
    DatabaseRow {
        identifier: text(instance, "DBInstanceIdentifier").to_string(),
        role: role.to_string(),
        engine: engine_label(text(instance, "Engine")),
        zone: text(instance, "AvailabilityZone").to_string(),
        size: text(instance, "DBInstanceClass").to_string(),
        status: status_label(text(instance, "DBInstanceStatus")),
        child,
        multi_az,
    }
}

/// The engine as the list names it.
pub fn engine_label(engine: &str) -> String {
    match EngineChoice::from_engine(engine) {
        Some(EngineChoice::Mysql) => "MySQL Community".to_string(),
        Some(EngineChoice::Postgres) => "PostgreSQL".to_string(),
        Some(EngineChoice::AuroraMysql) => "Aurora MySQL".to_string(),
        Some(EngineChoice::AuroraPostgres) => "Aurora PostgreSQL".to_string(),
        None => engine.to_string(),
    }
}

/// An API status as the console's badge words it: `available` → "Available",
/// `backing-up` → "Backing-up".
pub fn status_label(status: &str) -> String {
    let mut chars = status.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The kind of badge a status gets: settled, in progress, or gone wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Busy,
    Bad,
}

pub fn tone(status: &str) -> Tone {
    match status.to_ascii_lowercase().as_str() {
        "available" | "active" | "running" | "in-sync" | "complete" => Tone::Good,
        "failed"
        | "incompatible-network"
        | "inaccessible-encryption-credentials"
        | "storage-full"
        | "stopped"
        | "terminated" => Tone::Bad,
        _ => Tone::Busy,
    }
}

/// Actions → Reboot, with "Reboot With Failover?" ticked or not.
pub fn reboot(identifier: &str, with_failover: bool) -> Action {
    let mut request = json!({"DBInstanceIdentifier": identifier});
    if with_failover {
        request["ForceFailover"] = json!(true);
    }
    Action::new("rds", "RebootDBInstance", request)
}

/// Actions → Delete: a final snapshot (named, or none), and whether automated backups stay.
pub fn delete(identifier: &str, final_snapshot: Option<&str>, retain_backups: bool) -> Action {
    let mut request = json!({"DBInstanceIdentifier": identifier});
    match final_snapshot {
        Some(name) => request["FinalDBSnapshotIdentifier"] = json!(name),
        None => request["SkipFinalSnapshot"] = json!(true),
    }
    request["DeleteAutomatedBackups"] = json!(!retain_backups);
    Action::new("rds", "DeleteDBInstance", request)
}

/// The words the delete dialog asks to be typed.
pub const DELETE_CONFIRMATION: &str = "delete me";

/// Actions → Take snapshot.
pub fn take_snapshot(identifier: &str, snapshot: &str) -> Action {
    Action::new(
        "rds",
        "CreateDBSnapshot",
        json!({"DBInstanceIdentifier": identifier, "DBSnapshotIdentifier": snapshot}),
    )
}

/// Actions → Create read replica.
pub fn create_read_replica(source: &str, replica: &str) -> Action {
    Action::new(
        "rds",
        "CreateDBInstanceReadReplica",
        json!({"DBInstanceIdentifier": replica, "SourceDBInstanceIdentifier": source}),
    )
}

/// Actions → Promote (a read replica).
pub fn promote(identifier: &str) -> Action {
    Action::new("rds", "PromoteReadReplica", json!({"DBInstanceIdentifier": identifier}))
}

/// Actions → Failover (an Aurora cluster).
pub fn failover_cluster(cluster: &str) -> Action {
    Action::new("rds", "FailoverDBCluster", json!({"DBClusterIdentifier": cluster}))
}

/// Actions → Restore to point in time: the latest restorable time, or a given second.
pub fn restore_to_point_in_time(source: &str, target: &str, time: Option<&str>) -> Action {
    let mut request = json!({"SourceDBInstanceIdentifier": source, "TargetDBInstanceIdentifier": target});
    match time {
        Some(time) => request["RestoreTime"] = json!(time),
        None => request["UseLatestRestorableTime"] = json!(true),
    }
    Action::new("rds", "RestoreDBInstanceToPointInTime", request)
}

/// The database's detail: its description as the API gives it (the page reads the parts it
/// shows), or `None` when it is gone.
pub fn describe_instance(lab: &mut Lab, identifier: &str) -> Option<Value> {
    read(lab, "rds", "DescribeDBInstances", json!({"DBInstanceIdentifier": identifier}))
        .ok()?
        .get("DBInstances")?
        .get(0)
        .cloned()
}

/// The database's recent events (Logs & events), newest first.
pub fn events(lab: &mut Lab, identifier: &str) -> Vec<(String, String)> {
    let events = read(lab, "rds", "DescribeEvents", json!({"SourceIdentifier": identifier, "Duration": 1440}))
        .ok()
        .and_then(|v| v.get("Events").and_then(Value::as_array).cloned())
        .unwrap_or_default();
    let mut rows: Vec<(String, String)> =
        events.iter().map(|e| (text(e, "Date").to_string(), text(e, "Message").to_string())).collect();
    rows.reverse();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Duration;
    use crate::console::test_support::{assert_cli_round_trips, lab};
    use crate::console::{cli_script, perform};

    fn filled(engine: EngineChoice, template: Template) -> CreateDatabase {
        let mut form = CreateDatabase::new(engine, template);
        form.identifier = "shop-db".to_string();
        form.master_password = "Secret123!".to_string();
        form.confirm_password = "Secret123!".to_string();
        form
    }

    #[test]
    fn templates_set_the_consoles_defaults() {
        let production = CreateDatabase::new(EngineChoice::Mysql, Template::Production);
        assert!(production.multi_az && production.deletion_protection);
        assert_eq!((production.instance_class.as_str(), production.allocated_storage), ("db.m6g.large", 100));
        let free = CreateDatabase::new(EngineChoice::Postgres, Template::FreeTier);
        assert!(!free.multi_az);
        assert_eq!(
            (free.instance_class.as_str(), free.allocated_storage, free.backup_retention),
            ("db.t4g.micro", 20, 1)
        );
        assert_eq!(free.master_username, "postgres_admin");
    }

    #[test]
    fn passwords_that_differ_send_nothing() {
        let mut form = filled(EngineChoice::Mysql, Template::FreeTier);
        form.confirm_password = "other".to_string();
        assert_eq!(form.plan(), Err("Passwords must match.".to_string()));
    }

    #[test]
    fn create_database_is_one_request_whose_cli_equivalent_sends_it_too() {
        let mut form = filled(EngineChoice::Mysql, Template::DevTest);
        form.multi_az = true;
        form.initial_database = "shop".to_string();
        let plan = form.plan().unwrap();
        assert_eq!(plan.len(), 1);
        assert_cli_round_trips(&plan);
        let cli = cli_script(&plan);
        assert!(cli.starts_with("aws rds create-db-instance --db-instance-identifier shop-db --db-instance-class db.m6g.large --engine mysql"), "{cli}");
        assert!(cli.contains("--multi-az") && cli.contains("--db-name shop"), "{cli}");

        let mut lab = lab();
        perform(&mut lab, &plan).expect("the console creates it");
        let rows = databases(&mut lab);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].identifier.as_str(), rows[0].status.as_str()), ("shop-db", "Creating"));
        assert!(rows[0].multi_az);
        lab.advance(Duration(20 * 60_000));
        assert_eq!(databases(&mut lab)[0].status, "Available");
        // The trail has the console's create, and none of the list's reads.
        let calls: Vec<(&str, &str)> =
            lab.cloud.trail.calls.iter().map(|c| (c.source.as_str(), c.operation.as_str())).collect();
        assert_eq!(calls, vec![("console", "CreateDBInstance")]);
    }

    #[test]
    fn an_aurora_database_is_a_cluster_and_its_instances() {
        let mut form = filled(EngineChoice::AuroraPostgres, Template::Production);
        assert!(form.multi_az);
        form.instance_class = "db.r6g.large".to_string();
        let plan = form.plan().unwrap();
        let ops: Vec<&str> = plan.iter().map(|a| a.operation).collect();
        assert_eq!(ops, ["CreateDBCluster", "CreateDBInstance", "CreateDBInstance"]);
        assert_cli_round_trips(&plan);
        let mut lab = lab();
        perform(&mut lab, &plan).expect("the console creates them");
        lab.advance(Duration(20 * 60_000));
        let rows = databases(&mut lab);
        let roles: Vec<(&str, &str)> = rows.iter().map(|r| (r.identifier.as_str(), r.role.as_str())).collect();
        assert_eq!(
            roles,
            [
                ("shop-db", "Regional cluster"),
                ("shop-db-instance-1", "Writer instance"),
                ("shop-db-instance-1-reader", "Reader instance")
            ]
        );
    }

    #[test]
    fn actions_are_requests_the_cli_can_send() {
        let actions = [
            reboot("shop-db", true),
            reboot("shop-db", false),
            delete("shop-db", Some("shop-db-final"), true),
            delete("shop-db", None, false),
            take_snapshot("shop-db", "before-upgrade"),
            create_read_replica("shop-db", "shop-db-replica"),
            promote("shop-db-replica"),
            failover_cluster("aurora-1"),
            restore_to_point_in_time("shop-db", "shop-db-restored", None),
            restore_to_point_in_time("shop-db", "shop-db-restored", Some("2026-01-01T10:42:17Z")),
        ];
        assert_cli_round_trips(&actions);
        assert_eq!(
            reboot("shop-db", true).cli(),
            "aws rds reboot-db-instance --db-instance-identifier shop-db --force-failover"
        );
    }

    #[test]
    fn a_primary_lists_its_replicas_under_it() {
        let mut lab = lab();
        perform(&mut lab, &filled(EngineChoice::Mysql, Template::FreeTier).plan().unwrap()).unwrap();
        lab.advance(Duration(20 * 60_000));
        perform(&mut lab, &[create_read_replica("shop-db", "shop-db-replica")]).unwrap();
        let rows = databases(&mut lab);
        let roles: Vec<(&str, bool)> = rows.iter().map(|r| (r.role.as_str(), r.child)).collect();
        assert_eq!(roles, [("Primary", false), ("Replica", true)]);
    }

    #[test]
    fn a_failed_request_stops_the_plan_with_the_services_error() {
        let mut lab = lab();
        let mut form = filled(EngineChoice::Mysql, Template::FreeTier);
        form.master_password = "short".to_string();
        form.confirm_password = "short".to_string();
        let error = perform(&mut lab, &form.plan().unwrap()).unwrap_err();
        assert_eq!(error.code, "InvalidParameterValue");
        assert!(databases(&mut lab).is_empty());
    }
}
