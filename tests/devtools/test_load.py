"""`make load` reads wrk's report: the rate, p50 and p99, and every failed request (answers
other than 2xx/3xx and socket errors) counted as an error."""

from io import StringIO

from devtools.load import Result, combine, parse_wrk, report, slots_warning, wrk_headers

CLEAN = """Running 1s test @ http://127.0.0.1:8765/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.94ms    2.17ms  10.57ms   75.38%
    Req/Sec   696.90    243.91     0.98k    70.00%
  Latency Distribution
     50%  812.00us
     75%    4.13ms
     90%    6.25ms
     99%    1.02s
  697 requests in 1.00s, 0.90MB read
Requests/sec:    695.49
Transfer/sec:      0.90MB
"""

FAILING = """Running 1s test @ http://127.0.0.1:8765/
  Latency Distribution
     50%    2.10ms
     75%    4.13ms
     90%    6.25ms
     99%   16.70ms
  666 requests in 1.00s, 338.20KB read
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 660
Requests/sec:    664.55
Transfer/sec:    337.47KB
"""


def test_a_clean_run_has_its_rate_percentiles_and_no_errors():
    assert parse_wrk(CLEAN) == (695.49, 0.812, 1020.0, 697, 0)


def test_non_2xx_answers_and_socket_errors_are_errors():
    assert parse_wrk(FAILING) == (664.55, 2.1, 16.7, 666, 660 + 3 + 1 + 2)


def test_the_table_shows_each_page_against_the_bare_view():
    out = StringIO()
    report(
        [
            Result("bare view", "/robots.txt", 2000.0, 1.0, 3.0, 20000, 0),
            Result("home", "/", 500.0, 4.0, 9.5, 5000, 0),
        ],
        out,
    )
    lines = out.getvalue().splitlines()
    assert [line.split() for line in lines[2:]] == [
        ["bare", "view", "/robots.txt", "2000", "100%", "1.0", "3.0", "20000", "0"],
        ["home", "/", "500", "25%", "4.0", "9.5", "5000", "0"],
    ]


def test_each_page_is_set_against_the_bare_view_measured_just_before_it():
    out = StringIO()
    report(
        [
            Result("bare view", "/robots.txt", 2000.0, 1.0, 3.0, 20000, 0),
            Result("home", "/", 500.0, 4.0, 9.5, 5000, 0, bare_rate=1000.0),
        ],
        out,
    )
    lines = out.getvalue().splitlines()
    assert lines[3].split() == ["home", "/", "500", "50%", "4.0", "9.5", "5000", "0"]


def test_a_page_measured_in_slices_is_one_run_over_their_whole_time():
    slices = [
        # (requests/s, p50 ms, p99 ms, requests, errors), as parse_wrk reads each slice
        (1000.0, 5.0, 20.0, 2000, 0),
        (500.0, 9.0, 41.0, 1000, 1),
        (2000.0, 2.0, 12.0, 4000, 0),
    ]

    # 7,000 requests in 2 + 2 + 2 seconds; the middle p50, the worst p99.
    assert combine(slices) == (7000 / 6, 5.0, 41.0, 7000, 1)
    assert combine(slices[:2]) == (750.0, 7.0, 41.0, 3000, 1)


def test_without_keep_alive_each_request_asks_for_a_new_connection():
    assert wrk_headers() == []
    assert wrk_headers("sessionid=abc") == ["-H", "Cookie: sessionid=abc"]
    assert wrk_headers("sessionid=abc", keep_alive=False) == [
        "-H",
        "Cookie: sessionid=abc",
        "-H",
        "Connection: close",
    ]


def test_more_kept_alive_connections_than_gunicorn_takes_are_warned_of():
    env = {"WEB_WORKERS": "2", "WEB_THREADS": "4"}

    assert [
        slots_warning(16, env, keep_alive=True),
        slots_warning(24, env, keep_alive=False),
        slots_warning(24, env, keep_alive=True),
    ] == [
        "",
        "",
        "Warning: 24 kept-alive connections, but gunicorn takes 16 (WEB_WORKERS × 2 × "
        "WEB_THREADS); the rest wait and time out. Lower LOAD_CONNECTIONS or set "
        "LOAD_KEEP_ALIVE=0.\n",
    ]
