//! IAM in the console: Users, and a user's Security credentials (access keys: created and
//! shown once, with the console's `.csv` file; deactivated, activated, deleted).

use super::{read, text, Action};
use crate::shell::Lab;
use serde_json::{json, Value};

/// A row of the Users list.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRow {
    pub name: String,
    pub arn: String,
    pub created: String,
    pub access_keys: usize,
}

pub fn users(lab: &mut Lab) -> Vec<UserRow> {
    let users = read(lab, "iam", "ListUsers", json!({}))
        .ok()
        .and_then(|v| v.get("Users").and_then(Value::as_array).cloned())
        .unwrap_or_default();
    users
        .iter()
        .map(|u| {
            let name = text(u, "UserName").to_string();
            UserRow {
                access_keys: access_keys(lab, &name).len(),
                arn: text(u, "Arn").to_string(),
                created: text(u, "CreateDate").to_string(),
                name,
            }
        })
        .collect()
}

/// A user's access key, as the Security credentials tab lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRow {
    pub id: String,
    pub active: bool,
    pub created: String,
}

pub fn access_keys(lab: &mut Lab, user: &str) -> Vec<KeyRow> {
    read(lab, "iam", "ListAccessKeys", json!({"UserName": user}))
        .ok()
        .and_then(|v| v.get("AccessKeyMetadata").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .map(|k| KeyRow {
            id: text(k, "AccessKeyId").to_string(),
            active: text(k, "Status") == "Active",
            created: text(k, "CreateDate").to_string(),
        })
        .collect()
}

/// *Create access key*.
pub fn create_access_key(user: &str) -> Action {
    Action::new("iam", "CreateAccessKey", json!({"UserName": user}))
}

/// Deactivate (or activate again) an access key.
pub fn set_key_active(user: &str, id: &str, active: bool) -> Action {
    let status = if active { "Active" } else { "Inactive" };
    Action::new("iam", "UpdateAccessKey", json!({"UserName": user, "AccessKeyId": id, "Status": status}))
}

pub fn delete_access_key(user: &str, id: &str) -> Action {
    Action::new("iam", "DeleteAccessKey", json!({"UserName": user, "AccessKeyId": id}))
}

/// A new key, from `CreateAccessKey`'s answer: its id and its secret, shown this once.
#[derive(Clone, Debug, PartialEq)]
pub struct NewKey {
    pub user: String,
    pub id: String,
    pub secret: String,
}

impl NewKey {
    pub fn from_answer(answer: &Value) -> Option<NewKey> {
        let key = answer.get("AccessKey")?;
        Some(NewKey {
            user: text(key, "UserName").to_string(),
            id: text(key, "AccessKeyId").to_string(),
            secret: text(key, "SecretAccessKey").to_string(),
        })
    }

    /// The file *Download .csv file* gives, as the console writes it.
    pub fn csv(&self) -> String {
        format!("Access key ID,Secret access key\r\n{},{}\r\n", self.id, self.secret)
    }

    /// The file's name: `<user>_accessKeys.csv`.
    pub fn csv_name(&self) -> String {
        format!("{}_accessKeys.csv", self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::iam::CONSOLE_USER;
    use crate::console::perform;
    use crate::console::test_support::{assert_cli_round_trips, lab};

    #[test]
    fn a_key_is_shown_once_then_listed_deactivated_and_deleted() {
        let mut lab = lab();
        let answer = perform(&mut lab, &[create_access_key(CONSOLE_USER)]).unwrap();
        let key = NewKey::from_answer(&answer).unwrap();
        assert!(key.id.starts_with("AKIA") && key.secret.len() == 40, "{key:?}");
        assert_eq!(key.csv(), format!("Access key ID,Secret access key\r\n{},{}\r\n", key.id, key.secret));
        assert_eq!(key.csv_name(), "learner_accessKeys.csv");
        let keys = access_keys(&mut lab, CONSOLE_USER);
        assert_eq!(keys.len(), 1);
        assert!(keys[0].active);
        assert_eq!(users(&mut lab).iter().find(|u| u.name == CONSOLE_USER).map(|u| u.access_keys), Some(1));

        perform(&mut lab, &[set_key_active(CONSOLE_USER, &key.id, false)]).unwrap();
        assert!(!access_keys(&mut lab, CONSOLE_USER)[0].active);
        perform(&mut lab, &[delete_access_key(CONSOLE_USER, &key.id)]).unwrap();
        assert!(access_keys(&mut lab, CONSOLE_USER).is_empty());
        assert_cli_round_trips(&[
            create_access_key(CONSOLE_USER),
            set_key_active(CONSOLE_USER, &key.id, true),
            delete_access_key(CONSOLE_USER, &key.id),
        ]);
    }
}
