//! The statuses RDS shows for a DB instance (`DBInstanceStatus`) and a DB cluster (`Status`),
//! written as the API writes them (`backing-up`) wherever they are serialised.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DbStatus {
    Creating,
    BackingUp,
    Available,
    Rebooting,
    Modifying,
    FailingOver,
    Deleting,
    StorageOptimization,
    ResettingMasterCredentials,
}

impl DbStatus {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            DbStatus::Creating => "creating",
            DbStatus::BackingUp => "backing-up",
            DbStatus::Available => "available",
            DbStatus::Rebooting => "rebooting",
            DbStatus::Modifying => "modifying",
            DbStatus::FailingOver => "failing-over",
            DbStatus::Deleting => "deleting",
            DbStatus::StorageOptimization => "storage-optimization",
            DbStatus::ResettingMasterCredentials => "resetting-master-credentials",
        }
    }
}

impl fmt::Display for DbStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares with the API's name, for callers that hold one (a lesson's `rds_status db available`).
impl PartialEq<&str> for DbStatus {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

impl PartialEq<String> for DbStatus {
    fn eq(&self, name: &String) -> bool {
        self.as_str() == name
    }
}

#[cfg(test)]
mod tests {
    use super::DbStatus;

    #[test]
    fn a_status_serialises_as_the_api_names_it() {
        for status in [DbStatus::BackingUp, DbStatus::FailingOver, DbStatus::ResettingMasterCredentials] {
            assert_eq!(serde_json::to_value(status).unwrap(), serde_json::json!(status.as_str()));
            assert_eq!(serde_json::from_value::<DbStatus>(serde_json::json!(status.as_str())).unwrap(), status);
        }
    }
}
