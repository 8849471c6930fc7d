//! VPC: Your VPCs, *Create VPC* (VPC only, or "VPC and more" with its preview), Subnets and
//! Route tables.

use super::{breadcrumbs, form_actions, select_field, text_field, CliEquivalent, Ctx, Flash, Page};
use crate::console::vpc::{self as model, CreateVpc};
use leptos::prelude::*;

fn crumbs(ctx: Ctx, last: &str) -> impl IntoView {
    breadcrumbs(ctx, vec![("VPC".to_string(), Some(Page::VpcList)), (last.to_string(), None)])
}

pub fn vpcs_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::vpcs);
    view! {
        {crumbs(ctx, "Your VPCs")}
        <div class="console-head">
            <h2>"Your VPCs"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::VpcCreate)>"Create VPC"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Your VPCs" tabindex="0"><table>
            <thead><tr><th>"Name"</th><th>"VPC ID"</th><th>"State"</th><th>"IPv4 CIDR"</th><th>"Default VPC"</th></tr></thead>
            <tbody>{move || rows().into_iter().map(|row| view! { <tr>
                <td data-label="Name">{row.name}</td>
                <td data-label="VPC ID" class="mono">{row.id}</td>
                <td data-label="State">{super::badge(row.state)}</td>
                <td data-label="IPv4 CIDR" class="mono">{row.cidr}</td>
                <td data-label="Default VPC">{if row.default { "Yes" } else { "No" }}</td>
            </tr> }).collect_view()}</tbody>
        </table></div>
    }
}

pub fn create_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(CreateVpc::default());
    let plan = Signal::derive(move || form.with(CreateVpc::plan));
    // Memos: what is drawn again when they change is not drawn again at each keystroke
    // (which would take the focus from the field being typed in).
    let and_more = Memo::new(move |_| form.with(|f| f.and_more));
    let zones = Memo::new(move |_| form.with(|f| f.zones));
    let preview = move || form.with(|f| if f.and_more { f.preview().ok() } else { None });
    let create = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let name = form.with_untracked(|f| {
            if f.and_more {
                f.preview().map(|p| p.vpc).unwrap_or_default()
            } else {
                f.name.clone()
            }
        });
        let flash = Flash {
            text: format!("You successfully created {}.", if name.is_empty() { "your VPC" } else { name.as_str() }),
            good: true,
            link: Some(("View VPCs".to_string(), Page::VpcList)),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::VpcList);
        }
    };
    let counts =
        move |zones: i64| [0, zones, 2 * zones].into_iter().map(|n| (n.to_string(), n.to_string())).collect::<Vec<_>>();
    let number = move |get: fn(&CreateVpc) -> i64| Signal::derive(move || form.with(get).to_string());
    view! {
        {breadcrumbs(ctx, vec![("VPC".to_string(), Some(Page::VpcList)), ("Your VPCs".to_string(), Some(Page::VpcList)), ("Create VPC".to_string(), None)])}
        <h2>"Create VPC"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <fieldset>
                <legend>"Resources to create"</legend>
                <label class="check"><input type="radio" name="vpc-resources" prop:checked=move || !form.with(|f| f.and_more)
                    on:change=move |_| form.update(|f| { f.and_more = false; if f.name == "project" { f.name.clear(); } })/><span>"VPC only"</span></label>
                <label class="check"><input type="radio" name="vpc-resources" prop:checked=move || form.with(|f| f.and_more)
                    on:change=move |_| form.update(|f| f.and_more = true)/><span>"VPC and more"</span></label>
                {move || if and_more.get() {
                    text_field("Name tag auto-generation", Signal::derive(move || form.with(|f| f.name.clone())), move |v| form.update(|f| f.name = v)).into_any()
                } else {
                    text_field("Name tag - optional", Signal::derive(move || form.with(|f| f.name.clone())), move |v| form.update(|f| f.name = v)).into_any()
                }}
                {text_field("IPv4 CIDR block", Signal::derive(move || form.with(|f| f.cidr.clone())), move |v| form.update(|f| f.cidr = v))}
            </fieldset>
            <Show when=move || and_more.get()>
                <fieldset>
                    <legend>"Subnets and routing"</legend>
                    {select_field("Number of Availability Zones (AZs)", (1..=3).map(|n| (n.to_string(), n.to_string())).collect(), number(|f| f.zones), move |v| form.update(|f| {
                        f.zones = v.parse().unwrap_or(2);
                        // The subnet counts follow the zones (one of each per zone), as the console's do.
                        if f.public_subnets > 0 { f.public_subnets = f.zones; }
                        if f.private_subnets > 0 { f.private_subnets = f.zones; }
                    }))}
                    {move || {
                        let zones = zones.get();
                        view! {
                            {select_field("Number of public subnets", counts(zones), number(|f| f.public_subnets), move |v| form.update(|f| f.public_subnets = v.parse().unwrap_or(0)))}
                            {select_field("Number of private subnets", counts(zones), number(|f| f.private_subnets), move |v| form.update(|f| f.private_subnets = v.parse().unwrap_or(0)))}
                        }
                    }}
                    <p class="muted small">"NAT gateways: None (the lab has none; private subnets reach the internet only through what you put in a public one). VPC endpoints: None."</p>
                </fieldset>
                <section class="vpc-preview" aria-label="Preview">
                    <h3>"Preview"</h3>
                    {move || preview().map(|p| view! {
                        <div class="preview-grid">
                            <div><h4>"VPC"</h4><ul class="plain"><li>{p.vpc}</li></ul></div>
                            <div><h4>{format!("Subnets ({})", p.subnets.len())}</h4><ul class="plain">
                                {p.subnets.into_iter().map(|(name, _, cidr)| view! { <li>{name}" "<span class="muted mono">{cidr}</span></li> }).collect_view()}
                            </ul></div>
                            <div><h4>{format!("Route tables ({})", p.route_tables.len())}</h4><ul class="plain">
                                {p.route_tables.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                            </ul></div>
                            <div><h4>"Network connections"</h4><ul class="plain">
                                {p.internet_gateway.map(|name| view! { <li>{name}</li> })}
                            </ul></div>
                        </div>
                    })}
                </section>
            </Show>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::VpcList, "Create VPC", plan)}
        </form>
    }
}

