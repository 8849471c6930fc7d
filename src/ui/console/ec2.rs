//! EC2: Instances (*Launch instances*; Stop, Start, Terminate), Security groups (*Create
//! security group* with its inbound rules) and a group's rules, edited one by one.

use super::{
    badge, breadcrumbs, check_field, form_actions, id_checkboxes, select_field, text_field, CliEquivalent, Ctx, Flash,
    Page,
};
use crate::console::ec2::{self as model, CreateSecurityGroup, LaunchInstance, Rule, RULE_TYPES};
use crate::console::Plan;
use leptos::prelude::*;

fn crumbs(ctx: Ctx, list: (&str, Page), last: Option<String>) -> impl IntoView {
    let mut trail = vec![("EC2".to_string(), Some(Page::Ec2Instances))];
    match last {
        Some(last) => trail.extend([(list.0.to_string(), Some(list.1)), (last, None)]),
        None => trail.push((list.0.to_string(), None)),
    }
    breadcrumbs(ctx, trail)
}

pub fn instances_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::instances);
    let terminating = RwSignal::new(None::<(String, String)>);
    let change = move |operation: &'static str, id: String, verb: &'static str| {
        let text = format!("Successfully initiated {verb} of {id}.");
        ctx.send(&[model::instance_state(operation, &id)], Flash { text, good: true, link: None });
    };
    view! {
        {crumbs(ctx, ("Instances", Page::Ec2Instances), None)}
        <div class="console-head">
            <h2>"Instances"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::Ec2Launch)>"Launch instances"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Instances" tabindex="0"><table>
            <thead><tr><th>"Name"</th><th>"Instance ID"</th><th>"Instance state"</th><th>"Instance type"</th><th>"Availability Zone"</th>
                <th>"Public IPv4 address"</th><th>"Private IPv4 address"</th><th>"Security groups"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <tr><td colspan="9" class="empty">"No instances. Launch one to see it here."</td></tr> }.into_any();
                }
                rows.into_iter().map(|row| {
                    let state = row.state.to_ascii_lowercase();
                    let (id, id2, id3) = (row.id.clone(), row.id.clone(), row.id.clone());
                    let name = row.name.clone();
                    view! { <tr>
                        <td data-label="Name">{row.name}</td>
                        <td data-label="Instance ID" class="mono">{row.id}</td>
                        <td data-label="Instance state">{badge(row.state)}</td>
                        <td data-label="Instance type">{row.instance_type}</td>
                        <td data-label="Availability Zone">{row.zone}</td>
                        <td data-label="Public IPv4 address" class="mono">{row.public_ip}</td>
                        <td data-label="Private IPv4 address" class="mono">{row.private_ip}</td>
                        <td data-label="Security groups">{row.security_groups.join(", ")}</td>
                        <td class="row-actions">
                            {(state == "running").then(|| view! { <button type="button" class="small" on:click=move |_| change("StopInstances", id.clone(), "stopping")>"Stop instance"</button> })}
                            {(state == "stopped").then(|| view! { <button type="button" class="small" on:click=move |_| change("StartInstances", id2.clone(), "starting")>"Start instance"</button> })}
                            {(state != "terminated" && state != "shutting-down").then(|| view! {
                                <button type="button" class="small" on:click=move |_| terminating.set(Some((id3.clone(), name.clone())))>"Terminate (delete) instance"</button>
                            })}
                        </td>
                    </tr> }
                }).collect_view().into_any()
            }}</tbody>
        </table></div>
        {move || terminating.get().map(|(id, name)| terminate_dialog(ctx, id, name, terminating))}
    }
}

/// "Terminate (delete) instance?": what goes, and the command that does it.
fn terminate_dialog(ctx: Ctx, id: String, name: String, open: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let action = model::instance_state("TerminateInstances", &id);
    let plan = Signal::derive({
        let action = action.clone();
        move || Ok(vec![action.clone()])
    });
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog_ref.get() {
            let _ = d.show_modal();
        }
    });
    let send = move |_| {
        let text = format!("Successfully initiated termination of {id}.");
        if ctx.send(std::slice::from_ref(&action), Flash { text, good: true, link: None }) {
            open.set(None);
        }
    };
    view! {
        <dialog node_ref=dialog_ref class="console-dialog" aria-label="Terminate (delete) instance?" on:close=move |_| open.set(None)>
            <h3>"Terminate (delete) instance?"</h3>
            <p>"On an EBS-backed instance, the default action is for the root EBS volume to be deleted when the instance is terminated. Storage on any local drives will be lost. "
               <strong>{if name == "-" { String::new() } else { name }}</strong></p>
            <CliEquivalent ctx plan/>
            <div class="form-actions">
                <button type="button" class="button quiet" on:click=move |_| open.set(None)>"Cancel"</button>
                <button type="button" class="button primary danger" on:click=send>"Terminate (delete)"</button>
            </div>
        </dialog>
    }
}

