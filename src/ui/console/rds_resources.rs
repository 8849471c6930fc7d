//! RDS beyond the Databases list: Subnet groups (*Create DB subnet group*), Snapshots
//! (Restore snapshot, Delete snapshot), Automated backups, and a database's *Modify* page.

use super::{
    badge, breadcrumbs, check_field, form_actions, id_checkboxes, number_field, select_field, text_field,
    CliEquivalent, Ctx, Flash, Page,
};
use crate::console::rds_resources::{self as model, CreateSubnetGroup, ModifyDatabase};
use crate::console::Plan;
use leptos::prelude::*;

fn crumbs(ctx: Ctx, trail: Vec<(String, Option<Page>)>) -> impl IntoView {
    breadcrumbs(ctx, [vec![("RDS".to_string(), Some(Page::RdsDatabases))], trail].concat())
}

pub fn subnet_groups_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::subnet_groups);
    view! {
        {crumbs(ctx, vec![("Subnet groups".to_string(), None)])}
        <div class="console-head">
            <h2>"Subnet groups"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::RdsCreateSubnetGroup)>"Create DB subnet group"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Subnet groups" tabindex="0"><table>
            <thead><tr><th>"Name"</th><th>"Description"</th><th>"Status"</th><th>"VPC"</th><th>"Subnets"</th></tr></thead>
            <tbody>{move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <tr><td colspan="5" class="empty">"No DB subnet groups. A database without one goes in the default VPC."</td></tr> }.into_any();
                }
                rows.into_iter().map(|row| view! { <tr>
                    <td data-label="Name">{row.name}</td>
                    <td data-label="Description">{row.description}</td>
                    <td data-label="Status">{badge("Complete".to_string())}</td>
                    <td data-label="VPC" class="mono">{row.vpc}</td>
                    <td data-label="Subnets" class="mono">{row.subnets.into_iter().map(|(s, z)| format!("{s} ({z})")).collect::<Vec<_>>().join(", ")}</td>
                </tr> }).collect_view().into_any()
            }}</tbody>
        </table></div>
    }
}

pub fn create_subnet_group_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(CreateSubnetGroup::default());
    let plan = Signal::derive(move || form.with(CreateSubnetGroup::plan));
    let vpcs = ctx.read(crate::console::vpc::vpcs);
    let subnets = StoredValue::new(ctx.read(crate::console::vpc::subnets));
    let first_vpc = vpcs.iter().find(|v| !v.default).or(vpcs.first()).map(|v| v.id.clone()).unwrap_or_default();
    form.update(|f| f.vpc_id = first_vpc);
    let options: Vec<(String, String)> =
        vpcs.into_iter().map(|v| (v.id.clone(), format!("{} ({})", v.id, v.name))).collect();
    // Only a change of VPC draws the subnets again (not a tick of one of their boxes).
    let vpc = Memo::new(move |_| form.with(|f| f.vpc_id.clone()));
    let create = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let name = form.with_untracked(|f| f.name.clone());
        let flash = Flash {
            text: format!("Successfully created {name}."),
            good: true,
            link: Some(("View subnet groups".to_string(), Page::RdsSubnetGroups)),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::RdsSubnetGroups);
        }
    };
    view! {
        {crumbs(ctx, vec![("Subnet groups".to_string(), Some(Page::RdsSubnetGroups)), ("Create DB subnet group".to_string(), None)])}
        <h2>"Create DB subnet group"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <fieldset>
                <legend>"Subnet group details"</legend>
                {text_field("Name", Signal::derive(move || form.with(|f| f.name.clone())), move |v| form.update(|f| f.name = v))}
                {text_field("Description", Signal::derive(move || form.with(|f| f.description.clone())), move |v| form.update(|f| f.description = v))}
                {select_field("VPC", options, vpc.into(), move |v| form.update(|f| { f.vpc_id = v; f.subnet_ids.clear(); }))}
            </fieldset>
            <fieldset>
                <legend>"Add subnets"</legend>
                <p class="muted small">"For Multi-AZ DB instances, choose subnets in at least two Availability Zones."</p>
                <div role="group" aria-label="Subnets">
                    {move || {
                        let vpc = vpc.get();
                        let options = subnets.get_value().into_iter().filter(|s| s.vpc == vpc).map(|s| {
                            let label = format!("{} {} ({}, {})", s.name, s.id, s.zone, s.cidr);
                            (s.id, label)
                        }).collect();
                        id_checkboxes(options, form, |f| &f.subnet_ids, |f| &mut f.subnet_ids)
                    }}
                </div>
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::RdsSubnetGroups, "Create", plan)}
        </form>
    }
}

