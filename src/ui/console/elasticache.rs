//! ElastiCache: Redis OSS caches, *Create Redis OSS cache*, and a cache's nodes, shards and
//! endpoints with its Actions (Failover primary, Modify, Delete).

use super::{
    badge, breadcrumbs, check_field, form_actions, number_field, select_field, text_field, CliEquivalent, Ctx, Flash,
    Page,
};
use crate::console::elasticache::{self as model, CreateCache, ModifyCache, NODE_TYPES};
use leptos::prelude::*;

fn crumbs(ctx: Ctx, last: Vec<(String, Option<Page>)>) -> impl IntoView {
    breadcrumbs(
        ctx,
        [
            vec![
                ("ElastiCache".to_string(), Some(Page::CacheList)),
                ("Redis OSS caches".to_string(), Some(Page::CacheList)),
            ],
            last,
        ]
        .concat(),
    )
}

pub fn caches_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::caches);
    view! {
        {breadcrumbs(ctx, vec![("ElastiCache".to_string(), Some(Page::CacheList)), ("Redis OSS caches".to_string(), None)])}
        <div class="console-head">
            <h2>"Redis OSS caches"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::CacheCreate)>"Create Redis OSS cache"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Redis OSS caches" tabindex="0">
            <table>
                <thead><tr><th>"Name"</th><th>"Status"</th><th>"Cluster mode"</th><th>"Shards"</th><th>"Nodes"</th><th>"Node type"</th></tr></thead>
                <tbody>
                    {move || {
                        let rows = rows();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="6" class="empty">"No caches. Create one to see it here."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|row| {
                            let page = Page::Cache(row.name.clone());
                            view! { <tr>
                                <td data-label="Name"><button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{row.name}</button></td>
                                <td data-label="Status">{badge(row.status)}</td>
                                <td data-label="Cluster mode">{if row.cluster_mode { "Enabled" } else { "Disabled" }}</td>
                                <td data-label="Shards">{row.shards}</td>
                                <td data-label="Nodes">{row.nodes}</td>
                                <td data-label="Node type">{row.node_type}</td>
                            </tr> }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

pub fn create_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(CreateCache::default());
    let plan = Signal::derive(move || form.with(CreateCache::plan));
    let groups = ctx.read(|lab| lab.cloud.elasticache.subnet_groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>());
    let mut group_options = vec![(String::new(), "default".to_string())];
    group_options.extend(groups.into_iter().map(|g| (g.clone(), g)));
    let flag = move |get: fn(&CreateCache) -> bool| Signal::derive(move || form.with(get));
    let number = move |get: fn(&CreateCache) -> i64| Signal::derive(move || form.with(get));
    let create = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let name = form.with_untracked(|f| f.name.clone());
        let flash = Flash {
            text: format!("Creating Redis OSS cache {name}."),
            good: true,
            link: Some(("View details".to_string(), Page::Cache(name))),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::CacheList);
        }
    };
    view! {
        {crumbs(ctx, vec![("Create Redis OSS cache".to_string(), None)])}
        <h2>"Create Redis OSS cache"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <fieldset>
                <legend>"Cluster info"</legend>
                {text_field("Name", Signal::derive(move || form.with(|f| f.name.clone())), move |v| form.update(|f| f.name = v))}
                {text_field("Description - optional", Signal::derive(move || form.with(|f| f.description.clone())), move |v| form.update(|f| f.description = v))}
                {check_field("Cluster mode: data partitioned across shards", flag(|f| f.cluster_mode), move |v| form.update(|f| f.cluster_mode = v))}
            </fieldset>
            <fieldset>
                <legend>"Cluster settings"</legend>
                {select_field("Node type", NODE_TYPES.iter().map(|t| (t.to_string(), t.to_string())).collect(), Signal::derive(move || form.with(|f| f.node_type.clone())), move |v| form.update(|f| f.node_type = v))}
                <Show when=move || form.with(|f| f.cluster_mode)>
                    {number_field("Number of shards", number(|f| f.shards), move |v| form.update(|f| f.shards = v))}
                </Show>
                {number_field("Number of replicas (per shard)", number(|f| f.replicas_per_shard), move |v| form.update(|f| f.replicas_per_shard = v))}
                {check_field("Multi-AZ", flag(|f| f.multi_az), move |v| form.update(|f| f.multi_az = v))}
                {check_field("Auto-failover", flag(|f| f.automatic_failover), move |v| form.update(|f| f.automatic_failover = v))}
            </fieldset>
            <fieldset>
                <legend>"Connectivity"</legend>
                {select_field("Subnet group", group_options, Signal::derive(move || form.with(|f| f.subnet_group.clone())), move |v| form.update(|f| f.subnet_group = v))}
            </fieldset>
            <fieldset>
                <legend>"Backup"</legend>
                {number_field("Backup retention period (days, 0: off)", number(|f| f.backup_retention), move |v| form.update(|f| f.backup_retention = v))}
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::CacheList, "Create", plan)}
        </form>
    }
}

