//! IAM: the account's users and their access keys.
//!
//! A learner signs in to the console as the user `learner` (the console session and CloudShell
//! run as it). From there they create access keys, which the `aws` CLI on other hosts uses to sign
//! requests. Keys are checked on every call: an unknown or inactive key is rejected with
//! `InvalidClientTokenId`, a wrong secret with `SignatureDoesNotMatch`, as the real service does.
//!
//! Besides the users' long-term keys (`AKIA...`) there are temporary ones (`ASIA...`), each with
//! a session token and an expiry: what CloudShell's credentials endpoint hands the programs run
//! in it ([`Iam::console_session_key`]). A request signed with one must carry its token
//! (`X-Amz-Security-Token`) and is refused once it has expired ([`Iam::check_session`]).

use super::api::{ApiError, ApiResult, Caller, Request};
use super::operation::{op_table, Table, Unknown, READ, WRITE};
use super::sigv4::Refusal;
use super::time::{Duration, Timestamp};
use crate::engines::rng::{Rng, BASE64ISH, UPPER_ALNUM};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The user a learner is signed in as in the console.
pub const CONSOLE_USER: &str = "learner";
/// IAM's default quota of access keys per user.
pub const ACCESS_KEYS_PER_USER: usize = 2;
/// How long the temporary credentials of a console session last, in lab time. The endpoint
/// tells programs an hour at most ([`crate::shell::endpoints`]), and botocore comes back for
/// new keys before then by its own clock; but a script's clock does not move with the lab's
/// (a waiter's half-hour polls pass in moments), so the lab keeps the keys good for longer.
pub const SESSION_KEY_LIFETIME: Duration = Duration(12 * 3_600_000);
/// A session key with less than this left is not handed out again: botocore refreshes keys
/// 15 minutes before they expire (its advisory window), and must within 10 (its mandatory one).
const SESSION_KEY_REUSE_MARGIN: Duration = Duration(20 * 60_000);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Iam {
    pub account: String,
    pub users: Vec<User>,
    /// Temporary credentials handed out and not yet expired long ago.
    #[serde(default)]
    pub session_keys: Vec<SessionKey>,
}

/// Temporary credentials: a key pair with a session token, for a user, until `expires`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionKey {
    /// `ASIA...`: AWS marks temporary keys so.
    pub id: String,
    pub secret: String,
    pub token: String,
    pub user: String,
    pub expires: Timestamp,
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

/// What every IAM operation works with: the account's users, the random source for new ids
/// and keys, the clock, and who is calling (the default user of the key operations).
pub struct IamCtx<'a> {
    pub iam: &'a mut Iam,
    pub rng: &'a mut Rng,
    pub now: Timestamp,
    pub caller: &'a Caller,
}

pub type Handler = fn(IamCtx, &Request) -> ApiResult;

/// Every IAM operation.
pub static OPERATIONS: Table<Handler> = Table {
    unknown: Unknown::CouldNotFind,
    operations: op_table! {
        "CreateUser", WRITE, "User", create_user;
        "GetUser", READ, "User", get_user;
        "ListUsers", READ, "User", list_users;
        "DeleteUser", WRITE, "User", delete_user;
        "CreateAccessKey", WRITE, "AccessKey", create_access_key;
        "ListAccessKeys", READ, "AccessKey", list_access_keys;
        "UpdateAccessKey", WRITE, "AccessKey", update_access_key;
        "DeleteAccessKey", WRITE, "AccessKey", delete_access_key;
    },
};

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
        let mut iam = Iam { account, users: Vec::new(), session_keys: Vec::new() };
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
        if let Some(key) = self.session_keys.iter().find(|k| k.id == access_key_id) {
            return match self.user(&key.user) {
                Some(user) if key.secret == secret => KeyCheck::Valid(user),
                Some(_) => KeyCheck::WrongSecret,
                None => KeyCheck::UnknownOrInactive,
            };
        }
        KeyCheck::UnknownOrInactive
    }

    /// The secret of an active access key or a session key: what the service signs with to
    /// check a signature.
    pub fn secret_of(&self, access_key_id: &str) -> Option<String> {
        let long_term = self.all_keys().find(|(_, k)| k.id == access_key_id && k.active).map(|(_, k)| &k.secret);
        let temporary = || self.session_keys.iter().find(|k| k.id == access_key_id).map(|k| &k.secret);
        long_term.or_else(temporary).cloned()
    }

    /// The session token check of a request signed with `access_key_id`: a temporary key needs
    /// its own token and must not have expired; a long-term key needs none (a token sent with
    /// one is not its own, so it is refused as AWS refuses it).
    pub fn check_session(&self, access_key_id: &str, token: Option<&str>, now: Timestamp) -> Result<(), Refusal> {
        match (self.session_keys.iter().find(|k| k.id == access_key_id), token) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(Refusal::UnknownKey),
            (Some(key), Some(t)) if t == key.token => {
                if now >= key.expires {
                    Err(Refusal::Expired)
                } else {
                    Ok(())
                }
            }
            (Some(_), _) => Err(Refusal::UnknownKey),
        }
    }

    /// Temporary credentials of the console user, as CloudShell's credentials endpoint gives
    /// them: the current ones while they have a good while left, new ones otherwise. Keys that
    /// expired more than a day ago are forgotten (a request with one is then an unknown key).
    pub fn console_session_key(&mut self, rng: &mut Rng, now: Timestamp) -> SessionKey {
        self.session_keys.retain(|k| now < k.expires.plus(Duration(86_400_000)));
        let current = self
            .session_keys
            .iter()
            .rev()
            .find(|k| k.user == CONSOLE_USER && now.plus(SESSION_KEY_REUSE_MARGIN) < k.expires);
        if let Some(key) = current {
            return key.clone();
        }
        let key = SessionKey {
            id: format!("ASIA{}", rng.string(UPPER_ALNUM, 16)),
            secret: rng.string(BASE64ISH, 40),
            // Real session tokens are a few hundred characters of base64.
            token: format!("IQoJb3JpZ2luX2Vj{}", rng.string(BASE64ISH, 300)),
            user: CONSOLE_USER.to_string(),
            expires: now.plus(SESSION_KEY_LIFETIME),
        };
        self.session_keys.push(key.clone());
        key
    }

    /// Every access key in the account, with its user: for inspectors and lesson checks.
    pub fn all_keys(&self) -> impl Iterator<Item = (&User, &AccessKey)> {
        self.users.iter().flat_map(|u| u.access_keys.iter().map(move |k| (u, k)))
    }

    /// Runs one IAM operation for `caller`: finds its row in [`OPERATIONS`] and runs it.
    pub fn call(
        &mut self,
        rng: &mut Rng,
        now: Timestamp,
        caller: &Caller,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        let req = Request::new(request)?;
        let row = OPERATIONS.find(operation)?;
        (row.handler)(IamCtx { iam: self, rng, now, caller }, &req)
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

/// `CreateUser`.
pub fn create_user(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, rng, now, .. } = c;
    let name = req.required_str("UserName")?;
    validate_name("userName", name)?;
    let path = req.str("Path")?.unwrap_or("/");
    if iam.user(name).is_some() {
        return Err(ApiError::new("EntityAlreadyExists", 409, format!("User with name {name} already exists.")));
    }
    let user = iam.add_user(rng, name, path, now).clone();
    Ok(json!({ "User": iam.user_json(&user) }))
}

