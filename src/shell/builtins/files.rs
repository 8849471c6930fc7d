//! The file commands: `ls`, `cat`, `pwd`, `cd`, `mkdir`, `rm`, `touch`.

use crate::cloud::time::Timestamp;
use crate::shell::command::{Command, Ctx};
use crate::shell::fs::FsError;

/// Splits `-la`-style flags from operands. Returns the flags, the operands, or the first unknown flag.
fn options<'a>(args: &'a [String], known: &str) -> Result<(String, Vec<&'a str>), char> {
    let mut flags = String::new();
    let mut operands = Vec::new();
    let mut only_operands = false;
    for arg in args {
        if !only_operands && arg == "--" {
            only_operands = true;
        } else if !only_operands && arg.len() > 1 && arg.starts_with('-') {
            for c in arg[1..].chars() {
                if !known.contains(c) {
                    return Err(c);
                }
                flags.push(c);
            }
        } else {
            operands.push(arg.as_str());
        }
    }
    Ok((flags, operands))
}

fn bad_option(ctx: &mut Ctx, command: &str, option: char) -> i32 {
    ctx.errln(&format!("{command}: invalid option -- '{option}'"));
    ctx.errln(&format!("Try '{command} --help' for more information."));
    if command == "ls" {
        2
    } else {
        1
    }
}

pub struct Ls;

impl Command for Ls {
    fn name(&self) -> &'static str {
        "ls"
    }
    fn summary(&self) -> &'static str {
        "list files (-l long, -a all)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let (flags, mut operands) = match options(args, "la1") {
            Ok(o) => o,
            Err(c) => return bad_option(ctx, "ls", c),
        };
        let long = flags.contains('l');
        let all = flags.contains('a');
        if operands.is_empty() {
            operands.push(".");
        }
        let several = operands.len() > 1;
        let mut status = 0;
        for (i, operand) in operands.iter().enumerate() {
            let path = ctx.path(operand);
            let listing = match ctx.host.fs.list(&path) {
                Ok(entries) => entries,
                Err(FsError::NotADirectory) => {
                    // A file operand lists itself.
                    let size = ctx.host.fs.read(&path).map(str::len).unwrap_or(0);
                    let line = if long { long_line(ctx, operand, false, size, 0) } else { operand.to_string() };
                    ctx.outln(&line);
                    continue;
                }
                Err(e) => {
                    ctx.errln(&format!("ls: cannot access '{operand}': {}", e.message()));
                    status = 2;
                    continue;
                }
            };
            if several {
                if i > 0 {
                    ctx.outln("");
                }
                ctx.outln(&format!("{operand}:"));
            }
            let mut entries: Vec<(String, bool, usize, i64)> =
                listing.into_iter().map(|e| (e.name, e.is_dir, e.size, e.modified)).collect();
            if all {
                entries.insert(0, ("..".into(), true, 4096, 0));
                entries.insert(0, (".".into(), true, 4096, 0));
            } else {
                entries.retain(|e| !e.0.starts_with('.'));
            }
            if long {
                ctx.outln(&format!(
                    "total {}",
                    entries.iter().map(|e| e.2.div_ceil(1024) * 4).sum::<usize>().max(if entries.is_empty() {
                        0
                    } else {
                        4
                    })
                ));
                for (name, is_dir, size, modified) in entries {
                    let line = long_line(ctx, &name, is_dir, size, modified);
                    ctx.outln(&line);
                }
            } else if !entries.is_empty() {
                let names: Vec<String> = entries.into_iter().map(|e| e.0).collect();
                ctx.outln(&names.join("  "));
            }
        }
        status
    }
}

fn long_line(ctx: &Ctx, name: &str, is_dir: bool, size: usize, modified: i64) -> String {
    let mode = if is_dir { "drwxr-xr-x" } else { "-rw-r--r--" };
    let when = if modified == 0 { ctx.cloud.now } else { Timestamp(modified) };
    let date = super::date::format(when, "%b %e %H:%M");
    let user = &ctx.host.user;
    format!("{mode} {} {user} {user} {size:>5} {date} {name}", if is_dir { 2 } else { 1 })
}

pub struct Cat;

