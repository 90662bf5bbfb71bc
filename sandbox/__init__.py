"""The reference IHR service: FastAPI over SQLite, with a seeded synthetic population.

- `sandbox.app.create_app()` builds the app (every endpoint of docs/API.md under /api/v1);
- `sandbox.server.EmbeddedSandbox` runs it on a loopback port in a background thread, and
  `sandbox.server.serve(port)` in the foreground (`ihr sandbox --port N`);
- `sandbox.hub` sends requisitions as KITH messages to the simulated labs (`sandbox.labs`).

Imports `ihr` only: never `client`, `tui` or Textual. Kept free of imports here so that
`sandbox.seed` stays cheap to import.
"""
