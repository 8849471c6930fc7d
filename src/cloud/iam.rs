//! IAM: the account's users and their access keys.
//!
//! A learner signs in to the console as the user `learner` (the console session and CloudShell
//! run as it). From there they create access keys, which the `aws` CLI on other hosts uses to sign
//! requests. Keys are checked on every call: an unknown or inactive key is rejected with
//! `InvalidClientTokenId`, a wrong secret with `SignatureDoesNotMatch`, as the real service does.

use super::api::{ApiError, ApiResult, Caller, Request};
use super::time::Timestamp;
use crate::engines::rng::{Rng, BASE64ISH, UPPER_ALNUM};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The user a learner is signed in as in the console.
pub const CONSOLE_USER: &str = "learner";
/// IAM's default quota of access keys per user.
pub const ACCESS_KEYS_PER_USER: usize = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Iam {
    pub account: String,
    pub users: Vec<User>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub path: String,
    /// `AIDA...`, the stable id AWS gives every user.
    pub id: String,
    pub created: Timestamp,
    pub access_keys: Vec<AccessKey>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    pub id: String,
    /// Kept so requests can be verified; AWS shows it once, at creation.
    pub secret: String,
    pub active: bool,
    pub created: Timestamp,
}

/// How a presented access key fared.
pub enum KeyCheck<'a> {
    Valid(&'a User),
    UnknownOrInactive,
    WrongSecret,
}

impl Iam {
    /// A new account with the console user in it.
    pub fn new(rng: &mut Rng, now: Timestamp) -> Iam {
        let account = format!("{:012}", rng.range(100_000_000_000, 999_999_999_999));
        let mut iam = Iam { account, users: Vec::new() };
        iam.add_user(rng, CONSOLE_USER, "/", now);
        iam
    }

    fn add_user(&mut self, rng: &mut Rng, name: &str, path: &str, now: Timestamp) -> &User {
        let id = format!("AIDA{}", rng.string(UPPER_ALNUM, 17));
        self.users.push(User {
            name: name.to_string(),
            path: path.to_string(),
            id,
            created: now,
            access_keys: Vec::new(),
        });
        self.users.last().expect("just pushed")
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    pub fn user_arn(&self, user: &User) -> String {
        format!("arn:aws:iam::{}:user{}{}", self.account, user.path, user.name)
    }

    pub fn caller_for(&self, user: &User) -> Caller {
        Caller {
            account: self.account.clone(),
            user_name: user.name.clone(),
            user_id: user.id.clone(),
            arn: self.user_arn(user),
        }
    }

    /// Verifies an access key pair as the service does when it checks a request's signature.
    pub fn check_key(&self, access_key_id: &str, secret: &str) -> KeyCheck<'_> {
        for user in &self.users {
            if let Some(key) = user.access_keys.iter().find(|k| k.id == access_key_id) {
                if !key.active {
                    return KeyCheck::UnknownOrInactive;
                }
                if key.secret != secret {
                    return KeyCheck::WrongSecret;
                }
                return KeyCheck::Valid(user);
            }
        }
        KeyCheck::UnknownOrInactive
    }

    /// Every access key in the account, with its user: for inspectors and lesson checks.
    pub fn all_keys(&self) -> impl Iterator<Item = (&User, &AccessKey)> {
        self.users.iter().flat_map(|u| u.access_keys.iter().map(move |k| (u, k)))
    }

