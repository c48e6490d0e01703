"""Self-contained HTML reports, one module per kind (check, compare, diff) over the page toolkit in :mod:`.page`.
Charts go where people would rather look than read; then the tables, with every source."""
