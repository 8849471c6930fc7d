//! *Export as script*: the lab's resources as a bash script of AWS CLI commands that makes
//! them again in a real account, with the identifiers the learner chose, in dependency order,
//! and the script that removes them; with what they would cost an hour there.
//!
//! A real account gives new resources new ids, so the script keeps each one in a shell
//! variable named after the lab's id (`vpc_5d7af8f6...=$(aws ec2 create-vpc ... --query
//! Vpc.VpcId --output text)`) and uses it from then on. Every EC2 resource is tagged
//! `dblab:id=<its lab id>`: the clean-up script finds them again by that tag. Resources of the
//! default VPC are found as every account has them (`describe-vpcs --filters
//! Name=is-default,Values=true`). Databases get `$DB_PASSWORD`, not the lab's password.
//!
//! Every command line is one the lab's own CLI accepts: a test parses each one back.

use super::read;
use crate::cloud::network::security::Source;
use crate::shell::aws::equivalent::shell_quote;
use crate::shell::Lab;
use serde_json::{json, Value};

/// The scripts and what the resources cost an hour.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    pub script: String,
    pub cleanup: String,
    /// What each resource costs an hour on AWS (us-east-1, on demand), as [`PRICES`] says.
    pub costs: Vec<(String, f64)>,
}

impl Export {
    pub fn hourly_total(&self) -> f64 {
        self.costs.iter().map(|c| c.1).sum()
    }
}

/// The date of [`PRICES`]: us-east-1 on-demand list prices, per hour.
pub const PRICES_DATED: &str = "2025-06-01";

/// Hourly on-demand prices in us-east-1 (USD): DB instance classes (single-AZ MySQL and
/// PostgreSQL; Multi-AZ costs twice), Aurora classes, cache nodes and EC2 instances.
pub const PRICES: &[(&str, f64)] = &[
    ("db.t3.micro", 0.017),
    ("db.t3.small", 0.034),
    ("db.t3.medium", 0.068),
    ("db.t4g.micro", 0.016),
    ("db.t4g.small", 0.032),
    ("db.m5.large", 0.171),
    ("db.m6g.large", 0.152),
    ("db.r5.large", 0.24),
    ("db.r6g.large", 0.215),
    ("aurora:db.t3.medium", 0.082),
    ("aurora:db.t4g.medium", 0.073),
    ("aurora:db.r5.large", 0.29),
    ("aurora:db.r6g.large", 0.26),
    ("cache.t3.micro", 0.017),
    ("cache.t3.small", 0.034),
    ("cache.t4g.micro", 0.016),
    ("cache.m6g.large", 0.149),
    ("cache.r6g.large", 0.206),
    ("t2.micro", 0.0116),
    ("t3.micro", 0.0104),
    ("t3.small", 0.0208),
    ("t3.medium", 0.0416),
];

/// General purpose (gp2) storage, per GiB-month; an hour is a 730th of a month.
const STORAGE_GIB_MONTH: f64 = 0.115;
/// Provisioned DynamoDB capacity, per unit-hour.
const RCU_HOUR: f64 = 0.00013;
const WCU_HOUR: f64 = 0.00065;

fn price(key: &str) -> f64 {
    PRICES.iter().find(|p| p.0 == key).map_or(0.0, |p| p.1)
}

/// A lab id as a shell variable: `vpc-5d7af8f6` → `vpc_5d7af8f6`.
fn var(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

fn tags(resource_type: &str, id: &str, tags: &[(String, String)]) -> String {
    let mut all = vec![format!("{{Key=dblab:id,Value={id}}}")];
    for (k, v) in tags {
        if v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:/@".contains(c)) && !v.is_empty() {
            all.push(format!("{{Key={k},Value={v}}}"));
        }
    }
    format!("--tag-specifications {}", shell_quote(&format!("ResourceType={resource_type},Tags=[{}]", all.join(","))))
}

