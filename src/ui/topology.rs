//! The region at a glance: each VPC, its subnets in availability-zone columns (public or
//! private), the EC2 instances and database copies in them with their state and addresses, and
//! how the databases and caches replicate (a synchronous standby, read replicas with their
//! lag, where each endpoint points). Fault buttons take a zone down or kill a primary. It
//! follows the lab live.

use super::state::use_lab;
use crate::cloud::network::{InstanceState, ZONES};
use crate::cloud::time::Duration;
use crate::shell::Lab;
use leptos::prelude::*;

/// A fault to inject: it changes the lab and reports what it hit, or why it could not.
type Fault = Box<dyn FnOnce(&mut Lab) -> Result<Vec<String>, String>>;

/// One database copy in a subnet: a primary, a Multi-AZ standby or a read replica.
#[derive(Clone, PartialEq)]
struct DbNode {
    id: String,
    role: String,
    status: String,
    address: String,
    /// Whether "kill primary" applies.
    primary: bool,
}

/// A line of the replication list: `shop ⇒ standby in us-east-1b (synchronous)`.
fn replication_lines(lab: &Lab) -> Vec<String> {
    let rds = &lab.cloud.rds;
    let mut lines = Vec::new();
    for c in &rds.clusters {
        let writer = crate::cloud::rds::cluster::writer(rds, &c.id).unwrap_or_else(|| "no writer yet".into());
        lines.push(format!("cluster {} → {writer} · volume: 6 copies over 3 AZs", c.id));
    }
    for i in &rds.instances {
        let target = format!("{} ({})", i.public_ip.unwrap_or(i.private_ip), i.zone);
        lines.push(format!("endpoint {} → {target}", i.id));
        if let Some(standby) = &i.standby {
            lines.push(format!("{} ⇒ standby in {} · synchronous", i.id, standby.zone));
        }
        if let Some(cluster) = &i.cluster {
            if let Some(lag) = crate::cloud::rds::replica::lag_seconds(rds, &i.id, lab.cloud.now) {
                lines.push(format!("{cluster} volume → reader {} · lag {lag} s", i.id));
            }
        }
        if let Some(source) = &i.replica_source {
            let lag = crate::cloud::rds::replica::lag_seconds(rds, &i.id, lab.cloud.now).unwrap_or(0);
            let cut = rds.data.get(&i.id).and_then(|d| d.replication.as_ref()).is_some_and(|r| r.partitioned);
            lines.push(format!("{source} → {} · lag {lag} s{}", i.id, if cut { " · cut off" } else { "" }));
        }
    }
    let cache = &lab.cloud.elasticache;
    for g in &cache.groups {
        for shard in 0..g.shards {
            let Some(primary) = cache.primary_of(&g.id, shard) else { continue };
            if g.cluster_mode {
                let (a, b) = g.slots.get(shard).copied().unwrap_or((0, 16383));
                lines.push(format!("cache {} shard {:04} slots {a}-{b} → {}", g.id, shard + 1, primary.id));
            } else {
                lines.push(format!("cache {} primary endpoint → {} ({})", g.id, primary.id, primary.zone));
            }
            for n in cache.shard_nodes(&g.id, shard).iter().filter(|n| !n.primary) {
                let lag =
                    crate::cloud::elasticache::replication::lag_seconds(cache, &n.id, lab.cloud.now).unwrap_or(0.0);
                lines.push(format!("{} → {} · lag {lag:.1} s", primary.id, n.id));
            }
        }
    }
    lines
}

