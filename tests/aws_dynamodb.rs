//! `aws dynamodb` in the lab's shell, end to end: flags to requests, the engine behind the
//! cloud, the CLI's output and errors, and the lab clock turning tables ACTIVE.

use dblab::cloud::time::Timestamp;
use dblab::shell::Lab;
use serde_json::Value;

fn cloudshell() -> (Lab, u32) {
    let mut lab = Lab::new(7, Timestamp::from_civil(2026, 11, 26, 10, 0, 0));
    let id = lab.open_session("cloudshell").expect("cloudshell exists");
    (lab, id)
}

fn json(lab: &mut Lab, id: u32, line: &str) -> Value {
    let out = lab.exec(id, line).text;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("`{line}` printed no JSON ({e}):\n{out}"))
}

#[test]
fn a_music_table_from_create_to_query() {
    let (mut lab, id) = cloudshell();
    let created = json(
        &mut lab,
        id,
        "aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE --billing-mode PAY_PER_REQUEST",
    );
    assert_eq!(created["TableDescription"]["TableStatus"], "CREATING");
    assert_eq!(created["TableDescription"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");

    // Still creating: writes are refused as on AWS.
    let early = lab
        .exec(
            id as _,
            r#"aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "Acme"}, "SongTitle": {"S": "Hi"}}'"#,
        )
        .text;
    assert!(
        early.contains("An error occurred (ResourceNotFoundException) when calling the PutItem operation"),
        "{early}"
    );

    lab.exec(id, "sleep 30");
    let status = lab
        .exec(id as _, "aws dynamodb describe-table --table-name Music --query Table.TableStatus --output text")
        .text;
    assert_eq!(status, "ACTIVE\n");

    for (artist, song, year) in [("Acme", "Zebra", 1999), ("Acme", "Apple", 2001), ("Bolt", "Hi", 2010)] {
        let out = lab.exec(
            id as _,
            &format!(
                r#"aws dynamodb put-item --table-name Music --item '{{"Artist": {{"S": "{artist}"}}, "SongTitle": {{"S": "{song}"}}, "Year": {{"N": "{year}"}}}}'"#
            ),
        );
        assert_eq!(out.text, "", "put-item prints nothing");
    }
    let q = json(
        &mut lab,
        id,
        r#"aws dynamodb query --table-name Music --key-condition-expression "Artist = :a" --expression-attribute-values '{":a":{"S":"Acme"}}'"#,
    );
    assert_eq!(q["Count"], 2);
    assert_eq!(q["Items"][0]["SongTitle"]["S"], "Apple");
    assert_eq!(q["ScannedCount"], 2);

    let got = json(&mut lab, id, "aws dynamodb get-item --table-name Music --key Artist={S=Bolt},SongTitle={S=Hi}");
    assert_eq!(got["Item"]["Year"]["N"], "2010");

    let count = lab.exec(id, "aws dynamodb scan --table-name Music --select COUNT --query Count").text;
    assert_eq!(count, "3\n");

    let bad = lab.exec(id, "aws dynamodb get-item --table-name Music --key Artist={S=Bolt}").text;
    assert!(
        bad.contains("An error occurred (ValidationException) when calling the GetItem operation: The provided key element does not match the schema"),
        "{bad}"
    );
    let listed = lab.exec(id, "aws dynamodb list-tables --output text").text;
    assert_eq!(listed, "TABLENAMES\tMusic\n");
}

#[test]
fn the_sample_music_data_loads_from_the_laptop() {
    let mut lab = Lab::new(7, Timestamp::from_civil(2026, 11, 26, 10, 0, 0));
    let cs = lab.open_session("cloudshell").expect("cloudshell exists");
    let key = json(&mut lab, cs, "aws iam create-access-key");
    let id = key["AccessKey"]["AccessKeyId"].as_str().expect("key id").to_string();
    let secret = key["AccessKey"]["SecretAccessKey"].as_str().expect("secret").to_string();
    lab.exec(
        cs,
        "aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE --billing-mode PAY_PER_REQUEST",
    );
    lab.exec(cs, "sleep 20");

    let laptop = 1;
    lab.exec(
        laptop,
        &format!("export AWS_ACCESS_KEY_ID={id} AWS_SECRET_ACCESS_KEY={secret} AWS_DEFAULT_REGION=us-east-1"),
    );
    let out = json(&mut lab, laptop, "aws dynamodb batch-write-item --request-items file://samples/music.json");
    assert_eq!(out, serde_json::json!({"UnprocessedItems": {}}));
    let count =
        lab.exec(laptop, "aws dynamodb scan --table-name Music --select COUNT --query Count --output text").text;
    assert_eq!(count, "20\n");
    let table = lab
        .exec(
            laptop,
            r#"aws dynamodb query --table-name Music --key-condition-expression "Artist = :a AND begins_with(SongTitle, :p)" --expression-attribute-values '{":a":{"S":"Mira Okafor"},":p":{"S":"S"}}' --query "Items[].SongTitle.S" --output text"#,
        )
        .text;
    assert_eq!(table, "Salt and Honey\tSecond Sun\n");
}
