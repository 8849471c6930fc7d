//! The console's pages: the lab's resources as a console user knows them.
//!
//! A tour. [`mount_console`] is a split point: this module, and everything only it reaches,
//! is a wasm chunk of its own (`scripts/wasm_build.sh`), fetched the first time the
//! workspace shows the console, so the page's first download does not grow with it. It
//! mounts [`ConsoleApp`]: a service menu and the region, a side navigation per service,
//! breadcrumbs, the flash bar of notifications, and the page the learner is on ([`Page`]).
//!
//! Pages only draw what `crate::console` computes and send what its forms plan: every click
//! that changes something is an API request as the console session, shown beforehand as its
//! CLI equivalent ([`CliEquivalent`]) with "Run in terminal". Lists follow the lab's clock.
//!
//! - [`rds`]: Databases, *Create database*, a database's tabs and Actions;
//! - [`rds_resources`]: Subnet groups, Snapshots, Automated backups, *Modify*;
//! - [`dynamodb`]: Tables, *Create table*, *Explore items*;
//! - [`elasticache`]: Redis OSS caches, *Create*, a cache's nodes and endpoints, failover,
//!   *Modify*;
//! - [`ec2`]: Instances, *Launch instances*, Security groups and their inbound rules;
//! - [`vpc`]: Your VPCs, *Create VPC* ("VPC and more"), Subnets, Route tables;
//! - [`iam`]: Users, and a user's Security credentials (access keys, shown once, `.csv`);
//! - [`history`]: Event history, every API call of the account, from anywhere;
//! - [`export`]: *Export as script*, the lab for a real account, and what it would cost.

mod dynamodb;
mod ec2;
mod elasticache;
mod export;
mod history;
mod iam;
mod rds;
mod rds_resources;
mod vpc;

use super::state::LabState;
use crate::console::rds::{tone, Tone};
use crate::console::{cli_script, perform, Action, Plan};
use leptos::prelude::*;
use std::any::Any;

/// Mounts the console into `host` (fetching its chunk first). Dropping what it returns
/// unmounts it. `show_terminal` brings the terminal into view ("Run in terminal").
#[leptos::wasm_split::wasm_split(console, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mount_console(
    state: LabState,
    host: web_sys::HtmlElement,
    show_terminal: Callback<()>,
) -> Result<Box<dyn Any>, leptos::wasm_split::SplitLoaderError> {
    let handle = leptos::mount::mount_to(host, move || view! { <ConsoleApp state show_terminal/> });
    Ok(Box::new(handle))
}

/// Where in the console the learner is.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    RdsDatabases,
    RdsCreate,
    RdsDatabase(String),
    RdsModify(String),
    RdsSubnetGroups,
    RdsCreateSubnetGroup,
    RdsSnapshots,
    RdsAutomatedBackups,
    DdbTables,
    DdbCreate,
    DdbTable(String),
    CacheList,
    CacheCreate,
    Cache(String),
    CacheModify(String),
    Ec2Instances,
    Ec2Launch,
    Ec2SecurityGroups,
    Ec2SecurityGroup(String),
    Ec2CreateSecurityGroup,
    VpcList,
    VpcCreate,
    VpcSubnets,
    VpcRouteTables,
    IamUsers,
    IamUser(String),
    EventHistory,
    Export,
}

