"""Workbooks and CSV files -> rows, headers and row errors. Nothing here writes to the ledger:
reading.py opens a file safely, table.py finds the header, rows.py sorts the rows into kinds,
ledger.py and district.py turn rows into values. services/imports.py decides what they change."""
