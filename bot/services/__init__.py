"""Use cases, channel-agnostic: answering a question, searching the catalogue."""

from .answering import Answerer, Choice, Reply
from .catalogue import CatalogueSearch, SearchResult

__all__ = ["Answerer", "CatalogueSearch", "Choice", "Reply", "SearchResult"]
