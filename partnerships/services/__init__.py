"""State changes for partnerships, one module per area (import from the module:
`partnerships.services.<area>`): one function per change, in one transaction, audited."""
