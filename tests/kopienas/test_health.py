"""/healthz as load balancers and uptime monitors probe it (the GET cases are in test_site.py)."""

from django.db import OperationalError


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_answers_head_probes(client, db):
    response = client.head("/healthz")

    # HEAD is GET without the body: same status and headers, nothing to read.
    assert (response.status_code, response.content, response.headers["Content-Type"]) == (
        200,
        b"",
        "text/plain",
    )
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_healthz_head_probe_sees_a_database_outage(client, db, monkeypatch):
    monkeypatch.setattr("kopienas.views.connection", _BrokenConnection())

    assert client.head("/healthz").status_code == 503


def test_healthz_still_refuses_writes(client, db):
    assert [client.post("/healthz").status_code, client.put("/healthz").status_code] == [405, 405]