pub fn snapshots_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::snapshots);
    let restoring = RwSignal::new(None::<String>);
    let delete = move |id: String| {
        ctx.send(
            &[model::delete_snapshot(&id)],
            Flash { text: format!("Deleting snapshot {id}."), good: true, link: None },
        );
    };
    view! {
        {crumbs(ctx, vec![("Snapshots".to_string(), None)])}
        <h2>"Snapshots"</h2>
        <div class="resource-table" role="region" aria-label="Snapshots" tabindex="0"><table>
            <thead><tr><th>"Snapshot name"</th><th>"DB instance"</th><th>"Snapshot creation time"</th><th>"Status"</th><th>"Type"</th><th>"Engine"</th><th>"Size"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <tr><td colspan="8" class="empty">"No snapshots. Take one from a database's Actions."</td></tr> }.into_any();
                }
                rows.into_iter().map(|row| {
                    let (id, id2) = (row.id.clone(), row.id.clone());
                    let manual = row.kind == "manual";
                    view! { <tr>
                        <td data-label="Snapshot name">{row.id}</td>
                        <td data-label="DB instance">{row.database}</td>
                        <td data-label="Snapshot creation time" class="mono">{row.created}</td>
                        <td data-label="Status">{badge(row.status)}</td>
                        <td data-label="Type">{if manual { "Manual" } else { "Automated" }}</td>
                        <td data-label="Engine">{row.engine}</td>
                        <td data-label="Size">{format!("{} GiB", row.storage_gib)}</td>
                        <td class="row-actions">
                            <button type="button" class="small" on:click=move |_| restoring.set(Some(id.clone()))>"Restore snapshot"</button>
                            {manual.then(|| view! { <button type="button" class="small" on:click=move |_| delete(id2.clone())>"Delete snapshot"</button> })}
                        </td>
                    </tr> }
                }).collect_view().into_any()
            }}</tbody>
        </table></div>
        <Show when=move || restoring.with(Option::is_some)>
            {move || restoring.get().map(|snapshot| restore_form(ctx, snapshot, restoring))}
        </Show>
    }
}

/// Restore snapshot: the new database's identifier, the command, and the button.
fn restore_form(ctx: Ctx, snapshot: String, open: RwSignal<Option<String>>) -> impl IntoView {
    // (An automated snapshot's name, `rds:shop-db-2026-12-04-03-00`, is no identifier.)
    let target = RwSignal::new(format!("{}-restored", snapshot.trim_start_matches("rds:")));
    let snapshot = StoredValue::new(snapshot);
    let plan = Signal::derive(move || -> Plan {
        let target = target.get();
        if target.trim().is_empty() {
            return Err("Enter the new DB instance identifier.".to_string());
        }
        Ok(vec![model::restore_snapshot(&snapshot.get_value(), target.trim())])
    });
    let send = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let id = target.get_untracked().trim().to_string();
        let flash = Flash {
            text: format!("Restoring {} to {id}.", snapshot.get_value()),
            good: true,
            link: Some(("View database".to_string(), Page::RdsDatabase(id))),
        };
        if ctx.send(&actions, flash) {
            open.set(None);
        }
    };
    view! {
        <form class="console-form" aria-label="Restore snapshot" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <fieldset>
                <legend>{format!("Restore snapshot {}", snapshot.get_value())}</legend>
                {text_field("DB instance identifier", target.into(), move |v| target.set(v))}
            </fieldset>
            <CliEquivalent ctx plan/>
            <div class="form-actions">
                <button type="button" class="button quiet" on:click=move |_| open.set(None)>"Cancel"</button>
                <button type="submit" class="button primary" disabled=move || plan.with(Result::is_err)>"Restore DB instance"</button>
            </div>
        </form>
    }
}

