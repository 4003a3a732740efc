"""The running app driven in headless chromium through Playwright (marked browser)."""