/// Writes both scripts. `item_limit` bounds the items copied per table.
pub fn export(lab: &mut Lab, item_limit: usize) -> Export {
    let mut s = Script::default();
    let mut c = Script::default();
    let mut costs = Vec::new();
    s.line("#!/usr/bin/env bash");
    s.line("# DB Lab: recreates the lab's resources in your AWS account, in us-east-1.");
    s.line("# They cost money while they exist: the clean-up script (dblab-cleanup.sh) removes them.");
    s.line("set -euo pipefail");
    s.line("export AWS_DEFAULT_REGION=us-east-1");
    c.line("#!/usr/bin/env bash");
    c.line("# DB Lab: removes what dblab-create.sh made, newest first.");
    c.line("set -uo pipefail");
    c.line("export AWS_DEFAULT_REGION=us-east-1");
    let net = lab.cloud.network.clone();
    let rds = lab.cloud.rds.clone();
    let ec = lab.cloud.elasticache.clone();
    if !rds.instances.is_empty() || !rds.clusters.is_empty() {
        s.line(": \"${DB_PASSWORD:?set DB_PASSWORD to the master password for the databases}\"");
    }

    // The network: a default VPC and its subnets exist in every account; others are made.
    let exported_vpcs: Vec<&crate::cloud::network::Vpc> = net.vpcs.iter().filter(|v| !v.is_default).collect();
    if net.vpcs.iter().any(|v| v.is_default) {
        s.blank("The default VPC and its default subnets, as every account has them");
        for vpc in net.vpcs.iter().filter(|v| v.is_default) {
            s.line(&format!("{}=$(aws ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output text)", var(&vpc.id)));
            default_group(&mut s, &net, vpc);
            for subnet in net.subnets.iter().filter(|n| n.vpc_id == vpc.id && n.default_for_az) {
                s.line(&format!("{}=$(aws ec2 describe-subnets --filters Name=default-for-az,Values=true Name=availability-zone,Values={} --query 'Subnets[0].SubnetId' --output text)", var(&subnet.id), subnet.zone));
            }
        }
    }
    for vpc in &exported_vpcs {
        s.blank(&format!("VPC {} ({})", vpc.id, vpc.cidr));
        s.line(&format!(
            "{}=$(aws ec2 create-vpc --cidr-block {} {} --query Vpc.VpcId --output text)",
            var(&vpc.id),
            vpc.cidr,
            tags("vpc", &vpc.id, &vpc.tags)
        ));
        default_group(&mut s, &net, vpc);
        for subnet in net.subnets.iter().filter(|n| n.vpc_id == vpc.id) {
            s.line(&format!("{}=$(aws ec2 create-subnet --vpc-id \"${}\" --cidr-block {} --availability-zone {} {} --query Subnet.SubnetId --output text)", var(&subnet.id), var(&vpc.id), subnet.cidr, subnet.zone, tags("subnet", &subnet.id, &subnet.tags)));
            if subnet.map_public_ip {
                s.line(&format!(
                    "aws ec2 modify-subnet-attribute --subnet-id \"${}\" --map-public-ip-on-launch",
                    var(&subnet.id)
                ));
            }
        }
        for igw in net.gateways.iter().filter(|g| g.attached_to.as_deref() == Some(vpc.id.as_str())) {
            s.line(&format!(
                "{}=$(aws ec2 create-internet-gateway {} --query InternetGateway.InternetGatewayId --output text)",
                var(&igw.id),
                tags("internet-gateway", &igw.id, &igw.tags)
            ));
            s.line(&format!(
                "aws ec2 attach-internet-gateway --internet-gateway-id \"${}\" --vpc-id \"${}\"",
                var(&igw.id),
                var(&vpc.id)
            ));
        }
        for table in net.route_tables.iter().filter(|t| t.vpc_id == vpc.id) {
            if table.main {
                s.line(&format!("{}=$(aws ec2 describe-route-tables --filters Name=vpc-id,Values=\"${}\" Name=association.main,Values=true --query 'RouteTables[0].RouteTableId' --output text)", var(&table.id), var(&vpc.id)));
            } else {
                s.line(&format!("{}=$(aws ec2 create-route-table --vpc-id \"${}\" {} --query RouteTable.RouteTableId --output text)", var(&table.id), var(&vpc.id), tags("route-table", &table.id, &table.tags)));
            }
            for route in table.routes.iter().filter(|r| r.target.starts_with("igw-")) {
                s.line(&format!(
                    "aws ec2 create-route --route-table-id \"${}\" --destination-cidr-block {} --gateway-id \"${}\"",
                    var(&table.id),
                    route.destination,
                    var(&route.target)
                ));
            }
            for subnet in &table.subnet_associations {
                s.line(&format!(
                    "aws ec2 associate-route-table --route-table-id \"${}\" --subnet-id \"${}\"",
                    var(&table.id),
                    var(subnet)
                ));
            }
        }
    }
    let groups: Vec<&crate::cloud::network::SecurityGroup> =
        net.security_groups.iter().filter(|g| g.name != "default").collect();
    if !groups.is_empty() {
        s.blank("Security groups and their inbound rules");
    }
    for group in &groups {
        s.line(&format!("{}=$(aws ec2 create-security-group --group-name {} --description {} --vpc-id \"${}\" {} --query GroupId --output text)", var(&group.id), shell_quote(&group.name), shell_quote(&group.description), var(&group.vpc_id), tags("security-group", &group.id, &group.tags)));
    }
    for group in &groups {
        for rule in &group.ingress {
            let port = if rule.protocol == "-1" {
                String::new()
            } else if rule.from_port == rule.to_port {
                format!(" --port {}", rule.from_port)
            } else {
                format!(" --port {}-{}", rule.from_port, rule.to_port)
            };
            let source = match &rule.source {
                Source::Cidr(cidr) => format!("--cidr {cidr}"),
                Source::Group(g) => format!("--source-group \"${}\"", var(g)),
            };
            s.line(&format!(
                "aws ec2 authorize-security-group-ingress --group-id \"${}\" --protocol {}{port} {source}",
                var(&group.id),
                rule.protocol
            ));
        }
    }
    // What runs or is about to (pending): a stopped instance costs nothing and is left out.
    use crate::cloud::network::InstanceState;
    let running: Vec<&crate::cloud::network::Instance> =
        net.instances.iter().filter(|i| matches!(i.state, InstanceState::Pending | InstanceState::Running)).collect();
    if !running.is_empty() {
        s.blank("EC2 instances (their key pairs are yours to create: add --key-name)");
    }
    for instance in &running {
        let sgs: Vec<String> = instance.security_groups.iter().map(|g| format!("\"${}\"", var(g))).collect();
        let public = if instance.public_ip.is_some() { " --associate-public-ip-address" } else { "" };
        s.line(&format!("{}=$(aws ec2 run-instances --image-id {} --instance-type {} --subnet-id \"${}\" --security-group-ids {}{public} {} --query 'Instances[0].InstanceId' --output text)",
            var(&instance.id), instance.image_id, instance.instance_type, var(&instance.subnet_id), sgs.join(" "), tags("instance", &instance.id, &instance.tags)));
        costs.push((format!("EC2 {} ({})", instance.id, instance.instance_type), price(&instance.instance_type)));
    }

    // RDS: subnet groups, clusters and their instances, instances, then read replicas.
    for group in rds.subnet_groups.iter().filter(|g| g.name != "default") {
        s.blank(&format!("DB subnet group {}", group.name));
        let subnets: Vec<String> = group.subnet_ids.iter().map(|id| format!("\"${}\"", var(id))).collect();
        s.line(&format!(
            "aws rds create-db-subnet-group --db-subnet-group-name {} --db-subnet-group-description {} --subnet-ids {}",
            group.name,
            shell_quote(&group.description),
            subnets.join(" ")
        ));
    }
    let db_common = |subnet_group: &str, sgs: &[String]| {
        let mut out = String::new();
        if subnet_group != "default" && !subnet_group.is_empty() {
            out.push_str(&format!(" --db-subnet-group-name {subnet_group}"));
        }
        if !sgs.is_empty() {
            let ids: Vec<String> = sgs.iter().map(|g| format!("\"${}\"", var(g))).collect();
            out.push_str(&format!(" --vpc-security-group-ids {}", ids.join(" ")));
        }
        out
    };
    for cluster in &rds.clusters {
        s.blank(&format!("Aurora cluster {}", cluster.id));
        let db_name = cluster.database_name.as_ref().map(|n| format!(" --database-name {n}")).unwrap_or_default();
        s.line(&format!("aws rds create-db-cluster --db-cluster-identifier {} --engine {} --engine-version {} --master-username {} --master-user-password \"$DB_PASSWORD\"{db_name}{} --backup-retention-period {}",
            cluster.id, cluster.engine.as_str(), cluster.engine_version, cluster.master_username, db_common(&cluster.subnet_group, &cluster.security_groups), cluster.backup_retention.max(1)));
        for instance in rds.instances.iter().filter(|i| i.cluster.as_deref() == Some(cluster.id.as_str())) {
            s.line(&format!("aws rds create-db-instance --db-instance-identifier {} --db-instance-class {} --engine {} --db-cluster-identifier {}", instance.id, instance.class, cluster.engine.as_str(), cluster.id));
            costs.push((
                format!("Aurora {} ({})", instance.id, instance.class),
                price(&format!("aurora:{}", instance.class)),
            ));
        }
    }
    for instance in rds.instances.iter().filter(|i| i.cluster.is_none() && i.replica_source.is_none()) {
        s.blank(&format!("DB instance {}", instance.id));
        let db_name = instance.db_name.as_ref().map(|n| format!(" --db-name {n}")).unwrap_or_default();
        let multi_az = if instance.multi_az { " --multi-az" } else { "" };
        let public = if instance.publicly_accessible { " --publicly-accessible" } else { " --no-publicly-accessible" };
        s.line(&format!("aws rds create-db-instance --db-instance-identifier {} --db-instance-class {} --engine {} --engine-version {} --allocated-storage {} --master-username {} --master-user-password \"$DB_PASSWORD\"{db_name}{}{multi_az}{public} --backup-retention-period {}",
            instance.id, instance.class, instance.engine.as_str(), instance.engine_version, instance.storage_gib, instance.master_username, db_common(&instance.subnet_group, &instance.security_groups), instance.backup_retention));
        let copies = if instance.multi_az { 2.0 } else { 1.0 };
        costs.push((
            format!("RDS {} ({}{})", instance.id, instance.class, if instance.multi_az { ", Multi-AZ" } else { "" }),
            copies * (price(&instance.class) + instance.storage_gib as f64 * STORAGE_GIB_MONTH / 730.0),
        ));
    }
    for replica in rds.instances.iter().filter(|i| i.replica_source.is_some()) {
        let source = replica.replica_source.as_deref().unwrap_or_default();
        s.blank(&format!("Read replica {} of {source}", replica.id));
        s.line(&format!("aws rds wait db-instance-available --db-instance-identifier {source}"));
        s.line(&format!("aws rds create-db-instance-read-replica --db-instance-identifier {} --source-db-instance-identifier {source} --db-instance-class {}", replica.id, replica.class));
        costs.push((
            format!("RDS {} ({}, replica)", replica.id, replica.class),
            price(&replica.class) + replica.storage_gib as f64 * STORAGE_GIB_MONTH / 730.0,
        ));
    }

    // ElastiCache.
    for group in ec.subnet_groups.iter().filter(|g| g.name != "default") {
        s.blank(&format!("Cache subnet group {}", group.name));
        let subnets: Vec<String> = group.subnet_ids.iter().map(|id| format!("\"${}\"", var(id))).collect();
        s.line(&format!("aws elasticache create-cache-subnet-group --cache-subnet-group-name {} --cache-subnet-group-description {} --subnet-ids {}", group.name, shell_quote(&group.description), subnets.join(" ")));
    }
    for group in &ec.groups {
        let nodes = ec.nodes.iter().filter(|n| n.group.as_deref() == Some(group.id.as_str())).count();
        let per_shard = (nodes / group.shards.max(1)).max(1);
        s.blank(&format!("Redis OSS cache {}", group.id));
        let shape = if group.cluster_mode {
            format!("--num-node-groups {} --replicas-per-node-group {}", group.shards, per_shard - 1)
        } else {
            format!("--num-cache-clusters {per_shard}")
        };
        let failover =
            if group.automatic_failover { "--automatic-failover-enabled" } else { "--no-automatic-failover-enabled" };
        let multi_az = if group.multi_az { "--multi-az-enabled" } else { "--no-multi-az-enabled" };
        let subnet_group = if group.subnet_group == "default" {
            String::new()
        } else {
            format!(" --cache-subnet-group-name {}", group.subnet_group)
        };
        let sgs: Vec<String> = group.security_groups.iter().map(|g| format!("\"${}\"", var(g))).collect();
        let sgs = if sgs.is_empty() { String::new() } else { format!(" --security-group-ids {}", sgs.join(" ")) };
        s.line(&format!("aws elasticache create-replication-group --replication-group-id {} --replication-group-description {} --engine redis --cache-node-type {} {shape} {failover} {multi_az}{subnet_group}{sgs}",
            group.id, shell_quote(if group.description.is_empty() { " " } else { &group.description }), group.node_type));
        costs.push((
            format!("ElastiCache {} ({nodes} x {})", group.id, group.node_type),
            nodes as f64 * price(&group.node_type),
        ));
    }

    // DynamoDB: each table, then its items (up to the limit).
    let names = read(lab, "dynamodb", "ListTables", json!({}))
        .ok()
        .and_then(|v| v.get("TableNames").cloned())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let mut table_names = Vec::new();
    for name in names.iter().filter_map(Value::as_str) {
        let Some(table) = super::dynamodb::describe(lab, name) else { continue };
        s.blank(&format!("DynamoDB table {name}"));
        let mut request = json!({
            "AttributeDefinitions": table.get("AttributeDefinitions").cloned().unwrap_or_default(),
            "TableName": name,
            "KeySchema": table.get("KeySchema").cloned().unwrap_or_default(),
        });
        if let Some(gsis) = table.get("GlobalSecondaryIndexes").and_then(Value::as_array) {
            let gsis: Vec<Value> = gsis.iter().map(|g| {
                let mut out = json!({"IndexName": g["IndexName"], "KeySchema": g["KeySchema"], "Projection": g["Projection"]});
                if let Some(t) = g.get("ProvisionedThroughput").filter(|t| t["ReadCapacityUnits"].as_i64().unwrap_or(0) > 0) {
                    out["ProvisionedThroughput"] = json!({"ReadCapacityUnits": t["ReadCapacityUnits"], "WriteCapacityUnits": t["WriteCapacityUnits"]});
                }
                out
            }).collect();
            request["GlobalSecondaryIndexes"] = json!(gsis);
        }
        let on_demand =
            table.pointer("/BillingModeSummary/BillingMode").and_then(Value::as_str) == Some("PAY_PER_REQUEST");
        if on_demand {
            request["BillingMode"] = json!("PAY_PER_REQUEST");
        } else {
            let t = &table["ProvisionedThroughput"];
            request["BillingMode"] = json!("PROVISIONED");
            request["ProvisionedThroughput"] =
                json!({"ReadCapacityUnits": t["ReadCapacityUnits"], "WriteCapacityUnits": t["WriteCapacityUnits"]});
            let units = |k: &str| t[k].as_f64().unwrap_or(0.0);
            costs.push((
                format!("DynamoDB {name} (provisioned)"),
                units("ReadCapacityUnits") * RCU_HOUR + units("WriteCapacityUnits") * WCU_HOUR,
            ));
        }
        if let Some(line) = crate::shell::aws::equivalent::command("dynamodb", "CreateTable", &request) {
            s.line(&line);
        }
        s.line(&format!("aws dynamodb wait table-exists --table-name {name}"));
        let items = read(lab, "dynamodb", "Scan", json!({"TableName": name, "Limit": item_limit}))
            .ok()
            .and_then(|v| v.get("Items").and_then(Value::as_array).cloned())
            .unwrap_or_default();
        for item in items.iter().take(item_limit) {
            if let Some(line) =
                crate::shell::aws::equivalent::command("dynamodb", "PutItem", &json!({"TableName": name, "Item": item}))
            {
                s.line(&line);
            }
        }
        table_names.push(name.to_string());
    }

    // The clean-up, newest first: tables, caches, databases and instances (waiting until they
    // are gone), then what they stood in: subnet groups, security groups, the network.
    let lookup = |kind: &str, id: &str, query: &str| {
        format!(
            "\"$(aws ec2 describe-{kind} --filters Name=tag:dblab:id,Values={id} --query '{query}' --output text)\""
        )
    };
    for name in table_names.iter().rev() {
        c.line(&format!("aws dynamodb delete-table --table-name {name}"));
    }
    for group in ec.groups.iter().rev() {
        c.line(&format!("aws elasticache delete-replication-group --replication-group-id {}", group.id));
    }
    for instance in rds.instances.iter().rev() {
        c.line(&format!(
            "aws rds delete-db-instance --db-instance-identifier {} --skip-final-snapshot --delete-automated-backups",
            instance.id
        ));
    }
    let instance_ids: Vec<String> =
        running.iter().map(|i| lookup("instances", &i.id, "Reservations[0].Instances[0].InstanceId")).collect();
    if !instance_ids.is_empty() {
        c.line(&format!("aws ec2 terminate-instances --instance-ids {}", instance_ids.join(" ")));
    }
    for group in ec.groups.iter().rev() {
        c.line(&format!("aws elasticache wait replication-group-deleted --replication-group-id {}", group.id));
    }
    for instance in rds.instances.iter().rev() {
        c.line(&format!("aws rds wait db-instance-deleted --db-instance-identifier {}", instance.id));
    }
    if !instance_ids.is_empty() {
        c.line(&format!("aws ec2 wait instance-terminated --instance-ids {}", instance_ids.join(" ")));
    }
    for cluster in rds.clusters.iter().rev() {
        c.line(&format!("aws rds delete-db-cluster --db-cluster-identifier {} --skip-final-snapshot", cluster.id));
    }
    for group in rds.subnet_groups.iter().filter(|g| g.name != "default").rev() {
        c.line(&format!("aws rds delete-db-subnet-group --db-subnet-group-name {}", group.name));
    }
    for group in ec.subnet_groups.iter().filter(|g| g.name != "default").rev() {
        c.line(&format!("aws elasticache delete-cache-subnet-group --cache-subnet-group-name {}", group.name));
    }
    for group in groups.iter().rev() {
        c.line(&format!(
            "aws ec2 delete-security-group --group-id {}",
            lookup("security-groups", &group.id, "SecurityGroups[0].GroupId")
        ));
    }
    for vpc in exported_vpcs.iter().rev() {
        for table in net.route_tables.iter().filter(|t| t.vpc_id == vpc.id && !t.main) {
            c.line(&format!(
                "aws ec2 delete-route-table --route-table-id {}",
                lookup("route-tables", &table.id, "RouteTables[0].RouteTableId")
            ));
        }
        for igw in net.gateways.iter().filter(|g| g.attached_to.as_deref() == Some(vpc.id.as_str())) {
            let igw_id = lookup("internet-gateways", &igw.id, "InternetGateways[0].InternetGatewayId");
            c.line(&format!(
                "aws ec2 detach-internet-gateway --internet-gateway-id {igw_id} --vpc-id {}",
                lookup("vpcs", &vpc.id, "Vpcs[0].VpcId")
            ));
            c.line(&format!("aws ec2 delete-internet-gateway --internet-gateway-id {igw_id}"));
        }
        for subnet in net.subnets.iter().filter(|n| n.vpc_id == vpc.id) {
            c.line(&format!(
                "aws ec2 delete-subnet --subnet-id {}",
                lookup("subnets", &subnet.id, "Subnets[0].SubnetId")
            ));
        }
        c.line(&format!("aws ec2 delete-vpc --vpc-id {}", lookup("vpcs", &vpc.id, "Vpcs[0].VpcId")));
    }
    Export { script: s.text, cleanup: c.text, costs }
}

