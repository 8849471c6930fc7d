//! `true` and `false`: commands that do nothing but end with a status, for `&&`, `||` and `$?`.

use crate::shell::command::{Command, Ctx};

/// `true` (status 0) or `false` (status 1).
pub struct Status(pub &'static str);

impl Command for Status {
    fn name(&self) -> &'static str {
        self.0
    }
    fn summary(&self) -> &'static str {
        if self.0 == "true" {
            "do nothing, successfully (status 0)"
        } else {
            "do nothing, unsuccessfully (status 1)"
        }
    }
    fn run(&self, _ctx: &mut Ctx, _args: &[String]) -> i32 {
        i32::from(self.0 != "true")
    }
}