pub fn subnets_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::subnets);
    view! {
        {crumbs(ctx, "Subnets")}
        <h2>"Subnets"</h2>
        <div class="resource-table" role="region" aria-label="Subnets" tabindex="0"><table>
            <thead><tr><th>"Name"</th><th>"Subnet ID"</th><th>"VPC"</th><th>"IPv4 CIDR"</th><th>"Availability Zone"</th><th>"Available IPv4 addresses"</th><th>"Route to an internet gateway"</th></tr></thead>
            <tbody>{move || rows().into_iter().map(|row| view! { <tr>
                <td data-label="Name">{row.name}</td>
                <td data-label="Subnet ID" class="mono">{row.id}</td>
                <td data-label="VPC" class="mono">{row.vpc}</td>
                <td data-label="IPv4 CIDR" class="mono">{row.cidr}</td>
                <td data-label="Availability Zone">{row.zone}</td>
                <td data-label="Available IPv4 addresses">{row.available_ips}</td>
                <td data-label="Route to an internet gateway">{if row.public { "Yes (public)" } else { "No (private)" }}</td>
            </tr> }).collect_view()}</tbody>
        </table></div>
    }
}

pub fn route_tables_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::route_tables);
    view! {
        {crumbs(ctx, "Route tables")}
        <h2>"Route tables"</h2>
        <div class="resource-table" role="region" aria-label="Route tables" tabindex="0"><table>
            <thead><tr><th>"Name"</th><th>"Route table ID"</th><th>"VPC"</th><th>"Main"</th><th>"Explicit subnet associations"</th><th>"Routes"</th></tr></thead>
            <tbody>{move || rows().into_iter().map(|row| view! { <tr>
                <td data-label="Name">{row.name}</td>
                <td data-label="Route table ID" class="mono">{row.id}</td>
                <td data-label="VPC" class="mono">{row.vpc}</td>
                <td data-label="Main">{if row.main { "Yes" } else { "No" }}</td>
                <td data-label="Explicit subnet associations" class="mono">{if row.subnets.is_empty() { "-".to_string() } else { row.subnets.join(", ") }}</td>
                <td data-label="Routes" class="mono">{row.routes.into_iter().map(|(d, t)| format!("{d} → {t}")).collect::<Vec<_>>().join("; ")}</td>
            </tr> }).collect_view()}</tbody>
        </table></div>
    }
}
