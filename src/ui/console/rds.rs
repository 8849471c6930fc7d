//! RDS: Databases, *Create database*, and a database's page with its tabs and Actions.

use super::{
    badge, breadcrumbs, check_field, form_actions, id_checkboxes, number_field, select_field, text_field,
    CliEquivalent, Ctx, Flash, Page,
};
use crate::console::rds::{self as model, CreateDatabase, EngineChoice, Template};
use leptos::prelude::*;
use serde_json::Value;

fn home(ctx: Ctx) -> Vec<(String, Option<Page>)> {
    let _ = ctx;
    vec![("RDS".to_string(), Some(Page::RdsDatabases))]
}

pub fn databases_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::databases);
    view! {
        {breadcrumbs(ctx, [home(ctx), vec![("Databases".to_string(), None)]].concat())}
        <div class="console-head">
            <h2>"Databases"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::RdsCreate)>"Create database"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Databases" tabindex="0">
            <table>
                <thead><tr><th>"DB identifier"</th><th>"Status"</th><th>"Role"</th><th>"Engine"</th><th>"Region & AZ"</th><th>"Size"</th><th>"Multi-AZ"</th></tr></thead>
                <tbody>
                    {move || {
                        let rows = rows();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="7" class="empty">"No databases. Create one to see it here."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|row| {
                            let target = if row.role == "Regional cluster" { None } else { Some(Page::RdsDatabase(row.identifier.clone())) };
                            let id = row.identifier.clone();
                            view! {
                                <tr class:child=row.child>
                                    <td data-label="DB identifier">{match target {
                                        Some(page) => view! { <button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{id}</button> }.into_any(),
                                        None => view! { <span class="strong">{id}</span> }.into_any(),
                                    }}</td>
                                    <td data-label="Status">{badge(row.status)}</td>
                                    <td data-label="Role">{row.role}</td>
                                    <td data-label="Engine">{row.engine}</td>
                                    <td data-label="Region & AZ">{row.zone}</td>
                                    <td data-label="Size">{row.size}</td>
                                    <td data-label="Multi-AZ">{if row.multi_az { "Yes" } else { "No" }}</td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

pub fn create_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(CreateDatabase::new(EngineChoice::Mysql, Template::Production));
    let field = move |get: fn(&CreateDatabase) -> String| Signal::derive(move || form.with(get));
    let plan = Signal::derive(move || form.with(CreateDatabase::plan));
    let (subnet_groups, security_groups, zones) = ctx.read(|lab| {
        let groups: Vec<String> = lab.cloud.rds.subnet_groups.iter().map(|g| g.name.clone()).collect();
        let sgs: Vec<(String, String)> = lab
            .cloud
            .network
            .security_groups
            .iter()
            .map(|g| (g.id.clone(), format!("{} ({})", g.name, g.id)))
            .collect();
        let zones: Vec<String> = crate::cloud::network::ZONES.iter().map(|z| z.to_string()).collect();
        (groups, sgs, zones)
    });
    let create = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        let id = form.with_untracked(|f| f.identifier.clone());
        let flash = Flash {
            text: format!("Creating database {id}. It may take a few minutes to become available."),
            good: true,
            link: Some((
                "View details".to_string(),
                if form.with_untracked(|f| f.engine.is_aurora()) {
                    Page::RdsDatabases
                } else {
                    Page::RdsDatabase(id.clone())
                },
            )),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::RdsDatabases);
        }
    };
    let engine_options = EngineChoice::ALL.iter().map(|e| (e.engine().to_string(), e.label().to_string())).collect();
    let class_options = move || {
        form.with(|f| f.engine.classes()).into_iter().map(|c| (c.to_string(), c.to_string())).collect::<Vec<_>>()
    };
    let mut subnet_options = vec![(String::new(), "default".to_string())];
    subnet_options.extend(subnet_groups.into_iter().map(|g| (g.clone(), g)));
    let mut zone_options = vec![(String::new(), "No preference".to_string())];
    zone_options.extend(zones.into_iter().map(|z| (z.clone(), z)));
    view! {
        {breadcrumbs(ctx, [home(ctx), vec![("Databases".to_string(), Some(Page::RdsDatabases)), ("Create database".to_string(), None)]].concat())}
        <h2>"Create database"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); create(()); }>
            <fieldset>
                <legend>"Engine options"</legend>
                {select_field("Engine type", engine_options, Signal::derive(move || form.with(|f| f.engine.engine().to_string())),
                    move |v| if let Some(e) = EngineChoice::from_engine(&v) { form.update(|f| f.set_engine(e)) })}
                {move || {
                    let versions = form.with(|f| f.engine.versions()).iter().map(|v| (v.to_string(), v.to_string())).collect();
                    select_field("Engine version", versions, field(|f| f.version.clone()), move |v| form.update(|f| f.version = v))
                }}
            </fieldset>
            <fieldset>
                <legend>"Templates"</legend>
                <div class="choices" role="radiogroup" aria-label="Templates">
                    {Template::ALL.into_iter().map(|t| view! {
                        <label class="choice">
                            <input type="radio" name="template" prop:checked=move || form.with(|f| f.template == t)
                                on:change=move |_| form.update(|f| f.apply_template(t))/>
                            <span class="strong">{t.label()}</span>
                            <span class="muted small">{t.description()}</span>
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Settings"</legend>
                {text_field("DB instance identifier", field(|f| f.identifier.clone()), move |v| form.update(|f| f.identifier = v))}
                {text_field("Master username", field(|f| f.master_username.clone()), move |v| form.update(|f| f.master_username = v))}
                <label class="field"><span>"Master password"</span>
                    <input type="password" autocomplete="new-password" prop:value=field(|f| f.master_password.clone())
                        on:input=move |ev| form.update(|f| f.master_password = event_target_value(&ev))/></label>
                <label class="field"><span>"Confirm master password"</span>
                    <input type="password" autocomplete="new-password" prop:value=field(|f| f.confirm_password.clone())
                        on:input=move |ev| form.update(|f| f.confirm_password = event_target_value(&ev))/></label>
            </fieldset>
            <fieldset>
                <legend>"Instance configuration and storage"</legend>
                {move || select_field("DB instance class", class_options(), field(|f| f.instance_class.clone()), move |v| form.update(|f| f.instance_class = v))}
                <Show when=move || !form.with(|f| f.engine.is_aurora())>
                    {number_field("Allocated storage (GiB)", Signal::derive(move || form.with(|f| f.allocated_storage)), move |v| form.update(|f| f.allocated_storage = v))}
                </Show>
            </fieldset>
            <fieldset>
                <legend>"Availability & durability"</legend>
                {check_field("Multi-AZ: a standby (or an Aurora reader) in another zone", Signal::derive(move || form.with(|f| f.multi_az)), move |v| form.update(|f| f.multi_az = v))}
            </fieldset>
            <fieldset>
                <legend>"Connectivity"</legend>
                {select_field("DB subnet group", subnet_options, field(|f| f.subnet_group.clone()), move |v| form.update(|f| f.subnet_group = v))}
                {check_field("Public access", Signal::derive(move || form.with(|f| f.public_access)), move |v| form.update(|f| f.public_access = v))}
                <div class="field"><span>"Existing VPC security groups"</span>
                    <div class="checks">
                        {id_checkboxes(security_groups, form, |f| &f.security_groups, |f| &mut f.security_groups)}
                    </div>
                </div>
                {select_field("Availability Zone", zone_options, field(|f| f.availability_zone.clone()), move |v| form.update(|f| f.availability_zone = v))}
            </fieldset>
            <fieldset>
                <legend>"Additional configuration"</legend>
                {text_field("Initial database name", field(|f| f.initial_database.clone()), move |v| form.update(|f| f.initial_database = v))}
                {number_field("Backup retention period (days)", Signal::derive(move || form.with(|f| f.backup_retention)), move |v| form.update(|f| f.backup_retention = v))}
                {check_field("Enable deletion protection", Signal::derive(move || form.with(|f| f.deletion_protection)), move |v| form.update(|f| f.deletion_protection = v))}
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::RdsDatabases, "Create database", plan)}
        </form>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Connectivity,
    Configuration,
    Monitoring,
    Backups,
    Events,
}

/// What an Actions menu item opens: a dialog with its choices, or nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Reboot,
    Delete,
    Snapshot,
    Replica,
    Restore,
}

