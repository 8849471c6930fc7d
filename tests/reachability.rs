//! Property tests of the network: random VPCs, subnets, security groups and instances, and random
//! connection attempts. Whatever the layout, what AWS guarantees must hold.

use dblab::cloud::api::Credentials;
use dblab::cloud::network::cidr::Ip;
use dblab::cloud::network::reach::{is_private, Outcome, Source};
use dblab::cloud::time::{Duration, Timestamp};
use dblab::cloud::Cloud;
use dblab::engines::rng::Rng;
use serde_json::{json, Value};

fn call(cloud: &mut Cloud, op: &str, req: Value) -> Value {
    cloud.call("cloudshell", &Credentials::ConsoleSession, "ec2", op, &req).unwrap_or_else(|e| panic!("{op}: {e:?}"))
}

/// A random region: one VPC with public and private subnets, groups with random rules, instances.
fn random_region(seed: u64) -> (Cloud, Rng) {
    let mut rng = Rng::new(seed);
    let mut cloud = Cloud::new(seed, Timestamp(0));
    let vpc = call(&mut cloud, "CreateVpc", json!({"CidrBlock": "10.0.0.0/16"}))["Vpc"]["VpcId"].clone();
    let igw = call(&mut cloud, "CreateInternetGateway", json!({}))["InternetGateway"]["InternetGatewayId"].clone();
    call(&mut cloud, "AttachInternetGateway", json!({"InternetGatewayId": igw, "VpcId": vpc}));
    let rtb = call(&mut cloud, "CreateRouteTable", json!({"VpcId": vpc}))["RouteTable"]["RouteTableId"].clone();
    call(
        &mut cloud,
        "CreateRoute",
        json!({"RouteTableId": rtb, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}),
    );
    let mut subnets = Vec::new();
    for n in 0..4 {
        let s = call(&mut cloud, "CreateSubnet", json!({"VpcId": vpc, "CidrBlock": format!("10.0.{n}.0/24")}))
            ["Subnet"]["SubnetId"]
            .clone();
        if rng.range(0, 1) == 0 {
            call(&mut cloud, "AssociateRouteTable", json!({"RouteTableId": rtb, "SubnetId": s}));
        }
        subnets.push(s);
    }
    let mut groups = Vec::new();
    for n in 0..3 {
        let g = call(
            &mut cloud,
            "CreateSecurityGroup",
            json!({"GroupName": format!("g{n}"), "Description": "d", "VpcId": vpc}),
        )["GroupId"]
            .clone();
        groups.push(g);
    }
    for g in &groups {
        for _ in 0..rng.range(0, 3) {
            let port = [22, 80, 3306, 5432][rng.range(0, 3) as usize];
            let req = if rng.range(0, 1) == 0 {
                let cidr = ["0.0.0.0/0", "203.0.113.10/32", "10.0.0.0/16", "10.0.1.0/24"][rng.range(0, 3) as usize];
                json!({"GroupId": g, "Protocol": "tcp", "Port": port.to_string(), "Cidr": cidr})
            } else {
                let source = &groups[rng.range(0, groups.len() as u64 - 1) as usize];
                json!({"GroupId": g, "Protocol": "tcp", "Port": port.to_string(), "SourceGroup": source})
            };
            let _ =
                cloud.call("cloudshell", &Credentials::ConsoleSession, "ec2", "AuthorizeSecurityGroupIngress", &req);
        }
    }
    for _ in 0..6 {
        let subnet = &subnets[rng.range(0, 3) as usize];
        let group = &groups[rng.range(0, 2) as usize];
        let public = rng.range(0, 1) == 0;
        call(
            &mut cloud,
            "RunInstances",
            json!({"ImageId": "ami-0453ec754f44f9a4a", "InstanceType": "t3.micro", "SubnetId": subnet, "SecurityGroupIds": [group], "AssociatePublicIpAddress": public}),
        );
    }
    let later = cloud.now.plus(Duration::from_secs(60));
    cloud.advance_to(later);
    (cloud, rng)
}

#[test]
fn what_aws_guarantees_holds_for_random_networks() {
    let laptop = Ip::parse("203.0.113.10").unwrap();
    let mut connected = 0;
    let mut blocked = 0;
    for seed in 0..60 {
        let (cloud, mut rng) = random_region(seed);
        let instances: Vec<_> = cloud.network.instances.clone();
        assert!(instances.iter().all(|i| i.state == "running"), "instances boot within a minute");
        for _ in 0..40 {
            let target = &instances[rng.range(0, instances.len() as u64 - 1) as usize];
            let port = [22, 80, 3306][rng.range(0, 2) as usize];
            let use_public = rng.range(0, 1) == 0 && target.public_ip.is_some();
            let ip = if use_public { target.public_ip.unwrap() } else { target.private_ip };
            let source = if rng.range(0, 1) == 0 {
                Source::Internet(laptop)
            } else {
                Source::Instance(instances[rng.range(0, instances.len() as u64 - 1) as usize].id.clone())
            };
            let verdict = cloud.reach(&source, ip, port);
            assert!(!verdict.why.is_empty(), "every verdict explains itself");
            if let (Source::Internet(_), true) = (&source, is_private(ip)) {
                assert_eq!(verdict.outcome, Outcome::TimedOut, "the internet never reaches a private address");
            }
            match verdict.outcome {
                Outcome::Connected => {
                    connected += 1;
                    assert_eq!(port, 22, "only sshd listens on an instance");
                    let subnet = cloud.network.subnet(&target.subnet_id).unwrap();
                    if let Source::Internet(_) = source {
                        assert!(
                            cloud.network.is_public_subnet(subnet),
                            "reached from the internet means a public subnet"
                        );
                    }
                    // Some group of the target has a rule for this port.
                    let allowed =
                        target.security_groups.iter().filter_map(|g| cloud.network.security_group(g)).any(|g| {
                            g.ingress
                                .iter()
                                .any(|r| r.protocol == "-1" || (r.from_port..=r.to_port).contains(&(port as i64)))
                        });
                    assert!(allowed, "a connection needs a security group rule for its port");
                }
                Outcome::Refused => assert_ne!(port, 22, "sshd listens on 22"),
                Outcome::TimedOut => blocked += 1,
            }
        }
    }
    // The random layouts exercise both sides.
    assert!(connected > 20 && blocked > 20, "connected {connected}, blocked {blocked}");
}

#[test]
fn without_rules_nothing_gets_in() {
    for seed in 100..120 {
        let (mut cloud, _) = random_region(seed);
        for g in &mut cloud.network.security_groups {
            g.ingress.clear();
        }
        let instances = cloud.network.instances.clone();
        for target in &instances {
            for source in instances
                .iter()
                .map(|i| Source::Instance(i.id.clone()))
                .chain([Source::Internet(Ip::parse("203.0.113.10").unwrap())])
            {
                for ip in [Some(target.private_ip), target.public_ip].into_iter().flatten() {
                    assert_eq!(cloud.reach(&source, ip, 22).outcome, Outcome::TimedOut);
                }
            }
        }
    }
}
