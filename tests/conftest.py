"""Fixtures for the tests under tests/.

The fixtures shared by every test (per-test data directories, fast password hashing,
an empty cache, and the browser fixtures ``page``, ``axe_check`` and ``screenshot``)
are in ../conftest.py, at the root, so that they apply to src/hromada/<app>/tests too.
"""
