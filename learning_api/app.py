"""The one place the Litestar app is assembled: controllers, auth, dependencies, errors, OpenAPI."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import anyio
from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from learning_api import __version__
from learning_api.accounts import token_cache
from learning_api.accounts.auth import PUBLIC, auth_middleware
from learning_api.accounts.controller import AuthController, MeController, UsersController
from learning_api.api_version import DOCUMENTED_HEADER, add_api_version
from learning_api.authoring.controller import AuthoringController
from learning_api.catalog.controller import CatalogController
from learning_api.catalog.media import catalog_media
from learning_api.classes.controller import AssignmentsController, ClassesController, ExerciseSetsController
from learning_api.clock import Clock, provide_now, system_clock
from learning_api.counselling.controller import CounsellorController, SharingController
from learning_api.dashboard.controller import DashboardController
from learning_api.dashboard.pages import DASHBOARD_STATIC, DASHBOARD_TEMPLATES
from learning_api.dashboard.scoring import DashboardScoringController
from learning_api.db.migrate import ensure_migrated
from learning_api.db.session import (
    make_engine,
    make_lookup_sessionmaker,
    make_sessionmaker,
    provide_db_session,
)
from learning_api.errors import EXCEPTION_HANDLERS
from learning_api.exams.controller import ExamsController
from learning_api.feedback.controller import FeedbackController
from learning_api.heap import give_back_freed_memory, settle_worker
from learning_api.input_guard import InputGuard
from learning_api.modelling.controller import ModelsController
from learning_api.modelling.params import ParamsCache, provide_cuts
from learning_api.openapi import PageSchemaPlugin, docs_assets_router, document_operations, openapi_config
from learning_api.pagination import PAGE_DEPENDENCY
from learning_api.placement.controller import PlacementController
from learning_api.privacy.controller import PrivacyController
from learning_api.progress.controller import ProgressController
from learning_api.reports.controller import ReportsController
from learning_api.settings import Settings, get_settings
from learning_api.storage import ObjectStore, StoreUnavailable, open_store
from learning_api.storage.controller import serve_local_media, upload_local_media
from learning_api.study.controller import StudyController
from learning_api.submissions.controller import ScoringController, SubmissionsController
from learning_api.system.controller import SystemController

log = logging.getLogger(__name__)

CONTROLLERS = [
    SystemController,
    AuthController,
    MeController,
    UsersController,
    serve_local_media,
    upload_local_media,
    catalog_media,
    CatalogController,
    AuthoringController,
    FeedbackController,
    PlacementController,
    StudyController,
    ProgressController,
    ExamsController,
    PrivacyController,
    ClassesController,
    ExerciseSetsController,
    AssignmentsController,
    ModelsController,
    ReportsController,
    SharingController,
    CounsellorController,
    SubmissionsController,
    ScoringController,
    DashboardController,
    DashboardScoringController,
    create_static_files_router(path="/dashboard/static", directories=[DASHBOARD_STATIC], opt=PUBLIC),
]


# Brotli for clients that accept it (mobile stacks do), gzip for the rest; media are already compressed and
# are fetched with Range requests, which a compressed body would break.
COMPRESSION = CompressionConfig(
    backend="brotli", brotli_gzip_fallback=True, minimum_size=1024, exclude=["^/media/", "^/catalog/media/"]
)


def create_app(settings: Settings | None = None, clock: Clock = system_clock) -> Litestar:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        engine = make_engine(settings.database_url)
        try:
            await ensure_migrated(engine)
            app.state.engine = engine
            app.state.token_cache = token_cache.TokenCache(settings.auth_cache_seconds)
            app.state.sessionmaker = make_sessionmaker(engine, info={token_cache.KEY: app.state.token_cache})
            app.state.lookup_sessionmaker = make_lookup_sessionmaker(engine)
            app.state.store = open_store(
                settings.object_store_url,
                public_base_url=settings.public_base_url,
                signing_secret=settings.token_secret,
            )
            await _prepare_store(app.state.store)
            settle_worker()
            async with anyio.create_task_group() as background:
                background.start_soon(give_back_freed_memory)
                yield
                background.cancel_scope.cancel()
        finally:
            await engine.dispose()

    app = Litestar(
        route_handlers=[*CONTROLLERS, docs_assets_router()],
        lifespan=[lifespan],
        state=State(
            {
                "settings": settings,
                "clock": clock,
                "params": ParamsCache(settings.params_refresh_seconds, settings.use_fitted_params),
            }
        ),
        dependencies={
            "db_session": Provide(provide_db_session),
            "now": Provide(provide_now, sync_to_thread=False),
            "cuts": Provide(provide_cuts),
            "page": PAGE_DEPENDENCY,
        },
        middleware=[_proxy_headers(settings), InputGuard(), auth_middleware],  # bad input never reaches auth
        before_send=[add_api_version],
        response_headers=[DOCUMENTED_HEADER],
        compression_config=COMPRESSION,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        template_config=TemplateConfig(directory=DASHBOARD_TEMPLATES, engine=JinjaTemplateEngine),
        request_max_body_size=settings.max_body_bytes,
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        openapi_config=openapi_config(version=__version__),
        plugins=[PageSchemaPlugin()],
    )
    document_operations(app)
    return app


def _proxy_headers(settings: Settings):  # type: ignore[no-untyped-def]
    """The client address behind reverse proxies: X-Forwarded-For is believed only from the networks in
    KEELERADA_TRUSTED_PROXIES (none by default), so a client cannot pick the address that the per-client
    log-in limit counts. uvicorn's middleware walks the header from the right past trusted hops."""

    def wrap(app: ASGIApp) -> ASGIApp:
        return ProxyHeadersMiddleware(app, trusted_hosts=list(settings.trusted_proxies))  # type: ignore[arg-type]

    return wrap


async def _prepare_store(store: ObjectStore) -> None:
    """Make the bucket (or folder) at start when we may; a store that is down now is reported by /ready
    rather than keeping the API from starting."""
    try:
        await anyio.to_thread.run_sync(store.ensure_bucket)
    except StoreUnavailable as exc:
        log.warning("object store not ready at start: %s", exc)
