//! The HTTP endpoints a host serves its own programs.
//!
//! CloudShell runs each shell in a container whose credentials endpoint, at
//! `http://localhost:1338/latest/meta-data/container/security-credentials`, gives the console
//! session's temporary credentials to whoever presents the container's token. CloudShell puts
//! both in the environment (`AWS_CONTAINER_CREDENTIALS_FULL_URI`,
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`), where the SDKs' credential chains look (botocore's
//! `ContainerProvider`): a boto3 script in CloudShell runs as the console user with no `aws
//! configure`, as it does on AWS. The keys are [`crate::cloud::iam::SessionKey`]s: `ASIA...`,
//! with a session token, said to last an hour.
//!
//! A program reaches an endpoint over a connection of its own ([`crate::shell::python::http`]).

use super::host::{Host, HostKind};
use super::python::http::{Request, Response};
use crate::cloud::time::{Duration, Timestamp};
use crate::cloud::Cloud;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Where CloudShell's credentials endpoint listens, on the container's loopback.
pub const CLOUDSHELL_CREDENTIALS_PORT: u16 = 1338;
pub const CLOUDSHELL_CREDENTIALS_PATH: &str = "/latest/meta-data/container/security-credentials";
/// The most the endpoint says a key has left: SDKs come back for new keys before then.
const ADVERTISED_LIFETIME: Duration = Duration(3_600_000);

/// An endpoint a program can connect to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    CloudShellCredentials,
}

/// The endpoint listening on `port` of a host's own loopback, if any.
pub fn on_loopback(host: &Host, port: u16) -> Option<Endpoint> {
    (host.kind == HostKind::CloudShell && port == CLOUDSHELL_CREDENTIALS_PORT)
        .then_some(Endpoint::CloudShellCredentials)
}

/// What CloudShell adds to every shell's environment so that SDKs find its endpoint.
pub fn cloudshell_environment(cloud: &Cloud) -> [(String, String); 2] {
    [
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI".to_string(),
            format!("http://localhost:{CLOUDSHELL_CREDENTIALS_PORT}{CLOUDSHELL_CREDENTIALS_PATH}"),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN".to_string(), container_token(&cloud.iam.account)),
    ]
}

/// The container's token: fixed for an account's CloudShell. Like the real one it keeps other
/// programs from the endpoint by accident, not a determined learner (it is the account's
/// digest): the lab has one user, and the endpoint is only on CloudShell's loopback.
fn container_token(account: &str) -> String {
    let digest = Sha256::digest(format!("cloudshell-container-token:{account}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The endpoint's response to a request. `program_clock_offset` is how far the program's own
/// clock is ahead of the lab's (ms): the expiry a program reads is in its own time, since the
/// SDK compares it with that clock to decide when to fetch new keys.
pub fn answer(cloud: &mut Cloud, endpoint: Endpoint, request: &Request, program_clock_offset: i64) -> Response {
    match endpoint {
        Endpoint::CloudShellCredentials => cloudshell_credentials(cloud, request, program_clock_offset),
    }
}

fn cloudshell_credentials(cloud: &mut Cloud, request: &Request, program_clock_offset: i64) -> Response {
    let path = request.target.split('?').next().unwrap_or("");
    if path.trim_end_matches('/') != CLOUDSHELL_CREDENTIALS_PATH {
        return Response::json(404, json!({"message": "Not Found"}).to_string());
    }
    if request.method != "GET" {
        return Response::json(405, json!({"message": "Method Not Allowed"}).to_string());
    }
    if request.header("Authorization") != Some(container_token(&cloud.iam.account).as_str()) {
        return Response::json(401, json!({"message": "Unauthorized"}).to_string());
    }
    let now = cloud.now;
    let key = cloud.iam.console_session_key(&mut cloud.rng, now);
    let left = key.expires.since(now).0.min(ADVERTISED_LIFETIME.0);
    let expires = Timestamp(now.0.saturating_add(left).saturating_add(program_clock_offset));
    let iso = |t: Timestamp| t.to_aws_string().replace("+00:00", "Z");
    let body = json!({
        "Type": "",
        "AccessKeyId": key.id,
        "SecretAccessKey": key.secret,
        "Token": key.token,
        "Expiration": iso(expires),
        "Code": "Success",
        "LastUpdated": iso(Timestamp(now.0.saturating_add(program_clock_offset))),
    });
    Response::json(200, body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(cloud: &mut Cloud, authorization: Option<&str>) -> Response {
        let mut headers = vec![("Host".to_string(), "localhost:1338".to_string())];
        if let Some(a) = authorization {
            headers.push(("Authorization".to_string(), a.to_string()));
        }
        let request =
            Request { method: "GET".into(), target: CLOUDSHELL_CREDENTIALS_PATH.into(), headers, body: vec![] };
        answer(cloud, Endpoint::CloudShellCredentials, &request, 0)
    }

    #[test]
    fn cloudshell_hands_its_token_holder_the_console_sessions_keys() {
        let mut cloud = Cloud::new(7, Timestamp::from_civil(2026, 12, 3, 10, 0, 0));
        assert_eq!(get(&mut cloud, None).status, 401);
        assert_eq!(get(&mut cloud, Some("guess")).status, 401);
        let [_, (_, token)] = cloudshell_environment(&cloud);
        let first: serde_json::Value = serde_json::from_str(&get(&mut cloud, Some(&token)).body).unwrap();
        assert!(first["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
        assert_eq!(first["Expiration"], "2026-12-03T11:00:00Z");
        // Asked again, the same keys, for another hour; near their end, new ones.
        cloud.advance_to(Timestamp::from_civil(2026, 12, 3, 10, 50, 0));
        let again: serde_json::Value = serde_json::from_str(&get(&mut cloud, Some(&token)).body).unwrap();
        assert_eq!(again["AccessKeyId"], first["AccessKeyId"]);
        assert_eq!(again["Expiration"], "2026-12-03T11:50:00Z");
        cloud.advance_to(Timestamp::from_civil(2026, 12, 3, 21, 45, 0));
        let later: serde_json::Value = serde_json::from_str(&get(&mut cloud, Some(&token)).body).unwrap();
        assert_ne!(later["AccessKeyId"], first["AccessKeyId"]);
    }
}