impl Command for Cat {
    fn name(&self) -> &'static str {
        "cat"
    }
    fn summary(&self) -> &'static str {
        "print files (none, or -: standard input)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let mut status = 0;
        let stdin_only = [String::from("-")];
        let args = if args.is_empty() { &stdin_only[..] } else { args };
        for arg in args {
            if arg == "-" {
                // Standard input, read once: a second `-` finds it at its end, as cat does.
                if let Some(text) = ctx.stdin.take() {
                    ctx.out(&text);
                }
                continue;
            }
            let path = ctx.path(arg);
            match ctx.host.fs.read(&path) {
                Ok(text) => {
                    let text = text.to_string();
                    ctx.out(&text);
                }
                Err(e) => {
                    ctx.errln(&format!("cat: {arg}: {}", e.message()));
                    status = 1;
                }
            }
        }
        status
    }
}

pub struct Pwd;

impl Command for Pwd {
    fn name(&self) -> &'static str {
        "pwd"
    }
    fn summary(&self) -> &'static str {
        "print the working directory"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        let cwd = ctx.session.cwd.clone();
        ctx.outln(&cwd);
        0
    }
}

pub struct Cd;

impl Command for Cd {
    fn name(&self) -> &'static str {
        "cd"
    }
    fn summary(&self) -> &'static str {
        "change the working directory"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        if args.len() > 1 {
            ctx.errln("-bash: cd: too many arguments");
            return 1;
        }
        let target = match args.first().map(String::as_str) {
            None => ctx.host.home.clone(),
            Some("-") => match ctx.var("OLDPWD") {
                Some(old) => {
                    let old = old.to_string();
                    ctx.outln(&old);
                    old
                }
                None => {
                    ctx.errln("-bash: cd: OLDPWD not set");
                    return 1;
                }
            },
            Some(dir) => ctx.path(dir),
        };
        let shown = args.first().cloned().unwrap_or_default();
        match ctx.host.fs.node(&target) {
            Some(crate::shell::fs::Node::Dir) => {
                let old = std::mem::replace(&mut ctx.session.cwd, target.clone());
                ctx.session.env.insert("OLDPWD".into(), old);
                ctx.session.env.insert("PWD".into(), target);
                0
            }
            Some(_) => {
                ctx.errln(&format!("-bash: cd: {shown}: Not a directory"));
                1
            }
            None => {
                ctx.errln(&format!("-bash: cd: {shown}: No such file or directory"));
                1
            }
        }
    }
}

pub struct Mkdir;

impl Command for Mkdir {
    fn name(&self) -> &'static str {
        "mkdir"
    }
    fn summary(&self) -> &'static str {
        "make directories (-p: with parents)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let (flags, operands) = match options(args, "p") {
            Ok(o) => o,
            Err(c) => return bad_option(ctx, "mkdir", c),
        };
        if operands.is_empty() {
            ctx.errln("mkdir: missing operand");
            ctx.errln("Try 'mkdir --help' for more information.");
            return 1;
        }
        let mut status = 0;
        for operand in operands {
            let path = ctx.path(operand);
            if let Err(e) = ctx.host.fs.mkdir(&path, flags.contains('p')) {
                ctx.errln(&format!("mkdir: cannot create directory ‘{operand}’: {}", e.message()));
                status = 1;
            }
        }
        status
    }
}

pub struct Rm;

impl Command for Rm {
    fn name(&self) -> &'static str {
        "rm"
    }
    fn summary(&self) -> &'static str {
        "remove files (-r: directories too, -f: quietly)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let (flags, operands) = match options(args, "rRf") {
            Ok(o) => o,
            Err(c) => return bad_option(ctx, "rm", c),
        };
        let recursive = flags.contains('r') || flags.contains('R');
        let force = flags.contains('f');
        if operands.is_empty() && !force {
            ctx.errln("rm: missing operand");
            ctx.errln("Try 'rm --help' for more information.");
            return 1;
        }
        let mut status = 0;
        for operand in operands {
            let path = ctx.path(operand);
            match ctx.host.fs.remove(&path, recursive) {
                Ok(()) => {}
                Err(FsError::NotFound) if force => {}
                Err(e) => {
                    ctx.errln(&format!("rm: cannot remove '{operand}': {}", e.message()));
                    status = 1;
                }
            }
        }
        status
    }
}

pub struct Touch;

impl Command for Touch {
    fn name(&self) -> &'static str {
        "touch"
    }
    fn summary(&self) -> &'static str {
        "create empty files"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        if args.is_empty() {
            ctx.errln("touch: missing file operand");
            ctx.errln("Try 'touch --help' for more information.");
            return 1;
        }
        let mut status = 0;
        let now = ctx.cloud.now.0;
        for arg in args {
            let path = ctx.path(arg);
            if let Err(e) = ctx.host.fs.touch(&path, now) {
                ctx.errln(&format!("touch: cannot touch '{arg}': {}", e.message()));
                status = 1;
            }
        }
        status
    }
}
