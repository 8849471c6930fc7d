//! EC2 instances: virtual machines in a subnet, behind security groups.
//!
//! An instance goes `pending` → `running` a few seconds after `run-instances` (on the lab clock),
//! and `shutting-down` → `terminated` after `terminate-instances`. A running instance is a host
//! the shell can `ssh` to; its private address is reachable inside the VPC, its public address
//! (if it has one, in a public subnet) from the internet.

use super::cidr::Ip;
use super::filters;
use super::{invalid, new_id, not_found, requested_tags, tags_json, Ec2Ctx, Network, NetworkEvent, ZONES, ZONE_IDS};
use crate::cloud::api::{ApiError, ApiResult, Request};
use crate::cloud::names::api_names;
use crate::cloud::time::{Duration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The images the lab offers: (id, name, description, default user).
pub const IMAGES: &[(&str, &str, &str, &str)] = &[
    (
        "ami-0453ec754f44f9a4a",
        "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64",
        "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1",
        "ec2-user",
    ),
    (
        "ami-0e2c8caa4b6378d8c",
        "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119",
        "Canonical, Ubuntu, 24.04, amd64 noble image",
        "ubuntu",
    ),
];

/// Instance types the lab accepts, with vCPUs and memory (MiB).
pub const INSTANCE_TYPES: &[(&str, u32, u32)] = &[
    ("t2.micro", 1, 1024),
    ("t3.micro", 2, 1024),
    ("t3.small", 2, 2048),
    ("t3.medium", 2, 4096),
    ("t3.large", 2, 8192),
    ("m5.large", 2, 8192),
    ("m5.xlarge", 4, 16384),
    ("c5.large", 2, 4096),
    ("r5.large", 2, 16384),
];

/// The most instances one `run-instances` may launch in the lab.
const MAX_COUNT: i64 = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub reservation_id: String,
    pub image_id: String,
    pub instance_type: String,
    pub subnet_id: String,
    pub vpc_id: String,
    pub zone: String,
    pub private_ip: Ip,
    pub public_ip: Option<Ip>,
    pub security_groups: Vec<String>,
    pub state: InstanceState,
    pub launched: Timestamp,
    pub key_name: Option<String>,
    pub tags: Vec<(String, String)>,
}

impl Instance {
    /// The login user of its image (`ec2-user` on Amazon Linux).
    pub fn login_user(&self) -> &'static str {
        IMAGES.iter().find(|i| i.0 == self.image_id).map(|i| i.3).unwrap_or("ec2-user")
    }

    pub fn private_dns(&self) -> String {
        format!("ip-{}.ec2.internal", self.private_ip.to_string().replace('.', "-"))
    }

    pub fn public_dns(&self) -> Option<String> {
        self.public_ip.map(|ip| format!("ec2-{}.compute-1.amazonaws.com", ip.to_string().replace('.', "-")))
    }

    pub fn name_tag(&self) -> Option<&str> {
        self.tags.iter().find(|(k, _)| k == "Name").map(|(_, v)| v.as_str())
    }
}

api_names! {
    /// Where an instance is in its life, as `describe-instances` names it.
    pub enum InstanceState {
        Pending = "pending",
        Running = "running",
        ShuttingDown = "shutting-down",
        Terminated = "terminated",
        Stopping = "stopping",
        Stopped = "stopped",
    }
}

impl InstanceState {
    /// EC2's numeric code beside the name.
    fn code(self) -> u32 {
        match self {
            InstanceState::Pending => 0,
            InstanceState::Running => 16,
            InstanceState::ShuttingDown => 32,
            InstanceState::Terminated => 48,
            InstanceState::Stopping => 64,
            InstanceState::Stopped => 80,
        }
    }

    /// Whether it holds its addresses and answers (booting counts: its public IP is shown).
    pub fn is_up(self) -> bool {
        matches!(self, InstanceState::Running | InstanceState::Pending)
    }
}

fn state_json(state: InstanceState) -> Value {
    json!({"Code": state.code(), "Name": state.as_str()})
}

