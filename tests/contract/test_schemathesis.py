"""Schemathesis against the app in process: every operation, as each role and as nobody.

Each generated request is sent once per identity (learner, teacher, counsellor, author, admin, none);
every answer must be documented (status, content type), match its schema, and none may be a 5xx.
Examples are bounded (``KEELERADA_CONTRACT_EXAMPLES``, default 6 per operation) so the run stays within a
few minutes on two cores. Operations run one after another through hypothesis directly (the pytest
plugin's per-operation items do not run under pytest 9); every failure is collected and reported.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.contract.world import ContractWorld

EXAMPLES = int(os.environ.get("KEELERADA_CONTRACT_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# calls that spend the identity they are made with: each gets an account of its own
SPENDING = {"logout", "deleteMyAccount"}


def _run(operation: Any, world: ContractWorld, calls: list[int]) -> None:
    spends = operation.definition.raw.get("operationId") in SPENDING

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    def check(case: Any) -> None:
        identities = {"throwaway": world.throwaway_token(), "anonymous": None} if spends else world.tokens
        for token in identities.values():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            case.call_and_validate(headers=headers, checks=CHECKS)
            calls[0] += 1

    check()


def test_every_operation_as_every_role(contract_schema: Any, contract_world: ContractWorld) -> None:
    failures: list[str] = []
    operations = 0
    calls = [0]
    for result in contract_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _run(operation, contract_world, calls)
        except (Exception, BaseExceptionGroup) as exc:  # collected, so one run shows every failure
            failures.append(f"{operation.verbose_name}: {exc}")
    print(f"schemathesis: {operations} operations, {calls[0]} calls, {len(failures)} failing")
    assert operations >= 50
    assert not failures, "\n\n".join(failures)
