//! The event log: what RDS and ElastiCache recorded (their `describe-events`), newest first,
//! as it happens.

use super::state::use_lab;
use leptos::prelude::*;

/// How many events the panel shows.
const SHOWN: usize = 12;

#[component]
pub fn EventsPanel() -> impl IntoView {
    let state = use_lab();
    let events = move || {
        state.rev.track();
        state.lab.with_value(|lab| {
            let mut all: Vec<_> = lab.cloud.rds.log.events.iter().chain(&lab.cloud.elasticache.log.events).collect();
            all.sort_by_key(|e| e.at);
            all.iter()
                .rev()
                .take(SHOWN)
                .map(|e| (e.at.to_time_of_day(), e.source.clone(), e.message.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h2>"Events"</h2>
        {move || {
            let events = events();
            if events.is_empty() {
                view! { <p class="muted">"No events yet. RDS and ElastiCache record them as resources change."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain events">
                        {events.into_iter().map(|(at, source, message)| view! {
                            <li><span class="mono">{at}</span>" "<span class="mono">{source}</span>" "{message}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}