fn instance_json(net: &Network, i: &Instance) -> Value {
    let groups: Vec<Value> = i
        .security_groups
        .iter()
        .map(|id| json!({"GroupName": net.security_group(id).map(|g| g.name.clone()).unwrap_or_default(), "GroupId": id}))
        .collect();
    let zone_index = ZONES.iter().position(|z| *z == i.zone).unwrap_or(0);
    let live = i.state != InstanceState::Terminated;
    let mut v = json!({
        "AmiLaunchIndex": 0,
        "ImageId": i.image_id,
        "InstanceId": i.id,
        "InstanceType": i.instance_type,
        "LaunchTime": i.launched.to_aws_string(),
        "Monitoring": {"State": "disabled"},
        "Placement": {"AvailabilityZone": i.zone, "AvailabilityZoneId": ZONE_IDS[zone_index], "GroupName": "", "Tenancy": "default"},
        "PrivateDnsName": if live { i.private_dns() } else { String::new() },
        "PrivateIpAddress": i.private_ip.to_string(),
        "ProductCodes": [],
        "PublicDnsName": if live { i.public_dns().unwrap_or_default() } else { String::new() },
        "State": state_json(i.state),
        "SubnetId": i.subnet_id,
        "VpcId": i.vpc_id,
        "Architecture": "x86_64",
        "RootDeviceName": "/dev/xvda",
        "RootDeviceType": "ebs",
        "SecurityGroups": groups,
        "Tags": tags_json(&i.tags),
        "VirtualizationType": "hvm",
    });
    if let (Some(ip), true) = (i.public_ip, i.state.is_up()) {
        v["PublicIpAddress"] = json!(ip.to_string());
    }
    if let Some(k) = &i.key_name {
        v["KeyName"] = json!(k);
    }
    v
}

/// `DescribeImages`.
pub fn describe_images(_: Ec2Ctx, _: &Request) -> ApiResult {
    let images: Vec<Value> = IMAGES
        .iter()
        .map(|(id, name, description, _)| {
            json!({"ImageId": id, "Name": name, "Description": description, "Architecture": "x86_64", "State": "available",
                   "Public": true, "OwnerId": "137112412989", "RootDeviceType": "ebs", "VirtualizationType": "hvm"})
        })
        .collect();
    Ok(json!({ "Images": images }))
}

