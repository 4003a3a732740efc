"""Tests of digitlib.drawing's modules."""
