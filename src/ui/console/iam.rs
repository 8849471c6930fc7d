//! IAM: Users, and a user's Security credentials: access keys created (the secret shown this
//! once, with its `.csv` file), deactivated, activated and deleted.

use super::{breadcrumbs, CliEquivalent, Ctx, Flash, Page};
use crate::console::iam::{self as model, NewKey};
use leptos::prelude::*;

pub fn users_page(ctx: Ctx) -> impl IntoView {
    let rows = move || ctx.read(model::users);
    view! {
        {breadcrumbs(ctx, vec![("IAM".to_string(), Some(Page::IamUsers)), ("Users".to_string(), None)])}
        <h2>"Users"</h2>
        <div class="resource-table" role="region" aria-label="Users" tabindex="0"><table>
            <thead><tr><th>"User name"</th><th>"Access keys"</th><th>"Created"</th><th>"ARN"</th></tr></thead>
            <tbody>{move || rows().into_iter().map(|row| {
                let page = Page::IamUser(row.name.clone());
                view! { <tr>
                    <td data-label="User name"><button type="button" class="link" on:click=move |_| ctx.page.set(page.clone())>{row.name}</button></td>
                    <td data-label="Access keys">{row.access_keys}</td>
                    <td data-label="Created" class="mono">{row.created}</td>
                    <td data-label="ARN" class="mono">{row.arn}</td>
                </tr> }
            }).collect_view()}</tbody>
        </table></div>
    }
}

pub fn user_page(ctx: Ctx, user: String) -> impl IntoView {
    let user = StoredValue::new(user);
    let keys = move || ctx.read(|lab| model::access_keys(lab, &user.get_value()));
    let created = RwSignal::new(None::<NewKey>);
    let plan = Signal::derive(move || Ok(vec![model::create_access_key(&user.get_value())]));
    let create = move |_| {
        let Ok(actions) = plan.get_untracked() else { return };
        let flash = Flash { text: "Access key created.".to_string(), good: true, link: None };
        if let Some(answer) = ctx.send_for_answer(&actions, flash) {
            created.set(NewKey::from_answer(&answer));
        }
    };
    view! {
        {breadcrumbs(ctx, vec![("IAM".to_string(), Some(Page::IamUsers)), ("Users".to_string(), Some(Page::IamUsers)), (user.get_value(), None)])}
        <h2>{user.get_value()}</h2>
        <div role="tablist" class="console-tabs" aria-label="User details">
            <button type="button" role="tab" aria-selected="true">"Security credentials"</button>
        </div>
        <div class="console-head">
            <h3>"Access keys"</h3>
            <button type="button" class="button primary" on:click=create>"Create access key"</button>
        </div>
        <p class="muted small">"Use access keys to send programmatic calls to AWS from the AWS CLI, the SDKs or direct API calls. You can have a maximum of two access keys (active or inactive) at a time."</p>
        <CliEquivalent ctx plan/>
        {move || created.get().map(|key| retrieve_dialog(key, created))}
        <div class="resource-table" role="region" aria-label="Access keys" tabindex="0"><table>
            <thead><tr><th>"Access key ID"</th><th>"Status"</th><th>"Created"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{move || {
                let keys = keys();
                if keys.is_empty() {
                    return view! { <tr><td colspan="4" class="empty">"No access keys."</td></tr> }.into_any();
                }
                keys.into_iter().map(|key| {
                    let id = StoredValue::new(key.id.clone());
                    let toggle = move |_| {
                        let action = model::set_key_active(&user.get_value(), &id.get_value(), !key.active);
                        let word = if key.active { "deactivated" } else { "activated" };
                        ctx.send(&[action], Flash { text: format!("Access key {} {word}.", id.get_value()), good: true, link: None });
                    };
                    let delete = move |_| {
                        let action = model::delete_access_key(&user.get_value(), &id.get_value());
                        ctx.send(&[action], Flash { text: format!("Access key {} deleted.", id.get_value()), good: true, link: None });
                    };
                    view! { <tr>
                        <td data-label="Access key ID" class="mono">{key.id.clone()}</td>
                        <td data-label="Status">{super::badge(if key.active { "Active".to_string() } else { "Inactive".to_string() })}</td>
                        <td data-label="Created" class="mono">{key.created.clone()}</td>
                        <td class="row-actions">
                            <button type="button" class="small" on:click=toggle>{if key.active { "Deactivate" } else { "Activate" }}</button>
                            // The console deletes only an inactive key.
                            <button type="button" class="small danger" disabled=key.active on:click=delete
                                title=if key.active { "Deactivate the key before deleting it" } else { "" }>"Delete"</button>
                        </td>
                    </tr> }
                }).collect_view().into_any()
            }}</tbody>
        </table></div>
    }
}

/// *Retrieve access keys*: the secret, shown this once, and the `.csv` file.
fn retrieve_dialog(key: NewKey, open: RwSignal<Option<NewKey>>) -> impl IntoView {
    let shown = RwSignal::new(false);
    let dialog_ref = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog_ref.get() {
            let _ = d.show_modal();
        }
    });
    let key = StoredValue::new(key);
    view! {
        <dialog node_ref=dialog_ref class="console-dialog" aria-label="Retrieve access keys" on:close=move |_| open.set(None)>
            <h3>"Retrieve access keys"</h3>
            <p class="flash bad">"This is the only time that the secret access key can be viewed or downloaded. You cannot recover it later. However, you can create a new access key any time."</p>
            <dl class="details">
                <dt>"Access key"</dt><dd class="mono">{key.with_value(|k| k.id.clone())}</dd>
                <dt>"Secret access key"</dt>
                <dd class="mono">{move || if shown.get() { key.with_value(|k| k.secret.clone()) } else { "*".repeat(16) }}
                    " "<button type="button" class="small" on:click=move |_| shown.update(|s| *s = !*s)>{move || if shown.get() { "Hide" } else { "Show" }}</button></dd>
            </dl>
            <div class="form-actions">
                <button type="button" class="button" on:click=move |_| key.with_value(|k| super::super::storage::download(&k.csv_name(), &k.csv(), "text/csv"))>"Download .csv file"</button>
                <button type="button" class="button primary" on:click=move |_| open.set(None)>"Done"</button>
            </div>
        </dialog>
    }
}
