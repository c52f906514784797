"""Fixtures for the browser tests (headless Chromium through Playwright); see the helper owning it."""
