use crate::shell::command::{Command, Ctx};

/// `whoami`: the user of this host.
pub struct Whoami;

impl Command for Whoami {
    fn name(&self) -> &'static str {
        "whoami"
    }
    fn summary(&self) -> &'static str {
        "print the user name on this host"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        let user = ctx.host.user.clone();
        ctx.outln(&user);
        0
    }
}

/// `hostname`: the name of this host.
pub struct Hostname;

impl Command for Hostname {
    fn name(&self) -> &'static str {
        "hostname"
    }
    fn summary(&self) -> &'static str {
        "print the name of this host"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        let name = ctx.host.hostname.clone();
        ctx.outln(&name);
        0
    }
}

/// `exit` / `logout`: ends this shell (the terminal tab closes).
pub struct Exit(pub &'static str);

impl Command for Exit {
    fn name(&self) -> &'static str {
        self.0
    }
    fn summary(&self) -> &'static str {
        "end this shell session (closes the tab)"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        if self.0 == "logout" {
            ctx.outln("logout");
        }
        ctx.exit = true;
        0
    }
}
