"""Domain services, rules and file import/export. No Qt widgets here."""
