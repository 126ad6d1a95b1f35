"""Reads of partnership governance, one module per part; ``access`` holds the one fetch-and-authorise rule."""
