"""Pages of accounts. Views parse input, call selectors and services and render; scope checks
live in those layers (a refusal raises OutOfScope, which the error middleware renders as 403 and
audits)."""
