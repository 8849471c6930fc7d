//! DynamoDB: Tables, *Create table*, and a table's page (Overview, Indexes, Explore items).

use super::{
    badge, breadcrumbs, check_field, form_actions, number_field, select_field, text_field, CliEquivalent, Ctx, Flash,
    Page,
};
use crate::console::dynamodb::{self as model, CreateTable, Explore, Index, ItemsPage, Key, KeyType};
use leptos::prelude::*;
use serde_json::Value;

fn crumbs(ctx: Ctx, last: Vec<(String, Option<Page>)>) -> impl IntoView {
    breadcrumbs(
        ctx,
        [vec![("DynamoDB".to_string(), Some(Page::DdbTables)), ("Tables".to_string(), Some(Page::DdbTables))], last]
            .concat(),
    )
}

pub fn tables_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::tables);
    view! {
        {breadcrumbs(ctx, vec![("DynamoDB".to_string(), Some(Page::DdbTables)), ("Tables".to_string(), None)])}
        <div class="console-head">
            <h2>"Tables"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::DdbCreate)>"Create table"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Tables" tabindex="0">
            <table>
                <thead><tr><th>"Name"</th><th>"Status"</th><th>"Partition key"</th><th>"Sort key"</th><th>"Indexes"</th><th>"Read capacity mode"</th><th>"Write capacity mode"</th></tr></thead>
                <tbody>
                    {move || {
                        let rows = rows();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="7" class="empty">"No tables. Create one to see it here."</td></tr> }.into_any();
                        }
                        rows.into_iter().map(|row| {
                            let page = Page::DdbTable(row.name.clone());
                            view! {
                                <tr>
                                    <td data-label="Name"><button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{row.name}</button></td>
                                    <td data-label="Status">{badge(row.status)}</td>
                                    <td data-label="Partition key">{row.partition_key}</td>
                                    <td data-label="Sort key">{row.sort_key}</td>
                                    <td data-label="Indexes">{row.indexes}</td>
                                    <td data-label="Read capacity mode">{row.read_capacity}</td>
                                    <td data-label="Write capacity mode">{row.write_capacity}</td>
                                </tr>
                            }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

fn type_options() -> Vec<(String, String)> {
    KeyType::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect()
}

fn key_type(code: &str) -> KeyType {
    KeyType::ALL.into_iter().find(|k| k.code() == code).unwrap_or(KeyType::String)
}

pub fn create_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(CreateTable::default());
    let plan = Signal::derive(move || form.with(CreateTable::plan));
    let text = move |get: fn(&CreateTable) -> String| Signal::derive(move || form.with(get));
    let create = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let name = form.with_untracked(|f| f.name.clone());
        let flash = Flash {
            text: format!("Creating the {name} table. It will be available for use shortly."),
            good: true,
            link: Some(("View table".to_string(), Page::DdbTable(name))),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::DdbTables);
        }
    };
    view! {
        {crumbs(ctx, vec![("Create table".to_string(), None)])}
        <h2>"Create table"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <fieldset>
                <legend>"Table details"</legend>
                {text_field("Table name", text(|f| f.name.clone()), move |v| form.update(|f| f.name = v))}
                <div class="field-row">
                    {text_field("Partition key", text(|f| f.partition_key.name.clone()), move |v| form.update(|f| f.partition_key.name = v))}
                    {select_field("Partition key type", type_options(), text(|f| f.partition_key.kind.code().to_string()), move |v| form.update(|f| f.partition_key.kind = key_type(&v)))}
                </div>
                <div class="field-row">
                    {text_field("Sort key - optional", text(|f| f.sort_key.name.clone()), move |v| form.update(|f| f.sort_key.name = v))}
                    {select_field("Sort key type", type_options(), text(|f| f.sort_key.kind.code().to_string()), move |v| form.update(|f| f.sort_key.kind = key_type(&v)))}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Table settings"</legend>
                <div class="choices" role="radiogroup" aria-label="Table settings">
                    <label class="choice"><input type="radio" name="settings" prop:checked=move || !form.with(|f| f.customize) on:change=move |_| form.update(|f| f.customize = false)/>
                        <span class="strong">"Default settings"</span><span class="muted small">"On-demand capacity, no secondary indexes."</span></label>
                    <label class="choice"><input type="radio" name="settings" prop:checked=move || form.with(|f| f.customize) on:change=move |_| form.update(|f| f.customize = true)/>
                        <span class="strong">"Customize settings"</span><span class="muted small">"Choose the capacity mode and add secondary indexes."</span></label>
                </div>
                <Show when=move || form.with(|f| f.customize)>
                    {check_field("On-demand capacity (clear for provisioned)", Signal::derive(move || form.with(|f| f.on_demand)), move |v| form.update(|f| f.on_demand = v))}
                    <Show when=move || !form.with(|f| f.on_demand)>
                        <div class="field-row">
                            {number_field("Read capacity units", Signal::derive(move || form.with(|f| f.read_capacity)), move |v| form.update(|f| f.read_capacity = v))}
                            {number_field("Write capacity units", Signal::derive(move || form.with(|f| f.write_capacity)), move |v| form.update(|f| f.write_capacity = v))}
                        </div>
                    </Show>
                    <h4>"Global secondary indexes"</h4>
                    {move || (0..form.with(|f| f.indexes.len())).map(|i| {
                        let get = move |g: fn(&Index) -> String| Signal::derive(move || form.with(|f| f.indexes.get(i).map(g).unwrap_or_default()));
                        view! {
                            <div class="index-form">
                                {text_field("Index name", get(|x| x.name.clone()), move |v| form.update(|f| f.indexes[i].name = v))}
                                <div class="field-row">
                                    {text_field("Partition key", get(|x| x.partition_key.name.clone()), move |v| form.update(|f| f.indexes[i].partition_key.name = v))}
                                    {select_field("Type", type_options(), get(|x| x.partition_key.kind.code().to_string()), move |v| form.update(|f| f.indexes[i].partition_key.kind = key_type(&v)))}
                                </div>
                                <div class="field-row">
                                    {text_field("Sort key - optional", get(|x| x.sort_key.name.clone()), move |v| form.update(|f| f.indexes[i].sort_key.name = v))}
                                    {select_field("Type", type_options(), get(|x| x.sort_key.kind.code().to_string()), move |v| form.update(|f| f.indexes[i].sort_key.kind = key_type(&v)))}
                                </div>
                                <button type="button" class="small" on:click=move |_| form.update(|f| { f.indexes.remove(i); })>"Remove index"</button>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" on:click=move |_| form.update(|f| f.indexes.push(Index {
                        name: String::new(), partition_key: Key::new("", KeyType::String), sort_key: Key::new("", KeyType::String),
                    }))>"Create global index"</button>
                </Show>
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::DdbTables, "Create table", plan)}
        </form>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Overview,
    Indexes,
    Monitor,
    Settings,
    Explore,
}

