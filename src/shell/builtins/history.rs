use crate::shell::command::{Command, Ctx};

/// `history`: the lines typed in this session, numbered as bash numbers them.
pub struct History;

impl Command for History {
    fn name(&self) -> &'static str {
        "history"
    }
    fn summary(&self) -> &'static str {
        "show the commands typed in this session (-c clears them)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        if args.first().map(String::as_str) == Some("-c") {
            ctx.session.history.clear();
            return 0;
        }
        let lines: Vec<String> =
            ctx.session.history.iter().enumerate().map(|(i, l)| format!("{:>5}  {}", i + 1, l)).collect();
        for line in lines {
            ctx.outln(&line);
        }
        0
    }
}
