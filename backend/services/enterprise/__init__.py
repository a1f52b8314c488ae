"""What an employer sees of its staff: the roster, warnings before anything lapses, 挂证 signals, the daily
digest, and bulk checks of uploaded lists (bulk/).
"""
