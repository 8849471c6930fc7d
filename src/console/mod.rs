//! The console's model: what its forms send, what its lists show, with no web page in sight.
//!
//! The console is the third way into the lab, beside the terminal and Python. Everything it
//! does is an API request through the same operations as the `aws` CLI and the SDKs, as the
//! learner's console session, recorded in the activity trail with the source `console`:
//!
//! - A form ([`rds::CreateDatabase`], [`dynamodb::CreateTable`], [`elasticache::CreateCache`],
//!   [`ec2::LaunchInstance`], [`vpc::CreateVpc`] ...) turns what was filled in into a [`Plan`]:
//!   the requests it will send, in order (an Aurora database is a cluster and then its writer
//!   instance, as the console makes it).
//! - Each request knows its CLI equivalent ([`Action::cli`]): the `aws` command that sends the
//!   very same request, which tests hold to by parsing it back with the lab's own CLI.
//! - A request can need what an earlier one made (*Create VPC* with "VPC and more" makes the
//!   VPC, then subnets in it): the earlier action keeps a value of its answer under a
//!   variable ([`Action::keeping`]), and the later one holds its [`placeholder`] where the
//!   value goes. The CLI
//!   equivalent says the same as a script would: `VPC_ID=$(aws ec2 create-vpc ... --query
//!   Vpc.VpcId --output text)`, then `--vpc-id "$VPC_ID"`.
//! - [`perform`] sends a plan's requests until one fails, and the lab moves on as after any
//!   call (EC2 instances become hosts, waiting clients wake).
//! - The lists ([`rds::databases`], [`rds_resources::snapshots`], [`dynamodb::tables`] ...) read the lab through read-only
//!   operations that are not recorded ([`crate::cloud::Cloud::read`]): a page that keeps itself
//!   current as the clock moves is not the learner asking.
//!
//! The Leptos pages in `ui::console` only draw these and wire clicks to them.

pub mod dynamodb;
pub mod ec2;
pub mod elasticache;
pub mod export;
pub mod iam;
pub mod rds;
pub mod rds_resources;
pub mod vpc;

use crate::cloud::api::{ApiError, ApiResult, Credentials};
use crate::shell::aws::equivalent;
use crate::shell::Lab;
use serde_json::Value;

/// The trail's source for what the console sends.
pub const SOURCE: &str = "console";

/// One API request the console sends.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The cloud's name for the service (`rds`, `dynamodb`).
    pub service: &'static str,
    /// The API name (`CreateDBInstance`).
    pub operation: &'static str,
    pub request: Value,
    /// What later requests of the plan use from this one's answer.
    pub keep: Option<Keep>,
}

/// A value of an answer kept for the requests after it: `query` is the CLI's `--query` for
/// it (a path of members and indexes: `Vpc.VpcId`, `Instances[0].InstanceId`), `var` the
/// variable that holds it (`VPC_ID`); a later request holds `placeholder("VPC_ID")` where it goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Keep {
    pub var: String,
    pub query: &'static str,
}

impl Action {
    pub fn new(service: &'static str, operation: &'static str, request: Value) -> Action {
        Action { service, operation, request, keep: None }
    }

    /// This action, keeping `query` of its answer as `var` for the actions after it.
    pub fn keeping(mut self, var: impl Into<String>, query: &'static str) -> Action {
        self.keep = Some(Keep { var: var.into(), query });
        self
    }

    /// The `aws` command that sends this request; one that keeps a value assigns it, as a
    /// script would: `VPC_ID=$(aws ec2 create-vpc ... --query Vpc.VpcId --output text)`.
    pub fn cli(&self) -> String {
        let Some(line) = equivalent::command(self.service, self.operation, &self.request) else {
            return format!("# {}:{} has no AWS CLI command in the lab", self.service, self.operation);
        };
        match &self.keep {
            Some(keep) => {
                format!("{}=$({line} --query {} --output text)", keep.var, equivalent::shell_quote(keep.query))
            }
            None => line,
        }
    }
}

/// Where a kept value goes in a later request: the variable's name behind a character of
/// Unicode's private use area, which no one types into a form, so that nothing typed is ever
/// taken for one.
pub fn placeholder(var: &str) -> String {
    format!("\u{E000}{var}")
}

