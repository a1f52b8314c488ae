"""What uploaded bytes are, before any business rule looks at them: the one content sniffer (sniff.py) and
the header facts of images that bound what decoding them will cost (images.py). No Flask, no database.
"""
