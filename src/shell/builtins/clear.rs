use crate::shell::command::{Command, Ctx};

/// `clear`: wipes the terminal screen (Ctrl+L does the same).
pub struct Clear;

impl Command for Clear {
    fn name(&self) -> &'static str {
        "clear"
    }
    fn summary(&self) -> &'static str {
        "clear the terminal screen"
    }
    fn run(&self, ctx: &mut Ctx, _args: &[String]) -> i32 {
        ctx.clear = true;
        0
    }
}
