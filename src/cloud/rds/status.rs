//! The statuses RDS shows for a DB instance (`DBInstanceStatus`) and a DB cluster (`Status`).

use crate::cloud::names::api_names;

api_names! {
    pub enum DbStatus {
        Creating = "creating",
        BackingUp = "backing-up",
        Available = "available",
        Rebooting = "rebooting",
        Modifying = "modifying",
        FailingOver = "failing-over",
        Deleting = "deleting",
        StorageOptimization = "storage-optimization",
        ResettingMasterCredentials = "resetting-master-credentials",
    }
}
