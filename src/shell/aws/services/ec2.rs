use crate::shell::aws::spec::{opt, req, Operation, Param, Service, Shape};

const TAG: Shape = Shape::Structure(&[opt("Key", Shape::String), opt("Value", Shape::String)]);
const TAG_SPECIFICATIONS: Param = opt(
    "TagSpecifications",
    Shape::List(&Shape::Structure(&[opt("ResourceType", Shape::String), opt("Tags", Shape::List(&TAG))])),
);
const FILTERS: Param = opt(
    "Filters",
    Shape::List(&Shape::Structure(&[opt("Name", Shape::String), opt("Values", Shape::List(&Shape::String))])),
);
const DRY_RUN: Param = opt("DryRun", Shape::Boolean);
const IP_PERMISSIONS: Param = opt(
    "IpPermissions",
    Shape::List(&Shape::Structure(&[
        opt("IpProtocol", Shape::String),
        opt("FromPort", Shape::Integer),
        opt("ToPort", Shape::Integer),
        opt(
            "IpRanges",
            Shape::List(&Shape::Structure(&[opt("CidrIp", Shape::String), opt("Description", Shape::String)])),
        ),
        opt(
            "UserIdGroupPairs",
            Shape::List(&Shape::Structure(&[opt("GroupId", Shape::String), opt("Description", Shape::String)])),
        ),
    ])),
);
/// `--protocol --port --cidr --source-group`: the CLI's shortcut for one rule.
const RULE_PARAMS: [Param; 8] = [
    opt("GroupId", Shape::String),
    opt("GroupName", Shape::String),
    opt("Protocol", Shape::String),
    opt("Port", Shape::String),
    opt("Cidr", Shape::String),
    opt("SourceGroup", Shape::String),
    IP_PERMISSIONS,
    DRY_RUN,
];

