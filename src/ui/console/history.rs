//! CloudTrail's Event history: every API call of the account, with its time, name, source
//! (the console, a host's CLI or SDK) and outcome, newest first.

use super::{breadcrumbs, Ctx, Page};
use leptos::prelude::*;

pub fn history_page(ctx: Ctx) -> impl IntoView {
    let calls = move || {
        ctx.read(|lab| {
            lab.cloud
                .trail
                .calls
                .iter()
                .rev()
                .map(|c| {
                    (
                        c.at.to_aws_string(),
                        c.operation.clone(),
                        c.service.clone(),
                        c.source.clone(),
                        c.caller.clone(),
                        c.error.clone(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        {breadcrumbs(ctx, vec![("CloudTrail".to_string(), Some(Page::EventHistory)), ("Event history".to_string(), None)])}
        <h2>"Event history"</h2>
        <p class="muted">"Every API call made in the lab: from the console, the AWS CLI and the SDKs on every host."</p>
        <div class="resource-table" role="region" aria-label="Event history" tabindex="0"><table>
            <thead><tr><th>"Event time"</th><th>"Event name"</th><th>"Event source"</th><th>"Source"</th><th>"User name"</th><th>"Error code"</th></tr></thead>
            <tbody>{move || calls().into_iter().map(|(at, name, service, source, caller, error)| view! { <tr>
                <td data-label="Event time" class="mono">{at}</td>
                <td data-label="Event name">{name}</td>
                <td data-label="Event source">{format!("{service}.amazonaws.com")}</td>
                <td data-label="Source">{source}</td>
                <td data-label="User name">{caller.and_then(|c| c.rsplit('/').next().map(str::to_string)).unwrap_or_default()}</td>
                <td data-label="Error code" class:bad=error.is_some()>{error.clone().unwrap_or_default()}</td>
            </tr> }).collect_view()}</tbody>
        </table></div>
    }
}
