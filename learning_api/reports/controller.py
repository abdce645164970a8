"""HTTP for the organisation's impact report (admins only): JSON, or CSV for a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.params import FromQuery, QueryParameter

from learning_api.accounts.auth import requires_role
from learning_api.clock import Now
from learning_api.db.session import DbSession
from learning_api.modelling.params import Cuts
from learning_api.openapi import WithCsvAlternative, report_responses
from learning_api.reports import service
from learning_api.reports.schemas import GroupBy, ImpactReport


class ReportsController(Controller):
    path = "/reports"
    tags = ["reports"]
    guards = [requires_role("admin")]

    @get(
        "/impact",
        operation_id="impactReport",
        summary="Impact report for the organisation",
        responses={200: report_responses(ImpactReport)},
        operation_class=WithCsvAlternative,
    )
    async def impact(
        self,
        db_session: DbSession,
        now: Now,
        cuts: Cuts,
        by: FromQuery[GroupBy] = GroupBy.REGION,
        months: Annotated[int, QueryParameter(ge=1, le=36)] = 12,
        format: FromQuery[Literal["json", "csv"]] = "json",
    ) -> Response[ImpactReport] | Response[str]:
        """Active learners, study minutes and level gains per whole calendar month, and where learners
        stand now (level reached, readiness for their target level), by county or instruction language.
        Cells of fewer than 10 learners are hidden and counts rounded, so no learner can be singled out."""
        report = await service.impact_report(db_session, by, months, now, cuts)
        if format == "csv":
            headers = {"Content-Disposition": f'attachment; filename="impact-by-{by.value}.csv"'}
            return Response(_csv(report), media_type="text/csv", headers=headers)
        return Response(report)


def _csv(report: ImpactReport) -> str:
    """One flat table: monthly rows, then the current standing as rows with month "current"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "group", "measure", "value"])
    for cell in report.monthly:
        for measure in ("active_learners", "study_minutes", "level_gains"):
            value = getattr(cell, measure)
            writer.writerow([cell.month, cell.group, measure, "" if value is None else value])
    for now_cell in report.current:
        writer.writerow(["current", now_cell.group, "learners", _blank(now_cell.learners)])
        for level, n in now_cell.level_reached.items():
            writer.writerow(["current", now_cell.group, f"level_{level}", _blank(n)])
        for share, n in now_cell.readiness.items():
            writer.writerow(["current", now_cell.group, f"readiness_{share}", _blank(n)])
    return out.getvalue()


def _blank(value: int | None) -> object:
    return "" if value is None else value