pub fn launch_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(LaunchInstance::default());
    let plan = Signal::derive(move || form.with(LaunchInstance::plan));
    let images = ctx.read(model::images);
    let subnets = ctx.read(crate::console::vpc::subnets);
    let groups = StoredValue::new(ctx.read(model::security_groups));
    let default_vpc =
        ctx.read(crate::console::vpc::vpcs).into_iter().find(|v| v.default).map(|v| v.id).unwrap_or_default();
    let subnet_vpc = {
        let subnets = subnets.clone();
        move |subnet: &str| subnets.iter().find(|s| s.id == subnet).map(|s| s.vpc.clone())
    };
    // A memo, so that ticking a group's box (a change of the form) does not draw the boxes
    // again and lose the keyboard's focus: only a change of VPC does.
    let vpc = Memo::new(move |_| form.with(|f| subnet_vpc(&f.subnet_id)).unwrap_or_else(|| default_vpc.clone()));
    let mut subnet_options =
        vec![(String::new(), "No preference (the default subnet of any Availability Zone)".to_string())];
    subnet_options.extend(subnets.into_iter().map(|s| {
        let label = format!("{} | {} | {} | {}", s.id, s.name, s.zone, s.vpc);
        (s.id, label)
    }));
    let launch = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let flash = Flash {
            text: "Successfully initiated launch of instance.".to_string(),
            good: true,
            link: Some(("View all instances".to_string(), Page::Ec2Instances)),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::Ec2Instances);
        }
    };
    view! {
        {crumbs(ctx, ("Instances", Page::Ec2Instances), Some("Launch an instance".to_string()))}
        <h2>"Launch an instance"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); launch(); }>
            <fieldset>
                <legend>"Name and tags"</legend>
                {text_field("Name", Signal::derive(move || form.with(|f| f.name.clone())), move |v| form.update(|f| f.name = v))}
            </fieldset>
            <fieldset>
                <legend>"Application and OS Images (Amazon Machine Image)"</legend>
                {select_field("Amazon Machine Image (AMI)", images, Signal::derive(move || form.with(|f| f.image_id.clone())), move |v| form.update(|f| f.image_id = v))}
            </fieldset>
            <fieldset>
                <legend>"Instance type"</legend>
                {select_field("Instance type", model::instance_types().into_iter().map(|t| (t.to_string(), t.to_string())).collect(), Signal::derive(move || form.with(|f| f.instance_type.clone())), move |v| form.update(|f| f.instance_type = v))}
            </fieldset>
            <fieldset>
                <legend>"Key pair (login)"</legend>
                {text_field("Key pair name - optional (empty: proceed without a key pair)", Signal::derive(move || form.with(|f| f.key_name.clone())), move |v| form.update(|f| f.key_name = v))}
            </fieldset>
            <fieldset>
                <legend>"Network settings"</legend>
                {select_field("Subnet", subnet_options, Signal::derive(move || form.with(|f| f.subnet_id.clone())), move |v| form.update(|f| { f.subnet_id = v; f.security_groups.clear(); }))}
                {check_field("Auto-assign public IP", Signal::derive(move || form.with(|f| f.public_ip)), move |v| form.update(|f| f.public_ip = v))}
                <div class="field" role="group" aria-label="Security groups">
                    <span>"Security groups (of the VPC "{move || vpc.get()}"; none: the VPC's default group)"</span>
                    {move || {
                        let vpc = vpc.get();
                        let options = groups.get_value().into_iter().filter(|g| g.vpc == vpc).map(|g| {
                            let label = format!("{} ({})", g.name, g.id);
                            (g.id, label)
                        }).collect();
                        id_checkboxes(options, form, |f| &f.security_groups, |f| &mut f.security_groups)
                    }}
                </div>
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::Ec2Instances, "Launch instance", plan)}
        </form>
    }
}

