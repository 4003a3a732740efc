"""Tests of digitlib.scoring's modules."""
