use super::state::use_lab;
use crate::cloud::network::cidr::Ip;
use crate::cloud::network::reach::Outcome;
use leptos::prelude::*;

/// "Why can't I connect?": follows a connection from a host to an address and port, hop by hop.
#[component]
fn ConnectionCheck() -> impl IntoView {
    let state = use_lab();
    let from = RwSignal::new("laptop".to_string());
    let to = RwSignal::new(String::new());
    let port = RwSignal::new("22".to_string());
    let result = RwSignal::new(None::<(String, Vec<String>)>);
    let hosts = move || {
        state.rev.track();
        state.lab.with_value(|l| l.hosts.iter().map(|h| h.name.clone()).collect::<Vec<_>>())
    };
    let explain = move |_| {
        let verdict = state.lab.with_value(|lab| {
            let host = lab.host(&from.get_untracked())?;
            let ip = Ip::parse(to.get_untracked().trim())?;
            let port: u16 = port.get_untracked().trim().parse().ok()?;
            Some(lab.cloud.reach(&host.source(), ip, port))
        });
        result.set(Some(match verdict {
            None => ("Enter an IPv4 address and a port.".into(), Vec::new()),
            Some(v) => {
                let outcome = match v.outcome {
                    Outcome::Connected => "Connects",
                    Outcome::Refused => "Refused",
                    Outcome::TimedOut => "Times out",
                };
                (outcome.to_string(), v.why)
            }
        }));
    };
    view! {
        <h2>"Why can't I connect?"</h2>
        <div class="conn-form">
            <label>"From" <select on:change=move |ev| from.set(event_target_value(&ev)) prop:value=move || from.get()>
                {move || hosts().into_iter().map(|h| view! { <option value=h.clone()>{h.clone()}</option> }).collect_view()}
            </select></label>
            <label>"To address" <input type="text" placeholder="10.0.1.4" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
            <label>"Port" <input type="text" inputmode="numeric" prop:value=move || port.get() on:input=move |ev| port.set(event_target_value(&ev))/></label>
            <button class="button quiet" on:click=explain>"Explain"</button>
        </div>
        {move || result.get().map(|(outcome, why)| view! {
            <p class="conn-outcome"><strong>{outcome}</strong></p>
            <ol class="why">{why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ol>
        })}
    }
}

/// A look inside the lab: hosts, IAM users and keys, recent API calls.
#[component]
pub fn Inspector() -> impl IntoView {
    let state = use_lab();
    let snapshot = move || {
        state.rev.track();
        state.lab.with_value(|lab| {
            let hosts: Vec<(String, String, usize)> = lab
                .hosts
                .iter()
                .map(|h| (h.name.clone(), h.user.clone(), lab.sessions.iter().filter(|s| s.host == h.name).count()))
                .collect();
            let keys: Vec<(String, String, bool)> =
                lab.cloud.iam.all_keys().map(|(u, k)| (u.name.clone(), k.id.clone(), k.active)).collect();
            let calls: Vec<(String, String, String, Option<String>)> = lab
                .cloud
                .trail
                .calls
                .iter()
                .rev()
                .take(12)
                .map(|c| {
                    (c.at.to_time_of_day(), c.source.clone(), format!("{}:{}", c.service, c.operation), c.error.clone())
                })
                .collect();
            (lab.cloud.iam.account.clone(), hosts, keys, calls)
        })
    };
    view! {
        <aside class="inspector" aria-label="Lab inspector">
            <ConnectionCheck/>
            <super::charts::MetricCharts/>
            <super::events_panel::EventsPanel/>
            {move || {
                let (account, hosts, keys, calls) = snapshot();
                view! {
                    <h2>"Account"</h2>
                    <p class="mono">{account}" · us-east-1"</p>
                    <h2>"Hosts"</h2>
                    <ul class="plain">
                        {hosts.into_iter().map(|(name, user, open)| view! {
                            <li><span class="mono">{name}</span>" — "{user}{if open > 0 { format!(" · {open} open") } else { String::new() }}</li>
                        }).collect_view()}
                    </ul>
                    <h2>"Access keys"</h2>
                    {if keys.is_empty() {
                        view! { <p class="muted">"None yet. Create one in CloudShell with aws iam create-access-key."</p> }.into_any()
                    } else {
                        view! { <ul class="plain">{keys.into_iter().map(|(user, id, active)| view! {
                            <li><span class="mono">{id}</span>" · "{user}" · "{if active { "Active" } else { "Inactive" }}</li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                    <h2>"Recent API calls"</h2>
                    {if calls.is_empty() {
                        view! { <p class="muted">"No calls yet."</p> }.into_any()
                    } else {
                        view! { <ul class="plain calls">{calls.into_iter().map(|(at, source, op, error)| view! {
                            <li>
                                <span class="mono">{at}</span>" "{source}" "<span class="mono">{op}</span>" "
                                {match error { Some(e) => view! { <span class="bad">{e}</span> }.into_any(), None => view! { <span class="good">"OK"</span> }.into_any() }}
                            </li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                }
            }}
        </aside>
    }
}
