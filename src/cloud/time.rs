//! Time on the lab's virtual clock.
//!
//! The lab never reads the wall clock. Time is a [`Timestamp`]: milliseconds since the Unix
//! epoch, in UTC, moved forward only by the event loop (`sleep`, the clock buttons, a test).
//! This file also knows the two ways the lab writes time down: the shape `date(1)` prints
//! (`Thu Nov 26 10:00:00 UTC 2026`) and ISO 8601 as the AWS CLI prints it
//! (`2026-11-26T10:00:00+00:00`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A moment on the virtual clock: milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

/// A span of virtual time in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Duration(pub i64);

impl Duration {
    pub const fn from_secs(secs: i64) -> Duration {
        Duration(secs.saturating_mul(1000))
    }
    pub const fn millis(self) -> i64 {
        self.0
    }
}

/// A calendar breakdown of a timestamp (UTC, proleptic Gregorian calendar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    /// 0 = Sunday .. 6 = Saturday
    pub weekday: u32,
}

const DAY_MS: i64 = 86_400_000;
pub const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Timestamp {
    /// Builds a timestamp from a calendar date and time of day (UTC).
    pub fn from_civil(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Self {
        let days = days_from_civil(year, month, day);
        Timestamp(days * DAY_MS + (hour as i64 * 3600 + minute as i64 * 60 + second as i64) * 1000)
    }

    /// Parses a timestamp as the AWS CLI accepts one: ISO 8601 (`2026-11-26T10:05:00Z`,
    /// `2026-11-26T10:05:00+00:00`, `2026-11-26 10:05:00`, fractions of a second allowed, a
    /// missing offset meaning UTC), a bare date, or whole seconds since the epoch.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = text.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse::<i64>().ok().and_then(|s| s.checked_mul(1000)).map(Timestamp);
        }
        let num = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
        };
        let (date, rest) = t.split_at(t.find(['T', 't', ' ']).unwrap_or(t.len()));
        let mut d = date.split('-');
        let (year, month, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
        if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let mut time = rest.get(1..).unwrap_or("");
        let mut offset_ms = 0i64;
        if let Some(stripped) = time.strip_suffix(['Z', 'z']) {
            time = stripped;
        } else if let Some(at) = time.rfind(['+', '-']) {
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let mut parts = zone[1..].split(':');
            let hours = num(parts.next()?)? as i64;
            let minutes = parts.next().map(num).unwrap_or(Some(0))? as i64;
            offset_ms = sign * (hours * 60 + minutes) * 60_000;
            time = clock;
        }
        let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0i64);
        if !time.is_empty() {
            let (whole, fraction) = time.split_at(time.find('.').unwrap_or(time.len()));
            let mut p = whole.split(':');
            hour = num(p.next()?)?;
            minute = num(p.next()?)?;
            second = p.next().map(num).unwrap_or(Some(0))?;
            if p.next().is_some() || hour > 23 || minute > 59 || second > 60 {
                return None;
            }
            if let Some(f) = fraction.strip_prefix('.') {
                let digits: String = f.chars().chain("000".chars()).take(3).collect();
                millis = num(&digits)? as i64;
            }
        }
        let base = Timestamp::from_civil(year as i64, month, day, hour, minute, second);
        Some(Timestamp(base.0 + millis - offset_ms))
    }

    pub fn plus(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(d.0))
    }

    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }

    /// Whole seconds since the epoch (what `date +%s` prints).
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    pub fn civil(self) -> Civil {
        let days = self.0.div_euclid(DAY_MS);
        let ms_of_day = self.0.rem_euclid(DAY_MS);
        let (year, month, day) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        Civil {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
            millis: (ms_of_day % 1000) as u32,
            // 1970-01-01 was a Thursday (4).
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// `date(1)`'s default output: `Thu Nov 26 10:00:00 UTC 2026` (day padded with a space).
    pub fn to_date_string(self) -> String {
        let c = self.civil();
        format!(
            "{} {} {:>2} {:02}:{:02}:{:02} UTC {}",
            WEEKDAYS[c.weekday as usize],
            MONTHS[c.month as usize - 1],
            c.day,
            c.hour,
            c.minute,
            c.second,
            c.year
        )
    }

    /// ISO 8601 with an explicit offset, as the AWS CLI prints timestamps:
    /// `2026-11-26T10:00:00+00:00`.
    pub fn to_aws_string(self) -> String {
        let c = self.civil();
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// `HH:MM:SS`, for the clock display.
    pub fn to_time_of_day(self) -> String {
        let c = self.civil();
        format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second)
    }

    /// `YYYY-MM-DD`.
    pub fn to_date_only(self) -> String {
        let c = self.civil();
        format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_aws_string())
    }
}

/// Days since 1970-01-01 of a Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Gregorian date of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_a_thursday() {
        assert_eq!(Timestamp(0).to_date_string(), "Thu Jan  1 00:00:00 UTC 1970");
    }

    #[test]
    fn parses_what_the_aws_cli_accepts() {
        let t = Timestamp::from_civil(2026, 11, 26, 10, 4, 5);
        for text in
            ["2026-11-26T10:04:05Z", "2026-11-26T10:04:05+00:00", "2026-11-26 10:04:05", "2026-11-26T12:04:05+02:00"]
        {
            assert_eq!(Timestamp::parse(text), Some(t), "{text}");
        }
        assert_eq!(Timestamp::parse("2026-11-26T10:04:05.250Z"), Some(Timestamp(t.0 + 250)));
        assert_eq!(Timestamp::parse("2026-11-26"), Some(Timestamp::from_civil(2026, 11, 26, 0, 0, 0)));
        assert_eq!(Timestamp::parse(&t.unix_seconds().to_string()), Some(t));
        for bad in
            ["", "yesterday", "2026-13-01", "2026-11-26T25:00:00Z", "2026-11-26T10:04:05+xx", "99999999999999999999"]
        {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_like_date_and_the_aws_cli() {
        let t = Timestamp::from_civil(2026, 11, 26, 10, 4, 5);
        assert_eq!(t.to_date_string(), "Thu Nov 26 10:04:05 UTC 2026");
        assert_eq!(t.to_aws_string(), "2026-11-26T10:04:05+00:00");
        assert_eq!(t.unix_seconds(), 1_795_687_445);
    }

    #[test]
    fn civil_round_trips_over_four_centuries() {
        for days in (-200_000..200_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn leap_days_exist_where_they_should() {
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 28) + 1), (2024, 2, 29));
        assert_eq!(civil_from_days(days_from_civil(2100, 2, 28) + 1), (2100, 3, 1));
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 28) + 1), (2000, 2, 29));
    }
}
