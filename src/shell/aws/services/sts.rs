use crate::shell::aws::spec::{Operation, Service};

pub static STS: Service = Service {
    cli: "sts",
    api: "sts",
    global: true,
    summary: "Security Token Service: who am I?",
    operations: &[Operation {
        cli: "get-caller-identity",
        api: "GetCallerIdentity",
        summary: "Returns the account, user id and ARN whose credentials signed the request.",
        params: &[],
    }],
};
