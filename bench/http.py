"""HTTP under load: gunicorn (2 sync workers) on 127.0.0.1, wrk against the bench database.

Ceilings first (a bare JSON view; one indexed SELECT), then availability at concurrency 8
and a 70/20/10 mix of availability, booking and page views at concurrency 16, all printed
with their ratio to the one-SELECT ceiling. Loads only 127.0.0.1, DURATION seconds each.

  .venv/bin/python -m bench.http
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import urllib.request

from bench.common import ROOT, machine, setup

PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
BASE = f"http://127.0.0.1:{PORT}"
WORK = ROOT / "var" / "bench"

STATS_LUA = r"""
counts = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  local key = "s" .. status
  counts[key] = (counts[key] or 0) + 1
end
function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    for _, key in ipairs({"s200", "s201", "s400", "s404", "s409", "s500", "s502", "s503"}) do
      local n = t:get("counts")[key]
      if n then totals[key] = (totals[key] or 0) + n end
    end
  end
  local parts = {}
  for key, n in pairs(totals) do table.insert(parts, string.format('"%s": %d', key, n)) end
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, ' ..
    '"socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ", ")))
end
"""


def lua_requests(name: str, requests: list[tuple[str, str, str, str]]) -> pathlib.Path:
    """A wrk script cycling through (method, path, headers-json, body) from a random offset."""
    lines = [STATS_LUA, "local reqs = {"]
    for method, path, headers, body in requests:
        lines.append(
            f"  {{{json.dumps(method)}, {json.dumps(path)}, {headers}, {json.dumps(body)}}},"
        )
    lines.append("}")
    lines.append(
        """
local i = 0
function init(args) i = math.random(#reqs) end
function request()
  i = i % #reqs + 1
  local r = reqs[i]
  return wrk.format(r[1], r[2], r[3], r[4] ~= "" and r[4] or nil)
end
"""
    )
    path = WORK / f"{name}.lua"
    path.write_text("\n".join(lines))
    return path


def wrk(label: str, script: pathlib.Path, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{DURATION}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            BASE,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"RESULT (\{.*\})", out)
    if not found:
        sys.exit(f"wrk printed no result for {label}:\n{out}")
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    statuses = result["statuses"]
    result["errors"] = result["socket_errors"] + sum(
        n for key, n in statuses.items() if key.startswith("s5")
    )
    return result


def line(label: str, result: dict, ceiling: float | None = None) -> str:
    ratio = f"; {result['rps'] / ceiling:.0%} of the one-SELECT ceiling" if ceiling else ""
    statuses = ", ".join(f"{k[1:]}: {v}" for k, v in sorted(result["statuses"].items()))
    return (
        f"{label}: {result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
        f"errors {result['errors']} ({statuses}){ratio}"
    )


def prepare() -> dict:
    """Ids, free slots and client tokens for the scripts (bookings go to distinct free slots)."""
    from django.utils import timezone

    from booking.availability_selectors import open_slots
    from clinic.models import Location, Role, User
    from therapists.models import Service

    service = Service.objects.get(slug="bench-mfr-60")
    big = Location.objects.get(slug="bench-1")
    others = list(
        Location.objects.filter(slug__startswith="bench-").exclude(pk=big.pk).order_by("pk")
    )
    team = list(big.therapists.order_by("pk").values_list("pk", flat=True))
    today = timezone.now().astimezone(big.zone).date()
    days = [today + dt.timedelta(days=n) for n in range(2, 30)]
    clients = list(
        User.objects.filter(role=Role.CLIENT, pk__in=range(1, 100_000)).order_by("pk")[:400]
    )
    clients = [c for c in clients if c.pk % 10]  # those with a cleared intake
    from clinic.tokens import api_token_issue

    # Named, expiring tokens (clinic.tokens); a client's needs no second factor.
    tokens = [api_token_issue(user=c, name="bench", second_factor=False)[1] for c in clients]
    slots = []
    for location in others:
        for slot in open_slots(
            service=service,
            location=location,
            first_day=today + dt.timedelta(days=30),
            last_day=today + dt.timedelta(days=50),
        )[::7]:
            slots.append((slot.therapist_id, slot.start.isoformat()))
    return {
        "service": service.pk,
        "location": big.pk,
        "team": team,
        "days": days,
        "tokens": tokens,
        "slots": slots,
        "started": timezone.now(),
    }


def availability_requests(data: dict, days: int) -> list[tuple[str, str, str, str]]:
    found = []
    for n, first in enumerate(data["days"][:20]):
        last = first + dt.timedelta(days=days - 1)
        path = (
            f"/api/v1/availability/?service={data['service']}&location={data['location']}"
            f"&from={first}&to={last}"
        )
        if days == 1:
            path += f"&therapist={data['team'][n % len(data['team'])]}"
        found.append(("GET", path, "{}", ""))
    return found


def mix_requests(data: dict) -> list[tuple[str, str, str, str]]:
    one_day = availability_requests(data, 1)
    week = availability_requests(data, 7)
    found = []
    for n in range(len(data["slots"]) // 2):
        if n % 10 < 7:
            found.append((one_day + week)[n % (len(one_day) * 2)])
        elif n % 10 < 9:
            therapist, start = data["slots"][n]
            token = data["tokens"][n % len(data["tokens"])]
            headers = json.dumps(
                {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            )
            headers = (
                "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in json.loads(headers).items()) + "}"
            )
            body = json.dumps({"service": data["service"], "therapist": therapist, "start": start})
            found.append(("POST", "/api/v1/appointments/", headers, body))
        else:
            found.append(("GET", "/therapists/", "{}", ""))
    return found


def clean_up(data: dict) -> None:
    from booking.models import Appointment
    from clinic.models import ApiToken, Notification

    # Bookings the mix made: by clients holding a bench token, since the run started.
    ids = set(
        Appointment.objects.filter(
            created_at__gte=data["started"], client__api_tokens__name="bench"
        ).values_list("pk", flat=True)
    )
    Notification.objects.filter(subject_id__in=ids, created_at__gte=data["started"]).delete()
    Appointment.objects.filter(pk__in=ids).delete()
    ApiToken.objects.filter(name="bench").delete()


def serve() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/bench/ceiling/json", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    setup()
    WORK.mkdir(parents=True, exist_ok=True)
    print(machine())
    print(f"gunicorn 2 sync workers, wrk 2 threads, {DURATION} s per run, 127.0.0.1:{PORT}")
    data = prepare()
    server = serve()
    try:
        bare = wrk("bare", lua_requests("bare", [("GET", "/bench/ceiling/json", "{}", "")]), 8)
        select = wrk(
            "select",
            lua_requests(
                "select",
                [("GET", f"/bench/ceiling/select?id={n}", "{}", "") for n in range(1, 101)],
            ),
            8,
        )
        print(line("ceiling: bare JSON view, c8", bare))
        print(line("ceiling: one indexed SELECT, c8", select))
        ceiling = select["rps"]
        one = wrk("one", lua_requests("one", availability_requests(data, 1)), 8)
        print(line("availability, one therapist, one day, c8", one, ceiling))
        week = wrk("week", lua_requests("week", availability_requests(data, 7)), 8)
        print(line("availability, location of 15 therapists, 7 days, c8", week, ceiling))
        mix = wrk("mix", lua_requests("mix", mix_requests(data)), 16)
        print(line("mix 70% availability / 20% booking / 10% pages, c16", mix, ceiling))
    finally:
        server.terminate()
        server.wait(timeout=30)
        clean_up(data)


if __name__ == "__main__":
    main()
