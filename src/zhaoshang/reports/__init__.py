"""Reports: builders that take a session and plain values (an as-of day, filters) and return one
Report value (reports/model.py) that render/report.py shows in every format."""