pub fn automated_backups_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::automated_backups);
    view! {
        {crumbs(ctx, vec![("Automated backups".to_string(), None)])}
        <h2>"Automated backups"</h2>
        <p class="muted small">"A database with automated backups can be restored to any second of its window: Actions → Restore to point in time on its page."</p>
        <div class="resource-table" role="region" aria-label="Automated backups" tabindex="0"><table>
            <thead><tr><th>"DB instance"</th><th>"Status"</th><th>"Engine"</th><th>"Retention period"</th><th>"Earliest restorable time"</th><th>"Latest restorable time"</th></tr></thead>
            <tbody>{move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <tr><td colspan="6" class="empty">"No automated backups."</td></tr> }.into_any();
                }
                rows.into_iter().map(|row| {
                    let page = Page::RdsDatabase(row.database.clone());
                    view! { <tr>
                        <td data-label="DB instance"><button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{row.database}</button></td>
                        <td data-label="Status">{badge(row.status)}</td>
                        <td data-label="Engine">{row.engine}</td>
                        <td data-label="Retention period">{format!("{} days", row.retention_days)}</td>
                        <td data-label="Earliest restorable time" class="mono">{row.earliest}</td>
                        <td data-label="Latest restorable time" class="mono">{row.latest}</td>
                    </tr> }
                }).collect_view().into_any()
            }}</tbody>
        </table></div>
    }
}

pub fn modify_page(ctx: Ctx, id: String) -> impl IntoView {
    let described = ctx.read(|lab| crate::console::rds::describe_instance(lab, &id));
    let Some(described) = described else {
        return view! { <p class="empty">"The database "{id}" does not exist (any more)."</p> }.into_any();
    };
    let form = RwSignal::new(ModifyDatabase::from_description(&described));
    let plan = Signal::derive(move || form.with(ModifyDatabase::plan));
    let engine = described.get("Engine").and_then(serde_json::Value::as_str).unwrap_or("mysql");
    let classes = crate::console::rds::EngineChoice::from_engine(engine).map(|e| e.classes()).unwrap_or_default();
    let id = StoredValue::new(id);
    let modify = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let now = form.with_untracked(|f| f.apply_immediately);
        let text = format!(
            "Modifying DB instance {}{}.",
            id.get_value(),
            if now { "" } else { " in its next maintenance window" }
        );
        if ctx.send(&actions, Flash { text, good: true, link: None }) {
            ctx.page.set(Page::RdsDatabase(id.get_value()));
        }
    };
    let number = move |get: fn(&ModifyDatabase) -> i64| Signal::derive(move || form.with(get));
    let flag = move |get: fn(&ModifyDatabase) -> bool| Signal::derive(move || form.with(get));
    view! {
        {crumbs(ctx, vec![("Databases".to_string(), Some(Page::RdsDatabases)), (id.get_value(), Some(Page::RdsDatabase(id.get_value()))), ("Modify".to_string(), None)])}
        <h2>{format!("Modify DB instance: {}", id.get_value())}</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); modify(); }>
            <fieldset>
                <legend>"Instance configuration"</legend>
                {select_field("DB instance class", classes.into_iter().map(|c| (c.to_string(), c.to_string())).collect(), Signal::derive(move || form.with(|f| f.instance_class.clone())), move |v| form.update(|f| f.instance_class = v))}
                {number_field("Allocated storage (GiB)", number(|f| f.allocated_storage), move |v| form.update(|f| f.allocated_storage = v))}
                {check_field("Multi-AZ DB instance (a standby in another zone)", flag(|f| f.multi_az), move |v| form.update(|f| f.multi_az = v))}
            </fieldset>
            <fieldset>
                <legend>"Additional configuration"</legend>
                {number_field("Backup retention period (days)", number(|f| f.backup_retention), move |v| form.update(|f| f.backup_retention = v))}
                {check_field("Enable deletion protection", flag(|f| f.deletion_protection), move |v| form.update(|f| f.deletion_protection = v))}
            </fieldset>
            <fieldset>
                <legend>"Schedule modifications"</legend>
                <label class="check"><input type="radio" name="apply" prop:checked=move || !form.with(|f| f.apply_immediately) on:change=move |_| form.update(|f| f.apply_immediately = false)/>
                    <span>"Apply during the next scheduled maintenance window"</span></label>
                <label class="check"><input type="radio" name="apply" prop:checked=move || form.with(|f| f.apply_immediately) on:change=move |_| form.update(|f| f.apply_immediately = true)/>
                    <span>"Apply immediately"</span></label>
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::RdsDatabase(id.get_value()), "Modify DB instance", plan)}
        </form>
    }
    .into_any()
}