/// The database copies and cache nodes living in a subnet.
fn db_nodes(lab: &Lab, subnet_id: &str) -> Vec<DbNode> {
    let mut nodes = Vec::new();
    for i in &lab.cloud.rds.instances {
        if i.subnet_id == subnet_id {
            let aurora_writer = i.cluster.as_ref().map(|c| crate::cloud::rds::cluster::writer(&lab.cloud.rds, c));
            let role = match (&i.replica_source, i.multi_az) {
                _ if aurora_writer.is_some() => {
                    let writer = aurora_writer.flatten().as_deref() == Some(i.id.as_str());
                    format!("{} of {}", if writer { "writer" } else { "reader" }, i.cluster.clone().unwrap_or_default())
                }
                (Some(source), _) => format!("read replica of {source}"),
                (None, true) => "primary".to_string(),
                (None, false) => "single-AZ".to_string(),
            };
            nodes.push(DbNode {
                id: i.id.clone(),
                role: format!("{} {role}", i.engine),
                status: i.status.to_string(),
                address: i.private_ip.to_string(),
                primary: true,
            });
        }
        if let Some(standby) = i.standby.as_ref().filter(|s| s.subnet_id == subnet_id) {
            nodes.push(DbNode {
                id: i.id.clone(),
                role: format!("{} standby", i.engine),
                status: "standby".into(),
                address: standby.private_ip.to_string(),
                primary: false,
            });
        }
    }
    for n in lab.cloud.elasticache.nodes.iter().filter(|n| n.subnet_id == subnet_id) {
        let role = if n.primary { "primary" } else { "replica" };
        let of = n.group.as_deref().map(|g| format!(" of {g}")).unwrap_or_default();
        nodes.push(DbNode {
            id: n.id.clone(),
            role: format!("redis {role}{of}"),
            status: n.status.to_string(),
            address: n.private_ip.to_string(),
            primary: n.primary,
        });
    }
    nodes
}

#[derive(Clone, PartialEq)]
struct SubnetView {
    id: String,
    cidr: String,
    public: bool,
    zone: String,
    instances: Vec<(String, String, String, Option<String>)>,
    databases: Vec<DbNode>,
}

#[derive(Clone, PartialEq)]
struct VpcView {
    id: String,
    name: String,
    cidr: String,
    subnets: Vec<SubnetView>,
}