pub fn table_page(ctx: Ctx, name: String) -> impl IntoView {
    let tab = RwSignal::new(Tab::Overview);
    let name = StoredValue::new(name);
    let table = move || ctx.read(|lab| model::describe(lab, &name.get_value()));
    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button type="button" role="tab" aria-selected=move || (tab.get() == which).to_string() on:click=move |_| tab.set(which)>{label}</button>
        }
    };
    let delete_open = RwSignal::new(false);
    view! {
        {crumbs(ctx, vec![(name.get_value(), None)])}
        <Show when=move || table().is_some() fallback=move || view! { <p class="empty">"The table "{name.get_value()}" does not exist (any more)."</p> }>
            <div class="console-head">
                <h2>{name.get_value()}</h2>
                {move || badge(crate::console::rds::status_label(&table().map(|t| model::text_of(&t, "TableStatus")).unwrap_or_default().to_ascii_lowercase())).into_any()}
                <button type="button" class="button" on:click=move |_| tab.set(Tab::Explore)>"Explore table items"</button>
                <button type="button" class="button danger" on:click=move |_| delete_open.set(true)>"Delete table"</button>
            </div>
            <div role="tablist" class="console-tabs" aria-label="Table details">
                {tab_button(Tab::Overview, "Overview")}
                {tab_button(Tab::Indexes, "Indexes")}
                {tab_button(Tab::Monitor, "Monitor")}
                {tab_button(Tab::Settings, "Additional settings")}
                {tab_button(Tab::Explore, "Explore items")}
            </div>
            <div role="tabpanel" class="console-tab-panel">
                {move || match tab.get() {
                    Tab::Overview => {
                        let t = table().unwrap_or_default();
                        let (pk, sk) = model::keys_of(&t, "");
                        view! {
                            <dl class="details">
                                <dt>"Partition key"</dt><dd>{format!("{} ({})", pk.name, pk.kind.label())}</dd>
                                <dt>"Sort key"</dt><dd>{if sk.name.is_empty() { "-".to_string() } else { format!("{} ({})", sk.name, sk.kind.label()) }}</dd>
                                <dt>"Capacity mode"</dt><dd>{if t.pointer("/BillingModeSummary/BillingMode").and_then(Value::as_str) == Some("PAY_PER_REQUEST") { "On-demand".to_string() } else { format!("Provisioned ({} RCU, {} WCU)", t.pointer("/ProvisionedThroughput/ReadCapacityUnits").unwrap_or(&Value::Null), t.pointer("/ProvisionedThroughput/WriteCapacityUnits").unwrap_or(&Value::Null)) }}</dd>
                                <dt>"Item count"</dt><dd>{t.get("ItemCount").map(Value::to_string).unwrap_or_default()}</dd>
                                <dt>"Table ARN"</dt><dd class="mono">{model::text_of(&t, "TableArn")}</dd>
                            </dl>
                        }.into_any()
                    }
                    Tab::Indexes => {
                        let t = table().unwrap_or_default();
                        let indexes = t.get("GlobalSecondaryIndexes").and_then(Value::as_array).cloned().unwrap_or_default();
                        view! {
                            <div class="resource-table"><table>
                                <thead><tr><th>"Name"</th><th>"Status"</th><th>"Partition key"</th><th>"Sort key"</th></tr></thead>
                                <tbody>{indexes.into_iter().map(|index| {
                                    let index_name = model::text_of(&index, "IndexName");
                                    let (pk, sk) = model::keys_of(&t, &index_name);
                                    view! { <tr><td data-label="Name">{index_name}</td><td data-label="Status">{badge(crate::console::rds::status_label(&model::text_of(&index, "IndexStatus").to_ascii_lowercase()))}</td><td data-label="Partition key">{pk.name}</td><td data-label="Sort key">{sk.name}</td></tr> }
                                }).collect_view()}</tbody>
                            </table></div>
                        }.into_any()
                    }
                    Tab::Monitor => view! {
                        <h3>"CloudWatch metrics"</h3>
                        <crate::ui::charts::ResourceCharts state=ctx.state namespace="AWS/DynamoDB" resource=name.get_value()/>
                    }.into_any(),
                    // Made once per visit of the tab, as Explore: its fields stay as the clock moves.
                    Tab::Settings => untrack(|| settings(ctx, name.get_value())).into_any(),
                    // Made once per visit of the tab: its form and results stay as the clock moves.
                    Tab::Explore => untrack(|| explore(ctx, name.get_value())).into_any(),
                }}
            </div>
        </Show>
        <Show when=move || delete_open.get()>
            {delete_dialog(ctx, name.get_value(), delete_open)}
        </Show>
    }
}

