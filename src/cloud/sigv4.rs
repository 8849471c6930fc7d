//! Signature Version 4, checked as AWS checks it.
//!
//! An SDK signs each request: it builds a *canonical request* (method, path, query, the headers
//! it chose to sign, the SHA-256 of the body), hashes it into a *string to sign* with the date
//! and the *credential scope* (`20261202/us-east-1/dynamodb/aws4_request`), and signs that
//! with a key derived from the secret access key by an HMAC chain over the scope's parts. The
//! service, which knows the secret too, does the same and compares.
//!
//! [`verify`] does the service's half for a request the lab receives from a Python program: it
//! reads the `Authorization` header, asks for the secret of its access key, recomputes the
//! signature and says who signed, or why not in the service's words.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

type HmacSha256 = Hmac<Sha256>;

/// An HTTP request as the SDK sent it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    /// Header names as sent (any case) and their values.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// What the `Authorization` header claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub access_key_id: String,
    /// `20261202`.
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Why a signature was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization` header, or not a SigV4 one.
    Missing,
    /// The header is there but malformed (a part missing).
    Incomplete(String),
    /// The access key is not one the account knows (or it is inactive).
    UnknownKey,
    /// The key is known; the signature is not the one its secret makes.
    Mismatch,
    /// A temporary key whose session has ended.
    Expired,
}

impl HttpRequest {
    /// A header's value, its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Reads the claim of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
/// Signature=...` header.
pub fn claim(request: &HttpRequest) -> Result<Claim, Refusal> {
    let auth = request.header("Authorization").ok_or(Refusal::Missing)?;
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256").ok_or(Refusal::Missing)?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let incomplete = |what: &str| Refusal::Incomplete(format!("Authorization header requires '{what}' parameter."));
    let credential = credential.ok_or_else(|| incomplete("Credential"))?;
    let signed = signed.ok_or_else(|| incomplete("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| incomplete("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    if scope.len() != 5 || scope[4] != "aws4_request" {
        return Err(Refusal::Incomplete(format!(
            "Credential should be scoped to a valid region. ... Credential={credential}"
        )));
    }
    Ok(Claim {
        access_key_id: scope[0].to_string(),
        date: scope[1].to_string(),
        region: scope[2].to_string(),
        service: scope[3].to_string(),
        signed_headers: signed.split(';').map(str::to_string).collect(),
        signature: signature.to_string(),
    })
}

/// Checks the request's signature; `secret_of` gives the secret access key of a key id (or
/// `None` for a key the account does not know). Returns the claim when the signature holds.
pub fn verify(request: &HttpRequest, secret_of: impl Fn(&str) -> Option<String>) -> Result<Claim, Refusal> {
    let claim = claim(request)?;
    let secret = secret_of(&claim.access_key_id).ok_or(Refusal::UnknownKey)?;
    let amz_date = request.header("X-Amz-Date").ok_or_else(|| {
        Refusal::Incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.".into(),
        )
    })?;
    let expected = signature(request, &claim, amz_date, &secret);
    if constant_time_eq(expected.as_bytes(), claim.signature.as_bytes()) {
        Ok(claim)
    } else {
        Err(Refusal::Mismatch)
    }
}

/// The signature the secret makes for this request (what the SDK computed, if it used the same
/// secret).
pub fn signature(request: &HttpRequest, claim: &Claim, amz_date: &str, secret: &str) -> String {
    let scope = format!("{}/{}/{}/aws4_request", claim.date, claim.region, claim.service);
    let string_to_sign =
        format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex(&Sha256::digest(canonical_request(request, claim))));
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), claim.date.as_bytes());
    for part in [claim.region.as_str(), claim.service.as_str(), "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    hex(&hmac(&key, string_to_sign.as_bytes()))
}

