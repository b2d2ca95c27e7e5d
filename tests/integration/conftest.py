"""The integration tests use the session store of ``tests/conftest.py`` (all the bundled real data, loaded once)."""
