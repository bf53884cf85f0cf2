"""Data the kiosk needs at run time, read through importlib.resources."""