/// `GetUser`.
pub fn get_user(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, caller, .. } = c;
    let name = req.str("UserName")?.unwrap_or(&caller.user_name);
    let user = iam.find_user(name)?;
    Ok(json!({ "User": iam.user_json(user) }))
}

/// `ListUsers`.
pub fn list_users(c: IamCtx, _: &Request) -> ApiResult {
    let IamCtx { iam, .. } = c;
    let users: Vec<Value> = iam.users.iter().map(|u| iam.user_json(u)).collect();
    Ok(json!({ "Users": users }))
}

/// `DeleteUser`.
pub fn delete_user(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, .. } = c;
    let name = req.required_str("UserName")?;
    let user = iam.find_user(name)?;
    if !user.access_keys.is_empty() {
        return Err(ApiError::new("DeleteConflict", 409, "Cannot delete entity, must delete access keys first."));
    }
    if name == CONSOLE_USER {
        return Err(ApiError::new("DeleteConflict", 409, "Cannot delete entity, must delete login profile first."));
    }
    iam.users.retain(|u| u.name != name);
    Ok(json!({}))
}

/// `CreateAccessKey`.
pub fn create_access_key(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, rng, now, caller } = c;
    let name = req.str("UserName")?.unwrap_or(&caller.user_name).to_string();
    let user_index = iam.user_index(&name)?;
    if iam.users[user_index].access_keys.len() >= ACCESS_KEYS_PER_USER {
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
    iam.users[user_index].access_keys.push(key);
    Ok(out)
}

/// `ListAccessKeys`.
pub fn list_access_keys(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, caller, .. } = c;
    let name = req.str("UserName")?.unwrap_or(&caller.user_name);
    let user = iam.find_user(name)?;
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

/// `UpdateAccessKey`.
pub fn update_access_key(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, caller, .. } = c;
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
    let key = iam.find_key_mut(&name, id)?;
    key.active = active;
    Ok(json!({}))
}

/// `DeleteAccessKey`.
pub fn delete_access_key(c: IamCtx, req: &Request) -> ApiResult {
    let IamCtx { iam, caller, .. } = c;
    let name = req.str("UserName")?.unwrap_or(&caller.user_name).to_string();
    let id = req.required_str("AccessKeyId")?.to_string();
    iam.find_key_mut(&name, &id)?;
    let index = iam.user_index(&name)?;
    iam.users[index].access_keys.retain(|k| k.id != id);
    Ok(json!({}))
}

fn no_such_user(name: &str) -> ApiError {
    ApiError::new("NoSuchEntity", 404, format!("The user with name {name} cannot be found."))
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

    #[test]
    fn a_session_key_needs_its_token_and_ends_when_it_expires() {
        let (mut iam, mut rng, _) = setup();
        let key = iam.console_session_key(&mut rng, Timestamp(0));
        assert!(key.id.starts_with("ASIA") && key.token.len() > 300);
        assert_eq!(iam.secret_of(&key.id), Some(key.secret.clone()));
        assert!(matches!(iam.check_key(&key.id, &key.secret), KeyCheck::Valid(u) if u.name == CONSOLE_USER));
        assert_eq!(iam.check_session(&key.id, Some(&key.token), Timestamp(1)), Ok(()));
        assert_eq!(iam.check_session(&key.id, None, Timestamp(1)), Err(Refusal::UnknownKey));
        assert_eq!(iam.check_session(&key.id, Some("forged"), Timestamp(1)), Err(Refusal::UnknownKey));
        // A long-term key with somebody's token is not a session.
        assert_eq!(iam.check_session("AKIAEXAMPLE", Some(&key.token), Timestamp(1)), Err(Refusal::UnknownKey));
        let expired = key.expires;
        assert_eq!(iam.check_session(&key.id, Some(&key.token), expired), Err(Refusal::Expired));
        // A day after, the key is forgotten when new ones are handed out.
        let next = iam.console_session_key(&mut rng, expired.plus(Duration(86_400_001)));
        assert_ne!(next.id, key.id);
        assert_eq!(iam.secret_of(&key.id), None);
    }
}
