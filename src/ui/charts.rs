//! Metric charts: a small line per metric over the last hour of virtual time, drawn as SVG from
//! the cloud's one-minute samples (`cloud::metrics`), with the latest value in words.

use super::state::use_lab;
use crate::cloud::metrics::Metrics;
use leptos::prelude::*;

/// Minutes each chart spans.
const WINDOW: usize = 60;
const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;

/// The metrics charted for each kind of resource: (namespace, metric, label, unit suffix).
const RDS: &[(&str, &str, &str)] = &[
    ("CPUUtilization", "CPU (estimate)", "%"),
    ("DatabaseConnections", "Connections", ""),
    ("WriteIOPS", "Writes/s", ""),
    ("ReplicaLag", "Replica lag", " s"),
];
const ELASTICACHE: &[(&str, &str, &str)] = &[
    ("CacheHits", "Hits/min", ""),
    ("CacheMisses", "Misses/min", ""),
    ("Evictions", "Evictions/min", ""),
    ("CurrConnections", "Connections", ""),
    ("ReplicationLag", "Replication lag", " s"),
];
const DYNAMODB: &[(&str, &str, &str)] = &[
    ("ConsumedReadCapacityUnits", "Read units/min", ""),
    ("ConsumedWriteCapacityUnits", "Write units/min", ""),
    ("ThrottledRequests", "Throttled/min", ""),
];

#[derive(Clone, PartialEq)]
struct Chart {
    label: String,
    latest: String,
    points: String,
}

/// The SVG polyline of a series scaled into the chart (the top is the series' maximum).
fn polyline(values: &[f64]) -> String {
    let max = values.iter().copied().fold(0.0f64, f64::max).max(1e-9);
    let step = WIDTH / (WINDOW.saturating_sub(1)).max(1) as f64;
    let offset = WINDOW.saturating_sub(values.len()) as f64 * step;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", offset + i as f64 * step, HEIGHT - 2.0 - (v / max) * (HEIGHT - 4.0)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn charts_of(metrics: &Metrics, namespace: &str, resource: &str, wanted: &[(&str, &str, &str)]) -> Vec<Chart> {
    wanted
        .iter()
        .filter_map(|(metric, label, unit)| {
            let points = metrics.points(namespace, resource, metric);
            let last = points.len().saturating_sub(WINDOW);
            let values: Vec<f64> = points[last..].iter().map(|p| p.1).collect();
            let latest = *values.last()?;
            Some(Chart {
                label: label.to_string(),
                latest: format!("{}{unit}", (latest * 10.0).round() / 10.0),
                points: polyline(&values),
            })
        })
        .collect()
}

/// The metrics charted for a namespace.
fn wanted(namespace: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match namespace {
        "AWS/RDS" => RDS,
        "AWS/ElastiCache" => ELASTICACHE,
        _ => DYNAMODB,
    }
}

/// The charts as a list: a label, the latest value, and the line.
fn chart_list(charts: Vec<Chart>) -> impl IntoView {
    view! {
        <ul class="plain charts">
            {charts.into_iter().map(|c| view! {
                <li class="chart">
                    <span class="small">{c.label.clone()}</span>
                    <span class="mono small">{c.latest.clone()}</span>
                    <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img"
                        aria-label=format!("{}, last hour, now {}", c.label, c.latest)>
                        <polyline points=c.points.clone() fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke"/>
                    </svg>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// One resource's charts (a console page's Monitoring tab): `namespace` as CloudWatch names
/// it (`AWS/DynamoDB`), `resource` its name there (the table, the DB instance, the node).
/// (The lab comes as a property: the console is mounted apart, without the app's context.)
#[component]
pub fn ResourceCharts(state: super::state::LabState, namespace: &'static str, resource: String) -> impl IntoView {
    let charts = move || {
        state.rev.track();
        state.clock.track();
        state.lab.with_value(|lab| charts_of(&lab.cloud.metrics, namespace, &resource, wanted(namespace)))
    };
    move || {
        let charts = charts();
        if charts.is_empty() {
            view! { <p class="muted">"CloudWatch has no data points yet: they come a minute after the resource exists."</p> }.into_any()
        } else {
            view! { <div class="monitor-charts">{chart_list(charts)}</div> }.into_any()
        }
    }
}

#[component]
pub fn MetricCharts() -> impl IntoView {
    let state = use_lab();
    let groups = move || {
        state.rev.track();
        state.clock.track();
        state.lab.with_value(|lab| {
            let metrics = &lab.cloud.metrics;
            let mut groups: Vec<(String, Vec<Chart>)> = lab
                .cloud
                .rds
                .instances
                .iter()
                .map(|i| (format!("DB instance {}", i.id), charts_of(metrics, "AWS/RDS", &i.id, RDS)))
                .collect();
            for n in &lab.cloud.elasticache.nodes {
                groups
                    .push((format!("Cache node {}", n.id), charts_of(metrics, "AWS/ElastiCache", &n.id, ELASTICACHE)));
            }
            for name in lab.cloud.dynamodb.tables.keys() {
                groups.push((format!("Table {name}"), charts_of(metrics, "AWS/DynamoDB", name, DYNAMODB)));
            }
            groups.retain(|(_, charts)| !charts.is_empty());
            groups
        })
    };
    view! {
        <h2>"Metrics"</h2>
        {move || {
            let groups = groups();
            if groups.is_empty() {
                view! { <p class="muted">"Charts appear a minute after a database, cache or table exists."</p> }.into_any()
            } else {
                groups.into_iter().map(|(title, charts)| view! {
                    <p class="chart-group">{title}</p>
                    {chart_list(charts)}
                }).collect_view().into_any()
            }
        }}
    }
}
