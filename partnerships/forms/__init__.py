"""Forms for partnerships, one module per area (import from the module)."""
