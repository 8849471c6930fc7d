//! How much of a Python SDK call the lab takes, natively: `cargo run --release --example
//! python_bench` (needs `scripts/setup.sh`'s virtualenv).
//!
//! Runs `examples/sdk_bench.py` (its doc says what it measures) in a lab as a learner would:
//! the DynamoDB part in CloudShell with CloudShell's own credentials, the Redis part on an
//! EC2 instance in the cache's VPC, reached by ssh from the laptop. The browser test runs the
//! same script in the page and prints the same lines.

use dblab::cloud::time::Timestamp;
use dblab::shell::python::native::LazyPython;
use dblab::shell::Lab;

const BENCH: &str = include_str!("sdk_bench.py");
const BENCH_PATH: &str = "/tmp/sdk_bench.py";

/// The learner's lines: a cache and an instance beside it, then the script on each host.
const SCRIPT: &str = r#"
cloudshell$ python3 /tmp/sdk_bench.py dynamodb 500
cloudshell$ aws elasticache create-replication-group --replication-group-id bench --replication-group-description "Bench" --engine redis --cache-node-type cache.t3.micro --num-cache-clusters 2 --automatic-failover-enabled --query ReplicationGroup.Status
cloudshell$ aws elasticache wait replication-group-available --replication-group-id bench
cloudshell$ SG=$(aws elasticache describe-cache-clusters --cache-cluster-id bench-001 --query 'CacheClusters[0].SecurityGroups[0].SecurityGroupId' --output text)
cloudshell$ aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 6379 --source-group $SG --query Return
cloudshell$ aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 22 --cidr 203.0.113.10/32 --query Return
cloudshell$ aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro --security-group-ids $SG --associate-public-ip-address --query 'Instances[0].PublicIpAddress' --output text
cloudshell$ sleep 30
laptop$ ssh ec2-user@54.160.0.1
laptop$ python3 /tmp/sdk_bench.py redis {{cache:bench}} 2000
"#;

/// Puts the script on every host that lacks it.
fn place_bench(lab: &mut Lab) {
    let now = lab.cloud.now.0;
    for host in &mut lab.hosts {
        if host.fs.read(BENCH_PATH).is_err() {
            host.fs.write(BENCH_PATH, BENCH, false, now).expect("/tmp is writable");
        }
    }
}

fn main() {
    let mut lab = Lab::new(1, Timestamp::from_civil(2026, 12, 4, 9, 0, 0));
    let mut python = LazyPython::new();
    place_bench(&mut lab);
    // (After each line: the instance's copy as soon as it is there.)
    let transcript = dblab::lessons::script::run_with(&mut lab, SCRIPT, Some(&mut python), |lab, _| place_bench(lab));
    print!("{transcript}");
}