/// Additional settings: the read/write capacity and Time to Live, each edited with its
/// command shown.
fn settings(ctx: Ctx, name: String) -> impl IntoView {
    let table = ctx.read(|lab| model::describe(lab, &name)).unwrap_or_default();
    let on_demand = RwSignal::new(
        table.pointer("/BillingModeSummary/BillingMode").and_then(Value::as_str) == Some("PAY_PER_REQUEST"),
    );
    let units = |key: &str| {
        table.pointer(&format!("/ProvisionedThroughput/{key}")).and_then(Value::as_i64).filter(|u| *u > 0).unwrap_or(5)
    };
    let read_units = RwSignal::new(units("ReadCapacityUnits"));
    let write_units = RwSignal::new(units("WriteCapacityUnits"));
    let name = StoredValue::new(name);
    let capacity_plan = Signal::derive(move || {
        model::update_capacity(&name.get_value(), on_demand.get(), read_units.get(), write_units.get())
    });
    let ttl = move || ctx.read(|lab| model::ttl(lab, &name.get_value()));
    let (_, attribute) = ctx.read(|lab| model::ttl(lab, &name.get_value()));
    let ttl_attribute = RwSignal::new(if attribute.is_empty() { "expires_at".to_string() } else { attribute });
    // What the button does follows the table (TTL may be changed from the terminal too).
    let turns_on = move || ttl().0 != "ENABLED";
    let ttl_plan = Signal::derive(move || model::update_ttl(&name.get_value(), &ttl_attribute.get(), turns_on()));
    let save_capacity = move |_| {
        let Ok(actions) = capacity_plan.get_untracked() else { return };
        ctx.send(
            &actions,
            Flash { text: format!("Updating the capacity of the {} table.", name.get_value()), good: true, link: None },
        );
    };
    let save_ttl = move |_| {
        let Ok(actions) = ttl_plan.get_untracked() else { return };
        let turned = if untrack(turns_on) { "on" } else { "off" };
        ctx.send(
            &actions,
            Flash {
                text: format!("Time to Live turned {turned} for the {} table.", name.get_value()),
                good: true,
                link: None,
            },
        );
    };
    view! {
        <h3>"Read/write capacity"</h3>
        <div class="console-form">
            {check_field("On-demand (pay per request)", on_demand.into(), move |v| on_demand.set(v))}
            <Show when=move || !on_demand.get()>
                {number_field("Read capacity units", read_units.into(), move |v| read_units.set(v))}
                {number_field("Write capacity units", write_units.into(), move |v| write_units.set(v))}
            </Show>
            <CliEquivalent ctx plan=capacity_plan/>
            <div class="form-actions">
                <button type="button" class="button primary" disabled=move || capacity_plan.with(Result::is_err) on:click=save_capacity>"Save changes"</button>
            </div>
        </div>
        <h3>"Time to Live (TTL)"</h3>
        <dl class="details">
            <dt>"TTL status"</dt><dd>{move || { let (s, _) = ttl(); if s == "ENABLED" { "On".to_string() } else { "Off".to_string() } }}</dd>
            <dt>"TTL attribute"</dt><dd class="mono">{move || { let (_, a) = ttl(); if a.is_empty() { "-".to_string() } else { a } }}</dd>
        </dl>
        <div class="console-form">
            {text_field("TTL attribute name (epoch seconds)", ttl_attribute.into(), move |v| ttl_attribute.set(v))}
            <CliEquivalent ctx plan=ttl_plan/>
            <div class="form-actions">
                <button type="button" class="button primary" disabled=move || ttl_plan.with(Result::is_err) on:click=save_ttl>
                    {move || if turns_on() { "Turn on TTL" } else { "Turn off TTL" }}
                </button>
            </div>
        </div>
    }
}