/// What a form sends when submitted, or why it cannot be submitted yet (the console checks
/// some fields itself before sending anything, as the real one does).
pub type Plan = Result<Vec<Action>, String>;

/// The CLI equivalent of a whole plan: one command per line, a kept value used as `"$VAR"`.
pub fn cli_script(plan: &[Action]) -> String {
    let vars: Vec<&str> = plan.iter().filter_map(|a| a.keep.as_ref()).map(|k| k.var.as_str()).collect();
    plan.iter()
        .map(|action| {
            // A placeholder is a whole value, so the command has it as one quoted word.
            vars.iter().fold(action.cli(), |line, var| {
                line.replace(&equivalent::shell_quote(&placeholder(var)), &format!("\"${var}\""))
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sends a plan's requests in order, stopping at the first that fails; returns the last
/// answer (or that failure).
pub fn perform(lab: &mut Lab, plan: &[Action]) -> ApiResult {
    let mut kept: Vec<(String, Value)> = Vec::new();
    let mut last = Ok(Value::Null);
    for action in plan {
        let request = fill_in(&action.request, &kept);
        last = lab.cloud.call(SOURCE, &Credentials::ConsoleSession, action.service, action.operation, &request);
        match (&last, &action.keep) {
            (Err(_), _) => break,
            (Ok(answer), Some(keep)) => match query_path(answer, keep.query) {
                Some(value) => kept.push((placeholder(&keep.var), value.clone())),
                None => {
                    last = Err(ApiError::client(
                        "InternalFailure",
                        format!("The answer of {} has no {}.", action.operation, keep.query),
                    ));
                    break;
                }
            },
            (Ok(_), None) => {}
        }
    }
    lab.settle(true);
    last
}

/// `request` with each placeholder of a kept value replaced by the value.
fn fill_in(request: &Value, kept: &[(String, Value)]) -> Value {
    match request {
        Value::String(s) => kept.iter().find(|(p, _)| p == s).map_or_else(|| request.clone(), |(_, v)| v.clone()),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_in(v, kept)).collect()),
        Value::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), fill_in(v, kept))).collect()),
        _ => request.clone(),
    }
}

/// The value at a `--query` path of members and indexes (`Instances[0].InstanceId`).
fn query_path<'a>(value: &'a Value, query: &str) -> Option<&'a Value> {
    query.split('.').try_fold(value, |at, step| {
        let (member, indexes) = step.split_once('[').map_or((step, ""), |(m, rest)| (m, rest));
        let mut at = if member.is_empty() { at } else { at.get(member)? };
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            at = at.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
        Some(at)
    })
}

/// A read-only request for a page, not recorded in the trail.
pub fn read(lab: &mut Lab, service: &str, operation: &str, request: Value) -> ApiResult {
    lab.cloud.read(&Credentials::ConsoleSession, service, operation, &request)
}

/// A Modify page's request: `id` (the member naming the resource, and its value), then each
/// setting of `now` whose value is not the one in `was` (what the resource had when the page
/// opened), as the console sends only what changed; `Err` when nothing did.
pub fn changed_settings(id: (&str, &str), now: Value, was: &Value, what: &str) -> Result<Value, String> {
    let mut request = serde_json::Map::new();
    request.insert(id.0.to_string(), Value::String(id.1.to_string()));
    for (key, value) in now.as_object().into_iter().flatten() {
        if was.get(key) != Some(value) {
            request.insert(key.clone(), value.clone());
        }
    }
    if request.len() == 1 {
        return Err(format!("You haven't changed anything: change a setting to modify the {what}."));
    }
    Ok(Value::Object(request))
}

/// The list a read-only `Describe...` answers with under `member`, or none when it fails.
pub fn list(lab: &mut Lab, service: &str, operation: &str, member: &str) -> Vec<Value> {
    read(lab, service, operation, serde_json::json!({}))
        .ok()
        .and_then(|v| v.get(member).and_then(Value::as_array).cloned())
        .unwrap_or_default()
}

/// An error as the console's red banner words it: the code, then the message.
pub fn banner(error: &ApiError) -> String {
    format!("{}: {}", error.code, error.message)
}

