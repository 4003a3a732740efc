"""Tests of one digitlib module each, mirroring digitlib's packages; no app server, no browser."""
