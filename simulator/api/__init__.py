"""The JSON API (FastAPI): thin routers that translate HTTP to engine calls and back."""
