//! What the CLI knows of each service: its operations and their parameters, with shapes.
//!
//! This is the part of the AWS CLI's service models the lab needs: enough to turn
//! `--key-schema AttributeName=id,KeyType=HASH` into `"KeySchema": [{"AttributeName": "id",
//! "KeyType": "HASH"}]`, to list operations in usage errors, and to complete names with Tab.
//! A service registers by adding one file to `services/` with a `Service` constant.

/// The type of a parameter's value, as in the service model.
#[derive(Debug)]
pub enum Shape {
    String,
    Integer,
    Long,
    Double,
    Boolean,
    Timestamp,
    Blob,
    List(&'static Shape),
    /// String keys to values of the given shape.
    Map(&'static Shape),
    Structure(&'static [Param]),
}

#[derive(Debug)]
pub struct Param {
    /// The member name in the API (`UserName`); the CLI flag is derived (`--user-name`).
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
}

#[derive(Debug)]
pub struct Operation {
    /// The CLI name (`create-access-key`).
    pub cli: &'static str,
    /// The API name (`CreateAccessKey`).
    pub api: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
}

#[derive(Debug)]
pub struct Service {
    /// The CLI name (`iam`, `dynamodb`).
    pub cli: &'static str,
    /// The name the cloud layer knows the service by.
    pub api: &'static str,
    /// Global services (IAM, STS here) need no region.
    pub global: bool,
    pub summary: &'static str,
    pub operations: &'static [Operation],
}

impl Service {
    pub fn operation(&self, cli: &str) -> Option<&'static Operation> {
        self.operations.iter().find(|o| o.cli == cli)
    }
}

/// Shorthands for writing parameter tables.
pub const fn req(name: &'static str, shape: Shape) -> Param {
    Param { name, shape, required: true }
}

pub const fn opt(name: &'static str, shape: Shape) -> Param {
    Param { name, shape, required: false }
}

/// The CLI's flag name for an API member, as botocore derives it:
/// `UserName` → `user-name`, `DBInstanceIdentifier` → `db-instance-identifier`, `MultiAZ` → `multi-az`.
pub fn cli_name(member: &str) -> String {
    let chars: Vec<char> = member.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_is_lower) {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cli_name;

    #[test]
    fn flag_names_follow_botocore() {
        assert_eq!(cli_name("UserName"), "user-name");
        assert_eq!(cli_name("DBInstanceIdentifier"), "db-instance-identifier");
        assert_eq!(cli_name("MultiAZ"), "multi-az");
        assert_eq!(cli_name("SSESpecification"), "sse-specification");
        assert_eq!(cli_name("KeySchema"), "key-schema");
        assert_eq!(cli_name("Ipv6CidrBlock"), "ipv6-cidr-block");
    }
}
