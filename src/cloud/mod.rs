//! The simulated AWS account and region, on a virtual clock.
//!
//! The life of an API call:
//!
//! 1. A client (the `aws` CLI on a host, a test, the JavaScript surface) calls
//!    [`Cloud::call`] with credentials, a service, an operation and a JSON request in the real
//!    API's shape.
//! 2. The credentials are checked against IAM ([`iam`]): an unknown key, an inactive key or a
//!    wrong secret is refused as AWS refuses it.
//! 3. The service finds the operation in its table ([`operation`]: one row an operation, with
//!    its handler) and runs it against its state with the service's context value, answering
//!    with the real response shape or an [`api::ApiError`] (code, message, HTTP status); a name
//!    no row has is refused with `InvalidAction`.
//! 4. The call is written to the account's activity [`trail`].
//!
//! Work that takes time is scheduled on the [`events::EventQueue`]; [`Cloud::advance`] moves the
//! clock forward and applies what falls due, in order. Nothing here reads the wall clock.

pub mod api;
pub mod dynamodb;
pub mod elasticache;
pub mod events;
pub mod faults;
pub mod iam;
pub mod metrics;
pub mod names;
pub mod network;
pub mod operation;
pub mod rds;
pub mod sigv4;
pub mod sts;
pub mod time;
pub mod trail;

use crate::engines::rng::Rng;
use api::{ApiError, ApiResult, Caller, Credentials};
use events::EventQueue;
use iam::{Iam, KeyCheck};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sigv4::{HttpRequest, Refusal};
use time::Timestamp;
use trail::{ApiCall, Trail};

/// The region the lab simulates.
pub const REGION: &str = "us-east-1";
/// Regions the CLI accepts; requests to any other are refused as unreachable endpoints.
pub const KNOWN_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
];

/// Something the region will do at a later moment. Services add their variants as they arrive
/// (an instance finishing `creating`, a failover completing, a replica catching up).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CloudEvent {
    /// The network's own (an EC2 instance finishing booting ...).
    Network(network::NetworkEvent),
    /// A step of an RDS instance's lifecycle.
    Rds(rds::RdsTimer),
    /// A DynamoDB table's pending change (CREATING, UPDATING, DELETING) completes.
    DynamoTableSettled { table: String },
    /// A step of an ElastiCache node's or replication group's lifecycle.
    ElastiCache(elasticache::CacheTimer),
}

/// The whole simulated account: clock, scheduled work, IAM and the activity trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cloud {
    pub now: Timestamp,
    pub events: EventQueue<CloudEvent>,
    pub rng: Rng,
    pub iam: Iam,
    pub network: network::Network,
    pub rds: rds::Rds,
    pub trail: Trail,
    /// DynamoDB's tables and items.
    pub dynamodb: crate::engines::dynamo::Dynamo,
    /// One-minute metrics of the region's resources.
    pub metrics: metrics::Metrics,
    /// ElastiCache's replication groups and nodes.
    pub elasticache: elasticache::ElastiCache,
}

impl Cloud {
    pub fn new(seed: u64, start: Timestamp) -> Cloud {
        let mut rng = Rng::new(seed);
        let iam = Iam::new(&mut rng, start);
        let network = network::Network::new(&mut rng, &iam.account);
        let rds = rds::Rds::new(&mut rng);
        let dynamodb = dynamodb::new_service(&iam.account, REGION);
        let elasticache = elasticache::ElastiCache::new(&rds.endpoint_suffix);
        Cloud {
            now: start,
            events: EventQueue::default(),
            rng,
            iam,
            network,
            rds,
            trail: Trail::default(),
            dynamodb,
            metrics: metrics::Metrics::default(),
            elasticache,
        }
    }

    /// Moves the clock to `until`, applying every event that falls due on the way, in order.
    /// Returns how many events ran.
    pub fn advance_to(&mut self, until: Timestamp) -> usize {
        let mut ran = 0;
        // Metrics are sampled at each minute boundary on the way; only the last KEEP minutes
        // are kept, so a long jump samples just those.
        let minute = metrics::MINUTE_MS;
        let next_minute = |t: Timestamp| Timestamp((t.0.div_euclid(minute) + 1) * minute);
        let last_kept = Timestamp((until.0.div_euclid(minute) - metrics::KEEP as i64 + 1) * minute);
        loop {
            let boundary = next_minute(self.now).max(last_kept);
            let stop = boundary.min(until);
            ran += self.run_events_to(stop);
            if stop == boundary {
                metrics::sample(self, boundary);
            }
            if stop >= until {
                return ran;
            }
        }
    }

