"""The one-command demo on SQLite: migrate, build the demo district, sign in, see the tree.

Everything runs in subprocesses with their own DATABASE_URL, as a visitor would run it, so
the test needs no database of its own and runs in the normal suite on any database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_USERS = ["admin", "cadre_wj", "cadre_lh"]
PASSWORD = "Gonghui#2015demo"

CHECK = textwrap.dedent(
    f"""
    import django
    django.setup()
    from django.http import HttpRequest
    from django.test import Client

    client = Client()
    home = client.get("/")
    assert home.status_code == 200, home.status_code
    assert "网上职工之家" in home.content.decode(), "the portal home has no title"

    # django-axes needs the request to count attempts, so the test client passes one.
    assert client.login(request=HttpRequest(), username="admin", password={PASSWORD!r})
    assert client.get("/admin/").status_code == 200
    tree = client.get("/admin/tree/")
    assert tree.status_code == 200, tree.status_code
    assert "江岸区总工会" in tree.content.decode(), "the tree lacks the district federation"

    # And the real sign-in form of the back office, as a person would use it.
    other = Client()
    signed_in = other.post(
        "/admin/login/", {{"username": "cadre_wj", "password": {PASSWORD!r}, "next": "/admin/"}}
    )
    assert signed_in.status_code == 302 and signed_in.url == "/admin/", signed_in.status_code
    assert "望江街道总工会" in other.get("/admin/tree/").content.decode()

    # The demo worker signs in at the portal with the mobile number build_demo printed.
    import os
    worker = Client()
    signed_in = worker.post(
        "/login/", {{"username": os.environ["WORKER_MOBILE"], "password": {PASSWORD!r}}}
    )
    assert signed_in.status_code == 302 and signed_in.url == "/me/", signed_in.status_code
    me = worker.get("/me/").content.decode()
    assert os.environ["WORKER_NAME"] in me, "the worker's own page lacks their name"
    print("DEMO-OK")
    """
)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - our own manage.py and snippet
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{args[:2]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_demo_builds_and_serves_on_sqlite(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "gonghui.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PYTHONPATH": str(REPO / "src"),
    }
    _run(["manage.py", "migrate", "--noinput"], env)
    built = _run(["manage.py", "build_demo", "--scale", "0.02"], env).stdout
    assert "Demo district built" in built
    logins = {line.split()[1] for line in built.splitlines() if PASSWORD in line}
    assert set(DEMO_USERS) <= logins, built
    # The worker's line: 职工, the mobile number to sign in with, the password, whose it is.
    worker_lines = [line.split() for line in built.splitlines() if line.split()[:1] == ["职工"]]
    assert len(worker_lines) == 1, built
    _role, mobile, password, scope = worker_lines[0]
    assert re.fullmatch(r"1\d{10}", mobile), built
    assert password == PASSWORD

    env = {**env, "WORKER_MOBILE": mobile, "WORKER_NAME": scope.split("（")[0]}
    checked = _run(["-c", CHECK], env)
    assert "DEMO-OK" in checked.stdout