/// A string member of a JSON value, or "".
pub(crate) fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::cloud::time::Timestamp;
    use crate::shell::aws::equivalent;
    use crate::shell::Lab;

    pub fn lab() -> Lab {
        Lab::new(7, Timestamp(1_767_225_600_000))
    }

    /// Holds a plan to its CLI equivalent: each command, read back by the lab's CLI, is the
    /// very request the console sends, once each kept value is in (a made-up id per variable:
    /// `"$VPC_ID"` in the script and the placeholder in the request must both become it).
    pub fn assert_cli_round_trips(plan: &[super::Action]) {
        let script = super::cli_script(plan);
        assert!(!script.contains('\u{E000}'), "a placeholder left in the script: {script}");
        let kept: Vec<(String, serde_json::Value)> = plan
            .iter()
            .filter_map(|a| a.keep.as_ref())
            .map(|k| (super::placeholder(&k.var), serde_json::json!(format!("id-of-{}", k.var))))
            .collect();
        for (action, line) in plan.iter().zip(script.lines()) {
            let command = match &action.keep {
                Some(keep) => {
                    let inner = line.strip_prefix(&format!("{}=$(", keep.var)).expect("an assignment");
                    inner.rsplit_once(" --query ").expect("a --query").0.to_string()
                }
                None => line.to_string(),
            };
            let vars = plan.iter().filter_map(|a| a.keep.as_ref()).map(|k| (k.var.clone(), format!("id-of-{}", k.var)));
            let parsed = equivalent::tests::parse_back_with(&command, vars.collect());
            assert_eq!(parsed, super::fill_in(&action.request, &kept), "{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_kept_value_is_a_variable_in_the_script_and_the_value_in_the_request() {
        let plan = vec![
            Action::new("ec2", "CreateVpc", json!({"CidrBlock": "10.0.0.0/16"})).keeping("VPC_ID", "Vpc.VpcId"),
            Action::new("ec2", "CreateSubnet", json!({"VpcId": placeholder("VPC_ID"), "CidrBlock": "10.0.1.0/24"}))
                .keeping("SUBNET_ID", "Subnet.SubnetId"),
        ];
        let script = cli_script(&plan);
        assert_eq!(
            script,
            "VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)\n\
             SUBNET_ID=$(aws ec2 create-subnet --vpc-id \"$VPC_ID\" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId --output text)"
        );
        test_support::assert_cli_round_trips(&plan);

        // Performed, the subnet is in the VPC just made; run in a shell, the script does the same.
        let mut lab = test_support::lab();
        let answer = perform(&mut lab, &plan).unwrap();
        let vpc = read(&mut lab, "ec2", "DescribeVpcs", json!({})).unwrap();
        let made = vpc["Vpcs"].as_array().unwrap().iter().find(|v| v["CidrBlock"] == "10.0.0.0/16").unwrap();
        assert_eq!(answer["Subnet"]["VpcId"], made["VpcId"]);
        let shell = lab.open_session("cloudshell").unwrap();
        for line in script.lines() {
            lab.exec(shell, line);
        }
        let subnet = lab.exec(shell, "echo $SUBNET_ID").text;
        assert!(subnet.trim().starts_with("subnet-"), "{subnet}");
        let vpcs = read(&mut lab, "ec2", "DescribeVpcs", json!({})).unwrap();
        assert_eq!(vpcs["Vpcs"].as_array().unwrap().iter().filter(|v| v["CidrBlock"] == "10.0.0.0/16").count(), 2);
    }

    #[test]
    fn query_paths_read_members_and_indexes() {
        let answer = json!({"Instances": [{"InstanceId": "i-1"}], "Vpc": {"VpcId": "vpc-1"}});
        assert_eq!(query_path(&answer, "Instances[0].InstanceId"), Some(&json!("i-1")));
        assert_eq!(query_path(&answer, "Vpc.VpcId"), Some(&json!("vpc-1")));
        assert_eq!(query_path(&answer, "Vpc.Nothing"), None);
        assert_eq!(query_path(&answer, "Instances[3].InstanceId"), None);
    }
}
