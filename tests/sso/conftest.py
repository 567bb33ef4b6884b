"""Start the test OpenID Connect provider (tests/sso/idp) in its own process on a free loopback port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "protutor-test-client"
CLIENT_SECRET = "protutor-test-secret-0123456789"
PROVIDER_PASSWORD = "provider-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class IdentityProvider:
    url: str
    process: subprocess.Popen

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"


@pytest.fixture
def start_idp(tmp_path):
    """`start_idp(users, redirect_uri)` runs a provider whose users have the given claims."""
    started: list[subprocess.Popen] = []

    def start(users: dict, redirect_uri: str) -> IdentityProvider:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file = tmp_path / "idp-key.pem"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "tests.sso.idp.settings",
            "IDP_DATABASE": str(tmp_path / "idp.sqlite3"),
            "IDP_RSA_KEY": str(key_file),
            "IDP_USERS": json.dumps(
                {name: {"password": PROVIDER_PASSWORD, **c} for name, c in users.items()}
            ),
            "IDP_CLIENT_ID": CLIENT_ID,
            "IDP_CLIENT_SECRET": CLIENT_SECRET,
            "IDP_REDIRECT_URIS": redirect_uri,
        }
        subprocess.run([sys.executable, str(ROOT / "tests/sso/idp/setup.py")], env=env, check=True, cwd=ROOT)
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        idp = IdentityProvider(f"http://127.0.0.1:{port}", process)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{idp.issuer}/.well-known/openid-configuration", timeout=2)  # noqa: S310 (loopback http)
                return idp
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the test identity provider did not start") from None
                time.sleep(0.2)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