fn delete_dialog(ctx: Ctx, name: String, open: RwSignal<bool>) -> impl IntoView {
    let confirm = RwSignal::new(String::new());
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog_ref.get() {
            let _ = d.show_modal();
        }
    });
    let name = StoredValue::new(name);
    let plan = Signal::derive(move || {
        Ok(vec![crate::console::Action::new(
            "dynamodb",
            "DeleteTable",
            serde_json::json!({"TableName": name.get_value()}),
        )])
    });
    let send = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        if ctx
            .send(&actions, Flash { text: format!("Deleting the {} table.", name.get_value()), good: true, link: None })
        {
            open.set(false);
            ctx.page.set(Page::DdbTables);
        }
    };
    view! {
        <dialog node_ref=dialog_ref class="console-dialog" aria-label="Delete table" on:close=move |_| open.set(false)>
            <h3>"Delete table"</h3>
            <p>"Deleting the table deletes all of its items and indexes."</p>
            <label class="field"><span>"To confirm the deletion, type "<strong>"confirm"</strong>" in the box below."</span>
                <input type="text" prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev))/></label>
            <CliEquivalent ctx plan/>
            <div class="form-actions">
                <button type="button" class="button quiet" on:click=move |_| open.set(false)>"Cancel"</button>
                <button type="button" class="button primary danger" disabled=move || confirm.get() != "confirm" on:click=send>"Delete"</button>
            </div>
        </dialog>
    }
}