impl Page {
    /// The service the page belongs to, as the service menu names it.
    fn service(&self) -> Service {
        match self {
            Page::RdsDatabases
            | Page::RdsCreate
            | Page::RdsDatabase(_)
            | Page::RdsModify(_)
            | Page::RdsSubnetGroups
            | Page::RdsCreateSubnetGroup
            | Page::RdsSnapshots
            | Page::RdsAutomatedBackups => Service::Rds,
            Page::DdbTables | Page::DdbCreate | Page::DdbTable(_) => Service::DynamoDb,
            Page::CacheList | Page::CacheCreate | Page::Cache(_) | Page::CacheModify(_) => Service::ElastiCache,
            Page::Ec2Instances
            | Page::Ec2Launch
            | Page::Ec2SecurityGroups
            | Page::Ec2SecurityGroup(_)
            | Page::Ec2CreateSecurityGroup => Service::Ec2,
            Page::VpcList | Page::VpcCreate | Page::VpcSubnets | Page::VpcRouteTables => Service::Vpc,
            Page::IamUsers | Page::IamUser(_) => Service::Iam,
            Page::EventHistory => Service::CloudTrail,
            Page::Export => Service::Export,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Service {
    Rds,
    DynamoDb,
    ElastiCache,
    Ec2,
    Vpc,
    Iam,
    CloudTrail,
    /// Not an AWS service: the lab's way out to a real account.
    Export,
}

impl Service {
    const ALL: [Service; 8] = [
        Service::Rds,
        Service::DynamoDb,
        Service::ElastiCache,
        Service::Ec2,
        Service::Vpc,
        Service::Iam,
        Service::CloudTrail,
        Service::Export,
    ];

    fn label(self) -> &'static str {
        match self {
            Service::Rds => "RDS",
            Service::DynamoDb => "DynamoDB",
            Service::ElastiCache => "ElastiCache",
            Service::Ec2 => "EC2",
            Service::Vpc => "VPC",
            Service::Iam => "IAM",
            Service::CloudTrail => "CloudTrail",
            Service::Export => "Export",
        }
    }

    fn home(self) -> Page {
        match self {
            Service::Rds => Page::RdsDatabases,
            Service::DynamoDb => Page::DdbTables,
            Service::ElastiCache => Page::CacheList,
            Service::Ec2 => Page::Ec2Instances,
            Service::Vpc => Page::VpcList,
            Service::Iam => Page::IamUsers,
            Service::CloudTrail => Page::EventHistory,
            Service::Export => Page::Export,
        }
    }

    /// The side navigation's entries.
    fn navigation(self) -> &'static [(&'static str, Page)] {
        match self {
            Service::Rds => &[
                ("Databases", Page::RdsDatabases),
                ("Snapshots", Page::RdsSnapshots),
                ("Automated backups", Page::RdsAutomatedBackups),
                ("Subnet groups", Page::RdsSubnetGroups),
            ],
            Service::DynamoDb => &[("Tables", Page::DdbTables)],
            Service::ElastiCache => &[("Redis OSS caches", Page::CacheList)],
            Service::Ec2 => &[("Instances", Page::Ec2Instances), ("Security Groups", Page::Ec2SecurityGroups)],
            Service::Vpc => {
                &[("Your VPCs", Page::VpcList), ("Subnets", Page::VpcSubnets), ("Route tables", Page::VpcRouteTables)]
            }
            Service::Iam => &[("Users", Page::IamUsers)],
            Service::CloudTrail => &[("Event history", Page::EventHistory)],
            Service::Export => &[("Export as script", Page::Export)],
        }
    }
}

/// A notification in the flash bar: "Creating database shop-db", with a link to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Flash {
    pub text: String,
    pub good: bool,
    pub link: Option<(String, Page)>,
}

/// What every page works with.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub state: LabState,
    pub page: RwSignal<Page>,
    pub flash: RwSignal<Option<Flash>>,
    pub show_terminal: Callback<()>,
}

impl Ctx {
    /// Sends a plan as the console; says in the flash bar how it went. Returns whether it
    /// went through.
    pub fn send(&self, plan: &[Action], success: Flash) -> bool {
        self.send_for_answer(plan, success).is_some()
    }

    /// [`Ctx::send`], returning the last request's answer when the plan went through.
    pub fn send_for_answer(&self, plan: &[Action], success: Flash) -> Option<serde_json::Value> {
        let result = self.state.change(|lab| perform(lab, plan));
        match result {
            Ok(answer) => {
                self.flash.set(Some(success));
                Some(answer)
            }
            Err(error) => {
                self.flash.set(Some(Flash { text: crate::console::banner(&error), good: false, link: None }));
                None
            }
        }
    }

    /// Reads the lab for a page, following its clock and changes.
    pub fn read<T>(&self, f: impl FnOnce(&mut crate::shell::Lab) -> T) -> T {
        self.state.rev.track();
        self.state.clock.track();
        let mut out = None;
        self.state.lab.update_value(|lab| out = Some(f(lab)));
        out.expect("the closure ran")
    }
}

