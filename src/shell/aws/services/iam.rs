use crate::shell::aws::spec::{opt, req, Operation, Service, Shape};

pub static IAM: Service = Service {
    cli: "iam",
    api: "iam",
    global: true,
    summary: "Identity and Access Management: users and access keys",
    operations: &[
        Operation {
            cli: "create-access-key",
            api: "CreateAccessKey",
            summary: "Creates an access key pair for a user (the caller when --user-name is omitted).",
            params: &[opt("UserName", Shape::String)],
        },
        Operation {
            cli: "list-access-keys",
            api: "ListAccessKeys",
            summary: "Lists a user's access key ids and their status.",
            params: &[opt("UserName", Shape::String)],
        },
        Operation {
            cli: "update-access-key",
            api: "UpdateAccessKey",
            summary: "Makes an access key Active or Inactive.",
            params: &[opt("UserName", Shape::String), req("AccessKeyId", Shape::String), req("Status", Shape::String)],
        },
        Operation {
            cli: "delete-access-key",
            api: "DeleteAccessKey",
            summary: "Deletes an access key.",
            params: &[opt("UserName", Shape::String), req("AccessKeyId", Shape::String)],
        },
        Operation {
            cli: "create-user",
            api: "CreateUser",
            summary: "Creates an IAM user.",
            params: &[req("UserName", Shape::String), opt("Path", Shape::String)],
        },
        Operation {
            cli: "get-user",
            api: "GetUser",
            summary: "Describes a user (the caller when --user-name is omitted).",
            params: &[opt("UserName", Shape::String)],
        },
        Operation { cli: "list-users", api: "ListUsers", summary: "Lists the account's users.", params: &[] },
        Operation {
            cli: "delete-user",
            api: "DeleteUser",
            summary: "Deletes a user that has no access keys.",
            params: &[req("UserName", Shape::String)],
        },
    ],
};
