//! *Export as script*: the lab's resources as AWS CLI commands for a real account, the
//! clean-up script, and what they would cost an hour there.

use super::{breadcrumbs, Ctx, Page};
use crate::console::export::{export, PRICES_DATED};
use leptos::prelude::*;

/// Items copied per DynamoDB table.
const ITEM_LIMIT: usize = 100;

pub fn export_page(ctx: Ctx) -> impl IntoView {
    // Made once per change of the lab (not per tick of its clock: it scans every table),
    // however many parts of the page show it.
    let made = Memo::new(move |_| {
        ctx.state.rev.track();
        let mut out = None;
        ctx.state.lab.update_value(|lab| out = Some(export(lab, ITEM_LIMIT)));
        out.expect("the closure ran")
    });
    let download = move |name: &'static str, create: bool| {
        let made = made.get_untracked();
        let text = if create { made.script } else { made.cleanup };
        super::super::storage::download(name, &text, "text/x-shellscript");
    };
    view! {
        {breadcrumbs(ctx, vec![("Export".to_string(), Some(Page::Export)), ("Export as script".to_string(), None)])}
        <h2>"Export as script"</h2>
        <p class="muted">"Take the lab to a real AWS account: a bash script of AWS CLI commands makes the lab's networks, security groups, instances, databases, caches and tables (with up to 100 items each) again, with the names you chose, in the order they depend on each other. Set DB_PASSWORD first. The clean-up script removes them all."</p>
        <div class="form-actions">
            <button type="button" class="button primary" on:click=move |_| download("dblab-create.sh", true)>"Download dblab-create.sh"</button>
            <button type="button" class="button" on:click=move |_| download("dblab-cleanup.sh", false)>"Download dblab-cleanup.sh"</button>
        </div>
        <h3>"What it costs on AWS"</h3>
        <div class="resource-table" role="region" aria-label="Hourly cost" tabindex="0"><table>
            <thead><tr><th>"Resource"</th><th>"Per hour (USD)"</th></tr></thead>
            <tbody>
                {move || made.get().costs.into_iter().map(|(what, cost)| view! {
                    <tr><td data-label="Resource">{what}</td><td data-label="Per hour (USD)">{format!("{cost:.4}")}</td></tr>
                }).collect_view()}
                <tr><td class="strong" data-label="Resource">"Total"</td><td class="strong" data-label="Per hour (USD)">{move || format!("{:.4}", made.get().hourly_total())}</td></tr>
            </tbody>
        </table></div>
        <p class="muted small">{format!("us-east-1 on-demand list prices of {PRICES_DATED}, storage included; on-demand DynamoDB tables are charged per request, data transfer and backups beyond the free allowance are not counted.")}</p>
        <h3>"dblab-create.sh"</h3>
        <pre class="cli-text export-script" tabindex="0" aria-label="dblab-create.sh"><code>{move || made.get().script}</code></pre>
        <h3>"dblab-cleanup.sh"</h3>
        <pre class="cli-text export-script" tabindex="0" aria-label="dblab-cleanup.sh"><code>{move || made.get().cleanup}</code></pre>
    }
}
