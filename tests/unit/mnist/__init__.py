"""Tests of digitlib.mnist's modules."""
