#!/usr/bin/env python3
"""A department's reporting job against `credit-ledger serve` (docs/server.md), Python standard
library only.

It does what a district department's system does every night:
  1. posts its facts (interchange v1, JSON Lines) to POST /v1/facts, in batches; each batch is all
     or nothing, and a repeated batch is acknowledged as duplicates, so a re-run after a failure
     never reports a fact twice;
  2. follows its named subscription (信息推送): reads the facts the platform pushes since its last
     acknowledgement as Server-Sent Events, hands each to `handle`, and acknowledges (执行反馈) the
     position of the last one handled, so that the next run, or a run after either side restarted,
     starts right after it.

    reporting_job.py --url http://127.0.0.1:8080 --token TOKEN --facts facts.jsonl \
                     --subscription jiading-scjg [--types role.assigned,list.entered] [--follow]

Exit status: 0 done, 1 the server refused something (its reason is printed), 2 bad usage.
"""

import argparse
import http.client
import json
import sys
import urllib.parse


class Server:
    """One keep-alive connection to the server, with the department's bearer token."""

    def __init__(self, url, token):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.token = token

    def connection(self, timeout=60):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json"):
        """Sends one request; returns (status, parsed JSON body)."""
        connection = self.connection()
        headers = {"Authorization": "Bearer " + self.token}
        if body is not None:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, (json.loads(data) if data else None)


def refused(what, status, document):
    reason = (document or {}).get("error", {}).get("reason", "no reason given")
    print(f"{what}: refused with {status}: {reason}", file=sys.stderr)
    for item in (document or {}).get("error", {}).get("refusals", []):
        print(f"  fact {item.get('index')}: {item.get('field')}: {item.get('reason')}", file=sys.stderr)
    sys.exit(1)


def post_facts(server, path, batch_size):
    """Posts the file's facts in batches; returns (appended, duplicates)."""
    with open(path, encoding="utf-8") as lines:
        facts = [line.rstrip("\n") for line in lines if line.strip()]
    appended = duplicates = 0
    for start in range(0, len(facts), batch_size):
        body = ("\n".join(facts[start:start + batch_size]) + "\n").encode("utf-8")
        status, document = server.request("POST", "/v1/facts", body, "application/x-ndjson")
        if status != 200:
            refused(f"facts {start}…{start + batch_size - 1}", status, document)
        appended += document["appended"]
        duplicates += document["duplicates"]
    return appended, duplicates


def events(server, path):
    """The Server-Sent Events of a stream, as (id, event, data) tuples, read as they arrive."""
    connection = server.connection(timeout=None)
    connection.request("GET", path, headers={"Authorization": "Bearer " + server.token, "Accept": "text/event-stream"})
    response = connection.getresponse()
    if response.status != 200:
        refused("subscription", response.status, json.loads(response.read() or b"{}"))
    event_id, event, data = None, "message", []
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data:
                yield event_id, event, "\n".join(data)
            event_id, event, data = None, "message", []
        elif line.startswith(":"):
            continue  # a keep-alive comment
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "id":
                event_id = int(value)
            elif field == "event":
                event = value
            elif field == "data":
                data.append(value)
    connection.close()


def handle(fact, out):
    """The department's own work for one pushed fact: here, one line in its inbox file."""
    out.write(json.dumps(fact, ensure_ascii=False, sort_keys=True) + "\n")


def follow(server, name, types, live, inbox, ack_every):
    """Creates the subscription if needed, consumes it, acknowledges as it goes; returns the count."""
    quoted = urllib.parse.quote(name, safe="")
    status, document = server.request("PUT", f"/v1/subscriptions/{quoted}", json.dumps({"types": types}).encode())
    if status not in (200, 201):
        refused(f"subscription {name}", status, document)
    handled, last, acknowledged = 0, None, document["acknowledged"]

    def acknowledge(position):
        status, document = server.request("POST", f"/v1/subscriptions/{quoted}/ack", json.dumps({"position": position}).encode())
        if status != 200:
            refused(f"acknowledging {position}", status, document)
        return position

    path = f"/v1/subscriptions/{quoted}/events" + ("" if live else "?follow=false")
    with open(inbox, "a", encoding="utf-8") as out:
        for event_id, event, data in events(server, path):
            if event == "end":
                print(f"stream ended: {json.loads(data)['reason']}")
                break
            handle(json.loads(data), out)
            handled, last = handled + 1, event_id
            if handled % ack_every == 0:
                out.flush()
                acknowledged = acknowledge(last)
        out.flush()
    if last is not None and last != acknowledged:
        acknowledged = acknowledge(last)
    print(f"subscription {name}: handled {handled} facts, acknowledged up to {acknowledged}")
    return handled


def main():
    parser = argparse.ArgumentParser(description="A department's reporting job against credit-ledger serve.")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token", required=True, help="the department's bearer token")
    parser.add_argument("--facts", help="interchange v1 facts to report (JSON Lines)")
    parser.add_argument("--batch", type=int, default=1000, help="facts per request (default 1000)")
    parser.add_argument("--subscription", help="the named subscription to follow")
    parser.add_argument("--types", default="", help="fact types the subscription delivers, comma-separated (default all)")
    parser.add_argument("--follow", action="store_true", help="keep following live (default: stop at the head)")
    parser.add_argument("--inbox", default="inbox.jsonl", help="where handled facts are written (default inbox.jsonl)")
    parser.add_argument("--ack-every", type=int, default=100, help="acknowledge after this many facts (default 100)")
    arguments = parser.parse_args()
    server = Server(arguments.url, arguments.token)
    if arguments.facts:
        appended, duplicates = post_facts(server, arguments.facts, arguments.batch)
        print(f"reported: {appended} appended, {duplicates} already held")
    if arguments.subscription:
        types = [t for t in arguments.types.split(",") if t]
        follow(server, arguments.subscription, types, arguments.follow, arguments.inbox, max(1, arguments.ack_every))


if __name__ == "__main__":
    main()
