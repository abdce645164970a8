"""The teachers' web dashboard: server-rendered pages over the same services as the API.

Signed in with a cookie (HttpOnly, SameSite=Strict, so another site cannot post forms as the teacher)
holding the same kind of token the API hands out; every page checks the role it needs. Pages are not in
the OpenAPI document: they are for people, the API is for programs."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.accounts import service as accounts
from learning_api.accounts import tokens
from learning_api.accounts.auth import PUBLIC
from learning_api.accounts.controller import client_key
from learning_api.authoring import item_stats
from learning_api.authoring import service as authoring
from learning_api.classes import assignments as class_assignments
from learning_api.classes import report as class_report
from learning_api.classes import service as classes
from learning_api.classes.schemas import AssignmentIn, ClassOut
from learning_api.clock import Now
from learning_api.dashboard import service
from learning_api.dashboard.charts import bar_chart
from learning_api.dashboard.pages import (
    COOKIE,
    PAGE_HANDLERS,
    REFRESH_COOKIE,
    form_of,
    gettext_for,
    page,
    require,
    set_session_cookies,
    signed_in_user,
)
from learning_api.db.session import DbSession
from learning_api.db.tables import User
from learning_api.errors import DomainError, InvalidInput
from learning_api.modelling.params import Cuts
from learning_api.pagination import MAX_LIMIT, PageQuery
from learning_api.progress.overview import build_overview
from learning_api.reports.schemas import GroupBy
from learning_api.reports.service import impact_report

ZONE = ZoneInfo("Europe/Tallinn")
PERIODS = (7, 30, 90)
ALL_ROWS = PageQuery(limit=MAX_LIMIT)  # a page shows a teacher's whole list (the API pages it)


async def _own_classes(session: AsyncSession, user: User) -> list[ClassOut]:
    """The classes this teacher runs (not the ones they joined to try the app as a learner)."""
    return [c for c in (await classes.classes_of(session, user, ALL_ROWS)).items if c.teacher_id == user.id]


def _day_start(value: str) -> datetime | None:
    """An optional start date from the form: the assignment appears that morning in Estonia."""
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(0, 0), ZONE)
    except ValueError:
        raise InvalidInput("give the start as a date", field="start_date") from None


def _due(value: str, now: datetime) -> datetime:
    """A date from the form is due at the end of that day in Estonia."""
    try:
        due = datetime.combine(date.fromisoformat(value), time(23, 59), ZONE)
    except ValueError:
        raise InvalidInput("give the due date as a date", field="due_date") from None
    if due <= now:
        raise InvalidInput("the due date must lie in the future", field="due_date")
    return due


class DashboardController(Controller):
    path = "/dashboard"
    include_in_schema = False
    opt = PUBLIC  # the bearer middleware stands aside: the pages check their cookie and role themselves
    exception_handlers = PAGE_HANDLERS

    @get("/login", name="dashboard:login")
    async def login_page(self, request: Request) -> Template:
        return page(request, "login.html", error=None)

    @post("/login")
    async def login(self, request: Request, state: State, db_session: DbSession) -> Response[Any]:
        form = await form_of(request)
        try:
            issued = await accounts.login(
                db_session, state.settings, email=str(form.get("email", "")),
                password=str(form.get("password", "")), client=client_key(request), now=datetime.now(UTC),
            )  # fmt: skip
        except DomainError as exc:  # wrong password, or too many tries (then the page says so)
            return page(request, "login.html", status_code=401, error=exc.detail)
        response = Redirect("/dashboard/lessons" if issued.user.role == "author" else "/dashboard")
        set_session_cookies(response, request, issued)
        return response

    @post("/logout")
    async def logout(self, request: Request, db_session: DbSession) -> Response[Any]:
        if token := request.cookies.get(COOKIE):
            await tokens.end_session(db_session, token)
        response = Redirect("/dashboard/login")
        response.delete_cookie(COOKIE, path="/dashboard")
        response.delete_cookie(REFRESH_COOKIE, path="/dashboard")
        return response

    @get("/")
    async def home(self, request: Request, db_session: DbSession) -> Template:
        user = require(await signed_in_user(request, db_session), "teacher")
        mine = await _own_classes(db_session, user)
        return page(request, "classes.html", user=user, classes=mine, qr=service.join_qr)

    @post("/classes")
    async def create_class(self, request: Request, db_session: DbSession) -> Response[Any]:
        user = require(await signed_in_user(request, db_session), "teacher")
        name = str((await form_of(request)).get("name", "")).strip()
        if not 1 <= len(name) <= 120:
            raise InvalidInput("give the class a name (up to 120 characters)", field="name")
        row = await classes.create_class(db_session, user.id, name)
        return Redirect(f"/dashboard/classes/{row.id}")

    @get("/classes/{class_id:uuid}")
    async def class_page(
        self, request: Request, class_id: FromPath[uuid.UUID], db_session: DbSession, now: Now, cuts: Cuts,
        days: FromQuery[int] = 7,
    ) -> Template:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "teacher")
        row = await classes.owned_class(db_session, user, class_id)
        days = days if days in PERIODS else 7
        since = service.period_start(now, days)
        rows = await class_report.report(db_session, row, since, now)
        hardest = await service.hardest_items(db_session, row.id, since)
        spread = await service.level_spread(db_session, row.id, cuts)
        daily = await service.daily_answers(db_session, row.id, since)
        readiness = await service.readiness_spread(db_session, row.id, cuts)
        _ = gettext_for(request)
        return page(
            request, "class.html", user=user, row=row, rows=rows, days=days, periods=PERIODS,
            members=await classes.members(db_session, row), hardest=hardest,
            assignments=(await class_assignments.assignments_progress(db_session, row, ALL_ROWS)).items,
            choices=await service.bank_choices(db_session), qr=service.join_qr,
            chart_answers=bar_chart(service.report_chart_rows(rows), title=_("Answers per learner")),
            chart_levels=bar_chart([(k, float(v)) for k, v in spread.items()], title=_("Learners per level")),
            chart_days=bar_chart([(d[5:], float(n)) for d, n in daily.items()], title=_("Answers per day")),
            chart_readiness=bar_chart(
                [(f"{b} %", float(n)) for b, n in readiness.items()],
                title=_("Chance to pass their target exam"),
            ),
            chart_hardest=bar_chart([(i, float(w)) for i, w, _n in hardest[:10]], title=_("Wrong answers")),
        )  # fmt: skip

    @post("/assign")
    async def assign(self, request: Request, state: State, db_session: DbSession, now: Now) -> Response[Any]:
        """Build a set and assign it to a class in one step: from ticked exercises of the bank, or by a rule
        (the items this class gets wrong most, or a filter of the bank by level, skill, topic, type, word)."""
        user = require(await signed_in_user(request, db_session), "teacher")
        form = await form_of(request)
        try:
            class_id = uuid.UUID(str(form.get("class_id", "")))
            count = min(max(int(str(form.get("count") or 20)), 1), 200)
        except ValueError:
            raise InvalidInput("choose a class and a number of exercises", field="class_id") from None
        row = await classes.owned_class(db_session, user, class_id)
        due = _due(str(form.get("due_date", "")), now)
        if ticked := form.getall("item_ids", []):
            item_ids = [str(i) for i in ticked]
        elif form.get("rule") == "hardest":
            hardest = await service.hardest_items(db_session, row.id, service.period_start(now, 365), count)
            item_ids = [item for item, _w, _n in hardest]
        else:
            fields = {k: str(form.get(k, "")) for k in ("level", "skill", "topic", "type", "word")}
            item_ids = [
                item.id for item in await service.bank(db_session, service.BankFilter(**fields), count)
            ]
        if not item_ids:
            raise InvalidInput("no exercise matches this rule", field="rule")
        title = str(form.get("title", "")).strip() or f"{row.name} {due.date().isoformat()}"
        made = await classes.create_set(db_session, state.store, user.id, title[:200], item_ids)
        starts = _day_start(str(form.get("start_date") or ""))
        try:
            named = [uuid.UUID(str(i)) for i in form.getall("learner_ids", [])]
        except ValueError:
            raise InvalidInput("choose learners of the class", field="learner_ids") from None
        plan = AssignmentIn(set_id=made.id, due_at=due, starts_at=starts, learner_ids=named)
        await class_assignments.assign(db_session, user, row, plan, now)
        return Redirect(f"/dashboard/classes/{row.id}")

    @post("/classes/{class_id:uuid}/assignments/{assignment_id:uuid}/delete")
    async def delete_assignment(
        self, request: Request, class_id: FromPath[uuid.UUID], assignment_id: FromPath[uuid.UUID],
        db_session: DbSession,
    ) -> Response[Any]:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "teacher")
        row = await classes.owned_class(db_session, user, class_id)
        await class_assignments.delete_assignment(db_session, row, assignment_id)
        return Redirect(f"/dashboard/classes/{row.id}")

    @post("/classes/{class_id:uuid}/members/{learner_id:uuid}/remove")
    async def remove_member(
        self, request: Request, class_id: FromPath[uuid.UUID], learner_id: FromPath[uuid.UUID],
        db_session: DbSession,
    ) -> Response[Any]:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "teacher")
        row = await classes.owned_class(db_session, user, class_id)
        await classes.remove_member(db_session, row, learner_id)
        return Redirect(f"/dashboard/classes/{row.id}")

    @get("/classes/{class_id:uuid}/learners/{learner_id:uuid}")
    async def learner_page(
        self, request: Request, class_id: FromPath[uuid.UUID], learner_id: FromPath[uuid.UUID],
        db_session: DbSession, now: Now, cuts: Cuts,
    ) -> Template:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "teacher")
        row = await classes.owned_class(db_session, user, class_id)
        learner = await service.class_member(db_session, row, learner_id)
        return page(
            request, "learner.html", user=user, row=row, learner=learner,
            progress=await build_overview(db_session, learner.id, now, cuts),
            answers=await service.recent_answers(db_session, learner.id),
        )  # fmt: skip

    @get("/bank")
    async def bank(
        self, request: Request, db_session: DbSession, level: FromQuery[str] = "", skill: FromQuery[str] = "",
        topic: FromQuery[str] = "", type: FromQuery[str] = "", word: FromQuery[str] = "",
        class_id: FromQuery[uuid.UUID | None] = None,
    ) -> Template:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "teacher")
        rule = service.BankFilter(level, skill, topic, type, word[:60])
        target = await classes.owned_class(db_session, user, class_id) if class_id else None
        return page(
            request, "bank.html", user=user, rule=rule, items=await service.bank(db_session, rule),
            choices=await service.bank_choices(db_session), target=target,
            classes=await _own_classes(db_session, user),
        )  # fmt: skip

    @get("/lessons")
    async def lessons(self, request: Request, db_session: DbSession) -> Template:
        user = require(await signed_in_user(request, db_session), "author")
        return page(request, "lessons.html", user=user, lessons=await authoring.list_lessons(db_session))

    @get("/lessons/{lesson_id:str}/items")
    async def lesson_items(
        self, request: Request, lesson_id: FromPath[str], db_session: DbSession
    ) -> Template:
        """An author's view of how each exercise fares, flagged items first."""
        user = require(await signed_in_user(request, db_session), "author")
        stats = await item_stats.lesson_item_stats(db_session, lesson_id)
        stats.sort(key=lambda s: (not s.flags, s.item_id))
        return page(request, "items.html", user=user, lesson_id=lesson_id, stats=stats)

    @get("/impact")
    async def impact(
        self, request: Request, db_session: DbSession, now: Now, cuts: Cuts,
        by: FromQuery[GroupBy] = GroupBy.REGION,
    ) -> Template:  # fmt: skip
        user = require(await signed_in_user(request, db_session), "admin")
        report = await impact_report(db_session, by, 12, now, cuts)
        _ = gettext_for(request)
        last = report.months[-1] if report.months else ""
        active = [(c.group, float(c.active_learners)) for c in report.monthly
                  if c.month == last and c.group != "all" and c.active_learners is not None]  # fmt: skip
        return page(
            request, "impact.html", user=user, report=report, by=by,
            chart_active=bar_chart(active, title=_("Active learners") + f" {last}"),
        )  # fmt: skip