/// *Explore items*: scan or query, the results grid with paging, create, edit and delete.
fn explore(ctx: Ctx, table: String) -> impl IntoView {
    let form = RwSignal::new(Explore { table: table.clone(), ..Explore::default() });
    let page = RwSignal::new(None::<Result<ItemsPage, String>>);
    let selected = RwSignal::new(Vec::<usize>::new());
    let editor = RwSignal::new(None::<String>);
    let mut described = None;
    ctx.state.lab.update_value(|lab| described = model::describe(lab, &table));
    let description = StoredValue::new(described.unwrap_or_default());
    let keys = move || description.with_value(|t| model::keys_of(t, &form.with(|f| f.index.clone())));
    let plan = Signal::derive(move || {
        let (pk, sk) = keys();
        form.with(|f| f.action(&pk, &sk))
    });
    let run = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let result = ctx.state.change(|lab| model::run_page(lab, &actions[0]));
        selected.set(Vec::new());
        page.set(Some(result));
    };
    let table_name = StoredValue::new(table);
    let mut index_options = vec![(String::new(), format!("Table - {}", table_name.get_value()))];
    description.with_value(|t| {
        for index in t.get("GlobalSecondaryIndexes").and_then(Value::as_array).into_iter().flatten() {
            let name = model::text_of(index, "IndexName");
            index_options.push((name.clone(), format!("Index - {name}")));
        }
    });
    let columns = move || {
        let mut names: Vec<String> = Vec::new();
        let (pk, sk) = description.with_value(|t| model::keys_of(t, ""));
        for key in [pk.name, sk.name].into_iter().filter(|k| !k.is_empty()) {
            names.push(key);
        }
        if let Some(Ok(p)) = page.get() {
            for item in &p.items {
                for k in item.as_object().into_iter().flat_map(|o| o.keys()) {
                    if !names.contains(k) {
                        names.push(k.clone());
                    }
                }
            }
        }
        names
    };
    let delete_selected = move |_| {
        let Some(Ok(p)) = page.get_untracked() else { return };
        let (pk, sk) = description.with_value(|t| model::keys_of(t, ""));
        let chosen: Vec<Value> = selected.get_untracked().iter().filter_map(|i| p.items.get(*i).cloned()).collect();
        let names: Vec<&str> = [pk.name.as_str(), sk.name.as_str()].into_iter().filter(|k| !k.is_empty()).collect();
        let actions = model::delete_items(&table_name.get_value(), &names, &chosen);
        if ctx.send(&actions, Flash { text: format!("{} item(s) deleted.", actions.len()), good: true, link: None }) {
            run();
        }
    };
    let text = move |get: fn(&Explore) -> String| Signal::derive(move || form.with(get));
    view! {
        <div class="explore">
            <div class="choices" role="radiogroup" aria-label="Scan or query items">
                <label class="choice inline"><input type="radio" name="scan-query" prop:checked=move || !form.with(|f| f.query) on:change=move |_| form.update(|f| f.query = false)/><span>"Scan"</span></label>
                <label class="choice inline"><input type="radio" name="scan-query" prop:checked=move || form.with(|f| f.query) on:change=move |_| form.update(|f| f.query = true)/><span>"Query"</span></label>
            </div>
            {select_field("Table or index", index_options, text(|f| f.index.clone()), move |v| form.update(|f| { f.index = v; f.start_key = None; }))}
            <Show when=move || form.with(|f| f.query)>
                <div class="field-row">
                    {move || { let label = format!("{} (partition key)", keys().0.name); view! {
                        <label class="field"><span>{label}</span><input type="text" prop:value=move || form.with(|f| f.partition_value.clone()) on:input=move |ev| form.update(|f| f.partition_value = event_target_value(&ev))/></label>
                    } }}
                    <Show when=move || !keys().1.name.is_empty()>
                        {select_field("Sort key condition", ["", "=", "<", "<=", ">", ">=", "begins_with", "between"].iter().map(|o| (o.to_string(), if o.is_empty() { "None".to_string() } else { o.replace('_', " ") })).collect(),
                            text(|f| f.sort_operator.clone()), move |v| form.update(|f| f.sort_operator = v))}
                        {text_field("Sort key value", text(|f| f.sort_value.clone()), move |v| form.update(|f| f.sort_value = v))}
                        <Show when=move || form.with(|f| f.sort_operator == "between")>
                            {text_field("and", text(|f| f.sort_value_to.clone()), move |v| form.update(|f| f.sort_value_to = v))}
                        </Show>
                    </Show>
                </div>
            </Show>
            <CliEquivalent ctx plan/>
            <div class="form-actions">
                <button type="button" class="button primary" on:click=move |_| { form.update(|f| f.start_key = None); run(); }>"Run"</button>
                <button type="button" class="button" on:click=move |_| editor.set(Some("{\n  \n}".to_string()))>"Create item"</button>
                <button type="button" class="button danger" disabled=move || selected.with(Vec::is_empty) on:click=delete_selected>"Delete items"</button>
            </div>
            {move || page.get().map(|result| match result {
                Err(why) => view! { <p class="flash bad" role="alert">{why}</p> }.into_any(),
                Ok(p) => {
                    let cols = columns();
                    let next = p.next.clone();
                    let count = p.items.len();
                    view! {
                        <p class="muted small">{format!("Items returned ({count}), scanned {}", p.scanned)}</p>
                        <div class="resource-table" role="region" aria-label="Items returned" tabindex="0"><table>
                            <thead><tr><th><span class="visually-hidden">"Select"</span></th>{cols.iter().map(|c| view! { <th>{c.clone()}</th> }).collect_view()}<th><span class="visually-hidden">"Edit"</span></th></tr></thead>
                            <tbody>{p.items.into_iter().enumerate().map(|(i, item)| {
                                let json = serde_json::to_string_pretty(&item).unwrap_or_default();
                                view! { <tr>
                                    <td><input type="checkbox" aria-label=format!("Select item {}", i + 1) on:change=move |ev| { let on = event_target_checked(&ev); selected.update(|s| { s.retain(|x| *x != i); if on { s.push(i); } }); }/></td>
                                    {cols.iter().map(|c| { let label = c.clone(); view! { <td data-label=label>{item.get(c).map(model::cell).unwrap_or_default()}</td> } }).collect_view()}
                                    <td><button type="button" class="small" on:click=move |_| editor.set(Some(json.clone()))>"Edit"</button></td>
                                </tr> }
                            }).collect_view()}</tbody>
                        </table></div>
                        {next.map(|key| view! { <button type="button" on:click=move |_| { form.update(|f| f.start_key = Some(key.clone())); run(); }>"Next page"</button> })}
                    }.into_any()
                }
            })}
            {move || editor.get().map(|initial| item_editor(ctx, table_name.get_value(), initial, editor, Callback::new(move |()| run())))}
        </div>
    }
}

