"""Streamlit glue shared by the pages: cached resources and the page frame.

Computation stays in ``digitlib``; this package only decides what is cached,
what a session remembers, and how every page starts.
"""
