"""Refusals of the Search API that are not schema validation: a window outside the limits (runtime facts 2.7), a
query over the mock's size bounds, a bad cursor or regular expression. Each carries the HTTP status it gets."""
from __future__ import annotations

from graphql import GraphQLError


class SearchRefused(GraphQLError):
    """A GraphQL error that makes the whole answer an HTTP error (400, or 413 for too much work)."""

    def __init__(self, message: str, status: int = 400, classification: str = "ValidationError", nodes=None):
        super().__init__(message, nodes, extensions={"classification": classification})
        self.status = status
