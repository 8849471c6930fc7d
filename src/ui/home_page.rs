use leptos::prelude::*;
use leptos_router::components::A;

/// What DB Lab is, and the two ways in.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"DB Lab"</h1>
            <p class="lede">
                "Practise cloud databases in your browser: Amazon RDS and Aurora, DynamoDB and ElastiCache for Redis, "
                "with the AWS CLI, on a simulated AWS region. No account, no cost, nothing to install, works offline."
            </p>
            <div class="cta">
                <A href="/lessons" attr:class="button primary">"Start the course"</A>
                <A href="/playground" attr:class="button">"Open the playground"</A>
            </div>
        </section>
        <section class="features" aria-label="What you can practise">
            <article class="card">
                <h2>"RDS and Aurora"</h2>
                <p>"MySQL and PostgreSQL instances, Multi-AZ failover, read replicas and their lag, backups and point-in-time restore, private networking."</p>
            </article>
            <article class="card">
                <h2>"DynamoDB"</h2>
                <p>"Partition and sort keys, Query and Scan, update and condition expressions, secondary indexes, capacity and throttling."</p>
            </article>
            <article class="card">
                <h2>"ElastiCache for Redis"</h2>
                <p>"Strings, hashes, pub/sub and streams; shards, replicas and hash slots; the cache-aside pattern."</p>
            </article>
            <article class="card">
                <h2>"The AWS CLI"</h2>
                <p>"The real commands, flags, output formats and error messages, with " <code>"--query"</code> ", credentials and profiles."</p>
            </article>
        </section>
        <section class="how">
            <h2>"How it works"</h2>
            <ol>
                <li>"Everything runs in this page, in WebAssembly: the database engines, a simulated region with its own clock, and the lessons."</li>
                <li>"A terminal gives you a laptop and AWS CloudShell; time passes when you let it, so a ten-minute failover takes a second."</li>
                <li>"Lessons check what you built, not what you typed: any correct way turns a step green. Your work is saved in this browser."</li>
            </ol>
        </section>
    }
}
