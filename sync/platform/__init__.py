"""Talking to the central platform: protocol v1 (:mod:`.protocol`, the one copy the reference
platform shares), the HTTP client (:mod:`.client`, the only module here that loads
``requests``), its errors by kind (:mod:`.errors`), request signatures (:mod:`.signing`) and
the TLS policy (:mod:`.tls`).
"""
