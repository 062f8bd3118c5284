"""zs: one true ledger for a district's investment promotion (招商引资台账)."""

__version__ = "0.1.0"
