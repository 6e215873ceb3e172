"""Schemathesis hooks for the fuzz run against credit-ledger serve (scripts/schemathesis.sh).

The event-stream routes follow the log live until the client leaves; a fuzzed request must end,
so each asks for the catch-up only (follow=false), whatever else was generated.
"""

import schemathesis

STREAMS = {"/v1/facts", "/v1/subscriptions/{name}/events"}


@schemathesis.hook
def before_call(context, case, **kwargs):
    if case.method.upper() == "GET" and case.path in STREAMS:
        case.query = dict(case.query or {})
        case.query["follow"] = "false"
