"""Production settings: Django's deployment checklist passes with no warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A long random-looking key, as `python -c "import secrets; print(secrets.token_urlsafe(50))"`.
PRODUCTION_SECRET = "pV3x9QmZr2Lk7Tn4Wc8Yb1Hs6Jd0Fg5Ua-Ne3Ro7Ki2Mt9Xq4Zy_Ap8Bv1Cw6Dl"


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HROMADA_DATA_DIR": str(tmp_path),
        "DEBUG": "False",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "hromada.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://hromada.example.org",
        "HTTPS": "true",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "hromada", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_https_is_off(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, HTTPS="false")

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # SECURE_SSL_REDIRECT
