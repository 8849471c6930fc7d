use crate::shell::aws::spec::{opt, req, Operation, Service, Shape};

const DIMENSIONS: Shape = Shape::List(&Shape::Structure(&[req("Name", Shape::String), req("Value", Shape::String)]));

pub static CLOUDWATCH: Service = Service {
    cli: "cloudwatch",
    api: "cloudwatch",
    global: false,
    summary: "CloudWatch: the lab's one-minute metrics (AWS/RDS, AWS/DynamoDB)",
    operations: &[Operation {
        cli: "get-metric-statistics",
        api: "GetMetricStatistics",
        summary: "Returns statistics of one metric over a time range, in periods.",
        params: &[
            req("Namespace", Shape::String),
            req("MetricName", Shape::String),
            opt("Dimensions", DIMENSIONS),
            req("StartTime", Shape::Timestamp),
            req("EndTime", Shape::Timestamp),
            req("Period", Shape::Integer),
            opt("Statistics", Shape::List(&Shape::String)),
            opt("Unit", Shape::String),
        ],
    }],
};
