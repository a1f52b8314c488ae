"""Blueprints, one per capability: parse the request, call a service, shape the response."""
