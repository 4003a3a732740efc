"""Tests of digitlib.display's modules."""
