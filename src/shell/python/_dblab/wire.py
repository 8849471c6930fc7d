"""The query protocol on the wire, read and written with botocore's own service models.

RDS, EC2, ElastiCache, IAM, STS and CloudWatch speak the query protocol: a request is a form
(``Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=shop-db``, lists as
``VpcSecurityGroupIds.member.1=sg-1``, EC2's as ``Filter.1.Name=vpc-id``) and the answer is
XML. The lab's services take and give the JSON shapes the AWS CLI prints, so this module
translates, member by member, following the operation's input and output shapes:

- ``form_to_params``: the form botocore's serializer wrote, back to the parameters the script
  passed (the inverse of ``botocore.serialize.QuerySerializer`` and ``EC2Serializer``);
- ``result_to_xml`` / ``error_to_xml``: the lab's answer as the service's XML, which
  botocore's own ``QueryParser`` / ``EC2QueryParser`` then parse (timestamps become
  ``datetime``, integers ``int``, as against AWS).

Why here and not in the lab's Rust: the shapes (which member is a list, what its XML element is
called) are botocore's data; the lab's services are defined by their JSON shapes, which the
CLI, the console and these scripts share.
"""

from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

# The XML namespace of each query service's answers.
NAMESPACES = {
    "rds": "http://rds.amazonaws.com/doc/2014-10-31/",
    "elasticache": "http://elasticache.amazonaws.com/doc/2015-02-02/",
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
    "monitoring": "http://monitoring.amazonaws.com/doc/2010-08-01/",
    "ec2": "http://ec2.amazonaws.com/doc/2016-11-15/",
}


def _tree(pairs):
    """``a.b.1=x`` pairs as nested dicts: {"a": {"b": {"1": "x"}}}."""
    root = {}
    for key, value in pairs:
        node = root
        parts = key.split(".")
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = {} if nxt is None else {"": nxt}
                node[part] = nxt
            node = nxt
        node[parts[-1]] = value
    return root


def _wire_name(shape, default, ec2):
    s = shape.serialization
    if ec2:
        if "queryName" in s:
            return s["queryName"]
        if "name" in s:
            return s["name"][0].upper() + s["name"][1:]
        return default
    return s.get("name", default)


def _indexed(node):
    """The values of ``{"1": a, "2": b}`` in index order."""
    if not isinstance(node, dict):
        return []
    items = [(int(k), v) for k, v in node.items() if k.isdigit()]
    return [v for _, v in sorted(items)]


def _decode(shape, node, ec2):
    kind = shape.type_name
    if kind == "structure":
        out = {}
        if not isinstance(node, dict):
            return out
        for name, member in shape.members.items():
            wire = _wire_name(member, name, ec2)
            if wire in node:
                out[name] = _decode(member, node[wire], ec2)
        return out
    if kind == "list":
        if node == "":
            return []
        if ec2 or shape.serialization.get("flattened"):
            items = _indexed(node)
        else:
            items = _indexed(node.get(shape.member.serialization.get("name", "member"), {})) if isinstance(node, dict) else []
        return [_decode(shape.member, item, ec2) for item in items]
    if kind == "map":
        entries = node.get("entry", node) if isinstance(node, dict) else {}
        key_name = _wire_name(shape.key, "key", ec2)
        value_name = _wire_name(shape.value, "value", ec2)
        out = {}
        for entry in _indexed(entries):
            if isinstance(entry, dict) and key_name in entry:
                out[entry[key_name]] = _decode(shape.value, entry.get(value_name, ""), ec2)
        return out
    if isinstance(node, dict):
        node = node.get("", "")
    if kind in ("integer", "long"):
        try:
            return int(node)
        except ValueError:
            return node
    if kind in ("float", "double"):
        try:
            return float(node)
        except ValueError:
            return node
    if kind == "boolean":
        return node == "true"
    return node


def form_to_params(body, operation_model):
    """The parameters of a query request's form body."""
    pairs = [(k, v) for k, v in parse_qsl(body, keep_blank_values=True) if k not in ("Action", "Version")]
    ec2 = operation_model.metadata.get("protocol") == "ec2"
    shape = operation_model.input_shape
    if shape is None:
        return {}
    return _decode(shape, _tree(pairs), ec2)


def _scalar(shape, value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if shape.type_name == "timestamp" and isinstance(value, (int, float)):
        import datetime

        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def _encode(shape, value, name, ec2, out):
    kind = shape.type_name
    if kind == "structure":
        out.append(f"<{name}>")
        _members(shape, value, ec2, out)
        out.append(f"</{name}>")
    elif kind == "list":
        member_name = shape.member.serialization.get("name", "item" if ec2 else "member")
        if shape.serialization.get("flattened"):
            for item in value or []:
                _encode(shape.member, item, member_name, ec2, out)
            return
        out.append(f"<{name}>")
        for item in value or []:
            _encode(shape.member, item, member_name, ec2, out)
        out.append(f"</{name}>")
    elif kind == "map":
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        out.append(f"<{name}>")
        for k, v in (value or {}).items():
            out.append(f"<entry><{key_name}>{escape(str(k))}</{key_name}>")
            _encode(shape.value, v, value_name, ec2, out)
            out.append("</entry>")
        out.append(f"</{name}>")
    else:
        out.append(f"<{name}>{escape(_scalar(shape, value))}</{name}>")


def _members(shape, value, ec2, out):
    if not isinstance(value, dict):
        return
    for member_name, member in shape.members.items():
        if member_name in value and value[member_name] is not None:
            wire = member.serialization.get("name", member_name)
            _encode(member, value[member_name], wire, ec2, out)


def result_to_xml(service, operation_model, result, request_id):
    name = operation_model.name
    ns = NAMESPACES.get(service, "")
    ec2 = operation_model.metadata.get("protocol") == "ec2"
    shape = operation_model.output_shape
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{name}Response xmlns="{ns}">']
    if ec2:
        out.append(f"<requestId>{request_id}</requestId>")
        if shape is not None:
            _members(shape, result, ec2, out)
    else:
        wrapper = shape.serialization.get("resultWrapper") if shape is not None else None
        if wrapper:
            out.append(f"<{wrapper}>")
            _members(shape, result, ec2, out)
            out.append(f"</{wrapper}>")
        out.append(f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>")
    out.append(f"</{name}Response>")
    return "".join(out)


def error_to_xml(service, code, message, status, request_id):
    if service == "ec2":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
    kind = "Receiver" if status >= 500 else "Sender"
    ns = NAMESPACES.get(service, "")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="{ns}"><Error><Type>{kind}</Type>'
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    )
