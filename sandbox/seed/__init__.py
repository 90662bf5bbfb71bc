"""Realistic Norwegian seed data of the sandbox: catalog, people, a benchmark catalog."""
