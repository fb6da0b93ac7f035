"""Reads for partnerships, one module per area (import from the module: `partnerships.selectors.
<area>`). Access lives in partnerships.permissions."""