pub static EC2: Service = Service {
    cli: "ec2",
    api: "ec2",
    global: false,
    summary: "Elastic Compute Cloud: VPCs, subnets, security groups, instances",
    operations: &[
        Operation {
            cli: "describe-availability-zones",
            api: "DescribeAvailabilityZones",
            summary: "Lists the region's availability zones.",
            params: &[DRY_RUN],
        },
        Operation {
            cli: "create-vpc",
            api: "CreateVpc",
            summary: "Creates a VPC with an IPv4 CIDR block.",
            params: &[req("CidrBlock", Shape::String), TAG_SPECIFICATIONS, DRY_RUN],
        },
        Operation {
            cli: "describe-vpcs",
            api: "DescribeVpcs",
            summary: "Describes VPCs.",
            params: &[opt("VpcIds", Shape::List(&Shape::String)), FILTERS, DRY_RUN],
        },
        Operation {
            cli: "delete-vpc",
            api: "DeleteVpc",
            summary: "Deletes an empty VPC.",
            params: &[req("VpcId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "create-subnet",
            api: "CreateSubnet",
            summary: "Creates a subnet in a VPC and an availability zone.",
            params: &[
                req("VpcId", Shape::String),
                req("CidrBlock", Shape::String),
                opt("AvailabilityZone", Shape::String),
                TAG_SPECIFICATIONS,
                DRY_RUN,
            ],
        },
        Operation {
            cli: "describe-subnets",
            api: "DescribeSubnets",
            summary: "Describes subnets.",
            params: &[opt("SubnetIds", Shape::List(&Shape::String)), FILTERS, DRY_RUN],
        },
        Operation {
            cli: "delete-subnet",
            api: "DeleteSubnet",
            summary: "Deletes a subnet without instances.",
            params: &[req("SubnetId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "modify-subnet-attribute",
            api: "ModifySubnetAttribute",
            summary: "Turns automatic public addresses on or off.",
            params: &[req("SubnetId", Shape::String), opt("MapPublicIpOnLaunch", Shape::Boolean)],
        },
        Operation {
            cli: "create-internet-gateway",
            api: "CreateInternetGateway",
            summary: "Creates an internet gateway.",
            params: &[TAG_SPECIFICATIONS, DRY_RUN],
        },
        Operation {
            cli: "attach-internet-gateway",
            api: "AttachInternetGateway",
            summary: "Attaches an internet gateway to a VPC.",
            params: &[req("InternetGatewayId", Shape::String), req("VpcId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "detach-internet-gateway",
            api: "DetachInternetGateway",
            summary: "Detaches an internet gateway from a VPC.",
            params: &[req("InternetGatewayId", Shape::String), req("VpcId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "describe-internet-gateways",
            api: "DescribeInternetGateways",
            summary: "Describes internet gateways.",
            params: &[opt("InternetGatewayIds", Shape::List(&Shape::String)), FILTERS, DRY_RUN],
        },
        Operation {
            cli: "delete-internet-gateway",
            api: "DeleteInternetGateway",
            summary: "Deletes a detached internet gateway.",
            params: &[req("InternetGatewayId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "create-route-table",
            api: "CreateRouteTable",
            summary: "Creates a route table in a VPC.",
            params: &[req("VpcId", Shape::String), TAG_SPECIFICATIONS, DRY_RUN],
        },
        Operation {
            cli: "create-route",
            api: "CreateRoute",
            summary: "Adds a route, such as 0.0.0.0/0 to an internet gateway.",
            params: &[
                req("RouteTableId", Shape::String),
                opt("DestinationCidrBlock", Shape::String),
                opt("GatewayId", Shape::String),
                DRY_RUN,
            ],
        },
        Operation {
            cli: "associate-route-table",
            api: "AssociateRouteTable",
            summary: "Makes a route table govern a subnet.",
            params: &[req("RouteTableId", Shape::String), opt("SubnetId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "describe-route-tables",
            api: "DescribeRouteTables",
            summary: "Describes route tables.",
            params: &[opt("RouteTableIds", Shape::List(&Shape::String)), FILTERS, DRY_RUN],
        },
        Operation {
            cli: "delete-route-table",
            api: "DeleteRouteTable",
            summary: "Deletes a route table.",
            params: &[req("RouteTableId", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "create-security-group",
            api: "CreateSecurityGroup",
            summary: "Creates a security group in a VPC.",
            params: &[
                req("GroupName", Shape::String),
                req("Description", Shape::String),
                opt("VpcId", Shape::String),
                TAG_SPECIFICATIONS,
                DRY_RUN,
            ],
        },
        Operation {
            cli: "describe-security-groups",
            api: "DescribeSecurityGroups",
            summary: "Describes security groups and their rules.",
            params: &[
                opt("GroupIds", Shape::List(&Shape::String)),
                opt("GroupNames", Shape::List(&Shape::String)),
                FILTERS,
                DRY_RUN,
            ],
        },
        Operation {
            cli: "delete-security-group",
            api: "DeleteSecurityGroup",
            summary: "Deletes a security group nothing uses.",
            params: &[opt("GroupId", Shape::String), opt("GroupName", Shape::String), DRY_RUN],
        },
        Operation {
            cli: "authorize-security-group-ingress",
            api: "AuthorizeSecurityGroupIngress",
            summary: "Allows inbound traffic.",
            params: &RULE_PARAMS,
        },
        Operation {
            cli: "revoke-security-group-ingress",
            api: "RevokeSecurityGroupIngress",
            summary: "Removes an inbound rule.",
            params: &RULE_PARAMS,
        },
        Operation {
            cli: "describe-images",
            api: "DescribeImages",
            summary: "Lists the machine images you can launch.",
            params: &[
                opt("ImageIds", Shape::List(&Shape::String)),
                opt("Owners", Shape::List(&Shape::String)),
                FILTERS,
                DRY_RUN,
            ],
        },
        Operation {
            cli: "run-instances",
            api: "RunInstances",
            summary: "Launches EC2 instances.",
            params: &[
                req("ImageId", Shape::String),
                opt("InstanceType", Shape::String),
                opt("Count", Shape::Integer),
                opt("SubnetId", Shape::String),
                opt("SecurityGroupIds", Shape::List(&Shape::String)),
                opt("SecurityGroups", Shape::List(&Shape::String)),
                opt("KeyName", Shape::String),
                opt("AssociatePublicIpAddress", Shape::Boolean),
                TAG_SPECIFICATIONS,
                DRY_RUN,
            ],
        },
        Operation {
            cli: "describe-instances",
            api: "DescribeInstances",
            summary: "Describes instances.",
            params: &[opt("InstanceIds", Shape::List(&Shape::String)), FILTERS, DRY_RUN],
        },
        Operation {
            cli: "terminate-instances",
            api: "TerminateInstances",
            summary: "Terminates instances.",
            params: &[req("InstanceIds", Shape::List(&Shape::String)), DRY_RUN],
        },
        Operation {
            cli: "stop-instances",
            api: "StopInstances",
            summary: "Stops instances.",
            params: &[req("InstanceIds", Shape::List(&Shape::String)), DRY_RUN],
        },
        Operation {
            cli: "start-instances",
            api: "StartInstances",
            summary: "Starts stopped instances.",
            params: &[req("InstanceIds", Shape::List(&Shape::String)), DRY_RUN],
        },
        Operation {
            cli: "create-tags",
            api: "CreateTags",
            summary: "Adds or overwrites tags on resources.",
            params: &[req("Resources", Shape::List(&Shape::String)), req("Tags", Shape::List(&TAG)), DRY_RUN],
        },
    ],
};
