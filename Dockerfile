# The API image: the same `keelerada` command as on a laptop; settings come from KEELERADA_* variables.
# Two stages: the build stage installs the locked dependencies (requirements.lock, hashes checked) and the
# project into a virtualenv; the runtime stage copies only that virtualenv and the course sources, and
# runs as an unprivileged user. Regenerate the lock after changing dependencies (CONTRIBUTING.md).
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/keelerada
ENV PATH=/opt/keelerada/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY learning_api ./learning_api
COPY models ./models
COPY scripts ./scripts
# The locked setuptools builds the project: no unpinned build environment, nothing fetched beyond the lock.
RUN pip install --no-deps --no-build-isolation . && keelerada --version

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/keelerada/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin keelerada
COPY --from=build /opt/keelerada /opt/keelerada
WORKDIR /app
# Sources of the starter course, read by the one-shot `content upload` job; owned by root, read-only.
COPY content ./content
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
# Migrations and course upload are one-shot jobs (docker-compose.yml), not run by every replica.
CMD ["keelerada", "serve", "--host", "0.0.0.0", "--port", "8000"]
