"""docker-compose.yml (two replicas + PostgreSQL) is valid YAML describing what docs/DEPLOYMENT.md says.

Docker cannot run here, so the file is checked as data: the services, their order of starting, and that both
replicas point at the same database with the settings the code reads.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sharing import store as storage

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_two_replicas_and_postgresql():
    services = _compose()["services"]
    assert set(services) == {"db", "migrate", "app1", "app2"}
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["python", "-m", "sharing.store", "upgrade"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    ports = set()
    for name in ("app1", "app2"):
        app = services[name]
        assert app["build"] == "." and app["image"] == "workforce-lens"
        assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        ports |= {p.split(":")[0] for p in app["ports"]}
        assert all(p.endswith(":8501") for p in app["ports"])
    assert ports == {"8501", "8502"}


def test_both_replicas_use_one_database_with_the_settings_the_code_reads():
    services = _compose()["services"]
    envs = [services[name]["environment"] for name in ("app1", "app2", "migrate")]
    urls = {env[storage.URL_ENV] for env in envs}
    assert len(urls) == 1
    url = urls.pop()
    assert url.startswith("postgresql://workforce_lens:") and url.endswith("@db:5432/workforce_lens")
    assert storage.is_url(url)
    db = services["db"]["environment"]
    assert (db["POSTGRES_USER"], db["POSTGRES_DB"]) == ("workforce_lens", "workforce_lens")
    for env in envs:
        assert env["WORKFORCE_LENS_STORE_MIGRATE"] == "check"  # only the migrate service changes the schema
        assert "WORKFORCE_LENS_PUBLISHER_PASSWORD" in env
    assert "pgdata" in _compose()["volumes"]


def test_the_image_installs_the_postgresql_driver():
    requirements = (ROOT / "requirements.txt").read_text()
    for package in ("psycopg[binary]==", "psycopg-pool==", "alembic==", "sqlalchemy=="):
        assert package in requirements
    assert "requirements.txt" in (ROOT / "Dockerfile").read_text()
