"""Pages for recruitment, one module per area."""
