//! Conditions on relational databases: RDS instances and their network placement, Aurora
//! clusters, snapshots, DB subnet groups, the rows a database holds, and the SQL servers
//! running on the lab's own hosts.

use super::shell::{connects, shown};
use super::{test, Args, Entry, Test};
use crate::cloud::network::security::Source;
use crate::cloud::rds::cluster;
use crate::cloud::rds::status::DbStatus;
use crate::engines::sql::storage::Table;

pub const CONDITIONS: &[Entry] = &[
    Entry {
        name: "rds_instance",
        usage: "ID [STATUS]",
        holds_when: "the RDS instance exists (in that status)",
        parse: instance,
    },
    Entry {
        name: "rds_reachable",
        usage: "HOST ID",
        holds_when: "HOST can connect to the instance's endpoint",
        parse: reachable,
    },
    Entry {
        name: "rds_endpoint_shown",
        usage: "HOST ID",
        holds_when: "a terminal opened on HOST (or `any`) has shown the instance's endpoint",
        parse: endpoint_shown,
    },
    Entry {
        name: "rds_private",
        usage: "ID",
        holds_when: "the instance has no public address, in a private subnet",
        parse: private,
    },
    Entry {
        name: "rds_ingress_by_group",
        usage: "ID",
        holds_when: "its port is open only to security groups, another one among them",
        parse: ingress_by_group,
    },
    Entry {
        name: "rds_database",
        usage: "ID DB",
        holds_when: "the instance's server holds database DB",
        parse: database,
    },
    Entry {
        name: "rds_rows",
        usage: "ID DB TABLE N|=N",
        holds_when: "the instance's (or Aurora cluster's) DB.TABLE has N+ rows / exactly N",
        parse: rows,
    },
    Entry {
        name: "rds_snapshot",
        usage: "ID [STATUS]",
        holds_when: "the DB snapshot exists (in that status)",
        parse: snapshot,
    },
    Entry {
        name: "rds_multi_az",
        usage: "ID",
        holds_when: "the instance runs with a Multi-AZ standby",
        parse: multi_az,
    },
    Entry {
        name: "rds_failovers",
        usage: "ID N",
        holds_when: "the instance completed N+ Multi-AZ failovers",
        parse: failovers,
    },
    Entry {
        name: "rds_standalone",
        usage: "ID",
        holds_when: "instance ID exists and is no read replica",
        parse: standalone,
    },
    Entry {
        name: "rds_cluster",
        usage: "ID [STATUS]",
        holds_when: "the Aurora cluster exists (in that status)",
        parse: aurora_cluster,
    },
    Entry {
        name: "rds_cluster_readers",
        usage: "ID N",
        holds_when: "the cluster has N+ available readers (and a writer)",
        parse: cluster_readers,
    },
    Entry {
        name: "rds_cluster_failovers",
        usage: "ID N",
        holds_when: "the cluster completed N+ failovers",
        parse: cluster_failovers,
    },
    Entry {
        name: "db_subnet_group",
        usage: "NAME [private]",
        holds_when: "the DB subnet group exists (of private subnets only)",
        parse: db_subnet_group,
    },
    Entry {
        name: "sql_table",
        usage: "HOST mysql|postgres DB TABLE N",
        holds_when: "HOST's local server has DB.TABLE with N+ rows",
        parse: sql_table,
    },
];

fn instance(args: &Args) -> Result<Test, String> {
    let (id, status) = (args.word(0)?, args.optional(1));
    test(move |lab| lab.cloud.rds.instance(&id).is_some_and(|i| status.as_ref().is_none_or(|s| &i.status == s)))
}

/// HOST can open a connection to the instance's endpoint and port.
fn reachable(args: &Args) -> Result<Test, String> {
    let (host, id) = (args.word(0)?, args.word(1)?);
    test(move |lab| {
        let rds = &lab.cloud.rds;
        rds.instance(&id).is_some_and(|db| connects(lab, &host, &db.endpoint(&rds.endpoint_suffix), db.port))
    })
}

/// The learner found the endpoint: some terminal printed it, whichever command (or host) did.
fn endpoint_shown(args: &Args) -> Result<Test, String> {
    let (host, id) = (args.word(0)?, args.word(1)?);
    test(move |lab| {
        let rds = &lab.cloud.rds;
        rds.instance(&id).is_some_and(|db| shown(lab, &host, &db.endpoint(&rds.endpoint_suffix)))
    })
}

/// Not publicly accessible, no public address, placed in a private subnet.
fn private(args: &Args) -> Result<Test, String> {
    let id = args.word(0)?;
    test(move |lab| {
        let net = &lab.cloud.network;
        lab.cloud.rds.instance(&id).is_some_and(|i| {
            !i.publicly_accessible
                && i.public_ip.is_none()
                && net.subnet(&i.subnet_id).is_some_and(|s| !net.is_public_subnet(s))
        })
    })
}