pub fn groups_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::security_groups);
    view! {
        {crumbs(ctx, ("Security Groups", Page::Ec2SecurityGroups), None)}
        <div class="console-head">
            <h2>"Security Groups"</h2>
            <button type="button" class="button primary" on:click=move |_| ctx.page.set(Page::Ec2CreateSecurityGroup)>"Create security group"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Security Groups" tabindex="0"><table>
            <thead><tr><th>"Security group ID"</th><th>"Security group name"</th><th>"VPC ID"</th><th>"Description"</th><th>"Inbound rules"</th></tr></thead>
            <tbody>{move || rows().into_iter().map(|row| {
                let page = Page::Ec2SecurityGroup(row.id.clone());
                view! { <tr>
                    <td data-label="Security group ID"><button type="button" class="link mono" on:click=move |_| ctx.page.set(page.clone())>{row.id}</button></td>
                    <td data-label="Security group name">{row.name}</td>
                    <td data-label="VPC ID" class="mono">{row.vpc}</td>
                    <td data-label="Description">{row.description}</td>
                    <td data-label="Inbound rules">{row.inbound.len()}</td>
                </tr> }
            }).collect_view()}</tbody>
        </table></div>
    }
}

/// A rule's fields: its type, its port when the type has none of its own, its source.
fn rule_fields(rule: Signal<Rule>, set: impl Fn(Rule) + Copy + Send + Sync + 'static) -> impl IntoView {
    let types: Vec<(String, String)> = RULE_TYPES.iter().map(|t| (t.0.to_string(), t.0.to_string())).collect();
    view! {
        {select_field("Type", types, Signal::derive(move || rule.get().kind), move |kind| set(Rule { kind, ..rule.get_untracked() }))}
        <Show when=move || rule.get().kind.starts_with("Custom")>
            {text_field("Port range", Signal::derive(move || rule.get().port), move |port| set(Rule { port, ..rule.get_untracked() }))}
        </Show>
        {text_field("Source (CIDR block or security group id)", Signal::derive(move || rule.get().source), move |source| set(Rule { source, ..rule.get_untracked() }))}
    }
}

fn rules_table(label: &'static str, rules: Vec<Rule>, delete: Option<Callback<Rule>>) -> impl IntoView {
    view! {
        <div class="resource-table" role="region" aria-label=label tabindex="0"><table>
            <thead><tr><th>"Type"</th><th>"Protocol"</th><th>"Port range"</th><th>"Source"</th>{delete.map(|_| view! { <th><span class="visually-hidden">"Actions"</span></th> })}</tr></thead>
            <tbody>{if rules.is_empty() {
                view! { <tr><td colspan="5" class="empty">"No rules."</td></tr> }.into_any()
            } else {
                rules.into_iter().map(|rule| {
                    let protocol = model::protocol_label(&rule.kind);
                    let port = if rule.port.is_empty() { "All".to_string() } else { rule.port.clone() };
                    let deleting = rule.clone();
                    view! { <tr>
                        <td data-label="Type">{rule.kind}</td><td data-label="Protocol">{protocol}</td>
                        <td data-label="Port range">{port}</td><td data-label="Source" class="mono">{rule.source}</td>
                        {delete.map(|delete| view! { <td><button type="button" class="small" on:click=move |_| delete.run(deleting.clone())>"Delete"</button></td> })}
                    </tr> }
                }).collect_view().into_any()
            }}</tbody>
        </table></div>
    }
}

