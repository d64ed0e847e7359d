"""Static files: `collectstatic` with the production storage works (`make run` needs it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_collectstatic_with_the_manifest_storage_succeeds_and_compresses(tmp_path: Path) -> None:
    static_root = tmp_path / "static"
    env = {
        **os.environ,
        "HROMADA_DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(static_root),
        "STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }

    result = subprocess.run(
        [sys.executable, "-m", "hromada", "collectstatic", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert (static_root / "staticfiles.json").is_file()
    assert list(static_root.glob("vendor/hromada.*.css.gz")), "CSS is hashed and compressed"
