//! The region at a glance: each VPC, its subnets in availability-zone columns (public or
//! private), and the instances in them with their state and addresses. It follows the lab live.

use super::state::use_lab;
use crate::cloud::network::ZONES;
use leptos::prelude::*;

#[derive(Clone, PartialEq)]
struct SubnetView {
    id: String,
    cidr: String,
    public: bool,
    zone: String,
    instances: Vec<(String, String, String, Option<String>)>,
}

#[derive(Clone, PartialEq)]
struct VpcView {
    id: String,
    name: String,
    cidr: String,
    subnets: Vec<SubnetView>,
}

#[component]
pub fn Topology() -> impl IntoView {
    let state = use_lab();
    let vpcs = move || {
        state.rev.track();
        state.lab.with_value(|lab| {
            let net = &lab.cloud.network;
            net.vpcs
                .iter()
                .map(|v| VpcView {
                    id: v.id.clone(),
                    name: v.tags.iter().find(|(k, _)| k == "Name").map(|(_, n)| n.clone()).unwrap_or_else(|| {
                        if v.is_default {
                            "default VPC".into()
                        } else {
                            String::new()
                        }
                    }),
                    cidr: v.cidr.to_string(),
                    subnets: net
                        .subnets
                        .iter()
                        .filter(|s| s.vpc_id == v.id)
                        .map(|s| SubnetView {
                            id: s.id.clone(),
                            cidr: s.cidr.to_string(),
                            public: net.is_public_subnet(s),
                            zone: s.zone.clone(),
                            instances: net
                                .instances
                                .iter()
                                .filter(|i| i.subnet_id == s.id && i.state != "terminated")
                                .map(|i| {
                                    (
                                        i.name_tag().map(str::to_string).unwrap_or_else(|| i.id.clone()),
                                        i.state.clone(),
                                        i.private_ip.to_string(),
                                        i.public_ip.map(|p| p.to_string()),
                                    )
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="topology" aria-label="Topology">
            <h2>"Region us-east-1"</h2>
            {move || vpcs().into_iter().map(|vpc| view! {
                <div class="vpc">
                    <p class="vpc-title"><strong>{vpc.name.clone()}</strong>" "<span class="mono">{vpc.id.clone()}" · "{vpc.cidr.clone()}</span></p>
                    <div class="zones">
                        {ZONES.iter().map(|zone| {
                            let subnets: Vec<SubnetView> = vpc.subnets.iter().filter(|s| s.zone == *zone).cloned().collect();
                            view! {
                                <div class="zone">
                                    <p class="zone-name">{*zone}</p>
                                    {subnets.into_iter().map(|s| view! {
                                        <div class="subnet" class:public=s.public>
                                            <p class="subnet-title">
                                                <span class="badge">{if s.public { "public" } else { "private" }}</span>
                                                " "<span class="mono">{s.cidr.clone()}</span>
                                            </p>
                                            <p class="mono small muted">{s.id.clone()}</p>
                                            <ul class="plain">
                                                {s.instances.into_iter().map(|(name, st, private_ip, public_ip)| view! {
                                                    <li class="node">
                                                        <span class=format!("dot {st}") aria-hidden="true"></span>
                                                        <span class="mono">{name}</span>
                                                        " "<span class="muted small">{st.clone()}</span>
                                                        <br/><span class="mono small">{private_ip}{public_ip.map(|p| format!(" · {p}")).unwrap_or_default()}</span>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        </div>
                                    }).collect_view()}
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </div>
            }).collect_view()}
        </section>
    }
}
