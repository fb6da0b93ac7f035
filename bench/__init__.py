"""The side-by-side benchmark (`make bench`, docs/performance.md). Not part of the app: it runs as
`python -m bench.run` from the repository root."""
