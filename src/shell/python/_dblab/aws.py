"""botocore's requests, answered by the lab.

botocore builds each request itself: it validates the parameters (``ParamValidationError``),
serializes them (JSON for DynamoDB, a query form for the others), finds the credentials
(environment, ``~/.aws/credentials``, ``~/.aws/config``) and signs the request with Signature
Version 4. Just before the request would leave for the network, botocore emits its documented
``before-send`` event; the handler here takes the signed request and sends it to the lab, which
checks the signature against the access key's secret and runs the operation. The answer comes
back as the HTTP response AWS would send, so botocore's own parser, retry handler (its
back-off waits pass on the lab's clock), waiters, paginators and error classes
(``ClientError``, ``client.exceptions.ResourceNotFoundException``) all run as they do against
AWS.

The handler is registered on every botocore session there will be, by adding it to the list of
handlers botocore gives each new session (``botocore.handlers.BUILTIN_HANDLERS``).
"""

import json
import zlib

from . import channel, wire

# botocore's signing name of a service -> the lab's name of it.
_LAB_SERVICE = {"monitoring": "cloudwatch"}
# Errors DynamoDB's front end answers, in its own namespace (not the service's).
_CORAL = {
    "ValidationException": "com.amazon.coral.validate",
    "UnrecognizedClientException": "com.amazon.coral.service",
    "InvalidSignatureException": "com.amazon.coral.service",
    "IncompleteSignatureException": "com.amazon.coral.service",
    "MissingAuthenticationTokenException": "com.amazon.coral.service",
    "UnknownOperationException": "com.amazon.coral.service",
    "SerializationException": "com.amazon.coral.service",
    "AccessDeniedException": "com.amazon.coral.service",
}

_models = {}
_request_count = 0


class _Body:
    """The raw body of a response, as botocore reads it."""

    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data

    def read(self, *_):
        data, self._data = self._data, b""
        return data


def _model(service_id):
    """botocore's model of a service (loaded once per program)."""
    if service_id not in _models:
        import botocore.session

        _models[service_id] = botocore.session.get_session().get_service_model(service_id)
    return _models[service_id]


def _scope(headers):
    """(service, region) from the signature's credential scope, or (None, None) if unsigned."""
    auth = headers.get("Authorization", "")
    if isinstance(auth, bytes):
        auth = auth.decode()
    for part in auth.replace(",", " ").split():
        if part.startswith("Credential="):
            fields = part[len("Credential="):].split("/")
            if len(fields) == 5:
                return fields[3], fields[2]
    return None, None


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")


def _request_id():
    global _request_count
    _request_count += 1
    return "%08x-lab0-4000-8000-%012x" % (_request_count * 2654435761 % 2**32, _request_count)


def answer(request, event_name=None, **_):
    """The ``before-send`` handler: the HTTP response the lab gives for this request."""
    from botocore.awsrequest import AWSResponse

    headers = {k: _text(v) for k, v in request.headers.items()}
    body = _text(request.body)
    signing_name, region = _scope(headers)
    service_id = event_name.split(".")[1] if event_name else signing_name
    model = _model(service_id)
    protocol = model.metadata.get("protocol")
    if protocol == "json":
        operation = headers.get("X-Amz-Target", "").rpartition(".")[2]
        try:
            params = json.loads(body or "{}")
        except ValueError:
            params = None
    else:
        from urllib.parse import parse_qs

        operation = (parse_qs(body).get("Action") or [""])[0]
        try:
            params = wire.form_to_params(body, model.operation_model(operation))
        except Exception:
            params = None
    lab_service = _LAB_SERVICE.get(signing_name or service_id, signing_name or service_id)
    reply = channel.ask(
        "aws",
        service=lab_service,
        operation=operation,
        region=region,
        params=params,
        http={"method": request.method, "url": request.url, "headers": headers, "body": body},
    )
    if "unreachable" in reply:
        # A region the lab has no endpoint for: as when the network has no route there.
        from botocore.exceptions import EndpointConnectionError

        raise EndpointConnectionError(endpoint_url=request.url)
    request_id = _request_id()
    if protocol == "json":
        status, payload = _json_answer(reply)
        out_headers = {
            "x-amzn-RequestId": request_id,
            "Content-Type": "application/x-amz-json-1.0",
            "x-amz-crc32": str(zlib.crc32(payload) & 0xFFFFFFFF),
        }
    else:
        status, payload = _xml_answer(lab_service, model, operation, reply, request_id)
        out_headers = {"x-amzn-RequestId": request_id, "Content-Type": "text/xml"}
    out_headers["Content-Length"] = str(len(payload))
    return AWSResponse(request.url, status, out_headers, _Body(payload))


def _json_answer(reply):
    if "error" in reply:
        e = reply["error"]
        namespace = _CORAL.get(e["code"], "com.amazonaws.dynamodb.v20120810")
        body = {"__type": f"{namespace}#{e['code']}", "message": e["message"]}
        return e.get("status", 400), json.dumps(body).encode()
    return 200, json.dumps(reply.get("result", {}), separators=(",", ":")).encode()


def _xml_answer(service, model, operation, reply, request_id):
    if "error" in reply:
        e = reply["error"]
        return e.get("status", 400), wire.error_to_xml(service, e["code"], e["message"], e.get("status", 400), request_id).encode()
    xml = wire.result_to_xml(service, model.operation_model(operation), reply.get("result", {}), request_id)
    return 200, xml.encode()


def install():
    import botocore.handlers

    spec = ("before-send", answer)
    if spec not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(spec)
