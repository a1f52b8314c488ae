"""Bulk checks of an uploaded staff list: reading CSV or XLSX within fixed limits, looking every row up
together, answering without an ID-number oracle, and the CSV/XLSX downloads of the answer.
"""