/// `RunInstances`.
pub fn run_instances(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, rng, now, account } = c;
    let image = req.required_str("ImageId")?;
    if !image.starts_with("ami-") {
        return Err(ApiError::client(
            "InvalidAMIID.Malformed",
            format!("Invalid id: \"{image}\" (expecting \"ami-...\")"),
        ));
    }
    if !IMAGES.iter().any(|i| i.0 == image) {
        return Err(not_found("InvalidAMIID.NotFound", format!("The image id '[{image}]' does not exist")));
    }
    let instance_type = req.str("InstanceType")?.unwrap_or("m1.small");
    if !INSTANCE_TYPES.iter().any(|t| t.0 == instance_type) {
        return Err(invalid(format!("Invalid value '{instance_type}' for InstanceType.")));
    }
    let min = req.int("MinCount")?.or(req.int("Count")?).unwrap_or(1);
    let max = req.int("MaxCount")?.unwrap_or(min);
    if min < 1 || max < min {
        return Err(invalid(
            "Invalid value for MinCount/MaxCount: the counts must be at least 1, with MinCount at most MaxCount.",
        ));
    }
    if max > MAX_COUNT {
        return Err(ApiError::client(
            "InstanceLimitExceeded",
            format!("You have requested more instances ({max}) than your current instance limit of {MAX_COUNT} allows for the specified instance type."),
        ));
    }
    let subnet = match req.str("SubnetId")? {
        Some(id) => net
            .subnet(id)
            .cloned()
            .ok_or_else(|| not_found("InvalidSubnetID.NotFound", format!("The subnet ID '{id}' does not exist")))?,
        None => net
            .default_vpc()
            .and_then(|v| net.subnets.iter().find(|s| s.vpc_id == v.id && s.default_for_az))
            .cloned()
            .ok_or_else(|| {
                ApiError::client(
                    "VPCIdNotSpecified",
                    "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.",
                )
            })?,
    };
    let mut groups = req.str_list("SecurityGroupIds")?;
    for name in req.str_list("SecurityGroups")? {
        match net.security_groups.iter().find(|g| g.name == name && g.vpc_id == subnet.vpc_id) {
            Some(g) => groups.push(g.id.clone()),
            None => {
                return Err(not_found(
                    "InvalidGroup.NotFound",
                    format!("The security group '{name}' does not exist in VPC '{}'", subnet.vpc_id),
                ))
            }
        }
    }
    for g in &groups {
        match net.security_group(g) {
            None => return Err(not_found("InvalidGroup.NotFound", format!("The security group '{g}' does not exist"))),
            Some(sg) if sg.vpc_id != subnet.vpc_id => {
                return Err(invalid(format!(
                    "Security group {g} and subnet {} belong to different networks.",
                    subnet.id
                )))
            }
            _ => {}
        }
    }
    if groups.is_empty() {
        if let Some(default) = net.security_groups.iter().find(|g| g.vpc_id == subnet.vpc_id && g.name == "default") {
            groups.push(default.id.clone());
        }
    }
    let public = req.bool("AssociatePublicIpAddress")?.unwrap_or(subnet.map_public_ip);
    let reservation_id = new_id(rng, "r");
    let tags = requested_tags(req, "instance");
    let mut launched = Vec::new();
    for _ in 0..max {
        let private_ip = net.next_private_ip(&subnet).ok_or_else(|| {
            ApiError::client(
                "InsufficientFreeAddressesInSubnet",
                format!(
                    "There are not enough free addresses in subnet '{}' to satisfy the requested number of instances.",
                    subnet.id
                ),
            )
        })?;
        let public_ip = public.then(|| net.next_public_ip());
        let instance = Instance {
            id: new_id(rng, "i"),
            reservation_id: reservation_id.clone(),
            image_id: image.to_string(),
            instance_type: instance_type.to_string(),
            subnet_id: subnet.id.clone(),
            vpc_id: subnet.vpc_id.clone(),
            zone: subnet.zone.clone(),
            private_ip,
            public_ip,
            security_groups: groups.clone(),
            state: InstanceState::Pending,
            launched: now,
            key_name: req.str("KeyName")?.map(str::to_string),
            tags: tags.clone(),
        };
        // Booting takes 10 to 30 seconds.
        let boot = Duration::from_secs(rng.range(10, 30) as i64);
        net.pending_events.push((
            now.plus(boot),
            NetworkEvent::InstanceState { id: instance.id.clone(), state: InstanceState::Running },
        ));
        net.instances.push(instance.clone());
        launched.push(instance);
    }
    let instances: Vec<Value> = launched.iter().map(|i| instance_json(net, i)).collect();
    Ok(json!({"Groups": [], "Instances": instances, "OwnerId": account, "ReservationId": reservation_id}))
}

/// `DescribeInstances`.
pub fn describe_instances(c: Ec2Ctx, req: &Request) -> ApiResult {
    let Ec2Ctx { net, account, .. } = c;
    let filters = filters::read(req)?;
    filters::check_names(
        &filters,
        &[
            "instance-id",
            "instance-state-name",
            "vpc-id",
            "subnet-id",
            "instance-type",
            "availability-zone",
            "private-ip-address",
            "ip-address",
            "instance.group-id",
        ],
    )?;
    let ids = req.str_list("InstanceIds")?;
    for id in &ids {
        if net.instance(id).is_none() {
            return Err(not_found("InvalidInstanceID.NotFound", format!("The instance ID '{id}' does not exist")));
        }
    }
    let mut reservations: Vec<(String, Vec<Value>)> = Vec::new();
    for i in &net.instances {
        if !ids.is_empty() && !ids.contains(&i.id) {
            continue;
        }
        let matches = filters.iter().all(|f| {
            let have = match f.name.as_str() {
                "instance-id" => vec![i.id.clone()],
                "instance-state-name" => vec![i.state.to_string()],
                "vpc-id" => vec![i.vpc_id.clone()],
                "subnet-id" => vec![i.subnet_id.clone()],
                "instance-type" => vec![i.instance_type.clone()],
                "availability-zone" => vec![i.zone.clone()],
                "private-ip-address" => vec![i.private_ip.to_string()],
                "ip-address" => i.public_ip.iter().map(|p| p.to_string()).collect(),
                "instance.group-id" => i.security_groups.clone(),
                _ => filters::tag_values(&i.tags, f),
            };
            filters::matches(f, &have)
        });
        if !matches {
            continue;
        }
        let json = instance_json(net, i);
        match reservations.iter_mut().find(|(r, _)| *r == i.reservation_id) {
            Some((_, list)) => list.push(json),
            None => reservations.push((i.reservation_id.clone(), vec![json])),
        }
    }
    let out: Vec<Value> = reservations
        .into_iter()
        .map(|(r, instances)| json!({"Groups": [], "Instances": instances, "OwnerId": account, "ReservationId": r}))
        .collect();
    Ok(json!({ "Reservations": out }))
}

