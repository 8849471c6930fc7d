use crate::cloud::time::{Timestamp, MONTHS, WEEKDAYS};
use crate::shell::command::{Command, Ctx};

/// `date`: the lab's virtual time in UTC, in `date(1)`'s formats.
pub struct Date;

impl Command for Date {
    fn name(&self) -> &'static str {
        "date"
    }
    fn summary(&self) -> &'static str {
        "print the lab's virtual time (UTC); +FORMAT, -I, -R, -u"
    }
    fn run(&self, ctx: &mut Ctx, args: &[String]) -> i32 {
        let now = ctx.cloud.now;
        let mut output = now.to_date_string();
        for arg in args {
            match arg.as_str() {
                "-u" | "--utc" | "--universal" => {}
                "-I" | "-Idate" | "--iso-8601" => output = now.to_date_only(),
                "-Iseconds" | "--iso-8601=seconds" => output = now.to_aws_string(),
                "-R" | "--rfc-email" => output = format(now, "%a, %d %b %Y %H:%M:%S +0000"),
                a if a.starts_with('+') => output = format(now, &a[1..]),
                a if a.starts_with('-') => {
                    let option = a.trim_start_matches('-').chars().next().unwrap_or('-');
                    ctx.errln(&format!("date: invalid option -- '{option}'"));
                    ctx.errln("Try 'date --help' for more information.");
                    return 1;
                }
                a => {
                    ctx.errln(&format!("date: invalid date ‘{a}’"));
                    return 1;
                }
            }
        }
        ctx.outln(&output);
        0
    }
}

const FULL_WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `strftime` for the specifiers people use with `date +...`.
pub fn format(t: Timestamp, pattern: &str) -> String {
    let c = t.civil();
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&c.year.to_string()),
            Some('y') => out.push_str(&format!("{:02}", c.year.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{:02}", c.month)),
            Some('d') => out.push_str(&format!("{:02}", c.day)),
            Some('e') => out.push_str(&format!("{:>2}", c.day)),
            Some('H') => out.push_str(&format!("{:02}", c.hour)),
            Some('I') => out.push_str(&format!("{:02}", (c.hour + 11) % 12 + 1)),
            Some('p') => out.push_str(if c.hour < 12 { "AM" } else { "PM" }),
            Some('M') => out.push_str(&format!("{:02}", c.minute)),
            Some('S') => out.push_str(&format!("{:02}", c.second)),
            Some('N') => out.push_str(&format!("{:09}", c.millis as u64 * 1_000_000)),
            Some('s') => out.push_str(&t.unix_seconds().to_string()),
            Some('a') => out.push_str(WEEKDAYS[c.weekday as usize]),
            Some('A') => out.push_str(FULL_WEEKDAYS[c.weekday as usize]),
            Some('b') | Some('h') => out.push_str(MONTHS[c.month as usize - 1]),
            Some('B') => out.push_str(FULL_MONTHS[c.month as usize - 1]),
            Some('F') => out.push_str(&t.to_date_only()),
            Some('T') => out.push_str(&t.to_time_of_day()),
            Some('R') => out.push_str(&format!("{:02}:{:02}", c.hour, c.minute)),
            Some('D') => out.push_str(&format!("{:02}/{:02}/{:02}", c.month, c.day, c.year.rem_euclid(100))),
            Some('j') => {
                let jan1 = Timestamp::from_civil(c.year, 1, 1, 0, 0, 0);
                out.push_str(&format!("{:03}", t.since(jan1).millis() / 86_400_000 + 1));
            }
            Some('u') => out.push_str(&(if c.weekday == 0 { 7 } else { c.weekday }).to_string()),
            Some('w') => out.push_str(&c.weekday.to_string()),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Timestamp::from_civil(2026, 3, 2, 14, 5, 9);
        assert_eq!(format(t, "%Y-%m-%d %H:%M:%S %Z"), "2026-03-02 14:05:09 UTC");
        assert_eq!(format(t, "%a %e %b, %I %p, day %j, %s"), "Mon  2 Mar, 02 PM, day 061, 1772460309");
        assert_eq!(format(t, "100%% %q"), "100% %q");
    }
}