/// The VPC's default security group, as every VPC has one: looked up, not made.
fn default_group(s: &mut Script, net: &crate::cloud::network::Network, vpc: &crate::cloud::network::Vpc) {
    if let Some(group) = net.security_groups.iter().find(|g| g.vpc_id == vpc.id && g.name == "default") {
        s.line(&format!(
            "{}=$(aws ec2 describe-security-groups --filters Name=vpc-id,Values=\"${}\" Name=group-name,Values=default --query 'SecurityGroups[0].GroupId' --output text)",
            var(&group.id),
            var(&vpc.id)
        ));
    }
}

#[derive(Default)]
struct Script {
    text: String,
}

impl Script {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// A blank line and a comment, before a resource's commands.
    fn blank(&mut self, comment: &str) {
        self.text.push_str(&format!("\n# {comment}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Duration;
    use crate::shell::aws::{services::SERVICES, wait};

    /// Every command of a script, as the lab's CLI reads it: variables become ids, a captured
    /// command (`x=$(aws ...)`) the command itself, global options go; then the flags must
    /// make a valid request (or name a waiter the CLI has).
    fn assert_every_line_parses(script: &str) {
        let mut commands = 0;
        let mut defined = vec!["DB_PASSWORD".to_string()];
        for line in script.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            for used in line.split('$').skip(1) {
                let name: String = used.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    assert!(defined.contains(&name), "${name} is used before it is set: {line}");
                }
            }
            if let Some((name, _)) = line.split_once("=$(") {
                defined.push(name.to_string());
            }
            if ["set ", "export ", ": \""].iter().any(|p| line.starts_with(p)) {
                continue;
            }
            let mut command = line.to_string();
            if let Some((_, rest)) = command.split_once("=$(") {
                command = rest.strip_suffix(')').unwrap_or(rest).to_string();
            }
            // "$(aws ... lookup ...)" inside a line stands for an id.
            while let Some(start) = command.find("\"$(") {
                let end = command[start..].find(")\"").map(|e| start + e + 2).expect("a closed lookup");
                command.replace_range(start..end, "id-from-lookup");
            }
            let command = regex_free_vars(&command);
            assert!(command.starts_with("aws "), "not an aws command: {line}");
            let words = crate::shell::expand::fields(&command, &NoVars).expect("the shell reads it");
            let words = strip_globals(&words);
            let service = SERVICES.iter().find(|s| s.cli == words[1]).unwrap_or_else(|| panic!("service in {line}"));
            if words[2] == "wait" {
                assert!(wait::find(service.cli, &words[3]).is_some(), "no waiter: {line}");
            } else {
                let op = service.operation(&words[2]).unwrap_or_else(|| panic!("operation in {line}"));
                crate::shell::aws::params::build_request(op, &words[3..], &|_| Err("no files".into()))
                    .unwrap_or_else(|e| panic!("{line}: {e:?}"));
            }
            commands += 1;
        }
        assert!(commands > 0);
    }

    /// `"$vpc_1"` and `$vpc_1` → `vpc-1`.
    fn regex_free_vars(command: &str) -> String {
        let mut out = String::new();
        let mut chars = command.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || *n == '_') {
                let mut name = String::new();
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphanumeric() || **n == '_') {
                    name.push(n);
                    chars.next();
                }
                out.push_str(&name.replacen('_', "-", 1));
            } else {
                out.push(c);
            }
        }
        out
    }

    fn strip_globals(words: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let mut skip = false;
        for w in words {
            if skip {
                skip = false;
                continue;
            }
            if ["--query", "--output", "--region"].contains(&w.as_str()) {
                skip = true;
                continue;
            }
            out.push(w.clone());
        }
        out
    }

    struct NoVars;
    impl crate::shell::expand::Environment for NoVars {
        fn var(&self, _: &str) -> Option<String> {
            None
        }
        fn home(&self) -> String {
            "/home/learner".into()
        }
    }

    #[test]
    fn a_private_database_its_network_a_cache_and_a_table_export_as_commands_the_cli_reads() {
        let mut lab = crate::console::test_support::lab();
        // The network and the database through the CLI as a lesson builds them, the cache and
        // the table through the console.
        let cloudshell = lab.open_session("cloudshell").unwrap();
        let mut sh = |line: &str| lab.exec(cloudshell, line).text;
        let vpc = sh("aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text").trim().to_string();
        let a = sh(&format!("aws ec2 create-subnet --vpc-id {vpc} --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text")).trim().to_string();
        let b = sh(&format!("aws ec2 create-subnet --vpc-id {vpc} --cidr-block 10.0.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId --output text")).trim().to_string();
        let igw = sh("aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text")
            .trim()
            .to_string();
        sh(&format!("aws ec2 attach-internet-gateway --internet-gateway-id {igw} --vpc-id {vpc}"));
        let rt =
            sh(&format!("aws ec2 create-route-table --vpc-id {vpc} --query RouteTable.RouteTableId --output text"))
                .trim()
                .to_string();
        sh(&format!(
            "aws ec2 create-route --route-table-id {rt} --destination-cidr-block 0.0.0.0/0 --gateway-id {igw}"
        ));
        sh(&format!("aws ec2 associate-route-table --route-table-id {rt} --subnet-id {a}"));
        let app = sh(&format!("aws ec2 create-security-group --group-name app --description 'web app' --vpc-id {vpc} --query GroupId --output text")).trim().to_string();
        let db = sh(&format!("aws ec2 create-security-group --group-name db --description db --vpc-id {vpc} --query GroupId --output text")).trim().to_string();
        sh(&format!(
            "aws ec2 authorize-security-group-ingress --group-id {app} --protocol tcp --port 22 --cidr 0.0.0.0/0"
        ));
        sh(&format!(
            "aws ec2 authorize-security-group-ingress --group-id {db} --protocol tcp --port 3306 --source-group {app}"
        ));
        sh(&format!("aws rds create-db-subnet-group --db-subnet-group-name shop-private --db-subnet-group-description 'private subnets' --subnet-ids {a} {b}"));
        let created = sh(&format!("aws rds create-db-instance --db-instance-identifier shop-db --db-instance-class db.t3.micro --engine mysql --allocated-storage 20 --master-username admin --master-user-password Secret123 --db-subnet-group-name shop-private --vpc-security-group-ids {db} --multi-az"));
        assert!(created.contains("creating"), "{created}");
        let table = crate::console::dynamodb::CreateTable {
            name: "Music".into(),
            partition_key: crate::console::dynamodb::Key::new("Artist", crate::console::dynamodb::KeyType::String),
            ..Default::default()
        };
        crate::console::perform(&mut lab, &table.plan().unwrap()).unwrap();
        let cache = crate::console::elasticache::CreateCache { name: "sessions".into(), ..Default::default() };
        crate::console::perform(&mut lab, &cache.plan().unwrap()).unwrap();
        lab.advance(Duration(30 * 60_000));
        crate::console::perform(
            &mut lab,
            &crate::console::dynamodb::put_item("Music", r#"{"Artist": {"S": "Acme"}}"#).unwrap(),
        )
        .unwrap();

        let export = export(&mut lab, 100);
        assert_every_line_parses(&export.script);
        assert_every_line_parses(&export.cleanup);
        let script = &export.script;
        // Dependency order: the VPC before its subnets, the groups before the database.
        let at = |needle: &str| script.find(needle).unwrap_or_else(|| panic!("{needle} not in:\n{script}"));
        assert!(at("create-vpc") < at("create-subnet"));
        assert!(at("create-security-group") < at("create-db-subnet-group"));
        assert!(at("create-db-subnet-group") < at("create-db-instance --db-instance-identifier shop-db"));
        assert!(script.contains("--master-user-password \"$DB_PASSWORD\""));
        assert!(script.contains("--source-group \"$sg_"), "{script}");
        assert!(script.contains(r#"--item '{"Artist":{"S":"Acme"}}'"#), "{script}");
        assert!(!script.contains("Secret123"), "the lab's password stays in the lab");
        assert!(export.cleanup.find("delete-db-instance").unwrap() < export.cleanup.find("delete-vpc").unwrap());
        // shop-db Multi-AZ on db.t3.micro: 2 x (0.017 + 20 GiB of storage); the cache: 2 nodes.
        let total = export.hourly_total();
        assert!((total - (2.0 * (0.017 + 20.0 * 0.115 / 730.0) + 2.0 * 0.017)).abs() < 1e-9, "{total}");
    }
}
