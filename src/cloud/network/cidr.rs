//! IPv4 addresses and CIDR blocks: `10.0.1.0/24` contains `10.0.1.0` to `10.0.1.255`.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ip(pub u32);

impl Ip {
    pub fn parse(text: &str) -> Option<Ip> {
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() != 4 {
            return None;
        }
        let mut value = 0u32;
        for part in parts {
            if part.is_empty() || part.len() > 3 || !part.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let octet: u32 = part.parse().ok()?;
            if octet > 255 {
                return None;
            }
            value = (value << 8) | octet;
        }
        Some(Ip(value))
    }

    pub fn octets(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for Ip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.octets();
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cidr {
    pub base: Ip,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`. The base must be the network address (no host bits set), as AWS requires.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (ip, prefix) = text.split_once('/')?;
        let ip = Ip::parse(ip)?;
        if prefix.is_empty() || prefix.len() > 2 || !prefix.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let prefix: u8 = prefix.parse().ok()?;
        if prefix > 32 {
            return None;
        }
        let cidr = Cidr { base: ip, prefix };
        (ip.0 & cidr.mask() == ip.0).then_some(cidr)
    }

    pub fn mask(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix)
        }
    }

    pub fn contains(self, ip: Ip) -> bool {
        ip.0 & self.mask() == self.base.0
    }

    /// Whether `other` lies entirely inside this block.
    pub fn covers(self, other: Cidr) -> bool {
        other.prefix >= self.prefix && self.contains(other.base)
    }

    pub fn overlaps(self, other: Cidr) -> bool {
        self.contains(other.base) || other.contains(self.base)
    }

    pub fn size(self) -> u64 {
        1u64 << (32 - self.prefix as u32)
    }

    /// The `n`th address of the block.
    pub fn nth(self, n: u32) -> Ip {
        Ip(self.base.0.wrapping_add(n))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.base, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_contain_overlap() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        let a = Cidr::parse("10.0.1.0/24").unwrap();
        let b = Cidr::parse("10.1.0.0/24").unwrap();
        assert!(vpc.covers(a) && !vpc.covers(b));
        assert!(vpc.overlaps(a) && !a.overlaps(b));
        assert!(vpc.contains(Ip::parse("10.0.255.7").unwrap()));
        assert_eq!(a.size(), 256);
        assert_eq!(a.nth(4).to_string(), "10.0.1.4");
        assert!(Cidr::parse("10.0.1.5/24").is_none(), "host bits set");
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("300.0.0.0/8").is_none());
        assert_eq!(Cidr::parse("0.0.0.0/0").unwrap().mask(), 0);
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(Ip::parse("203.0.113.10").unwrap()));
    }
}
