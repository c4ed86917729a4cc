"""A throwaway PostgreSQL server for tests and benchmarks: initdb + pg_ctl in a temporary directory.

Starts a private cluster on a free loopback port (and a Unix socket in the same
temporary directory), with durability switched off because nothing in it is
kept, and removes it all on `stop()`. As root, PostgreSQL refuses to run, so the
cluster runs as the `postgres` user (Debian's package creates it) through
`runuser`, and its directory is handed to that user. Uses the server binaries of
Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin) or `initdb`
on PATH; WORKFORCE_LENS_PG_BIN names another directory.

    with Cluster() as pg:
        url = pg.create_database()   # postgresql://wl@127.0.0.1:<port>/wl_<random>
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class ClusterError(RuntimeError):
    """The throwaway server could not be started (message says what to install or what went wrong)."""


def server_bin() -> Path:
    """The directory holding initdb, pg_ctl and postgres."""
    named = os.environ.get("WORKFORCE_LENS_PG_BIN")
    if named:
        return Path(named)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ClusterError("PostgreSQL's server programs (initdb, pg_ctl) are not installed: run "
                       "`tools/system-packages test` (Debian package `postgresql`).")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One private PostgreSQL server (see module docstring). `start()`/`stop()`, or use it as a context manager."""

    SUPERUSER = "wl"

    def __init__(self) -> None:
        self.bin = server_bin()
        self.root = Path(tempfile.mkdtemp(prefix="wl-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ClusterError("Running as root, and there is no `postgres` user to run the test server "
                                   "as (Debian's postgresql package creates one).") from exc
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=timeout,
                                cwd=self.root)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ClusterError(f"{Path(args[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}"
                               f"\n{log}")
        return result

    def start(self) -> Cluster:
        """initdb (first time) and start the server; returns once it accepts connections."""
        if not self.data.exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.SUPERUSER, "--auth=trust",
                      "-E", "UTF8", "--locale=C", "--no-sync")
        self.port = self.port or free_port()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                   "-c shared_buffers=64MB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w",
                  "-t", "60", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (the data stays until `remove()`)."""
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        """Stop the server and delete its directory."""
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A URL for a database of this server (the superuser, no password: trust on loopback)."""
        return f"postgresql://{self.SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser on the `postgres` database (outside a transaction)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"wl_{secrets.token_hex(6)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database (closing anyone still connected)."""
        name = url.rsplit("/", 1)[1]
        for _ in range(3):
            try:
                self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except Exception:  # noqa: BLE001 - a connection closing at that instant; try again
                time.sleep(0.2)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.remove()