#[component]
fn ConsoleApp(state: LabState, show_terminal: Callback<()>) -> impl IntoView {
    let ctx = Ctx { state, page: RwSignal::new(Page::RdsDatabases), flash: RwSignal::new(None), show_terminal };
    let service = move || ctx.page.with(Page::service);
    // A page is made once per visit: what it reads while being made (the lab, to fill in a
    // form's choices) must not make it again on every tick of the clock, or a form would
    // lose what was typed. Its lists follow the lab by themselves.
    let content = move || {
        let page = ctx.page.get();
        untrack(move || page_view(ctx, page))
    };
    view! {
        <div class="console">
            <nav class="console-services" aria-label="Services">
                {Service::ALL.into_iter().map(|s| view! {
                    <button type="button" class="console-service"
                        aria-current=move || (service() == s).then_some("page")
                        on:click=move |_| { ctx.flash.set(None); ctx.page.set(s.home()); }>
                        {s.label()}
                    </button>
                }).collect_view()}
                <span class="console-region" title="The lab's region">"N. Virginia · us-east-1"</span>
            </nav>
            <div class="console-body">
                <nav class="console-nav" aria-label=move || format!("{} navigation", service().label())>
                    {move || service().navigation().iter().map(|(label, page)| {
                        let page = page.clone();
                        let target = page.clone();
                        view! {
                            <button type="button" class="console-nav-item"
                                aria-current=move || (ctx.page.get() == page).then_some("page")
                                on:click=move |_| ctx.page.set(target.clone())>
                                {*label}
                            </button>
                        }
                    }).collect_view()}
                </nav>
                <div class="console-main">
                    <FlashBar ctx/>
                    {content}
                </div>
            </div>
        </div>
    }
}

fn page_view(ctx: Ctx, page: Page) -> AnyView {
    match page {
        Page::RdsDatabases => rds::databases_page(ctx).into_any(),
        Page::RdsCreate => rds::create_page(ctx).into_any(),
        Page::RdsDatabase(id) => rds::database_page(ctx, id).into_any(),
        Page::RdsModify(id) => rds_resources::modify_page(ctx, id).into_any(),
        Page::RdsSubnetGroups => rds_resources::subnet_groups_page(ctx).into_any(),
        Page::RdsCreateSubnetGroup => rds_resources::create_subnet_group_page(ctx).into_any(),
        Page::RdsSnapshots => rds_resources::snapshots_page(ctx).into_any(),
        Page::RdsAutomatedBackups => rds_resources::automated_backups_page(ctx).into_any(),
        Page::DdbTables => dynamodb::tables_page(ctx).into_any(),
        Page::DdbCreate => dynamodb::create_page(ctx).into_any(),
        Page::DdbTable(name) => dynamodb::table_page(ctx, name).into_any(),
        Page::CacheList => elasticache::caches_page(ctx).into_any(),
        Page::CacheCreate => elasticache::create_page(ctx).into_any(),
        Page::Cache(name) => elasticache::cache_page(ctx, name).into_any(),
        Page::CacheModify(name) => elasticache::modify_page(ctx, name).into_any(),
        Page::Ec2Instances => ec2::instances_page(ctx).into_any(),
        Page::Ec2Launch => ec2::launch_page(ctx).into_any(),
        Page::Ec2SecurityGroups => ec2::groups_page(ctx).into_any(),
        Page::Ec2SecurityGroup(id) => ec2::group_page(ctx, id).into_any(),
        Page::Ec2CreateSecurityGroup => ec2::create_group_page(ctx).into_any(),
        Page::VpcList => vpc::vpcs_page(ctx).into_any(),
        Page::VpcCreate => vpc::create_page(ctx).into_any(),
        Page::VpcSubnets => vpc::subnets_page(ctx).into_any(),
        Page::VpcRouteTables => vpc::route_tables_page(ctx).into_any(),
        Page::IamUsers => iam::users_page(ctx).into_any(),
        Page::IamUser(name) => iam::user_page(ctx, name).into_any(),
        Page::EventHistory => history::history_page(ctx).into_any(),
        Page::Export => export::export_page(ctx).into_any(),
    }
}

