"""Alembic environment for zs: the connection comes from zs (cfg.attributes) or from sqlalchemy.url."""

from alembic import context
from sqlalchemy import create_engine

from zhaoshang.models import SQLModel

target_metadata = SQLModel.metadata
config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # plain `alembic` on the command line, for developers
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        run(conn)
