//! The statuses ElastiCache shows for a replication group (`Status`) and a cache cluster, that
//! is a node (`CacheClusterStatus`), written as the API writes them wherever they are serialised.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheStatus {
    Creating,
    Available,
    Modifying,
    Deleting,
    Snapshotting,
    /// A node restarting after a failure (the API's words, spaces and all).
    #[serde(rename = "rebooting cluster nodes")]
    RebootingClusterNodes,
}

impl CacheStatus {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheStatus::Creating => "creating",
            CacheStatus::Available => "available",
            CacheStatus::Modifying => "modifying",
            CacheStatus::Deleting => "deleting",
            CacheStatus::Snapshotting => "snapshotting",
            CacheStatus::RebootingClusterNodes => "rebooting cluster nodes",
        }
    }
}

impl fmt::Display for CacheStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares with the API's name, for callers that hold one (a lesson's `cache_status`).
impl PartialEq<&str> for CacheStatus {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

impl PartialEq<String> for CacheStatus {
    fn eq(&self, name: &String) -> bool {
        self.as_str() == name
    }
}

#[cfg(test)]
mod tests {
    use super::CacheStatus;

    #[test]
    fn a_status_serialises_as_the_api_names_it() {
        for status in [CacheStatus::Available, CacheStatus::RebootingClusterNodes] {
            assert_eq!(serde_json::to_value(status).unwrap(), serde_json::json!(status.as_str()));
            assert_eq!(serde_json::from_value::<CacheStatus>(serde_json::json!(status.as_str())).unwrap(), status);
        }
    }
}
