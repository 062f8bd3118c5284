"""Domain rules. Functions take a Ctx (or a session) and plain values, return plain data and raise
ZsError. No Typer, no Rich, no printing, no commit: the caller's unit of work commits."""