pub fn group_page(ctx: Ctx, id: String) -> impl IntoView {
    let id = StoredValue::new(id);
    let group = move || ctx.read(|lab| model::security_groups(lab).into_iter().find(|g| g.id == id.get_value()));
    let adding = RwSignal::new(None::<Rule>);
    let plan = Signal::derive(move || -> Plan {
        match adding.get() {
            Some(rule) => model::authorize(&id.get_value(), &rule),
            None => Err("Add a rule to see its command.".to_string()),
        }
    });
    let save = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        let flash = Flash {
            text: format!("Inbound security group rules successfully modified on security group ({}).", id.get_value()),
            good: true,
            link: None,
        };
        if ctx.send(&actions, flash) {
            adding.set(None);
        }
    };
    let delete = Callback::new(move |rule: Rule| {
        if let Ok(actions) = model::revoke(&id.get_value(), &rule) {
            ctx.send(
                &actions,
                Flash { text: format!("Inbound rule removed from {}.", id.get_value()), good: true, link: None },
            );
        }
    });
    view! {
        {crumbs(ctx, ("Security Groups", Page::Ec2SecurityGroups), Some(id.get_value()))}
        {move || match group() {
            None => view! { <p class="empty">"The security group "{id.get_value()}" does not exist (any more)."</p> }.into_any(),
            Some(g) => view! {
                <h2>{format!("{} - {}", g.id, g.name)}</h2>
                <dl class="details">
                    <dt>"Security group name"</dt><dd>{g.name.clone()}</dd>
                    <dt>"Description"</dt><dd>{g.description.clone()}</dd>
                    <dt>"VPC ID"</dt><dd class="mono">{g.vpc.clone()}</dd>
                </dl>
                <h3>"Inbound rules"</h3>
                {rules_table("Inbound rules", g.inbound, Some(delete))}
                <h3>"Outbound rules"</h3>
                {rules_table("Outbound rules", g.outbound, None)}
            }.into_any(),
        }}
        <div class="form-actions">
            <button type="button" class="button" on:click=move |_| adding.set(Some(Rule::new("SSH")))>"Add inbound rule"</button>
        </div>
        <Show when=move || adding.with(Option::is_some)>
            <form class="console-form" on:submit=move |ev| { ev.prevent_default(); save(()); }>
                <fieldset>
                    <legend>"New inbound rule"</legend>
                    {rule_fields(Signal::derive(move || adding.get().unwrap_or_else(|| Rule::new("SSH"))), move |r| adding.set(Some(r)))}
                </fieldset>
                <CliEquivalent ctx plan/>
                <div class="form-actions">
                    <button type="button" class="button quiet" on:click=move |_| adding.set(None)>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || plan.with(Result::is_err)>"Save rules"</button>
                </div>
            </form>
        </Show>
    }
}

pub fn create_group_page(ctx: Ctx) -> impl IntoView {
    let form = RwSignal::new(CreateSecurityGroup::default());
    let plan = Signal::derive(move || form.with(CreateSecurityGroup::plan));
    // The rows are drawn again only when one is added or deleted, not as one is typed in.
    let rule_count = Memo::new(move |_| form.with(|f| f.inbound.len()));
    let vpcs = ctx.read(crate::console::vpc::vpcs);
    let options: Vec<(String, String)> = vpcs
        .into_iter()
        .map(|v| {
            (
                if v.default { String::new() } else { v.id.clone() },
                format!("{} ({}){}", v.id, v.name, if v.default { " default" } else { "" }),
            )
        })
        .collect();
    let create = move || {
        let Ok(actions) = plan.get_untracked() else { return };
        let name = form.with_untracked(|f| f.name.clone());
        let flash = Flash {
            text: format!("Security group {name} was created successfully."),
            good: true,
            link: Some(("View security groups".to_string(), Page::Ec2SecurityGroups)),
        };
        if ctx.send(&actions, flash) {
            ctx.page.set(Page::Ec2SecurityGroups);
        }
    };
    view! {
        {crumbs(ctx, ("Security Groups", Page::Ec2SecurityGroups), Some("Create security group".to_string()))}
        <h2>"Create security group"</h2>
        <form class="console-form" on:submit=move |ev| { ev.prevent_default(); create(); }>
            <fieldset>
                <legend>"Basic details"</legend>
                {text_field("Security group name", Signal::derive(move || form.with(|f| f.name.clone())), move |v| form.update(|f| f.name = v))}
                {text_field("Description", Signal::derive(move || form.with(|f| f.description.clone())), move |v| form.update(|f| f.description = v))}
                {select_field("VPC", options, Signal::derive(move || form.with(|f| f.vpc_id.clone())), move |v| form.update(|f| f.vpc_id = v))}
            </fieldset>
            <fieldset>
                <legend>"Inbound rules"</legend>
                {move || (0..rule_count.get()).map(|i| view! {
                    <div class="rule-row" role="group" aria-label=format!("Inbound rule {}", i + 1)>
                        {rule_fields(
                            Signal::derive(move || form.with(|f| f.inbound.get(i).cloned().unwrap_or_else(|| Rule::new("SSH")))),
                            move |r| form.update(|f| if let Some(slot) = f.inbound.get_mut(i) { *slot = r }),
                        )}
                        <button type="button" class="small" on:click=move |_| form.update(|f| { if i < f.inbound.len() { f.inbound.remove(i); } })>"Delete"</button>
                    </div>
                }).collect_view()}
                <button type="button" class="button" on:click=move |_| form.update(|f| f.inbound.push(Rule::new("SSH")))>"Add rule"</button>
            </fieldset>
            <CliEquivalent ctx plan/>
            {form_actions(ctx, Page::Ec2SecurityGroups, "Create security group", plan)}
        </form>
    }
}
