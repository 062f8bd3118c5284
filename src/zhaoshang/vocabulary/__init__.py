"""The words every feature shares, below services and reports: stages and their words, when a
milestone counts, month arithmetic, amounts, dates and names as clerks type them, verdict words,
Chinese labels of keys, and the column catalogue (`Col`) that import, export, listings and reports
read. It imports models, SQLAlchemy and the standard library, nothing above it."""
