//! The conditions at work on labs driven as a learner would: each test follows one domain's
//! conditions from false to true as the state they look at comes about.

use super::*;
use crate::cloud::time::Timestamp;

#[test]
fn parses_and_rejects() {
    let c = Check::parse("file laptop ~/a.txt\napi_call laptop sts:GetCallerIdentity ok").unwrap();
    assert_eq!(c.conditions.len(), 2);
    assert!(Check::parse("nonsense here").is_err());
    assert!(Check::parse("").is_err());
    assert!(Check::parse("api_call laptop sts ok").is_err());
}

#[test]
fn dynamodb_checks_look_at_tables_and_items() {
    let mut lab = Lab::new(3, Timestamp(0));
    let cs = lab.open_session("cloudshell").unwrap();
    let table = Check::parse("dynamodb_table Music Artist SongTitle").unwrap();
    let item = Check::parse("dynamodb_item Music Artist=Acme;SongTitle=Sun Rise has Year").unwrap();
    let gone = Check::parse("dynamodb_item_absent Music Artist=Acme;SongTitle=Sun Rise").unwrap();
    assert!(!table.passes(&lab) && !item.passes(&lab) && !gone.passes(&lab));
    lab.exec(cs, "aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE --billing-mode PAY_PER_REQUEST");
    lab.exec(cs, "sleep 20");
    assert!(table.passes(&lab) && gone.passes(&lab));
    lab.exec(cs, r#"aws dynamodb put-item --table-name Music --item '{"Artist":{"S":"Acme"},"SongTitle":{"S":"Sun Rise"},"Year":{"N":"2001.0"}}'"#);
    assert!(item.passes(&lab) && !gone.passes(&lab));
    assert!(Check::parse("dynamodb_item Music Year=2001").unwrap().passes(&lab));
    assert!(Check::parse("dynamodb_items Music 1").unwrap().passes(&lab));
    assert!(!Check::parse("dynamodb_items Music 2").unwrap().passes(&lab));
    assert!(Check::parse("dynamodb_item Music").is_err());
    // A dotted name is a path into maps: the nested value must be there, and equal.
    let rated = Check::parse("dynamodb_item Music Artist=Acme;info.rating=7.5").unwrap();
    assert!(!rated.passes(&lab));
    lab.exec(cs, r#"aws dynamodb put-item --table-name Music --item '{"Artist":{"S":"Acme"},"SongTitle":{"S":"Two"},"info":{"M":{"rating":{"N":"7.0"}}}}'"#);
    assert!(!rated.passes(&lab), "7.0 is not 7.5");
    assert!(Check::parse("dynamodb_item Music SongTitle=Two;info.rating=7").unwrap().passes(&lab));
    assert!(!Check::parse("dynamodb_item Music SongTitle=Two;info.rating.x=7").unwrap().passes(&lab));
    lab.exec(cs, r#"aws dynamodb update-item --table-name Music --key '{"Artist":{"S":"Acme"},"SongTitle":{"S":"Two"}}' --update-expression "SET info.rating = :r" --expression-attribute-values '{":r":{"N":"7.50"}}'"#);
    assert!(rated.passes(&lab));
}

#[test]
fn network_checks_tell_private_from_public_and_groups_from_addresses() {
    let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
    let cs = lab.open_session("cloudshell").unwrap();
    let holds = |lab: &Lab, check: &str| Check::parse(check).unwrap().passes(lab);
    assert!(!holds(&lab, "vpc") && !holds(&lab, "subnets any 1"), "the default VPC does not count");
    lab.exec(cs, "VPC=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)");
    assert!(holds(&lab, "vpc") && holds(&lab, "vpc 10.0.0.0/16") && !holds(&lab, "vpc 10.1.0.0/16"));
    lab.exec(cs, "PUB=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text)");
    lab.exec(cs, "A=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.11.0/24 --availability-zone us-east-1a --query Subnet.SubnetId --output text)");
    assert!(holds(&lab, "subnets any 1") && !holds(&lab, "subnets any 2"), "two subnets, one zone");
    lab.exec(cs, "B=$(aws ec2 create-subnet --vpc-id $VPC --cidr-block 10.0.12.0/24 --availability-zone us-east-1b --query Subnet.SubnetId --output text)");
    assert!(holds(&lab, "subnets private 2") && !holds(&lab, "subnets public 1"));
    lab.exec(cs, "aws rds create-db-subnet-group --db-subnet-group-name mixed --db-subnet-group-description x --subnet-ids $PUB $B");
    lab.exec(cs, "IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)");
    lab.exec(cs, "aws ec2 attach-internet-gateway --internet-gateway-id $IGW --vpc-id $VPC");
    lab.exec(cs, "RTB=$(aws ec2 create-route-table --vpc-id $VPC --query RouteTable.RouteTableId --output text)");
    lab.exec(cs, "aws ec2 create-route --route-table-id $RTB --destination-cidr-block 0.0.0.0/0 --gateway-id $IGW");
    assert!(!holds(&lab, "subnets public 1"), "a route table no subnet uses changes nothing");
    lab.exec(cs, "aws ec2 associate-route-table --route-table-id $RTB --subnet-id $PUB");
    assert!(holds(&lab, "subnets public 1") && holds(&lab, "subnets private 2") && !holds(&lab, "subnets public 2"));
    assert!(holds(&lab, "db_subnet_group mixed") && !holds(&lab, "db_subnet_group mixed private"));
    lab.exec(cs, "aws rds create-db-subnet-group --db-subnet-group-name lab-db --db-subnet-group-description x --subnet-ids $A $B");
    assert!(holds(&lab, "db_subnet_group lab-db private") && !holds(&lab, "db_subnet_group nope"));

    lab.exec(cs, "APP=$(aws ec2 create-security-group --group-name app --description app --vpc-id $VPC --query GroupId --output text)");
    lab.exec(cs, "DB=$(aws ec2 create-security-group --group-name db --description db --vpc-id $VPC --query GroupId --output text)");
    lab.exec(
        cs,
        "aws ec2 authorize-security-group-ingress --group-id $APP --protocol tcp --port 22 --cidr 203.0.113.10/32",
    );
    lab.exec(cs, "aws rds create-db-instance --db-instance-identifier private-db --engine mysql --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password Lab-pass-123 --db-subnet-group-name lab-db --vpc-security-group-ids $DB");
    lab.exec(cs, "aws rds create-db-instance --db-instance-identifier open-db --engine mysql --db-instance-class db.t3.micro --allocated-storage 20 --master-username admin --master-user-password Lab-pass-123 --db-subnet-group-name mixed --vpc-security-group-ids $DB --publicly-accessible");
    lab.exec(cs, "aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro --subnet-id $PUB --security-group-ids $APP --associate-public-ip-address --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=app}]'");
    lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier private-db");
    lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier open-db");
    assert!(holds(&lab, "rds_private private-db") && !holds(&lab, "rds_private open-db"));
    assert!(!holds(&lab, "rds_ingress_by_group private-db"), "no rule yet");
    assert!(!holds(&lab, "rds_reachable app private-db") && holds(&lab, "not rds_reachable laptop private-db"));
    lab.exec(
        cs,
        "aws ec2 authorize-security-group-ingress --group-id $DB --protocol tcp --port 3306 --source-group $APP",
    );
    assert!(holds(&lab, "rds_ingress_by_group private-db") && holds(&lab, "rds_reachable app private-db"));
    assert!(holds(&lab, "not rds_reachable laptop private-db") && !holds(&lab, "rds_reachable nobody private-db"));
    lab.exec(
        cs,
        "aws ec2 authorize-security-group-ingress --group-id $DB --protocol tcp --port 3306 --cidr 10.0.0.0/16",
    );
    assert!(!holds(&lab, "rds_ingress_by_group private-db"), "an address range is more than the app's group");
    lab.exec(cs, "aws ec2 revoke-security-group-ingress --group-id $DB --protocol tcp --port 3306 --cidr 10.0.0.0/16");
    assert!(holds(&lab, "rds_ingress_by_group private-db"));

    let shown = Check::parse("output laptop Connection to").unwrap();
    let ip = lab.cloud.network.instances[0].public_ip.unwrap().to_string();
    lab.exec(1, &format!("ssh ec2-user@{ip}"));
    assert!(holds(&lab, "session_on app") && !shown.passes(&lab));
    lab.exec(1, "exit");
    assert!(shown.passes(&lab) && !holds(&lab, "output cloudshell Connection to") && !holds(&lab, "session_on app"));
    assert!(Check::parse("not").is_err() && Check::parse("output laptop").is_err());
    assert!(Check::parse("subnets secret 2").is_err() && Check::parse("db_subnet_group g public").is_err());
}

#[test]
fn aurora_checks_follow_the_cluster_its_readers_and_failovers() {
    let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
    let cs = lab.open_session("cloudshell").unwrap();
    let holds = |lab: &Lab, check: &str| Check::parse(check).unwrap().passes(lab);
    assert!(!holds(&lab, "rds_cluster shop"));
    lab.exec(cs, "aws rds create-db-cluster --db-cluster-identifier shop --engine aurora-mysql --master-username admin --master-user-password Lab-pass-123");
    assert!(holds(&lab, "rds_cluster shop") && !holds(&lab, "rds_cluster shop available"));
    lab.exec(cs, "aws rds create-db-instance --db-instance-identifier shop-1 --db-cluster-identifier shop --engine aurora-mysql --db-instance-class db.r6g.large");
    lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier shop-1");
    assert!(holds(&lab, "rds_cluster shop available") && holds(&lab, "rds_cluster_readers shop 0"));
    assert!(!holds(&lab, "rds_cluster_readers shop 1"), "a writer alone has no reader");
    lab.exec(cs, "aws rds create-db-instance --db-instance-identifier shop-2 --db-cluster-identifier shop --engine aurora-mysql --db-instance-class db.r6g.large");
    assert!(!holds(&lab, "rds_cluster_readers shop 1"), "a reader being created does not count");
    lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier shop-2");
    assert!(holds(&lab, "rds_cluster_readers shop 1"));
    // Rows written through the cluster endpoint live on the cluster volume.
    lab.exec(
        cs,
        "aws rds modify-db-instance --db-instance-identifier shop-1 --publicly-accessible --apply-immediately",
    );
    lab.exec(cs, "aws rds wait db-instance-available --db-instance-identifier shop-1");
    lab.exec(cs, "SG=$(aws rds describe-db-clusters --query 'DBClusters[0].VpcSecurityGroups[0].VpcSecurityGroupId' --output text)");
    lab.exec(
        cs,
        "aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 3306 --cidr 203.0.113.10/32",
    );
    let endpoint = lab.cloud.rds.cluster("shop").unwrap().endpoint(&lab.cloud.rds.endpoint_suffix);
    assert!(!holds(&lab, "rds_rows shop s t 1"));
    lab.exec(1, &format!("mysql -h {endpoint} -u admin -pLab-pass-123 -e 'CREATE DATABASE s; CREATE TABLE s.t (id INT); INSERT INTO s.t VALUES (1)'"));
    assert!(holds(&lab, "rds_rows shop s t =1") && !holds(&lab, "rds_rows shop s t 2"));
    assert!(!holds(&lab, "rds_cluster_failovers shop 1"));
    lab.exec(cs, "aws rds failover-db-cluster --db-cluster-identifier shop");
    assert!(!holds(&lab, "rds_cluster_failovers shop 1"), "started is not completed");
    lab.exec(cs, "aws rds wait db-cluster-available --db-cluster-identifier shop");
    assert!(holds(&lab, "rds_cluster_failovers shop 1") && !holds(&lab, "rds_cluster_failovers shop 2"));
    assert!(holds(&lab, "rds_cluster_readers shop 1"), "the old writer is the reader now");
}

#[test]
fn cache_checks_follow_the_group_its_data_and_failovers() {
    let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
    let cs = lab.open_session("cloudshell").unwrap();
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    assert!(!holds(&lab, "cache_group web"));
    lab.exec(cs, "aws elasticache create-replication-group --replication-group-id web --replication-group-description w --num-cache-clusters 2 --automatic-failover-enabled");
    assert!(holds(&lab, "cache_group web creating"));
    assert!(holds(&lab, "cache_nodes web 2"));
    assert!(!holds(&lab, "cache_nodes web 3"));
    assert!(!holds(&lab, "cache_shards web 1"));
    lab.exec(cs, "aws elasticache wait replication-group-available --replication-group-id web");
    assert!(holds(&lab, "cache_group web available"));
    assert!(!holds(&lab, "cache_reachable laptop web"), "caches have no public address");
    assert!(!holds(&lab, "cache_value web greeting hello world"));
    let primary = lab.cloud.elasticache.primary_of("web", 0).unwrap().id.clone();
    let now = lab.now().0;
    let server = lab.cloud.elasticache.servers.get_mut(&primary).unwrap();
    let client = server.connect();
    server.call(client, &[b"SET".to_vec(), b"greeting".to_vec(), b"hello world".to_vec()], now);
    assert!(holds(&lab, "cache_value web greeting hello world"));
    assert!(!holds(&lab, "cache_failovers web 1"));
    lab.exec(cs, "sleep 1");
    lab.exec(cs, "aws elasticache test-failover --replication-group-id web --node-group-id 0001");
    lab.exec(cs, "sleep 90");
    assert!(holds(&lab, "cache_failovers web 1"));
    assert!(holds(&lab, "cache_value web greeting hello world"), "the replica had it and now serves it");
}

#[test]
fn conditions_follow_the_state_not_the_keystrokes() {
    let mut lab = Lab::new(3, Timestamp(0));
    let check = Check::parse("file laptop ~/notes/todo.txt").unwrap();
    assert!(!check.passes(&lab));
    lab.exec(1, "mkdir notes; touch notes/todo.txt");
    assert!(check.passes(&lab));
    let clock = Check::parse("clock_advanced 300").unwrap();
    lab.exec(1, "sleep 4m");
    assert!(!clock.passes(&lab));
    lab.advance(crate::cloud::time::Duration::from_secs(60));
    assert!(clock.passes(&lab));
}

#[test]
fn redis_checks_follow_channels_streams_and_groups() {
    let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
    let subscribed = Check::parse("redis_subscribers laptop news 1").unwrap();
    let delivered = Check::parse("redis_delivered laptop news 1").unwrap();
    let stream = Check::parse("redis_stream laptop s 2").unwrap();
    let read = Check::parse("redis_group laptop s g 2").unwrap();
    let acked = Check::parse("redis_group laptop s g 2 1").unwrap();
    let all = [&subscribed, &delivered, &stream, &read, &acked];
    assert!(all.iter().all(|c| !c.passes(&lab)));
    let listener = lab.open_session("laptop").unwrap();
    lab.exec(1, "redis-cli PUBLISH news early");
    assert!(!delivered.passes(&lab), "a message nobody received does not count");
    lab.exec(listener, "redis-cli");
    lab.exec(listener, "SUBSCRIBE news");
    assert!(subscribed.passes(&lab) && !delivered.passes(&lab));
    lab.exec(1, "redis-cli PUBLISH news hello");
    assert!(delivered.passes(&lab));
    lab.exec(1, "redis-cli XADD s 1-1 a 1");
    lab.exec(1, "redis-cli XADD s 1-2 a 2");
    lab.exec(1, "redis-cli XGROUP CREATE s g 0");
    assert!(stream.passes(&lab) && !read.passes(&lab));
    lab.exec(1, "redis-cli XREADGROUP GROUP g c STREAMS s '>'");
    assert!(read.passes(&lab) && !acked.passes(&lab));
    lab.exec(1, "redis-cli XACK s g 1-1");
    assert!(acked.passes(&lab));
    assert!(Check::parse("redis_group laptop s g x").is_err());
}

#[test]
fn redis_checks_read_an_elasticache_group_as_cache_id() {
    let mut lab = Lab::new(3, Timestamp(1_795_683_600_000));
    let cs = lab.open_session("cloudshell").unwrap();
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    let checks = [
        "redis_value cache:web greeting hello",
        "redis_field cache:web cart:1 apples 3",
        "redis_stream cache:web orders 2",
        "redis_group cache:web orders billing 2 2",
        "redis_pending cache:web orders billing 0",
        "redis_expired cache:web session:1",
    ];
    assert!(checks.iter().all(|c| !holds(&lab, c)), "no group yet");
    lab.exec(cs, "aws elasticache create-replication-group --replication-group-id web --replication-group-description w --num-cache-clusters 1");
    lab.exec(cs, "aws elasticache wait replication-group-available --replication-group-id web");
    let primary = lab.cloud.elasticache.primary_of("web", 0).unwrap().id.clone();
    let call = |lab: &mut Lab, words: &str| {
        let now = lab.now().0;
        let server = lab.cloud.elasticache.servers.get_mut(&primary).unwrap();
        let client = server.connect();
        let args: Vec<Vec<u8>> = words.split(' ').map(|w| w.as_bytes().to_vec()).collect();
        server.call(client, &args, now);
    };
    for command in [
        "SET greeting hello",
        "SET session:1 alice EX 30",
        "HSET cart:1 apples 3",
        "XADD orders 1-1 n 1",
        "XADD orders 1-2 n 2",
        "XGROUP CREATE orders billing 0",
        "XREADGROUP GROUP billing w COUNT 2 STREAMS orders >",
    ] {
        call(&mut lab, command);
    }
    assert!(
        holds(&lab, "redis_value cache:web greeting hello") && holds(&lab, "redis_field cache:web cart:1 apples 3")
    );
    assert!(!holds(&lab, "redis_value laptop greeting hello"), "the laptop's own Redis is another server");
    assert!(holds(&lab, "redis_stream cache:web orders 2") && holds(&lab, "redis_group cache:web orders billing 2"));
    assert!(
        !holds(&lab, "redis_group cache:web orders billing 2 2")
            && !holds(&lab, "redis_pending cache:web orders billing 0")
    );
    assert!(
        holds(&lab, "redis_pending cache:web orders billing 2")
            && !holds(&lab, "redis_pending cache:web orders billing 1")
    );
    call(&mut lab, "XACK orders billing 1-1 1-2");
    assert!(
        holds(&lab, "redis_group cache:web orders billing 2 2")
            && holds(&lab, "redis_pending cache:web orders billing 0")
    );
    assert!(!holds(&lab, "redis_pending cache:web orders shipping 0"), "no such group");
    assert!(!holds(&lab, "redis_expired cache:web session:1"));
    lab.exec(cs, "sleep 31");
    assert!(holds(&lab, "redis_expired cache:web session:1"));
    assert!(!holds(&lab, "redis_value cache:other greeting hello"), "another group");
}

#[test]
fn a_wrong_line_says_how_the_condition_is_written() {
    let error = Check::parse("rds_rows shop-db shop orders many").unwrap_err();
    assert!(error.contains("`rds_rows ID DB TABLE N|=N`"), "{error}");
    assert!(Check::parse("rds_rowz shop-db").unwrap_err().contains("unknown check `rds_rowz`"));
    let negated = Condition::parse("not rds_reachable laptop shop-db").unwrap();
    assert_eq!(negated.names(), ["not", "rds_reachable"]);
}

#[test]
fn any_host_accepts_every_host_and_ran_sees_commands_inside_a_line() {
    let mut lab = Lab::new(3, Timestamp(0));
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    lab.exec(1, r#"echo "I am $(whoami) on $(hostname)" && date"#);
    assert!(holds(&lab, "ran laptop hostname") && holds(&lab, "ran laptop date") && holds(&lab, "ran any whoami"));
    assert!(!holds(&lab, "ran laptop ls") && !holds(&lab, "ran cloudshell hostname"));
    let cs = lab.open_session("cloudshell").unwrap();
    lab.exec(cs, "aws sts get-caller-identity");
    assert!(
        holds(&lab, "api_call any sts:GetCallerIdentity ok")
            && !holds(&lab, "api_call laptop sts:GetCallerIdentity ok")
    );
    assert!(holds(&lab, "output any arn:aws:iam::") && !holds(&lab, "output laptop arn:aws:iam::"));
}

#[test]
fn api_call_with_names_the_parameters_the_request_gave() {
    let mut lab = Lab::new(3, Timestamp(0));
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    let cs = lab.open_session("cloudshell").unwrap();
    lab.exec(cs, "aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=A,AttributeType=S --key-schema AttributeName=A,KeyType=HASH --billing-mode PAY_PER_REQUEST");
    lab.exec(cs, "aws dynamodb wait table-exists --table-name Music");
    lab.exec(cs, "aws dynamodb scan --table-name Music --select COUNT");
    let filtered = "api_call any dynamodb:Scan ok with FilterExpression";
    assert!(holds(&lab, "api_call any dynamodb:Scan ok") && !holds(&lab, filtered), "a scan to count is no filter");
    lab.exec(cs, r#"aws dynamodb scan --table-name Music --filter-expression "A = :a" --expression-attribute-values '{":a": {"S": "x"}}'"#);
    assert!(holds(&lab, filtered) && holds(&lab, "api_call any dynamodb:Scan ok with TableName FilterExpression"));
    lab.exec(cs, r#"aws dynamodb scan --table-name Nope --filter-expression "A = :a" --expression-attribute-values '{":a": {"S": "x"}}'"#);
    assert!(holds(&lab, "api_call any dynamodb:Scan failed ResourceNotFoundException with FilterExpression"));
    assert!(Check::parse("api_call any dynamodb:Scan ok with").is_err());
    assert!(Check::parse("api_call any dynamodb:Scan ok FilterExpression").is_err());
}

#[test]
fn redis_expired_is_a_key_whose_time_ran_out_not_one_deleted_or_never_set() {
    let mut lab = Lab::new(3, Timestamp(0));
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    lab.exec(1, "redis-cli SET gone x");
    lab.exec(1, "redis-cli DEL gone");
    lab.exec(1, "redis-cli SET s alice EX 30");
    assert!(!holds(&lab, "redis_expired laptop s"), "still alive");
    assert!(!holds(&lab, "redis_expired laptop gone") && !holds(&lab, "redis_expired laptop never"));
    lab.exec(1, "sleep 31");
    assert!(holds(&lab, "redis_expired laptop s"), "past its deadline, read or not");
    lab.exec(1, "redis-cli GET s");
    assert!(holds(&lab, "redis_expired laptop s"), "and once a read has expired it");
    lab.exec(1, "redis-cli SET s bob");
    assert!(!holds(&lab, "redis_expired laptop s"), "written again");
    lab.exec(1, "redis-cli DEL s");
    assert!(!holds(&lab, "redis_expired laptop s"), "then deleted, not expired");
}

#[test]
fn output_row_wants_the_cells_side_by_side_in_a_result_row() {
    let mut lab = Lab::new(3, Timestamp(0));
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    lab.exec(1, r#"psql shop -c "CREATE TABLE c (id SERIAL PRIMARY KEY, name TEXT, n INT)""#);
    lab.exec(1, r#"psql shop -c "INSERT INTO c (name, n) VALUES ('Linus', NULL), ('Ada', 0)""#);
    lab.exec(1, r#"psql shop -c "SELECT * FROM c""#);
    assert!(holds(&lab, "output_row laptop 1 Linus") && holds(&lab, "output_row any Ada 0"));
    assert!(!holds(&lab, "output_row any Linus 0"), "Linus's row has no 0 beside the name");
    lab.exec(1, r#"mysql -u root shop -e "SELECT 'Linus' AS name, 0 AS orders""#);
    assert!(holds(&lab, "output_row laptop Linus 0"), "mysql's boxed rows count too");
    assert!(Check::parse("output_row laptop").is_err());
}

#[test]
fn a_name_tag_names_its_instance_in_every_condition() {
    let mut lab = Lab::new(1, Timestamp(0));
    let holds = |lab: &Lab, text: &str| Check::parse(text).unwrap().passes(lab);
    let cs = lab.session_on("cloudshell").unwrap();
    lab.exec(cs, "aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=app}]'");
    lab.exec(cs, "SG=$(aws ec2 describe-security-groups --group-names default --query 'SecurityGroups[0].GroupId' --output text)");
    lab.exec(
        cs,
        "aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 22 --cidr 203.0.113.10/32",
    );
    lab.exec(cs, "sleep 30");
    let ip = lab
        .exec(cs, "aws ec2 describe-instances --query 'Reservations[0].Instances[0].PublicIpAddress' --output text")
        .text;
    lab.exec(1, &format!("ssh ec2-user@{}", ip.trim()));
    assert!(!holds(&lab, "ran app hostname") && !holds(&lab, "file app ~/notes.txt"));
    lab.exec(1, "hostname");
    lab.exec(1, "echo hi > notes.txt");
    assert!(holds(&lab, "ran app hostname") && holds(&lab, "file app ~/notes.txt"));
    assert!(holds(&lab, "session_on app") && !holds(&lab, "ran web hostname"));
}