/// Method, path, query, signed headers and the body's hash, one per line.
fn canonical_request(request: &HttpRequest, claim: &Claim) -> String {
    let (path, query) = split_url(&request.url);
    let mut headers = String::new();
    let host = host_of(&request.url);
    for name in &claim.signed_headers {
        // SDKs sign the `host` of the URL even when the header is added later, by the
        // HTTP client: the service sees it either way.
        let value = match request.header(name) {
            Some(v) => v,
            None if name.eq_ignore_ascii_case("host") => host.as_str(),
            None => "",
        };
        headers.push_str(&name.to_ascii_lowercase());
        headers.push(':');
        headers.push_str(&value.split_whitespace().collect::<Vec<_>>().join(" "));
        headers.push('\n');
    }
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.to_ascii_uppercase(),
        canonical_path(path),
        canonical_query(query),
        headers,
        claim.signed_headers.join(";"),
        hex(&Sha256::digest(request.body.as_bytes()))
    )
}

/// The authority of a URL as a `Host` header carries it (no default port).
fn host_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let default = if scheme.eq_ignore_ascii_case("http") { ":80" } else { ":443" };
    authority.strip_suffix(default).unwrap_or(authority).to_string()
}

/// `https://host/a/b?x=1` → (`/a/b`, `x=1`).
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path_and_query = after_scheme.find('/').map(|i| &after_scheme[i..]).unwrap_or("/");
    let path_and_query = path_and_query.split('#').next().unwrap_or("/");
    path_and_query.split_once('?').unwrap_or((path_and_query, ""))
}

/// The path with `.` and `..` removed, each byte outside the unreserved set percent-encoded.
fn canonical_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = String::from("/");
    out.push_str(&parts.iter().map(|p| encode(p)).collect::<Vec<_>>().join("/"));
    if path.ends_with('/') && !parts.is_empty() {
        out.push('/');
    }
    out
}

/// The query's pairs, each name and value decoded then strictly encoded, sorted.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(&decode(k)), encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex_digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex_digit), bytes.get(i + 2).copied().and_then(hex_digit)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
            (b'+', _, _) => out.push(b' '),
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's own worked example ("Create a signed AWS API request", IAM ListUsers, 2015):
    /// the published signature for the published secret.
    fn example() -> HttpRequest {
        let mut headers = BTreeMap::new();
        headers.insert("Host".into(), "iam.amazonaws.com".into());
        headers.insert("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into());
        headers.insert("X-Amz-Date".into(), "20150830T123600Z".into());
        headers.insert(
            "Authorization".into(),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, \
             Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
                .into(),
        );
        HttpRequest {
            method: "GET".into(),
            url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08".into(),
            headers,
            body: String::new(),
        }
    }

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn the_published_example_verifies() {
        let claim = verify(&example(), |id| (id == "AKIDEXAMPLE").then(|| SECRET.to_string())).unwrap();
        assert_eq!(claim.service, "iam");
        assert_eq!(claim.region, "us-east-1");
    }

    #[test]
    fn a_wrong_secret_an_unknown_key_and_a_changed_body_are_refused() {
        assert_eq!(verify(&example(), |_| Some("wrong".into())), Err(Refusal::Mismatch));
        assert_eq!(verify(&example(), |_| None), Err(Refusal::UnknownKey));
        let mut changed = example();
        changed.url = "https://iam.amazonaws.com/?Action=DeleteUser&Version=2010-05-08".into();
        assert_eq!(verify(&changed, |_| Some(SECRET.into())), Err(Refusal::Mismatch));
        let mut unsigned = example();
        unsigned.headers.remove("Authorization");
        assert_eq!(verify(&unsigned, |_| Some(SECRET.into())), Err(Refusal::Missing));
    }

    #[test]
    fn malformed_headers_never_panic() {
        for auth in [
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=a/b",
            "AWS4-HMAC-SHA256 Credential=%%%/x/y/z/aws4_request, SignedHeaders=, Signature=",
            "Basic abc",
        ] {
            let mut r = example();
            r.headers.insert("Authorization".into(), auth.into());
            r.url = "https://x/%zz/../..?%=%&&a".into();
            assert!(verify(&r, |_| Some(SECRET.into())).is_err());
        }
    }
}
