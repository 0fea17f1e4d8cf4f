"""Creating the project's own tables when several servers start at once.

Replicas started together (docker compose up, a Kubernetes rollout) each
create the tables they need. SQLAlchemy's create_all checks first, but two
servers can both find a table missing, and the second one's CREATE then
fails, which stopped that server at start (seen with two replicas on
PostgreSQL).
"""

import sqlalchemy as sa

# Each failed attempt means another server created some of the tables.
ATTEMPTS = 3


def create_tables(metadata: sa.MetaData, engine: sa.engine.Engine) -> None:
    """Creates the missing tables of `metadata`, whoever else is creating them."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            metadata.create_all(engine)
            return
        except sa.exc.DBAPIError:
            if attempt == ATTEMPTS:
                raise
