"""Tests of digitlib.svm's modules."""
