"""The website chat widget: its socket.io channel (channel.py) and its files (static/)."""
