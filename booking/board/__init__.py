"""The front-desk schedule board: day and week per location, rooms view, and desk actions."""
