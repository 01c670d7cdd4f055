"""Qt widgets, table models and dialogs. Talks only to ``app``."""