    /// Runs one IAM operation for `caller`.
    pub fn call(
        &mut self,
        rng: &mut Rng,
        now: Timestamp,
        caller: &Caller,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        let req = Request::new(request)?;
        match operation {
            "CreateUser" => {
                let name = req.required_str("UserName")?;
                validate_name("userName", name)?;
                let path = req.str("Path")?.unwrap_or("/");
                if self.user(name).is_some() {
                    return Err(ApiError::new(
                        "EntityAlreadyExists",
                        409,
                        format!("User with name {name} already exists."),
                    ));
                }
                let user = self.add_user(rng, name, path, now).clone();
                Ok(json!({ "User": self.user_json(&user) }))
            }
            "GetUser" => {
                let name = req.str("UserName")?.unwrap_or(&caller.user_name);
                let user = self.find_user(name)?;
                Ok(json!({ "User": self.user_json(user) }))
            }
            "ListUsers" => {
                let users: Vec<Value> = self.users.iter().map(|u| self.user_json(u)).collect();
                Ok(json!({ "Users": users }))
            }
            "DeleteUser" => {
                let name = req.required_str("UserName")?;
                let user = self.find_user(name)?;
                if !user.access_keys.is_empty() {
                    return Err(ApiError::new(
                        "DeleteConflict",
                        409,
                        "Cannot delete entity, must delete access keys first.",
                    ));
                }
                if name == CONSOLE_USER {
                    return Err(ApiError::new(
                        "DeleteConflict",
                        409,
                        "Cannot delete entity, must delete login profile first.",
                    ));
                }
                self.users.retain(|u| u.name != name);
                Ok(json!({}))
            }
            "CreateAccessKey" => {
                let name = req.str("UserName")?.unwrap_or(&caller.user_name).to_string();
                let user_index = self.user_index(&name)?;
                if self.users[user_index].access_keys.len() >= ACCESS_KEYS_PER_USER {
                    return Err(ApiError::new(
                        "LimitExceeded",
                        409,
                        format!("Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}"),
                    ));
                }
                let key = AccessKey {
                    id: format!("AKIA{}", rng.string(UPPER_ALNUM, 16)),
                    secret: rng.string(BASE64ISH, 40),
                    active: true,
                    created: now,
                };
                let out = json!({ "AccessKey": {
                    "UserName": name,
                    "AccessKeyId": key.id,
                    "Status": "Active",
                    "SecretAccessKey": key.secret,
                    "CreateDate": now.to_aws_string(),
                }});
                self.users[user_index].access_keys.push(key);
                Ok(out)
            }
            "ListAccessKeys" => {
                let name = req.str("UserName")?.unwrap_or(&caller.user_name);
                let user = self.find_user(name)?;
                let keys: Vec<Value> = user
                    .access_keys
                    .iter()
                    .map(|k| {
                        json!({
                            "UserName": user.name,
                            "AccessKeyId": k.id,
                            "Status": if k.active { "Active" } else { "Inactive" },
                            "CreateDate": k.created.to_aws_string(),
                        })
                    })
                    .collect();
                Ok(json!({ "AccessKeyMetadata": keys }))
            }
            "UpdateAccessKey" => {
                let name = req.str("UserName")?.unwrap_or(&caller.user_name).to_string();
                let id = req.required_str("AccessKeyId")?;
                let status = req.required_str("Status")?;
                let active = match status {
                    "Active" => true,
                    "Inactive" => false,
                    other => {
                        return Err(ApiError::client(
                            "ValidationError",
                            format!("1 validation error detected: Value '{other}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"),
                        ))
                    }
                };
                let key = self.find_key_mut(&name, id)?;
                key.active = active;
                Ok(json!({}))
            }
            "DeleteAccessKey" => {
                let name = req.str("UserName")?.unwrap_or(&caller.user_name).to_string();
                let id = req.required_str("AccessKeyId")?.to_string();
                self.find_key_mut(&name, &id)?;
                let index = self.user_index(&name)?;
                self.users[index].access_keys.retain(|k| k.id != id);
                Ok(json!({}))
            }
            _ => Err(unknown_operation(operation)),
        }
    }

    fn user_json(&self, user: &User) -> Value {
        json!({
            "Path": user.path,
            "UserName": user.name,
            "UserId": user.id,
            "Arn": self.user_arn(user),
            "CreateDate": user.created.to_aws_string(),
        })
    }

    fn user_index(&self, name: &str) -> Result<usize, ApiError> {
        self.users.iter().position(|u| u.name == name).ok_or_else(|| no_such_user(name))
    }

    fn find_user(&self, name: &str) -> Result<&User, ApiError> {
        self.user(name).ok_or_else(|| no_such_user(name))
    }

