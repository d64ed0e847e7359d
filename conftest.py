"""Make the shared fixtures of tests/conftest.py apply to every test, also under src/hromada.

pytest applies a conftest.py only to the tests below its directory; the app tests live in
src/hromada/<app>/tests, so the fixtures are re-exported here, at the root.
"""

from tests.conftest import *  # noqa: F403