pub fn database_page(ctx: Ctx, id: String) -> impl IntoView {
    let tab = RwSignal::new(Tab::Connectivity);
    let dialog = RwSignal::new(None::<Dialog>);
    let id = StoredValue::new(id);
    let described = move || ctx.read(|lab| model::describe_instance(lab, &id.get_value()));
    let get = move |path: &'static str| move || described().and_then(|d| d.pointer(path).map(show)).unwrap_or_default();
    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button type="button" role="tab" aria-selected=move || (tab.get() == which).to_string() on:click=move |_| tab.set(which)>{label}</button>
        }
    };
    let is_replica = move || described().is_some_and(|d| d.get("ReadReplicaSourceDBInstanceIdentifier").is_some());
    let menu = NodeRef::<leptos::html::Details>::new();
    let close_menu = move || {
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    let action = move |d: Dialog, label: &'static str| {
        view! {
            <button type="button" role="menuitem" on:click=move |_| { close_menu(); dialog.set(Some(d)); }>{label}</button>
        }
    };
    view! {
        {breadcrumbs(ctx, [home(ctx), vec![("Databases".to_string(), Some(Page::RdsDatabases)), (id.get_value(), None)]].concat())}
        <Show when=move || described().is_some() fallback=move || view! {
            <p class="empty">"The database "{id.get_value()}" does not exist (any more)."</p>
        }>
            <div class="console-head">
                <h2>{id.get_value()}</h2>
                {move || badge(model::status_label(&get("/DBInstanceStatus")())).into_any()}
                <details class="actions-menu" node_ref=menu>
                    <summary class="button">"Actions"</summary>
                    <div class="menu" role="menu">
                        <button type="button" role="menuitem" on:click=move |_| { close_menu(); ctx.page.set(Page::RdsModify(id.get_value())); }>"Modify"</button>
                        {action(Dialog::Reboot, "Reboot")}
                        {action(Dialog::Snapshot, "Take snapshot")}
                        {action(Dialog::Restore, "Restore to point in time")}
                        {move || if is_replica() {
                            view! { <button type="button" role="menuitem" on:click=move |_| {
                                close_menu();
                                ctx.send(&[model::promote(&id.get_value())], Flash { text: format!("Promoting read replica {}.", id.get_value()), good: true, link: None });
                            }>"Promote"</button> }.into_any()
                        } else { action(Dialog::Replica, "Create read replica").into_any() }}
                        {action(Dialog::Delete, "Delete")}
                    </div>
                </details>
            </div>
            <div class="summary-grid">
                <div><span class="muted">"Role"</span><span>{move || if is_replica() { "Replica" } else { "Instance" }}</span></div>
                <div><span class="muted">"Engine"</span><span>{move || model::engine_label(get("/Engine")().trim_matches('"'))}</span></div>
                <div><span class="muted">"Class"</span><span>{get("/DBInstanceClass")}</span></div>
                <div><span class="muted">"Region & AZ"</span><span>{get("/AvailabilityZone")}</span></div>
            </div>
            <div role="tablist" class="console-tabs" aria-label="Database details">
                {tab_button(Tab::Connectivity, "Connectivity & security")}
                {tab_button(Tab::Monitoring, "Monitoring")}
                {tab_button(Tab::Configuration, "Configuration")}
                {tab_button(Tab::Backups, "Maintenance & backups")}
                {tab_button(Tab::Events, "Logs & events")}
            </div>
            <div role="tabpanel" class="console-tab-panel">
                {move || match tab.get() {
                    Tab::Connectivity => view! {
                        <dl class="details">
                            <dt>"Endpoint"</dt><dd class="mono">{get("/Endpoint/Address")}</dd>
                            <dt>"Port"</dt><dd>{get("/Endpoint/Port")}</dd>
                            <dt>"Availability Zone"</dt><dd>{get("/AvailabilityZone")}</dd>
                            <dt>"Secondary zone"</dt><dd>{get("/SecondaryAvailabilityZone")}</dd>
                            <dt>"VPC"</dt><dd>{get("/DBSubnetGroup/VpcId")}</dd>
                            <dt>"Subnet group"</dt><dd>{get("/DBSubnetGroup/DBSubnetGroupName")}</dd>
                            <dt>"Publicly accessible"</dt><dd>{get("/PubliclyAccessible")}</dd>
                            <dt>"VPC security groups"</dt><dd>{move || described().map(|d| list(&d, "VpcSecurityGroups", "VpcSecurityGroupId")).unwrap_or_default()}</dd>
                        </dl>
                        <h3>"Security group rules"</h3>
                        <div class="resource-table" role="region" aria-label="Security group rules" tabindex="0"><table>
                            <thead><tr><th>"Security group"</th><th>"Type"</th><th>"Port range"</th><th>"Source"</th></tr></thead>
                            <tbody>{move || {
                                let ids: Vec<String> = described()
                                    .and_then(|d| d.get("VpcSecurityGroups").and_then(Value::as_array).cloned())
                                    .unwrap_or_default()
                                    .iter()
                                    .filter_map(|g| g.get("VpcSecurityGroupId").and_then(Value::as_str).map(str::to_string))
                                    .collect();
                                let rules = ctx.read(|lab| crate::console::ec2::inbound_rules_of(lab, &ids));
                                if rules.is_empty() {
                                    return view! { <tr><td colspan="4" class="empty">"No inbound rules: nothing can connect to this database."</td></tr> }.into_any();
                                }
                                rules.into_iter().map(|(group, rule)| view! { <tr>
                                    <td data-label="Security group">{group}</td>
                                    <td data-label="Type">{rule.kind}</td>
                                    <td data-label="Port range">{if rule.port.is_empty() { "All".to_string() } else { rule.port }}</td>
                                    <td data-label="Source" class="mono">{rule.source}</td>
                                </tr> }).collect_view().into_any()
                            }}</tbody>
                        </table></div>
                    }.into_any(),
                    Tab::Monitoring => view! {
                        <h3>"CloudWatch metrics"</h3>
                        <crate::ui::charts::ResourceCharts state=ctx.state namespace="AWS/RDS" resource=id.get_value()/>
                    }.into_any(),
                    Tab::Configuration => view! {
                        <dl class="details">
                            <dt>"Engine version"</dt><dd>{get("/EngineVersion")}</dd>
                            <dt>"Instance class"</dt><dd>{get("/DBInstanceClass")}</dd>
                            <dt>"Storage"</dt><dd>{move || format!("{} GiB", get("/AllocatedStorage")())}</dd>
                            <dt>"Multi-AZ"</dt><dd>{get("/MultiAZ")}</dd>
                            <dt>"Master username"</dt><dd>{get("/MasterUsername")}</dd>
                            <dt>"DB name"</dt><dd>{get("/DBName")}</dd>
                            <dt>"Deletion protection"</dt><dd>{get("/DeletionProtection")}</dd>
                        </dl>
                    }.into_any(),
                    Tab::Backups => view! {
                        <dl class="details">
                            <dt>"Automated backups"</dt><dd>{move || format!("Enabled ({} days)", get("/BackupRetentionPeriod")())}</dd>
                            <dt>"Latest restore time"</dt><dd>{get("/LatestRestorableTime")}</dd>
                            <dt>"Backup window"</dt><dd>{get("/PreferredBackupWindow")}</dd>
                        </dl>
                    }.into_any(),
                    Tab::Events => {
                        let events = move || ctx.read(|lab| model::events(lab, &id.get_value()));
                        view! {
                            <ul class="plain events">
                                {move || events().into_iter().map(|(at, message)| view! { <li><span class="mono">{at}</span>" "{message}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </div>
        </Show>
        {move || dialog.get().map(|d| action_dialog(ctx, id.get_value(), d, dialog))}
    }
}

/// A JSON value as a detail shows it: strings bare, the rest as JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    }
}

fn list(value: &Value, key: &str, member: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().map(|i| show(i.get(member).unwrap_or(&Value::Null))).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

/// The dialog an action opens: its choices, the CLI equivalent, and the button that sends it.
fn action_dialog(ctx: Ctx, id: String, which: Dialog, open: RwSignal<Option<Dialog>>) -> impl IntoView {
    let failover = RwSignal::new(false);
    let final_snapshot = RwSignal::new(true);
    let retain = RwSignal::new(true);
    let confirm = RwSignal::new(String::new());
    let name = RwSignal::new(match which {
        Dialog::Snapshot => format!("{id}-snapshot"),
        Dialog::Replica => format!("{id}-replica"),
        Dialog::Restore => format!("{id}-restored"),
        Dialog::Delete => format!("{id}-final-snapshot"),
        Dialog::Reboot => String::new(),
    });
    let restore_time = RwSignal::new(String::new());
    let id = StoredValue::new(id);
    let plan = Signal::derive(move || {
        let id = id.get_value();
        Ok(vec![match which {
            Dialog::Reboot => model::reboot(&id, failover.get()),
            Dialog::Delete => {
                let snapshot = name.get();
                model::delete(&id, final_snapshot.get().then_some(snapshot.as_str()), retain.get())
            }
            Dialog::Snapshot => model::take_snapshot(&id, &name.get()),
            Dialog::Replica => model::create_read_replica(&id, &name.get()),
            Dialog::Restore => {
                let time = restore_time.get();
                model::restore_to_point_in_time(&id, &name.get(), (!time.is_empty()).then_some(time.as_str()))
            }
        }])
    });
    let title = match which {
        Dialog::Reboot => "Reboot DB instance",
        Dialog::Delete => "Delete DB instance",
        Dialog::Snapshot => "Take DB snapshot",
        Dialog::Replica => "Create read replica",
        Dialog::Restore => "Restore to point in time",
    };
    let blocked = move || which == Dialog::Delete && confirm.get() != model::DELETE_CONFIRMATION;
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog_ref.get() {
            let _ = d.show_modal();
        }
    });
    let send = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        let id = id.get_value();
        let (text, page) = match which {
            Dialog::Reboot => (format!("Rebooting DB instance {id}."), None),
            Dialog::Delete => (format!("Deleting DB instance {id}."), Some(Page::RdsDatabases)),
            Dialog::Snapshot => (format!("Creating snapshot {}.", name.get_untracked()), None),
            Dialog::Replica => (format!("Creating read replica {}.", name.get_untracked()), Some(Page::RdsDatabases)),
            Dialog::Restore => (format!("Restoring {} to {}.", id, name.get_untracked()), Some(Page::RdsDatabases)),
        };
        if ctx.send(&actions, Flash { text, good: true, link: None }) {
            open.set(None);
            if let Some(page) = page {
                ctx.page.set(page);
            }
        }
    };
    view! {
        <dialog node_ref=dialog_ref class="console-dialog" aria-label=title on:close=move |_| open.set(None)>
            <h3>{title}</h3>
            {match which {
                Dialog::Reboot => check_field("Reboot with failover (Multi-AZ: the standby takes over)", failover.into(), move |v| failover.set(v)).into_any(),
                Dialog::Delete => view! {
                    {check_field("Create final snapshot", final_snapshot.into(), move |v| final_snapshot.set(v))}
                    <Show when=move || final_snapshot.get()>{text_field("Final snapshot name", name.into(), move |v| name.set(v))}</Show>
                    {check_field("Retain automated backups", retain.into(), move |v| retain.set(v))}
                    <label class="field"><span>"To confirm deletion, type "<strong>{model::DELETE_CONFIRMATION}</strong>" into the field."</span>
                        <input type="text" prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev))/></label>
                }.into_any(),
                Dialog::Restore => view! {
                    {text_field("New DB instance identifier", name.into(), move |v| name.set(v))}
                    {text_field("Custom restore time (e.g. 2026-12-04T10:42:17Z; empty: latest restorable time)", restore_time.into(), move |v| restore_time.set(v))}
                }.into_any(),
                _ => text_field(if which == Dialog::Snapshot { "Snapshot name" } else { "DB instance identifier" }, name.into(), move |v| name.set(v)).into_any(),
            }}
            <CliEquivalent ctx plan/>
            <div class="form-actions">
                <button type="button" class="button quiet" on:click=move |_| open.set(None)>"Cancel"</button>
                <button type="button" class="button primary" class:danger=which == Dialog::Delete disabled=blocked on:click=send>{title}</button>
            </div>
        </dialog>
    }
}
