import os
import re
import shlex
import subprocess

import pytest
import requests

# A crmkit serve started before the suite: `npx crmkit serve --port 4000 --seed 42 --token test-token`
BASE = os.environ.get("CRMKIT_URL", "http://127.0.0.1:4000")
AUTH = {"Authorization": "Bearer test-token"}


@pytest.fixture(scope="session", autouse=True)
def crmkit_serve():
    """With CRMKIT_SERVE=node_modules/.bin/crmkit, starts crmkit serve on a free port instead."""
    global BASE
    command = os.environ.get("CRMKIT_SERVE")
    if not command:
        yield
        return
    server = subprocess.Popen(
        [*shlex.split(command), "serve", "--port", "0", "--seed", "42", "--token", "test-token"],
        stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()  # crmkit serve: HubSpot API at http://127.0.0.1:PORT (…)
    started = re.search(r"HubSpot API at (http://\S+)", line)
    if not started:
        server.kill()
        server.communicate()
        raise RuntimeError(f"crmkit serve did not start: {line!r}")
    BASE = started.group(1)
    yield
    server.terminate()  # SIGTERM: crmkit serve closes and exits 0
    server.communicate(timeout=10)
    assert server.returncode == 0


def setup_function():
    requests.post(f"{BASE}/__crmkit/reset", headers=AUTH).raise_for_status()  # back to the seed


def test_creates_a_contact():
    created = requests.post(f"{BASE}/crm/v3/objects/contacts", headers=AUTH,
                            json={"properties": {"email": "ann@example.com"}})
    assert created.status_code == 201
    snapshot = requests.get(f"{BASE}/__crmkit/snapshot", headers=AUTH).json()
    emails = [c["properties"].get("email") for c in snapshot["records"]["contacts"]]
    assert "ann@example.com" in emails


def test_starts_from_the_seed():
    snapshot = requests.get(f"{BASE}/__crmkit/snapshot", headers=AUTH).json()
    assert len(snapshot["records"]["contacts"]) == 20  # the contact the other test made is gone
