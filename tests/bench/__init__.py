"""Tests of the benchmarks' own tools (the load test's light client)."""