    fn find_key_mut(&mut self, user: &str, id: &str) -> Result<&mut AccessKey, ApiError> {
        let index = self.user_index(user)?;
        self.users[index]
            .access_keys
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or_else(|| ApiError::new("NoSuchEntity", 404, format!("The Access Key with id {id} cannot be found.")))
    }
}

fn no_such_user(name: &str) -> ApiError {
    ApiError::new("NoSuchEntity", 404, format!("The user with name {name} cannot be found."))
}

pub fn unknown_operation(operation: &str) -> ApiError {
    ApiError::client("InvalidAction", format!("Could not find operation {operation}"))
}

/// IAM names: 1 to 64 characters of `[\w+=,.@-]`.
fn validate_name(member: &str, name: &str) -> Result<(), ApiError> {
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if !ok_chars {
        return Err(ApiError::client(
            "ValidationError",
            format!("1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
        ));
    }
    if name.is_empty() || name.chars().count() > 64 {
        return Err(ApiError::client(
            "ValidationError",
            format!("1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to 64"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Iam, Rng, Caller) {
        let mut rng = Rng::new(1);
        let iam = Iam::new(&mut rng, Timestamp(0));
        let caller = iam.caller_for(iam.user(CONSOLE_USER).unwrap());
        (iam, rng, caller)
    }

    #[test]
    fn keys_are_created_verified_and_capped_at_two() {
        let (mut iam, mut rng, caller) = setup();
        let out = iam.call(&mut rng, Timestamp(5), &caller, "CreateAccessKey", &json!({})).unwrap();
        let id = out["AccessKey"]["AccessKeyId"].as_str().unwrap().to_string();
        let secret = out["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_string();
        assert!(id.starts_with("AKIA") && id.len() == 20);
        assert_eq!(secret.len(), 40);
        assert!(matches!(iam.check_key(&id, &secret), KeyCheck::Valid(u) if u.name == "learner"));
        assert!(matches!(iam.check_key(&id, "wrong"), KeyCheck::WrongSecret));
        assert!(matches!(iam.check_key("AKIANOPE", &secret), KeyCheck::UnknownOrInactive));

        iam.call(&mut rng, Timestamp(6), &caller, "CreateAccessKey", &json!({})).unwrap();
        let err = iam.call(&mut rng, Timestamp(7), &caller, "CreateAccessKey", &json!({})).unwrap_err();
        assert_eq!(err.code, "LimitExceeded");
        assert_eq!(err.message, "Cannot exceed quota for AccessKeysPerUser: 2");

        iam.call(&mut rng, Timestamp(8), &caller, "UpdateAccessKey", &json!({"AccessKeyId": id, "Status": "Inactive"}))
            .unwrap();
        assert!(matches!(iam.check_key(&id, &secret), KeyCheck::UnknownOrInactive));
        iam.call(&mut rng, Timestamp(9), &caller, "DeleteAccessKey", &json!({"AccessKeyId": id})).unwrap();
        let listed = iam.call(&mut rng, Timestamp(9), &caller, "ListAccessKeys", &json!({})).unwrap();
        assert_eq!(listed["AccessKeyMetadata"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn users_have_real_errors() {
        let (mut iam, mut rng, caller) = setup();
        iam.call(&mut rng, Timestamp(0), &caller, "CreateUser", &json!({"UserName": "bob"})).unwrap();
        let dup = iam.call(&mut rng, Timestamp(0), &caller, "CreateUser", &json!({"UserName": "bob"})).unwrap_err();
        assert_eq!(
            (dup.code.as_str(), dup.message.as_str()),
            ("EntityAlreadyExists", "User with name bob already exists.")
        );
        let missing = iam.call(&mut rng, Timestamp(0), &caller, "GetUser", &json!({"UserName": "eve"})).unwrap_err();
        assert_eq!(missing.message, "The user with name eve cannot be found.");
        let bad = iam.call(&mut rng, Timestamp(0), &caller, "CreateUser", &json!({"UserName": "a b"})).unwrap_err();
        assert_eq!(bad.code, "ValidationError");
    }
}