#[component]
fn FlashBar(ctx: Ctx) -> impl IntoView {
    move || {
        ctx.flash.get().map(|flash| {
            let link = flash.link.clone().map(|(label, page)| {
                view! { <button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{label}</button> }
            });
            view! {
                <div class="flash" class:good=flash.good class:bad=!flash.good role="status">
                    <span>{flash.text.clone()}</span>
                    {link}
                    <button type="button" class="flash-close" aria-label="Dismiss" on:click=move |_| ctx.flash.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// Breadcrumbs: the service, then the pages above this one.
pub fn breadcrumbs(ctx: Ctx, trail: Vec<(String, Option<Page>)>) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            {trail.into_iter().map(|(label, page)| match page {
                Some(page) => view! {
                    <button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{label}</button>
                    <span aria-hidden="true">" › "</span>
                }.into_any(),
                None => view! { <span aria-current="page">{label}</span> }.into_any(),
            }).collect_view()}
        </nav>
    }
}

/// A status as a badge: green when settled, blue while something happens, red when wrong.
pub fn badge(status: String) -> impl IntoView {
    let class = match tone(&status) {
        Tone::Good => "badge good",
        Tone::Busy => "badge busy",
        Tone::Bad => "badge bad",
    };
    view! { <span class=class>{status}</span> }
}

/// The CLI equivalent of what a form will send, kept up to date as it is filled in:
/// copyable, and runnable in the terminal.
#[component]
pub fn CliEquivalent(ctx: Ctx, #[prop(into)] plan: Signal<Plan>) -> impl IntoView {
    let script = move || match plan.get() {
        Ok(actions) => cli_script(&actions),
        Err(why) => format!("# {why}"),
    };
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&script());
            copied.set(true);
        }
    };
    let run = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        let session = ctx.state.active.get_untracked();
        for line in cli_script(&actions).lines() {
            ctx.state.exec(session, line);
        }
        ctx.show_terminal.run(());
    };
    view! {
        <section class="cli-equivalent" aria-label="CLI equivalent">
            <div class="cli-head">
                <h3>"CLI equivalent"</h3>
                <button type="button" class="small" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
                <button type="button" class="small" disabled=move || plan.with(Result::is_err) on:click=run>"Run in terminal"</button>
            </div>
            <pre class="cli-text" tabindex="0" aria-label="The commands"><code>{script}</code></pre>
        </section>
    }
}

/// A form's footer: Cancel (back to `cancel`) and the submit button, which is enabled once
/// the form can be sent.
pub fn form_actions(ctx: Ctx, cancel: Page, submit: &'static str, plan: Signal<Plan>) -> impl IntoView {
    view! {
        <div class="form-actions">
            <button type="button" class="button quiet" on:click=move |_| ctx.page.set(cancel.clone())>"Cancel"</button>
            <button type="submit" class="button primary" disabled=move || plan.with(Result::is_err)>{submit}</button>
        </div>
    }
}

/// Checkboxes over `options` (id, label) bound to a list of ids in a form (security groups,
/// subnets): ticking one adds its id, unticking removes it.
pub fn id_checkboxes<T: Send + Sync + 'static>(
    options: Vec<(String, String)>,
    form: RwSignal<T>,
    ids: fn(&T) -> &Vec<String>,
    ids_mut: fn(&mut T) -> &mut Vec<String>,
) -> impl IntoView {
    options
        .into_iter()
        .map(|(id, label)| {
            let (id, id2) = (id.clone(), id);
            view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || form.with(|f| ids(f).contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|f| {
                                let list = ids_mut(f);
                                list.retain(|g| *g != id2);
                                if on { list.push(id2.clone()); }
                            });
                        }/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
}

/// A labelled text field bound to a string of a form.
pub fn text_field(label: &'static str, value: Signal<String>, set: impl Fn(String) + 'static) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" prop:value=move || value.get() on:input=move |ev| set(event_target_value(&ev))/>
        </label>
    }
}

/// A labelled select over `options` (value, label).
pub fn select_field(
    label: &'static str,
    options: Vec<(String, String)>,
    value: Signal<String>,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select on:change=move |ev| set(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| {
                    let selected = { let v = v.clone(); move || value.get() == v };
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// A labelled checkbox.
pub fn check_field(label: &'static str, value: Signal<bool>, set: impl Fn(bool) + 'static) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=move || value.get() on:change=move |ev| set(event_target_checked(&ev))/>
            <span>{label}</span>
        </label>
    }
}

/// A labelled number field.
pub fn number_field(label: &'static str, value: Signal<i64>, set: impl Fn(i64) + 'static) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="number" prop:value=move || value.get().to_string()
                on:input=move |ev| set(event_target_value(&ev).trim().parse().unwrap_or(0))/>
        </label>
    }
}