/// *Create item* / *Edit item* in DynamoDB JSON (the console's JSON view, attribute types shown).
fn item_editor(
    ctx: Ctx,
    table: String,
    initial: String,
    open: RwSignal<Option<String>>,
    done: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(initial);
    let table = StoredValue::new(table);
    let plan = Signal::derive(move || model::put_item(&table.get_value(), &text.get()));
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog_ref.get() {
            let _ = d.show_modal();
        }
    });
    let save = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        if ctx.send(&actions, Flash { text: "The item has been saved.".to_string(), good: true, link: None }) {
            open.set(None);
            done.run(());
        }
    };
    view! {
        <dialog node_ref=dialog_ref class="console-dialog wide" aria-label="Item editor" on:close=move |_| open.set(None)>
            <h3>"Item (DynamoDB JSON)"</h3>
            <label class="field"><span>"Attributes, each with its type: {\"id\": {\"S\": \"1\"}, \"year\": {\"N\": \"2020\"}}"</span>
                <textarea rows="10" class="mono" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea></label>
            <CliEquivalent ctx plan/>
            <div class="form-actions">
                <button type="button" class="button quiet" on:click=move |_| open.set(None)>"Cancel"</button>
                <button type="button" class="button primary" disabled=move || plan.with(Result::is_err) on:click=save>"Save"</button>
            </div>
        </dialog>
    }
}
