//! The database engines RDS runs here: MySQL and PostgreSQL instances, and the Aurora flavours
//! of both in DB clusters. An engine is written as the API writes it (`aurora-postgresql`)
//! wherever it is serialised.

use crate::cloud::names::api_names;

api_names! {
    pub enum Engine {
        Mysql = "mysql",
        Postgres = "postgres",
        AuroraMysql = "aurora-mysql",
        AuroraPostgresql = "aurora-postgresql",
    }
}

impl Engine {
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
