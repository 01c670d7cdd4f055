"""总览 tab: today's attention list, trend charts and the year summary."""
