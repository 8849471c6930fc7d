//! `ssh [user@]HOST`: a shell on an EC2 instance, in the same terminal. `exit` comes back.
//!
//! The connection obeys the network like any other (port 22, the security group, public or
//! private subnet). Key pairs are not modelled: a reachable instance lets the learner in.

use super::resolve;
use crate::cloud::network::reach::Outcome;
use crate::cloud::network::InstanceState;
use crate::cloud::time::Duration;
use crate::shell::command::{Command, Ctx};
use crate::shell::session::SshReturn;

pub struct Ssh;

const AMAZON_LINUX_BANNER: &str = r"   ,     #_
   ~\_  ####_        Amazon Linux 2023
  ~~  \_#####\
  ~~     \###|
  ~~       \#/ ___   https://aws.amazon.com/linux/amazon-linux-2023
   ~~       V~' '->
    ~~~         /
      ~~._.   _/
         _/ _/
       _/m/'
";

impl Command for Ssh {
    fn name(&self) -> &'static str {
        "ssh"
    }
    fn summary(&self) -> &'static str {
        "open a shell on an EC2 instance: ssh ec2-user@ADDRESS (exit to come back)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let mut target = None;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-i" | "-l" | "-p" | "-o" => i += 2,
                a if a.starts_with('-') => i += 1,
                a => {
                    target = Some(a.to_string());
                    break;
                }
            }
        }
        let Some(target) = target else {
            ctx.errln("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]");
            ctx.errln("           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]");
            ctx.errln("           [-i identity_file] [-l login_name] [-p port] destination [command [argument ...]]");
            return 255;
        };
        let (user, host) = match target.split_once('@') {
            Some((u, h)) => (Some(u.to_string()), h.to_string()),
            None => (None, target.clone()),
        };
        let Some(answer) = resolve(ctx, &host) else {
            ctx.errln(&format!("ssh: Could not resolve hostname {host}: Name or service not known"));
            return 255;
        };
        let ip = answer.address;
        let verdict = ctx.cloud.reach(&ctx.host.source(), ip, 22);
        match verdict.outcome {
            Outcome::Refused => {
                ctx.errln(&format!("ssh: connect to host {host} port 22: Connection refused"));
                255
            }
            Outcome::TimedOut => {
                let until = ctx.cloud.now.plus(Duration::from_secs(127));
                ctx.cloud.advance_to(until);
                ctx.errln(&format!("ssh: connect to host {host} port 22: Connection timed out"));
                255
            }
            Outcome::Connected => {
                let instance = ctx
                    .cloud
                    .network
                    .instances
                    .iter()
                    .find(|i| i.state == InstanceState::Running && (i.private_ip == ip || i.public_ip == Some(ip)))
                    .cloned();
                let Some(instance) = instance else {
                    ctx.errln(&format!("ssh: connect to host {host} port 22: Connection refused"));
                    return 255;
                };
                let login = instance.login_user();
                if let Some(user) = user.filter(|u| u != login) {
                    ctx.errln(&format!("{user}@{host}: Permission denied (publickey,gssapi-keyex,gssapi-with-mic)."));
                    return 255;
                }
                // Printed first, as ssh does (it goes to standard error there).
                ctx.outln(&format!("Warning: Permanently added '{host}' (ED25519) to the list of known hosts."));
                ctx.out(AMAZON_LINUX_BANNER);
                let host_entry = crate::shell::host::Host::ec2(&instance);
                let back = SshReturn {
                    host: ctx.session.host.clone(),
                    cwd: ctx.session.cwd.clone(),
                    env: ctx.session.env.clone(),
                    address: host.clone(),
                };
                ctx.session.ssh_stack.push(back);
                ctx.session.host = instance.id.clone();
                ctx.session.cwd = host_entry.home.clone();
                ctx.session.env = host_entry.env.clone();
                0
            }
        }
    }
}
