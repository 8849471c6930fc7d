//! CloudTrail's Event history: every API call of the account, with its time, name, source
//! (the console, a host's CLI or SDK) and outcome, newest first, fifty to a page as the
//! console pages it (a load test makes thousands: only the page shown is read and drawn).

use super::{breadcrumbs, Ctx, Page};
use leptos::prelude::*;

/// Events to a page.
const PAGE_SIZE: usize = 50;

/// One row: time, name, service, source, caller, error code.
type Row = (String, String, String, String, Option<String>, Option<String>);

pub fn history_page(ctx: Ctx) -> impl IntoView {
    // Page 1 holds the newest fifty calls (and follows the lab as calls come in).
    let page = RwSignal::new(0usize);
    // (A memo: the count, the pager and the rows read the trail once per change.)
    let shown = Memo::new(move |_| {
        let page = page.get();
        ctx.read(|lab| {
            let calls = &lab.cloud.trail.calls;
            let rows: Vec<Row> = calls
                .iter()
                .rev()
                .skip(page * PAGE_SIZE)
                .take(PAGE_SIZE)
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
                .collect();
            (calls.len(), rows)
        })
    });
    let total = move || shown.with(|s| s.0);
    let pages = move || total().div_ceil(PAGE_SIZE).max(1);
    view! {
        {breadcrumbs(ctx, vec![("CloudTrail".to_string(), Some(Page::EventHistory)), ("Event history".to_string(), None)])}
        <h2>"Event history"</h2>
        <p class="muted">"Every API call made in the lab: from the console, the AWS CLI and the SDKs on every host."</p>
        <div class="pager" role="navigation" aria-label="Event history pages">
            <span class="muted small">{move || {
                let total = total();
                let first = (page.get() * PAGE_SIZE + 1).min(total);
                let last = ((page.get() + 1) * PAGE_SIZE).min(total);
                format!("{first}-{last} of {total} events")
            }}</span>
            <button type="button" class="small" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous page"</button>
            <span class="small">{move || format!("Page {} of {}", page.get() + 1, pages())}</span>
            <button type="button" class="small" disabled=move || { page.get() + 1 >= pages() } on:click=move |_| page.update(|p| *p += 1)>"Next page"</button>
        </div>
        <div class="resource-table" role="region" aria-label="Event history" tabindex="0"><table>
            <thead><tr><th>"Event time"</th><th>"Event name"</th><th>"Event source"</th><th>"Source"</th><th>"User name"</th><th>"Error code"</th></tr></thead>
            <tbody>{move || shown.get().1.into_iter().map(|(at, name, service, source, caller, error)| view! { <tr>
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
