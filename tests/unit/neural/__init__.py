"""Tests of digitlib.neural's modules."""
