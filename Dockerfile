# The API image: the same `keelerada` command as on a laptop; settings come from KEELERADA_* variables.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY learning_api ./learning_api
COPY models ./models
COPY scripts ./scripts
RUN pip install --no-cache-dir .
COPY content ./content
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "keelerada migrate && keelerada content upload --publish content/eesti-a1-a2 && keelerada serve --host 0.0.0.0 --port 8000"]
