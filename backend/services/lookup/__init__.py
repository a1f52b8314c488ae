"""The public lookup: registrations by name, registration or seal number, or certificate identifier; masked,
paginated and capped against scraping.
"""