    /// Applies the events due up to `until` in order, and moves the clock there.
    fn run_events_to(&mut self, until: Timestamp) -> usize {
        let mut ran = 0;
        while let Some(scheduled) = self.events.pop_due(until) {
            self.now = self.now.max(scheduled.at);
            self.replicate();
            self.apply(scheduled.event);
            ran += 1;
        }
        self.now = self.now.max(until);
        // Replication streams flow continuously rather than by events.
        self.replicate();
        ran
    }

    /// Moves every replication stream (RDS read replicas, cache replicas) up to now.
    fn replicate(&mut self) {
        self.rds.replicate(&self.network, self.now);
        self.elasticache.replicate(&self.network, self.now);
    }

    fn apply(&mut self, event: CloudEvent) {
        match event {
            CloudEvent::Network(e) => self.network.apply(e),
            CloudEvent::Rds(timer) => {
                self.rds.apply(&mut self.network, &mut self.rng, self.now, timer);
                self.schedule_pending();
            }
            CloudEvent::DynamoTableSettled { table } => {
                self.dynamodb.complete(&table);
            }
            CloudEvent::ElastiCache(timer) => {
                self.elasticache.apply(&mut self.network, &mut self.rng, self.now, timer);
                self.schedule_pending();
            }
        }
    }

    /// Moves the events services asked for onto the queue.
    fn schedule_pending(&mut self) {
        for (at, e) in std::mem::take(&mut self.network.pending_events) {
            self.events.schedule(at, CloudEvent::Network(e));
        }
        for (at, t) in std::mem::take(&mut self.rds.pending_events) {
            self.events.schedule(at, CloudEvent::Rds(t));
        }
        for (at, t) in std::mem::take(&mut self.elasticache.pending_events) {
            self.events.schedule(at, CloudEvent::ElastiCache(t));
        }
    }

    /// Whether `source` can open a TCP connection to `ip:port`, and why (every service that
    /// listens is a target: instances now, databases and caches as they arrive).
    pub fn reach(&self, source: &network::reach::Source, ip: network::cidr::Ip, port: u16) -> network::reach::Verdict {
        let mut targets = self.network.instance_targets();
        targets.extend(self.rds.targets());
        targets.extend(self.elasticache.targets());
        self.network.connect(source, &targets, ip, port)
    }

    /// Resolves credentials to a caller, refusing them as AWS would (for STS's words; a call
    /// names its service through [`Cloud::call`]).
    pub fn authenticate(&self, credentials: &Credentials) -> Result<Caller, ApiError> {
        self.authenticate_for("sts", credentials)
    }

    /// Resolves credentials to a caller, refusing them in `service`'s words: DynamoDB, EC2 and
    /// the query services each word a bad key their own way.
    fn authenticate_for(&self, service: &str, credentials: &Credentials) -> Result<Caller, ApiError> {
        match credentials {
            Credentials::ConsoleSession => {
                let user = self.iam.user(iam::CONSOLE_USER).ok_or_else(|| refusal(service, Refusal::UnknownKey))?;
                Ok(self.iam.caller_for(user))
            }
            Credentials::AccessKey { access_key_id, secret_access_key, session_token } => {
                match self.iam.check_key(access_key_id, secret_access_key) {
                    KeyCheck::Valid(user) => {
                        // Temporary keys need their token, and end when they expire.
                        self.iam
                            .check_session(access_key_id, session_token.as_deref(), self.now)
                            .map_err(|why| refusal(service, why))?;
                        Ok(self.iam.caller_for(user))
                    }
                    KeyCheck::UnknownOrInactive => Err(refusal(service, Refusal::UnknownKey)),
                    KeyCheck::WrongSecret => Err(refusal(service, Refusal::Mismatch)),
                }
            }
        }
    }

