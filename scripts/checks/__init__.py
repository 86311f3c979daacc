"""The checks of make check (scripts/check.py), one module each."""
