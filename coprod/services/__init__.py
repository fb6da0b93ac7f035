"""Writes: one function per state change, each listing its side effects."""
