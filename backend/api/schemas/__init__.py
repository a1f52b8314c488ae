"""The bodies of the API as pydantic models, one module per capability: what a request may carry (validated
at the edge, once) and what an answer holds (the OpenAPI document is generated from them)."""