/// Every rule letting the instance's port in names a source group (no address ranges), and
/// one of them a group the instance is not in itself.
fn ingress_by_group(args: &Args) -> Result<Test, String> {
    let id = args.word(0)?;
    test(move |lab| {
        let Some(i) = lab.cloud.rds.instance(&id) else { return false };
        let port = i.port as i64;
        let rules: Vec<_> = i
            .security_groups
            .iter()
            .filter_map(|g| lab.cloud.network.security_group(g))
            .flat_map(|g| g.ingress.iter())
            .filter(|r| r.protocol == "-1" || (r.protocol == "tcp" && (r.from_port..=r.to_port).contains(&port)))
            .collect();
        rules.iter().all(|r| matches!(r.source, Source::Group(_)))
            && rules.iter().any(|r| matches!(&r.source, Source::Group(g) if !i.security_groups.contains(g)))
    })
}

fn database(args: &Args) -> Result<Test, String> {
    let (id, database) = (args.word(0)?, args.word(1)?);
    test(move |lab| lab.cloud.rds.data_of(&id).is_some_and(|d| d.primary.catalog.databases.contains_key(&database)))
}

/// How many rows a check asks for: at least N, or exactly N (`=N`).
#[derive(Clone, Copy)]
enum RowCount {
    AtLeast(usize),
    Exactly(usize),
}

impl RowCount {
    fn read(args: &Args, i: usize) -> Result<RowCount, String> {
        let text = args.word(i)?;
        let number = |n: &str| n.parse().map_err(|_| args.wrong("counts rows with neither a number nor =number"));
        match text.strip_prefix('=') {
            Some(n) => Ok(RowCount::Exactly(number(n)?)),
            None => Ok(RowCount::AtLeast(number(&text)?)),
        }
    }

    fn fits(self, table: &Table) -> bool {
        match self {
            RowCount::AtLeast(n) => table.rows.len() >= n,
            RowCount::Exactly(n) => table.rows.len() == n,
        }
    }
}

/// Rows of a table on an instance, or on an Aurora cluster's shared volume.
fn rows(args: &Args) -> Result<Test, String> {
    let (id, database, table) = (args.word(0)?, args.word(1)?, args.word(2)?);
    let count = RowCount::read(args, 3)?;
    test(move |lab| {
        let rds = &lab.cloud.rds;
        let data = rds.data_of(&id).or_else(|| rds.data.get(&cluster::volume_key(&id)));
        data.and_then(|d| d.primary.catalog.table(&database, &table)).is_some_and(|t| count.fits(t))
    })
}

fn snapshot(args: &Args) -> Result<Test, String> {
    let (id, status) = (args.word(0)?, args.optional(1));
    test(move |lab| {
        let mut snapshots = lab.cloud.rds.snapshots.iter();
        snapshots.any(|s| s.id == id && status.as_ref().is_none_or(|want| &s.status == want))
    })
}

fn multi_az(args: &Args) -> Result<Test, String> {
    let id = args.word(0)?;
    test(move |lab| lab.cloud.rds.instance(&id).is_some_and(|i| i.multi_az && i.standby.is_some()))
}

fn failovers(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| lab.cloud.rds.log.completed_failovers("db-instance", &id) >= at_least)
}

fn standalone(args: &Args) -> Result<Test, String> {
    let id = args.word(0)?;
    test(move |lab| lab.cloud.rds.instance(&id).is_some_and(|i| i.replica_source.is_none()))
}

fn aurora_cluster(args: &Args) -> Result<Test, String> {
    let (id, status) = (args.word(0)?, args.optional(1));
    test(move |lab| lab.cloud.rds.cluster(&id).is_some_and(|c| status.as_ref().is_none_or(|s| &c.status == s)))
}

/// Available readers besides the writer; a cluster without a writer has none.
fn cluster_readers(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| {
        let rds = &lab.cloud.rds;
        let Some(writer) = cluster::writer(rds, &id) else { return false };
        let members = rds.instances.iter().filter(|i| i.cluster.as_deref() == Some(id.as_str()));
        members.filter(|i| i.status == DbStatus::Available && i.id != writer).count() >= at_least
    })
}

fn cluster_failovers(args: &Args) -> Result<Test, String> {
    let (id, at_least): (String, usize) = (args.word(0)?, args.number(1)?);
    test(move |lab| lab.cloud.rds.log.completed_failovers("db-cluster", &id) >= at_least)
}

fn db_subnet_group(args: &Args) -> Result<Test, String> {
    let name = args.word(0)?;
    let private = match args.optional(1).as_deref() {
        None => false,
        Some("private") => true,
        Some(_) => return Err(args.wrong("has a qualifier other than `private`")),
    };
    test(move |lab| {
        let net = &lab.cloud.network;
        let is_private = |id: &String| net.subnet(id).is_some_and(|s| !net.is_public_subnet(s));
        let mut groups = lab.cloud.rds.subnet_groups.iter();
        groups.any(|g| g.name == name && (!private || g.subnet_ids.iter().all(is_private)))
    })
}

fn sql_table(args: &Args) -> Result<Test, String> {
    let (host, flavour, database, table) = (args.word(0)?, args.word(1)?, args.word(2)?, args.word(3)?);
    let at_least: usize = args.number(4)?;
    test(move |lab| {
        let server = lab.host_named(&host).and_then(|h| h.sql_servers.get(&flavour));
        server.and_then(|s| s.catalog.table(&database, &table)).is_some_and(|t| t.rows.len() >= at_least)
    })
}