pub fn cache_page(ctx: Ctx, name: String) -> impl IntoView {
    let name = StoredValue::new(name);
    let group = move || ctx.read(|lab| model::describe(lab, &name.get_value()));
    let failover = move |shard: String| {
        let action = model::failover(&name.get_value(), &shard);
        ctx.send(
            &[action],
            Flash {
                text: format!("Failing over the primary of shard {shard} of {}.", name.get_value()),
                good: true,
                link: None,
            },
        );
    };
    let delete = move |_| {
        let action = model::delete(&name.get_value(), None);
        if ctx.send(
            &[action],
            Flash { text: format!("Deleting Redis OSS cache {}.", name.get_value()), good: true, link: None },
        ) {
            ctx.page.set(Page::CacheList);
        }
    };
    view! {
        {crumbs(ctx, vec![(name.get_value(), None)])}
        <Show when=move || group().is_some() fallback=move || view! { <p class="empty">"The cache "{name.get_value()}" does not exist (any more)."</p> }>
            <div class="console-head">
                <h2>{name.get_value()}</h2>
                {move || badge(crate::console::rds::status_label(&group().map(|g| crate::console::dynamodb::text_of(&g, "Status")).unwrap_or_default())).into_any()}
                <button type="button" class="button" on:click=move |_| ctx.page.set(Page::CacheModify(name.get_value()))>"Modify"</button>
                <button type="button" class="button danger" on:click=delete>"Delete"</button>
            </div>
            <h3>"Endpoints"</h3>
            <dl class="details">
                {move || group().map(|g| model::endpoints(&g)).unwrap_or_default().into_iter().map(|(label, address)| view! {
                    <dt>{label}</dt><dd class="mono">{address}</dd>
                }).collect_view()}
            </dl>
            <h3>"Nodes"</h3>
            <div class="resource-table" role="region" aria-label="Nodes" tabindex="0"><table>
                <thead><tr><th>"Node name"</th><th>"Shard"</th><th>"Role"</th><th>"Availability Zone"</th><th>"Endpoint"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>{move || group().map(|g| model::nodes(&g)).unwrap_or_default().into_iter().map(|node| {
                    let shard = node.shard.clone();
                    let primary = node.role == "Primary";
                    view! { <tr>
                        <td data-label="Node name">{node.id}</td><td data-label="Shard">{node.shard}</td><td data-label="Role">{node.role}</td>
                        <td data-label="Availability Zone">{node.zone}</td><td data-label="Endpoint" class="mono">{node.endpoint}</td>
                        <td>{primary.then(|| view! { <button type="button" class="small" on:click=move |_| failover(shard.clone())>"Failover primary"</button> })}</td>
                    </tr> }
                }).collect_view()}</tbody>
            </table></div>
        </Show>
    }
}

pub fn modify_page(ctx: Ctx, name: String) -> impl IntoView {
    let Some(group) = ctx.read(|lab| model::describe(lab, &name)) else {
        return view! { <p class="empty">"The cache "{name}" does not exist (any more)."</p> }.into_any();
    };
    let form = RwSignal::new(ModifyCache::from_description(&group));
    let plan = Signal::derive(move || form.with(ModifyCache::plan));
    let name = StoredValue::new(name);
    let modify = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let flash = Flash { text: format!("Modifying Redis OSS cache {}.", name.get_value()), good: true, link: None };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::Cache(name.get_value()));
        }
    };
    let flag = move |get: fn(&ModifyCache) -> bool| Signal::derive(move || form.with(get));
    view! {
        {crumbs(ctx, vec![(name.get_value(), Some(Page::Cache(name.get_value()))), ("Modify".to_string(), None)])}
        <h2>{format!("Modify {}", name.get_value())}</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); modify(); }>
            <fieldset>
                <legend>"Cluster settings"</legend>
                {text_field("Description", Signal::derive(move || form.with(|f| f.description.clone())), move |v| form.update(|f| f.description = v))}
                {select_field("Node type", NODE_TYPES.iter().map(|t| (t.to_string(), t.to_string())).collect(), Signal::derive(move || form.with(|f| f.node_type.clone())), move |v| form.update(|f| f.node_type = v))}
                {check_field("Multi-AZ", flag(|f| f.multi_az), move |v| form.update(|f| f.multi_az = v))}
                {check_field("Auto-failover", flag(|f| f.automatic_failover), move |v| form.update(|f| f.automatic_failover = v))}
                {number_field("Backup retention period (days, 0: off)", Signal::derive(move || form.with(|f| f.backup_retention)), move |v| form.update(|f| f.backup_retention = v))}
            </fieldset>
            {check_field("Apply immediately (otherwise: in the next maintenance window)", flag(|f| f.apply_immediately), move |v| form.update(|f| f.apply_immediately = v))}
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::Cache(name.get_value()), "Preview changes and modify", plan)}
        </form>
    }
    .into_any()
}
