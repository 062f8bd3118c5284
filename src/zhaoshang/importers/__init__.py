"""Workbooks and CSV files -> sheets, headers, row kinds, typed rows and row errors; no ledger, no db.
The import's first stages: read.py (guards.py checks the file first), locate.py (header.py finds the
header), classify.py (duplicates.py classifies each row once and finds rows a later row overrides),
parse.py (cells.py converts the cells, problem_cells.py reads 存在问题; district.py parses the other
sheets). services/imports/ matches the rows to the ledger and
writes them."""
