"""我的办件 and my records: the citizen's own transactions and records, asked live.

See docs/records.md.
"""
