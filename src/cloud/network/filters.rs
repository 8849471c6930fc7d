//! EC2's `--filters Name=vpc-id,Values=vpc-1,vpc-2`: a resource matches when, for every filter,
//! one of the values matches the named field (`*` wildcards allowed, `tag:Name` for tags).

use super::super::api::{ApiError, Request};
use serde_json::Value;

pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

pub fn read(req: &Request) -> Result<Vec<Filter>, ApiError> {
    let Some(value) = req.value("Filters") else { return Ok(Vec::new()) };
    let Some(items) = value.as_array() else {
        return Err(ApiError::client("InvalidParameterValue", "The filter list is malformed."));
    };
    items
        .iter()
        .map(|f| {
            let name = f
                .get("Name")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::client("InvalidParameterValue", "The filter 'null' is invalid"))?;
            let values = f
                .get("Values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            Ok(Filter { name: name.to_string(), values })
        })
        .collect()
}

/// Whether `field_values` (what the resource has for the filter's name) satisfy the filter.
pub fn matches(filter: &Filter, field_values: &[String]) -> bool {
    filter.values.iter().any(|want| field_values.iter().any(|have| glob(want, have)))
}

/// `*` matches any run of characters, `?` any one.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// The values of the tag a `tag:Key` filter names.
pub fn tag_values(tags: &[(String, String)], filter: &Filter) -> Vec<String> {
    let key = filter.name.strip_prefix("tag:").unwrap_or("");
    tags.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

/// Rejects filter names the resource does not know, as EC2 does.
pub fn check_names(filters: &[Filter], known: &[&str]) -> Result<(), ApiError> {
    for f in filters {
        if !known.contains(&f.name.as_str()) && !f.name.starts_with("tag:") {
            return Err(ApiError::client("InvalidParameterValue", format!("The filter '{}' is invalid", f.name)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("vpc-*", "vpc-0abc"));
        assert!(glob("*web*", "my-web-sg"));
        assert!(!glob("db?", "db12"));
        assert!(glob("exact", "exact"));
    }
}
