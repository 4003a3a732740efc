"""Tests of digitlib.classroom's modules."""
