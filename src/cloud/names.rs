//! Enums whose values the API writes as fixed names (`backing-up`, `shutting-down`,
//! `aurora-postgresql`): statuses, states, engines, kinds. [`api_names!`] declares one from its
//! table of variants and names, and gives it what every such enum needs: its name
//! (`as_str`, `Display`), serialisation as that name in JSON (a saved lab stores the variant),
//! and comparison with a name held as text (a lesson's `rds_status db available`).

/// `api_names! { /// doc  pub enum Name { Variant = "api-name", ... } }`
macro_rules! api_names {
    ($(#[$meta:meta])* pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The API's name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, name: &&str) -> bool {
                self.as_str() == *name
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, name: &String) -> bool {
                self.as_str() == name
            }
        }
    };
}
pub(crate) use api_names;

#[cfg(test)]
mod tests {
    use crate::cloud::elasticache::status::CacheStatus;
    use crate::cloud::network::InstanceState;
    use crate::cloud::rds::engine::Engine;
    use crate::cloud::rds::snapshot::{SnapshotKind, SnapshotStatus};
    use crate::cloud::rds::status::DbStatus;
    use serde::{de::DeserializeOwned, Serialize};
    use std::fmt::Debug;

    fn round_trips<T: Copy + Debug + PartialEq + Serialize + DeserializeOwned>(all: &[T], name: fn(T) -> &'static str) {
        for value in all {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json, serde_json::json!(name(*value)), "{value:?} is written by its API name");
            assert_eq!(serde_json::from_value::<T>(json).unwrap(), *value);
        }
    }

    #[test]
    fn every_value_is_serialised_as_the_api_names_it() {
        round_trips(DbStatus::ALL, DbStatus::as_str);
        round_trips(CacheStatus::ALL, CacheStatus::as_str);
        round_trips(InstanceState::ALL, InstanceState::as_str);
        round_trips(Engine::ALL, Engine::as_str);
        round_trips(SnapshotStatus::ALL, SnapshotStatus::as_str);
        round_trips(SnapshotKind::ALL, SnapshotKind::as_str);
        assert_eq!(CacheStatus::RebootingClusterNodes.to_string(), "rebooting cluster nodes");
        let held = String::from("backing-up");
        assert!(DbStatus::BackingUp == "backing-up" && DbStatus::BackingUp == held);
    }
}
