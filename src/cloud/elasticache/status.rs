//! The statuses ElastiCache shows for a replication group (`Status`) and a cache cluster, that
//! is a node (`CacheClusterStatus`).

use crate::cloud::names::api_names;

api_names! {
    pub enum CacheStatus {
        Creating = "creating",
        Available = "available",
        Modifying = "modifying",
        Deleting = "deleting",
        Snapshotting = "snapshotting",
        /// A node restarting after a failure (the API's words, spaces and all).
        RebootingClusterNodes = "rebooting cluster nodes",
    }
}
