from __future__ import annotations

app_name = "booking"

urlpatterns: list = []
