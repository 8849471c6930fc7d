//! The database engines RDS runs here: MySQL and PostgreSQL instances, and the Aurora flavours
//! of both in DB clusters. An engine is written as the API writes it (`aurora-postgresql`)
//! wherever it is serialised.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    Mysql,
    Postgres,
    AuroraMysql,
    AuroraPostgresql,
}

impl Engine {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Mysql => "mysql",
            Engine::Postgres => "postgres",
            Engine::AuroraMysql => "aurora-mysql",
            Engine::AuroraPostgresql => "aurora-postgresql",
        }
    }

    /// The default parameter group family, licence model and option group RDS shows for it.
    pub fn names(self) -> EngineNames {
        let (parameter_family, license, option_group) = match self {
            Engine::Mysql => ("mysql8.0", "general-public-license", "default:mysql-8-0"),
            Engine::AuroraMysql => ("aurora-mysql8.0", "general-public-license", "default:aurora-mysql-8-0"),
            Engine::AuroraPostgresql => ("aurora-postgresql16", "postgresql-license", "default:aurora-postgresql-16"),
            Engine::Postgres => ("postgres16", "postgresql-license", "default:postgres-16"),
        };
        EngineNames { parameter_family, license, option_group }
    }
}

/// The names an engine's defaults go by.
pub struct EngineNames {
    pub parameter_family: &'static str,
    pub license: &'static str,
    pub option_group: &'static str,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Engine;

    #[test]
    fn an_engine_serialises_as_the_api_names_it() {
        for engine in [Engine::Mysql, Engine::Postgres, Engine::AuroraMysql, Engine::AuroraPostgresql] {
            assert_eq!(serde_json::to_value(engine).unwrap(), serde_json::json!(engine.as_str()));
            assert_eq!(serde_json::from_value::<Engine>(serde_json::json!(engine.as_str())).unwrap(), engine);
        }
    }
}
