//! Hosts: the machines a learner has a shell on.
//!
//! `laptop` is the learner's own computer, outside any VPC. `cloudshell` is AWS CloudShell: a
//! shell in the browser console, already signed in as the console user. EC2 instances join them
//! when the region grows a network.
//!
//! Every host's image has the lessons' data in `~/samples/` ([`super::samples`]): the laptop,
//! CloudShell and each EC2 instance's login user alike, so a lesson's `file://samples/...`
//! works wherever the learner runs it.

use super::fs::FileSystem;
use super::samples;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostKind {
    /// The learner's own machine: no AWS credentials until `aws configure`.
    Laptop,
    /// AWS CloudShell: requests are signed with the console user's session.
    CloudShell,
    /// An EC2 instance (the host's name is the instance id).
    Ec2,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Host {
    pub name: String,
    pub kind: HostKind,
    /// What `hostname` prints (`laptop`; `ip-10-0-1-5.ec2.internal` on EC2).
    pub hostname: String,
    /// The login user (`whoami`).
    pub user: String,
    pub home: String,
    pub fs: FileSystem,
    /// Environment variables every new session on this host starts with.
    pub env: BTreeMap<String, String>,
    /// Database servers installed on this host (`mysql`, `postgres`), created on first use.
    pub sql_servers: BTreeMap<String, crate::engines::sql::Server>,
    /// A Redis server running on this host (the laptop's local one, started by `redis-cli`).
    pub redis: Option<Box<crate::engines::cache::Cache>>,
    /// Further Redis servers on this host, by port (the nodes of a local Redis Cluster).
    pub redis_nodes: BTreeMap<u16, Box<crate::engines::cache::Cache>>,
}

const WELCOME: &str = "\
Welcome to DB Lab.

This is your laptop: outside AWS, with the AWS CLI installed but not yet configured.
Useful commands: help, date, sleep, ls, cat, aws.
Open a CloudShell tab to work as the console user, signed in already.
";

impl Host {
    pub fn laptop() -> Host {
        let home = "/home/learner".to_string();
        let mut fs = FileSystem::with_home(&home);
        let _ = fs.write(&format!("{home}/welcome.txt"), WELCOME, false, 0);
        samples::install(&mut fs, &home);
        Host::new("laptop", HostKind::Laptop, "learner", home, fs, &[])
    }

    pub fn cloudshell() -> Host {
        let home = "/home/cloudshell-user".to_string();
        let mut fs = FileSystem::with_home(&home);
        samples::install(&mut fs, &home);
        // CloudShell sets the region of the console session in the environment.
        let env = [("AWS_REGION", crate::cloud::REGION), ("AWS_DEFAULT_REGION", crate::cloud::REGION)];
        Host::new("cloudshell", HostKind::CloudShell, "cloudshell-user", home, fs, &env)
    }

    /// The shell of an EC2 instance, as its image sets it up.
    pub fn ec2(instance: &crate::cloud::network::Instance) -> Host {
        let user = instance.login_user();
        let home = format!("/home/{user}");
        let mut fs = FileSystem::with_home(&home);
        samples::install(&mut fs, &home);
        let mut host = Host::new(&instance.id, HostKind::Ec2, user, home, fs, &[]);
        host.hostname = instance.private_dns();
        host.env.insert("HOSTNAME".into(), host.hostname.clone());
        host
    }

    /// The address other machines see connections from.
    pub fn source(&self) -> crate::cloud::network::reach::Source {
        use crate::cloud::network::{cidr::Ip, reach::Source, CLOUDSHELL_IP, LAPTOP_IP};
        match self.kind {
            HostKind::Laptop => Source::Internet(Ip::parse(LAPTOP_IP).unwrap_or(Ip(0))),
            HostKind::CloudShell => Source::Internet(Ip::parse(CLOUDSHELL_IP).unwrap_or(Ip(0))),
            HostKind::Ec2 => Source::Instance(self.name.clone()),
        }
    }

    fn new(name: &str, kind: HostKind, user: &str, home: String, fs: FileSystem, env: &[(&str, &str)]) -> Host {
        let mut vars: BTreeMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        vars.insert("HOME".into(), home.clone());
        vars.insert("USER".into(), user.into());
        vars.insert("HOSTNAME".into(), name.into());
        vars.insert("SHELL".into(), "/bin/bash".into());
        vars.insert("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into());
        Host {
            name: name.into(),
            kind,
            hostname: name.into(),
            user: user.into(),
            home,
            fs,
            env: vars,
            sql_servers: BTreeMap::new(),
            redis: None,
            redis_nodes: BTreeMap::new(),
        }
    }
}