    /// Runs an API call that an SDK signed with Signature Version 4: the signature is checked
    /// against the access key's secret first, as the service checks it, and the call is
    /// recorded in the trail either way.
    pub fn call_signed(
        &mut self,
        source: &str,
        http: &HttpRequest,
        service: &str,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        // The signature here; the key, its token and its expiry where every call is checked
        // ([`Cloud::call`]).
        match sigv4::verify(http, |id| self.iam.secret_of(id)) {
            Ok(claim) => {
                let secret = self.iam.secret_of(&claim.access_key_id).unwrap_or_default();
                let session_token = http.header("X-Amz-Security-Token").map(str::to_string);
                let credentials = Credentials::AccessKey {
                    access_key_id: claim.access_key_id,
                    secret_access_key: secret,
                    session_token,
                };
                self.call(source, &credentials, service, operation, request)
            }
            Err(why) => {
                let error = refusal(service, why);
                self.record(source, service, operation, None, Err(&error), request);
                Err(error)
            }
        }
    }

    /// Runs a read-only operation for a page that keeps itself current (the console's lists,
    /// redrawn as the clock moves), without recording it: the trail keeps what someone asked
    /// for, not a page's polling. An operation that changes anything is refused.
    pub fn read(&mut self, credentials: &Credentials, service: &str, operation: &str, request: &Value) -> ApiResult {
        let read_only = operation::operations(service)
            .is_some_and(|rows| rows.iter().any(|row| row.name == operation && row.mutates == operation::READ));
        if !read_only {
            return Err(ApiError::client(
                "InvalidAction",
                format!("{service}:{operation} is not a read-only operation; send it with Cloud::call."),
            ));
        }
        let caller = self.authenticate_for(service, credentials);
        self.dispatch(&caller, service, operation, request)
    }

    /// Runs one API call from `source` (a host name) and records it in the trail.
    pub fn call(
        &mut self,
        source: &str,
        credentials: &Credentials,
        service: &str,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        let caller = self.authenticate_for(service, credentials);
        let result = self.dispatch(&caller, service, operation, request);
        self.record(source, service, operation, caller.ok().map(|c| c.arn), result.as_ref().map(|_| ()), request);
        result
    }

    /// Hands an authenticated (or refused) request to its service.
    fn dispatch(
        &mut self,
        caller: &Result<Caller, ApiError>,
        service: &str,
        operation: &str,
        request: &Value,
    ) -> ApiResult {
        let result = match caller {
            Err(e) => Err(e.clone()),
            Ok(caller) => match service {
                "sts" => sts::call(caller, operation),
                "iam" => self.iam.call(&mut self.rng, self.now, caller, operation, request),
                "ec2" => {
                    let account = self.iam.account.clone();
                    self.network.call(&mut self.rng, self.now, &account, operation, request)
                }
                "rds" => {
                    let account = self.iam.account.clone();
                    self.rds.call(&mut self.network, &mut self.rng, self.now, &account, operation, request)
                }
                "elasticache" => {
                    let account = self.iam.account.clone();
                    self.elasticache.call(&mut self.network, &mut self.rng, self.now, &account, operation, request)
                }
                "cloudwatch" => metrics::call(self, operation, request),
                "dynamodb" => {
                    let now = self.now;
                    dynamodb::call(&mut self.dynamodb, &mut self.events, &mut self.rng, now, operation, request)
                }
                _ => Err(ApiError::client(
                    "UnknownService",
                    format!("The service {service} is not available in this lab yet."),
                )),
            },
        };
        self.schedule_pending();
        result
    }

    fn record(
        &mut self,
        source: &str,
        service: &str,
        operation: &str,
        caller: Option<String>,
        outcome: Result<(), &ApiError>,
        request: &Value,
    ) {
        self.trail.record(ApiCall {
            at: self.now,
            source: source.to_string(),
            service: service.to_string(),
            operation: operation.to_string(),
            caller,
            error: outcome.err().map(|e| e.code.clone()),
            parameters: request.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default(),
        });
    }
}

