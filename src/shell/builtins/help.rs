use crate::shell::command::{Command, Ctx};

/// `help`: what can be typed here.
pub struct Help;

impl Command for Help {
    fn name(&self) -> &'static str {
        "help"
    }
    fn summary(&self) -> &'static str {
        "list the commands of this shell"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        ctx.outln(&format!("DB Lab shell on {}. Commands:", ctx.host.name));
        ctx.outln("");
        for command in crate::shell::commands() {
            ctx.outln(&format!("  {:<10} {}", command.name(), command.summary()));
        }
        ctx.outln("");
        ctx.outln("Quotes, $VARIABLES, ~, ;, &&, || and > / >> work as in bash.");
        ctx.outln("Keys: Up/Down for history, Tab to complete, Ctrl+L to clear.");
        0
    }
}