#[component]
pub fn Topology() -> impl IntoView {
    let state = use_lab();
    let vpcs = move || {
        state.rev.track();
        state.lab.with_value(|lab| {
            let net = &lab.cloud.network;
            net.vpcs
                .iter()
                .map(|v| VpcView {
                    id: v.id.clone(),
                    name: v.tags.iter().find(|(k, _)| k == "Name").map(|(_, n)| n.clone()).unwrap_or_else(|| {
                        if v.is_default {
                            "default VPC".into()
                        } else {
                            String::new()
                        }
                    }),
                    cidr: v.cidr.to_string(),
                    subnets: net
                        .subnets
                        .iter()
                        .filter(|s| s.vpc_id == v.id)
                        .map(|s| SubnetView {
                            id: s.id.clone(),
                            cidr: s.cidr.to_string(),
                            public: net.is_public_subnet(s),
                            zone: s.zone.clone(),
                            instances: net
                                .instances
                                .iter()
                                .filter(|i| i.subnet_id == s.id && i.state != InstanceState::Terminated)
                                .map(|i| {
                                    (
                                        i.name_tag().map(str::to_string).unwrap_or_else(|| i.id.clone()),
                                        i.state.to_string(),
                                        i.private_ip.to_string(),
                                        i.public_ip.map(|p| p.to_string()),
                                    )
                                })
                                .collect(),
                            databases: db_nodes(lab, &s.id),
                        })
                        .collect(),
                })
                .collect::<Vec<_>>()
        })
    };
    let failed_zones = move || {
        state.rev.track();
        state.lab.with_value(|lab| lab.cloud.network.failed_zones.clone())
    };
    let replication = move || {
        state.rev.track();
        state.clock.track();
        state.lab.with_value(replication_lines)
    };
    let notice = RwSignal::new(String::new());
    // Injects a fault, lets the lab settle, and says what it hit.
    let inject = move |fault: Fault| {
        let result = state.change(|lab| {
            let r = fault(lab);
            lab.advance(Duration(0));
            r
        });
        notice.set(match result {
            Ok(lines) if lines.is_empty() => "Injected; nothing running was affected.".into(),
            Ok(lines) => lines.join("; "),
            Err(e) => e,
        });
    };
    view! {
        <section class="topology" aria-label="Topology">
            <h2>"Region us-east-1"</h2>
            {move || vpcs().into_iter().map(|vpc| view! {
                <div class="vpc">
                    <p class="vpc-title"><strong>{vpc.name.clone()}</strong>" "<span class="mono">{vpc.id.clone()}" · "{vpc.cidr.clone()}</span></p>
                    <div class="zones">
                        {ZONES.iter().map(|zone| {
                            let subnets: Vec<SubnetView> = vpc.subnets.iter().filter(|s| s.zone == *zone).cloned().collect();
                            view! {
                                <div class="zone" class:down=move || failed_zones().iter().any(|z| z == zone)>
                                    <p class="zone-name">{*zone}{move || if failed_zones().iter().any(|z| z == zone) { " · down" } else { "" }}</p>
                                    {subnets.into_iter().map(|s| view! {
                                        <div class="subnet" class:public=s.public>
                                            <p class="subnet-title">
                                                <span class="badge">{if s.public { "public" } else { "private" }}</span>
                                                " "<span class="mono">{s.cidr.clone()}</span>
                                            </p>
                                            <p class="mono small muted">{s.id.clone()}</p>
                                            <ul class="plain">
                                                {s.instances.into_iter().map(|(name, st, private_ip, public_ip)| view! {
                                                    <li class="node">
                                                        <span class=format!("dot {st}") aria-hidden="true"></span>
                                                        <span class="mono">{name}</span>
                                                        " "<span class="muted small">{st.clone()}</span>
                                                        <br/><span class="mono small">{private_ip}{public_ip.map(|p| format!(" · {p}")).unwrap_or_default()}</span>
                                                    </li>
                                                }).collect_view()}
                                                {s.databases.into_iter().map(|db| {
                                                    let id = db.id.clone();
                                                    view! {
                                                        <li class="node db">
                                                            <span class=format!("dot {}", db.status) aria-hidden="true"></span>
                                                            <span class="mono">{db.id.clone()}</span>
                                                            " "<span class="muted small">{db.role.clone()}" · "{db.status.clone()}</span>
                                                            <br/><span class="mono small">{db.address.clone()}</span>
                                                            {db.primary.then(|| view! {
                                                                " "<button class="button quiet danger small" aria-label=format!("Kill primary of {}", db.id)
                                                                    on:click=move |_| { let id = id.clone(); inject(Box::new(move |lab: &mut Lab| lab.cloud.kill_primary(&id).map(|r| vec![r]))) }>
                                                                    "Kill primary"
                                                                </button>
                                                            })}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </div>
                                    }).collect_view()}
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </div>
            }).collect_view()}
            <h2>"Faults"</h2>
            <div class="fault-buttons">
                {ZONES.iter().map(|zone| {
                    let down = move || failed_zones().iter().any(|z| z == zone);
                    view! {
                        <button class="button quiet small" class:danger=move || !down()
                            on:click=move |_| {
                                if down() {
                                    inject(Box::new(move |lab: &mut Lab| lab.cloud.recover_zone(zone)))
                                } else {
                                    inject(Box::new(move |lab: &mut Lab| lab.cloud.fail_zone(zone)))
                                }
                            }>
                            {move || if down() { format!("Recover {zone}") } else { format!("Fail {zone}") }}
                        </button>
                    }
                }).collect_view()}
            </div>
            <p class="small muted" role="status" aria-live="polite">{move || notice.get()}</p>
            {move || {
                let lines = replication();
                (!lines.is_empty()).then(|| view! {
                    <h2>"Databases and caches"</h2>
                    <ul class="plain replication">
                        {lines.into_iter().map(|l| view! { <li class="mono small">{l}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}
