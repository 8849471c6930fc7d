//! The lab's saved form: how a whole [`Lab`] becomes text for `localStorage` and export files,
//! and back.
//!
//! The lab is written with postcard (a compact binary serde format: fields in declaration
//! order, integers as varints, no field names) and the bytes are carried as base64. Compared
//! with JSON the save is several times smaller, and, because the format never describes
//! itself, the code that reads it is much smaller too: that matters in a browser download.
//! The UI wraps this text in a small JSON envelope with a format name and version
//! (`ui::storage`); a change to any saved type's fields needs a new
//! [`LAB_FORMAT_VERSION`](super::lab::LAB_FORMAT_VERSION).

use super::Lab;
use crate::engines::dynamo::base64;

/// The lab as base64 text, or why it could not be written (a saved sequence that does not
/// know its length: a defect, which the tests' round trips are there to catch).
pub fn encode(lab: &Lab) -> Result<String, String> {
    postcard::to_allocvec(lab).map(|bytes| base64::encode(&bytes)).map_err(|e| e.to_string())
}

/// The lab `text` holds, or why it cannot be read (in words for a notice).
pub fn decode(text: &str) -> Result<Lab, String> {
    let bytes = base64::decode(text).map_err(|e| format!("the lab is not base64 text: {e}"))?;
    let (lab, rest) = postcard::take_from_bytes::<Lab>(&bytes).map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!("{} bytes follow the lab", rest.len()));
    }
    Ok(lab)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Timestamp;

    #[test]
    fn an_empty_lab_round_trips() {
        let lab = Lab::new(7, Timestamp(0));
        assert_eq!(decode(&encode(&lab).unwrap()), Ok(lab));
    }

    #[test]
    fn a_lab_with_data_in_every_engine_round_trips() {
        // A deep view takes more stack unoptimised than the test thread has: run on a big one.
        std::thread::Builder::new().stack_size(256 << 20).spawn(every_engine_round_trips).unwrap().join().unwrap();
    }

    fn every_engine_round_trips() {
        let mut lab = Lab::new(7, Timestamp::from_civil(2026, 11, 26, 9, 0, 0));
        let laptop = lab.session_on("laptop").unwrap();
        for line in [
            // A non-unique index whose key several rows share, and a view.
            "mysql -u root shop -e 'CREATE TABLE t (id INT PRIMARY KEY, g INT); CREATE INDEX t_g ON t (g); INSERT INTO t VALUES (1, 1), (2, 1), (3, 2); CREATE VIEW v AS SELECT g, COUNT(*) AS n FROM t WHERE g > 0 GROUP BY g'",
            "psql shop -c \"CREATE TABLE p (id SERIAL PRIMARY KEY, name TEXT DEFAULT lower('X') CHECK (length(name) < 10))\"",
            "redis-cli ZADD z 1 a 2 b inf c",
            "redis-cli HSET h f v",
            "redis-cli SADD s x y",
            "redis-cli RPUSH l a b",
            "redis-cli XADD st '*' f v",
            "redis-cli SET k v EX 100",
        ] {
            let out = lab.exec(laptop, line).text;
            assert!(!out.contains("ERR") && !out.contains("rror"), "{line}: {out}");
        }
        let shell = lab.session_on("cloudshell").unwrap();
        lab.exec(
            shell,
            "aws dynamodb create-table --table-name Music --attribute-definitions AttributeName=A,AttributeType=S \
             --key-schema AttributeName=A,KeyType=HASH --billing-mode PAY_PER_REQUEST",
        );
        lab.advance(crate::cloud::time::Duration::from_secs(60));
        let out = lab.exec(
            shell,
            r#"aws dynamodb put-item --table-name Music --item '{"A": {"S": "x"}, "M": {"M": {"L": {"L": [{"N": "1"}]}}}}'"#,
        );
        assert_eq!(out.text, "", "the item is stored");
        // A view as deep as the engine allows (a long chain nests one level per term).
        let sum = vec!["g"; 120].join(" + ");
        let out =
            lab.exec(laptop, &format!("mysql -u root shop -e 'CREATE VIEW deep AS SELECT {sum} AS s FROM t'")).text;
        assert_eq!(out, "", "the deep view is created");
        // An RDS instance with a change pending for the maintenance window.
        for line in [
            "aws rds create-db-instance --db-instance-identifier db --engine mysql --db-instance-class db.t3.micro \
             --allocated-storage 20 --master-username admin --master-user-password Lab-pass-123",
            "aws rds wait db-instance-available --db-instance-identifier db",
            "aws rds modify-db-instance --db-instance-identifier db --allocated-storage 30",
        ] {
            lab.exec(shell, line);
        }
        assert!(!lab.cloud.rds.instances[0].pending.is_empty(), "a change is pending");
        let text = encode(&lab).expect("every saved type writes");
        let back = decode(&text).expect("and reads back");
        assert!(back == lab, "the restored lab equals the saved one");
    }

    #[test]
    fn what_is_not_a_lab_is_refused() {
        let text = encode(&Lab::new(7, Timestamp(0))).unwrap();
        assert!(decode("not base64!").is_err());
        assert!(decode(&text[..text.len() / 2 / 4 * 4]).is_err(), "a cut save");
        let mut bytes = base64::decode(&text).unwrap();
        bytes.push(0);
        assert!(decode(&base64::encode(&bytes)).is_err(), "trailing bytes");
    }
}