/// A request whose credentials did not hold, refused in the words of the service asked.
fn refusal(service: &str, why: Refusal) -> ApiError {
    const INVALID_TOKEN: &str = "The security token included in the request is invalid.";
    const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. \
                            Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    const EXPIRED: &str = "The security token included in the request is expired";
    match (service, why) {
        ("dynamodb", Refusal::Missing) => {
            ApiError::new("MissingAuthenticationTokenException", 400, "Request is missing Authentication Token")
        }
        (_, Refusal::Missing) => {
            ApiError::new("MissingAuthenticationToken", 403, "Request is missing Authentication Token")
        }
        ("dynamodb", Refusal::Incomplete(m)) => ApiError::new("IncompleteSignatureException", 400, m),
        (_, Refusal::Incomplete(m)) => ApiError::new("IncompleteSignature", 400, m),
        ("ec2", _) => ApiError::new("AuthFailure", 401, "AWS was not able to validate the provided access credentials"),
        ("dynamodb", Refusal::UnknownKey) => ApiError::new("UnrecognizedClientException", 400, INVALID_TOKEN),
        ("dynamodb", Refusal::Mismatch) => ApiError::new("InvalidSignatureException", 400, MISMATCH),
        (_, Refusal::UnknownKey) => ApiError::new("InvalidClientTokenId", 403, INVALID_TOKEN),
        (_, Refusal::Mismatch) => ApiError::new("SignatureDoesNotMatch", 403, MISMATCH),
        ("dynamodb", Refusal::Expired) => ApiError::new("ExpiredTokenException", 400, EXPIRED),
        (_, Refusal::Expired) => ApiError::new("ExpiredToken", 403, EXPIRED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_key_signs_requests_and_everything_is_recorded() {
        let mut cloud = Cloud::new(42, Timestamp(0));
        let key = cloud.call("cloudshell", &Credentials::ConsoleSession, "iam", "CreateAccessKey", &json!({})).unwrap();
        let creds = Credentials::AccessKey {
            access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().into(),
            secret_access_key: key["AccessKey"]["SecretAccessKey"].as_str().unwrap().into(),
            session_token: None,
        };
        let me = cloud.call("laptop", &creds, "sts", "GetCallerIdentity", &json!({})).unwrap();
        assert_eq!(me["Arn"], json!(format!("arn:aws:iam::{}:user/learner", cloud.iam.account)));
        let bad = Credentials::AccessKey {
            access_key_id: "AKIAXXXXXXXXXXXXXXXX".into(),
            secret_access_key: "x".into(),
            session_token: None,
        };
        let err = cloud.call("laptop", &bad, "sts", "GetCallerIdentity", &json!({})).unwrap_err();
        assert_eq!(err.code, "InvalidClientTokenId");
        assert_eq!(cloud.trail.calls.len(), 3);
        assert_eq!(cloud.trail.calls[2].error.as_deref(), Some("InvalidClientTokenId"));
    }

    #[test]
    fn a_dynamodb_table_becomes_active_on_the_lab_clock() {
        let mut cloud = Cloud::new(1, Timestamp(0));
        let creds = Credentials::ConsoleSession;
        let create = json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}]});
        let r = cloud.call("laptop", &creds, "dynamodb", "CreateTable", &create).unwrap();
        assert_eq!(r["TableDescription"]["TableStatus"], json!("CREATING"));
        let put = json!({"TableName": "Music", "Item": {"Artist": {"S": "Acme"}}});
        let err = cloud.call("laptop", &creds, "dynamodb", "PutItem", &put).unwrap_err();
        assert_eq!(err.code, "ResourceNotFoundException");
        cloud.advance_to(Timestamp(60_000));
        let d = cloud.call("laptop", &creds, "dynamodb", "DescribeTable", &json!({"TableName": "Music"})).unwrap();
        assert_eq!(d["Table"]["TableStatus"], json!("ACTIVE"));
        cloud.call("laptop", &creds, "dynamodb", "PutItem", &put).unwrap();
        let text = serde_json::to_string(&cloud).unwrap();
        let back: Cloud = serde_json::from_str(&text).unwrap();
        assert_eq!(back, cloud);
    }

    #[test]
    fn the_same_seed_gives_the_same_account() {
        assert_eq!(Cloud::new(9, Timestamp(0)), Cloud::new(9, Timestamp(0)));
        assert_ne!(Cloud::new(9, Timestamp(0)).iam.account, Cloud::new(10, Timestamp(0)).iam.account);
    }
}
