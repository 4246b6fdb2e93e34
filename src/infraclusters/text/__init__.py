"""Text: what the package writes into pages as Markdown (tables, a case page's header) and citations.

Every value from the data is escaped before it enters Markdown, so text in a
table can never become markup or script in the built page. Functions take the
edition (``ed``) explicitly.
"""
