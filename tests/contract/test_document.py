"""The OpenAPI document says what the API does: one problem shape for errors, who needs a token,
texts for humans, and no leaked module paths."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from tests.api.test_route_security import PUBLIC_ROUTES
from tests.contract.conftest import operations

PROBLEM = "#/components/schemas/ProblemDetails"
# answers that are not problems on purpose: /ready names the part that is down; a range nobody can serve
NOT_PROBLEMS = {("GET", "/ready", "503"), ("GET", "/media/{key}", "416")}


def _public_paths() -> set[tuple[str, str]]:
    return {(method, re.sub(r":\w+\}", "}", path)) for method, path in PUBLIC_ROUTES}


def test_every_documented_error_is_a_problem_details(document: dict[str, Any]) -> None:
    wrong = []
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400 or (method, path, status) in NOT_PROBLEMS:
                continue
            content = response.get("content", {})
            schema = content.get("application/problem+json", {}).get("schema", {})
            if list(content) != ["application/problem+json"] or schema.get("$ref") != PROBLEM:
                wrong.append((method, path, status))
            elif not content["application/problem+json"].get("examples"):
                wrong.append((method, path, status, "no example"))
    assert not wrong
    problem = document["components"]["schemas"]["ProblemDetails"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert {"errors", "retry_after_seconds"} <= set(problem["properties"])


def test_public_routes_need_no_token_and_the_rest_do(document: dict[str, Any]) -> None:
    assert "security" not in document  # no blanket requirement: each operation says its own
    public = _public_paths()
    for method, path, operation in operations(document):
        if (method, path) in public:
            assert not operation.get("security"), (method, path)
            credentials = path in {"/auth/login", "/auth/refresh"}  # these refuse bad credentials with 401
            assert "401" not in operation["responses"] or credentials, (method, path)
        else:
            assert operation.get("security") == [{"bearer": []}], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_403_is_documented_exactly_where_a_guard_shuts_a_role_out(document: dict[str, Any]) -> None:
    shut_out = {(m, p) for m, p, op in operations(document) if "403" in op["responses"]}
    assert ("GET", "/authoring/lessons") in shut_out and ("PUT", "/users/{user_id}/role") in shut_out
    assert ("GET", "/classes/{class_id}/report") in shut_out
    assert ("GET", "/study/session") not in shut_out and ("GET", "/progress") not in shut_out


def test_bodies_document_400_and_413_and_services_their_own_errors(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if "requestBody" in operation:
            assert {"400", "413"} <= set(operation["responses"]), (method, path)
    responses = {(m, p): set(op["responses"]) for m, p, op in operations(document)}
    assert {"409", "429"} <= responses["POST", "/auth/register"] | responses["POST", "/auth/login"]
    assert "404" in responses["GET", "/catalog/lessons/{lesson_id}"]
    assert "422" in responses["POST", "/classes/{class_id}/assignments"]
    assert "404" not in responses["GET", "/progress"]


def test_every_operation_has_an_id_a_summary_and_a_description(
    document: dict[str, Any], document_app: Litestar
) -> None:
    """Litestar's fallback summary is the function name ("GetOne"): every handler writes its own."""
    function_names = {
        handler.operation_id: handler.handler_name.replace("_", "").lower()
        for route in document_app.routes
        for handler in getattr(route, "route_handlers", [])
        if isinstance(handler, HTTPRouteHandler)
    }
    for method, path, operation in operations(document):
        assert isinstance(function_names.get(operation.get("operationId")), str), (method, path)
        summary = operation.get("summary", "")
        assert summary and summary.lower() != function_names[operation["operationId"]], (method, path)
        assert len(operation.get("description", "")) > 10, (method, path)


def test_schema_names_are_plain(document: dict[str, Any]) -> None:
    leaked = [name for name in document["components"]["schemas"] if "_" in name]
    assert not leaked


def test_class_report_documents_json_and_csv(document: dict[str, Any]) -> None:
    ok = document["paths"]["/classes/{class_id}/report"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/ClassReport"}
    assert ok["text/csv"]["schema"]["type"] == "string"
