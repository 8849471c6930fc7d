use crate::shell::command::{Command, Ctx};

/// `echo [-n] [-e] words...`, as bash's builtin.
pub struct Echo;

impl Command for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }
    fn summary(&self) -> &'static str {
        "print its arguments (use > file to write a file)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let mut newline = true;
        let mut escapes = false;
        let mut rest = args;
        while let Some(first) = rest.first() {
            let flags = first.strip_prefix('-').filter(|f| !f.is_empty() && f.chars().all(|c| "neE".contains(c)));
            match flags {
                Some(flags) => {
                    for c in flags.chars() {
                        match c {
                            'n' => newline = false,
                            'e' => escapes = true,
                            _ => escapes = false,
                        }
                    }
                    rest = &rest[1..];
                }
                None => break,
            }
        }
        let mut text = rest.join(" ");
        if escapes {
            text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
        }
        ctx.out(&text);
        if newline {
            ctx.out("\n");
        }
        0
    }
}
