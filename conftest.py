"""Shared fixtures for every test: the test database gets real division codes once per session."""

pytest_plugins = ["seedling.testing.fixtures"]
