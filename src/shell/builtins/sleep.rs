use crate::cloud::time::Duration;
use crate::shell::command::{Command, Ctx};

/// `sleep N[smhd]...`: waits on the lab's virtual clock, and the region lives through that time
/// (instances finish creating, failovers complete, replicas catch up).
pub struct Sleep;

/// The longest single sleep: a year, so a typo cannot strand the lab in the far future.
const MAX_SLEEP_SECS: f64 = 366.0 * 86_400.0;

impl Command for Sleep {
    fn name(&self) -> &'static str {
        "sleep"
    }
    fn summary(&self) -> &'static str {
        "wait N seconds on the lab's clock (also 5m, 2h, 1d)"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        if args.is_empty() {
            ctx.errln("sleep: missing operand");
            ctx.errln("Try 'sleep --help' for more information.");
            return 1;
        }
        let mut total = 0.0;
        for arg in args {
            match parse_interval(arg) {
                Some(secs) => total += secs,
                None => {
                    ctx.errln(&format!("sleep: invalid time interval ‘{arg}’"));
                    ctx.errln("Try 'sleep --help' for more information.");
                    return 1;
                }
            }
        }
        if total > MAX_SLEEP_SECS {
            ctx.errln("sleep: the lab's clock moves at most 366 days at a time");
            return 1;
        }
        let target = ctx.cloud.now.plus(Duration((total * 1000.0).round() as i64));
        ctx.cloud.advance_to(target);
        0
    }
}

/// `1.5`, `90s`, `5m`, `2h`, `1d` → seconds.
fn parse_interval(arg: &str) -> Option<f64> {
    let (number, unit) = match arg.char_indices().last()? {
        (i, c @ ('s' | 'm' | 'h' | 'd')) => (&arg[..i], c),
        _ => (arg, 's'),
    };
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        _ => 1.0,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::parse_interval;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("90"), Some(90.0));
        assert_eq!(parse_interval("1.5m"), Some(90.0));
        assert_eq!(parse_interval("2h"), Some(7200.0));
        assert_eq!(parse_interval("abc"), None);
        assert_eq!(parse_interval("-1"), None);
        assert_eq!(parse_interval("s"), None);
    }
}
