"""通报 tab: draft, export and issue a round's notice; per-unit 整改通知书."""
