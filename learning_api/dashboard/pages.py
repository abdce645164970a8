"""What every dashboard page shares: who is signed in (from the cookie), the role a page needs, the
language it speaks (?lang=, then the remembered choice, then the browser's Accept-Language), and the
template call with those in its context."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from litestar import Request, Response
from litestar.datastructures import Cookie, FormMultiDict
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from learning_api.accounts import tokens
from learning_api.db.tables import User
from learning_api.errors import InvalidInput, NotAuthenticated, PermissionDenied
from learning_api.i18n import SUPPORTED_LANGUAGES, translator

DASHBOARD_TEMPLATES = Path(__file__).parent / "templates"
DASHBOARD_STATIC = Path(__file__).parent / "static"
COOKIE = "keelerada_dashboard"
REFRESH_COOKIE = "keelerada_dashboard_refresh"
LANG_COOKIE = "keelerada_lang"
LANGUAGE_NAMES = {
    lang: Locale.parse(lang).get_display_name(lang).capitalize() for lang in SUPPORTED_LANGUAGES
}


class NeedsLogin(Exception):
    """No valid dashboard cookie: the page sends the browser to the log-in form."""


class Renewed(Exception):
    """The access token in the cookie ran out but the refresh token was good: the browser gets the new
    pair and repeats its request (a 307 keeps the method and the form), so a teacher stays signed in."""

    def __init__(self, issued: tokens.IssuedTokens) -> None:
        super().__init__("renewed")
        self.issued = issued


def _redirect_to_login(request: Request, _: NeedsLogin) -> Response[Any]:
    lang = request.query_params.get("lang")
    return Redirect("/dashboard/login" + (f"?lang={lang}" if lang in SUPPORTED_LANGUAGES else ""))


def _repeat_renewed(request: Request, renewed: Renewed) -> Response[Any]:
    response: Response[Any] = Redirect(str(request.url), status_code=307)
    set_session_cookies(response, request, renewed.issued)
    return response


# every dashboard controller's exception handlers: to the log-in form, or repeat with renewed cookies
PAGE_HANDLERS: dict[type[Exception], Any] = {NeedsLogin: _redirect_to_login, Renewed: _repeat_renewed}


def set_session_cookies(response: Response[Any], request: Request, issued: tokens.IssuedTokens) -> None:
    """HttpOnly and SameSite=Strict, so neither scripts nor other sites get at them."""
    secure = request.url.scheme == "https"
    for key, value, expires in (
        (COOKIE, issued.access_token, issued.access_expires_at),
        (REFRESH_COOKIE, issued.refresh_token, issued.refresh_expires_at),
    ):
        response.set_cookie(
            key, value, httponly=True, samesite="strict", path="/dashboard", expires=expires, secure=secure
        )


async def signed_in_user(request: Request, session: AsyncSession) -> User:
    now = datetime.now(UTC)
    token = request.cookies.get(COOKIE)
    cache = request.app.state.token_cache
    user = await tokens.user_for_token(session, token, now, cache) if token else None
    if user is not None:
        return user
    if refresh := request.cookies.get(REFRESH_COOKIE):
        try:
            issued = await tokens.refresh(session, refresh, request.app.state.settings, now)
        except NotAuthenticated:
            await session.commit()  # a replayed refresh token ended its session: keep it ended
            raise NeedsLogin from None
        await session.commit()  # the rotated token is stored before the browser is given it
        raise Renewed(issued)
    raise NeedsLogin


async def form_of(request: Request) -> FormMultiDict:
    """The posted form; a NUL character (PostgreSQL refuses to store one) is refused, naming the field."""
    form = await request.form()
    for key, value in form.multi_items():
        if "\x00" in key or (isinstance(value, str) and "\x00" in value):
            raise InvalidInput("the text holds a NUL character", field=key.replace("\x00", ""))
    return form


def require(user: User, role: str) -> User:
    """Admins may open every page; others need the page's role."""
    if user.role not in (role, "admin"):
        raise PermissionDenied(f"this page is for the role {role}")
    return user


def page_language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag:
            ranked.append((-weight, position, tag.replace("-", "_")))
    preferred = [tag for _, _, tag in sorted(ranked)]
    return negotiate_locale(preferred, list(SUPPORTED_LANGUAGES), sep="_") or "en"


def gettext_for(request: Request) -> Callable[[str], str]:
    return translator(page_language(request), domain="dashboard")


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Template:
    lang = page_language(request)
    cookies = []
    if request.query_params.get("lang") in SUPPORTED_LANGUAGES:
        cookies.append(
            Cookie(key=LANG_COOKIE, value=lang, path="/dashboard", samesite="strict", max_age=365 * 86400)
        )
    return Template(
        template_name=template,
        context={
            "_": gettext_for(request),
            "lang": lang,
            "languages": LANGUAGE_NAMES,
            "request": request,
            **context,
        },
        status_code=status_code,
        cookies=cookies,
    )
