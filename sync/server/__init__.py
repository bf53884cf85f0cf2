"""Reference central platform: speaks protocol v1 so kiosks can be tested and demoed end to end.

``create_app`` (FastAPI over SQLAlchemy Core) in :mod:`sync.server.app`; the command line
and an in-process runner in :mod:`sync.server.cli`.
"""
