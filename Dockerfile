# Workforce Lens: the dashboard as a container for the council's own infrastructure.
# Build:  docker build -t workforce-lens .
# Run:    docker run -p 8501:8501 -v /srv/workforce-lens/snapshots:/app/data/snapshots \
#           -e WORKFORCE_LENS_PUBLISHER_PASSWORD=... workforce-lens
# Several replicas: give each -e WORKFORCE_LENS_STORE_URL=postgresql://... instead of the volume
# (docker-compose.yml; docs/DEPLOYMENT.md). psycopg's binary wheel brings libpq: no system package needed.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true

# DejaVu fonts draw £ and en dashes in the committee pack PDF; curl is for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
# Published snapshots (aggregates only) live here; mount a volume so they survive a restart.
RUN mkdir -p /app/data/snapshots && chown -R app:app /app/data/snapshots

USER app
EXPOSE 8501
VOLUME ["/app/data/snapshots"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent http://localhost:8501/_stcore/health || exit 1

CMD ["python", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
