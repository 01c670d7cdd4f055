"""Persistence layer: SQLAlchemy models, engine/session setup and Alembic migrations."""