/// `TerminateInstances`.
pub fn terminate_instances(c: Ec2Ctx, req: &Request) -> ApiResult {
    change_state(c, req, Transition::Terminate)
}

/// `StopInstances`.
pub fn stop_instances(c: Ec2Ctx, req: &Request) -> ApiResult {
    change_state(c, req, Transition::Stop)
}

/// `StartInstances`.
pub fn start_instances(c: Ec2Ctx, req: &Request) -> ApiResult {
    change_state(c, req, Transition::Start)
}

/// What a terminate, stop or start asks of each instance.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Transition {
    Terminate,
    Stop,
    Start,
}

/// Moves each named instance through a transition: its state now, and the state it reaches
/// later on the clock.
fn change_state(c: Ec2Ctx, req: &Request, transition: Transition) -> ApiResult {
    use InstanceState::*;
    let Ec2Ctx { net, rng, now, .. } = c;
    let ids = req.str_list("InstanceIds")?;
    if ids.is_empty() {
        return Err(ApiError::client("MissingParameter", "The request must contain the parameter InstanceId"));
    }
    for id in &ids {
        if net.instance(id).is_none() {
            return Err(not_found("InvalidInstanceID.NotFound", format!("The instance ID '{id}' does not exist")));
        }
    }
    let mut changes = Vec::new();
    for id in &ids {
        let Some(i) = net.instances.iter_mut().find(|i| &i.id == id) else { continue };
        let previous = i.state;
        let (now_state, then_state, secs) = match transition {
            Transition::Terminate if previous == Terminated => (Terminated, None, 0),
            Transition::Terminate => (ShuttingDown, Some(Terminated), rng.range(20, 60)),
            Transition::Stop if previous.is_up() => (Stopping, Some(Stopped), rng.range(15, 40)),
            Transition::Start if previous == Stopped => (Pending, Some(Running), rng.range(10, 30)),
            _ => {
                return Err(ApiError::client(
                    "IncorrectInstanceState",
                    format!(
                        "The instance '{id}' is not in a state from which it can be {}.",
                        if transition == Transition::Start { "started" } else { "stopped" }
                    ),
                ))
            }
        };
        i.state = now_state;
        if let Some(then_state) = then_state {
            net.pending_events.push((
                now.plus(Duration::from_secs(secs as i64)),
                NetworkEvent::InstanceState { id: id.clone(), state: then_state },
            ));
        }
        changes.push(
            json!({"CurrentState": state_json(now_state), "InstanceId": id, "PreviousState": state_json(previous)}),
        );
    }
    let key = match transition {
        Transition::Terminate => "TerminatingInstances",
        Transition::Stop => "StoppingInstances",
        Transition::Start => "StartingInstances",
    };
    Ok(json!({ key: changes }))
}

/// A scheduled state change arriving.
pub fn apply(net: &mut Network, id: &str, state: InstanceState) {
    use InstanceState::*;
    if let Some(i) = net.instances.iter_mut().find(|i| i.id == id) {
        // A later command may have moved it on already (terminated while pending).
        let stale = matches!((i.state, state), (ShuttingDown | Terminated | Stopping, Running));
        if !stale {
            i.state = state;
        }
    }
}
