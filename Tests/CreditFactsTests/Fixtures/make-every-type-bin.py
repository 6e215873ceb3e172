#!/usr/bin/env python3
"""Writes every-type-v0.bin and every-type-v1.bin: the facts of every-type.jsonl in binary schema
versions 0 and 1, one record per line of the JSON file, each record preceded by its length (varint).

Run once; the output is frozen and committed. It is written here, independently of the Swift
encoder, from the layout in README.md and the frozen code tables below, so the tests prove that
today's decoder reads bytes it did not produce and that today's encoder still writes them.
"""
import datetime, json, os

# The frozen binary codes (README.md): a case keeps its code forever; new cases take new codes.
CODES = {
    "type": ["subject.registered", "subject.deregistered", "role.assigned", "role.ended", "licence.granted",
             "penalty.decided", "penalty.performed", "penalty.revoked", "act.recorded", "commitment.made",
             "commitment.fulfilled", "commitment.breached", "list.entered", "list.exited", "repair.applied",
             "repair.decided", "objection.raised", "objection.resolved", "honour.granted", "contract.performance",
             "evaluation.published", "measure.applied", "repair.accepted", "objection.accepted"],
    "subjectKind": ["enterprise", "individualBusiness", "farmerCooperative", "socialOrganisation",
                    "publicInstitution", "governmentBody", "naturalPerson"],
    "role": ["legalRepresentative", "principal", "actualController", "directlyResponsible", "safetyHead",
             "director", "supervisor", "seniorManager", "shareholder"],
    "penaltyKind": ["warning", "criticism", "fine", "confiscation", "qualificationDowngrade", "licenceRevoked",
                    "businessLicenceRevoked", "businessRestricted", "suspension", "closure", "occupationBan",
                    "detention"],
    "procedure": ["summary", "ordinary"],
    "severity": ["minor", "general", "serious"],
    "field": ["foodSafety", "drugs", "specialEquipment", "workSafety", "fireSafety", "environment", "tax",
              "construction", "transport", "other"],
    "revocationReason": ["reconsideration", "litigation", "selfCorrection", "objection"],
    "act": ["compulsion", "confirmation", "levy", "benefit", "ruling", "compensation", "reward", "inspection"],
    "commitmentKind": ["approvalSubstitution", "missingDocuments", "certification", "voluntary",
                       "industrySelfDiscipline", "repair"],
    "breach": ["late", "false", "violated"],
    "list": ["seriousDishonesty", "abnormalOperation", "judgmentDefaulter", "keyAttention", "red",
             "financingWhitelist"],
    "listExitReason": ["expired", "repaired", "performed", "revoked", "courtDeleted", "earlyRemoval"],
    "repairOutcome": ["approved", "rejected"],
    "objectionOutcome": ["upheld", "corrected", "withdrawn"],
    "honourLevel": ["national", "provincial", "municipal", "district"],
    "contractOutcome": ["performed", "defaulted"],
    "scene": ["procurement", "bidding", "fiscalSupport", "landSupply", "licensing", "honours", "highConsumption",
              "publicOffice", "marketEntry", "inspection", "financing", "other"],
    "measureOutcome": ["applied", "notApplicable", "waived"],
}

# Body fields in record order: (name, kind, optional). A kind is a codec below or a CODES table.
BODIES = {
    "subject.registered": [("name", "text", 0), ("kind", "subjectKind", 0), ("region", "region", 0),
                           ("industry", "text", 1), ("birthDate", "date", 1)],
    "subject.deregistered": [("reason", "text", 0)],
    "role.assigned": [("person", "citizen", 0), ("role", "role", 0)],
    "role.ended": [("person", "citizen", 0), ("role", "role", 0)],
    "licence.granted": [("decisionNo", "text", 0), ("item", "text", 0), ("validUntil", "date", 1)],
    "penalty.decided": [("decisionNo", "text", 0), ("kinds", "kinds", 0), ("fineYuan", "yuan", 1),
                        ("procedure", "procedure", 0), ("severity", "severity", 1), ("field", "field", 0),
                        ("legalBasis", "text", 0), ("directlyResponsible", "citizens", 1)],
    "penalty.performed": [("decisionNo", "text", 0)],
    "penalty.revoked": [("decisionNo", "text", 0), ("reason", "revocationReason", 0)],
    "act.recorded": [("act", "act", 0), ("decisionNo", "text", 0), ("outcome", "text", 0), ("negative", "bool", 0)],
    "commitment.made": [("commitmentNo", "text", 0), ("kind", "commitmentKind", 0), ("matter", "text", 0),
                        ("dueDate", "date", 1)],
    "commitment.fulfilled": [("commitmentNo", "text", 0)],
    "commitment.breached": [("commitmentNo", "text", 0), ("breach", "breach", 0), ("severity", "severity", 0)],
    "list.entered": [("listNo", "text", 0), ("list", "list", 0), ("field", "field", 0), ("reason", "text", 0),
                     ("plannedExit", "date", 1), ("publishFrom", "date", 1)],
    "list.exited": [("listNo", "text", 0), ("reason", "listExitReason", 0)],
    "repair.applied": [("repairNo", "text", 0), ("target", "repairTarget", 0), ("commitmentNo", "text", 1)],
    "repair.decided": [("repairNo", "text", 0), ("outcome", "repairOutcome", 0), ("reason", "text", 1)],
    "repair.accepted": [("repairNo", "text", 0)],
    "objection.accepted": [("objectionNo", "text", 0)],
    "objection.raised": [("objectionNo", "text", 0), ("target", "objectionTarget", 0), ("claim", "text", 0)],
    "objection.resolved": [("objectionNo", "text", 0), ("outcome", "objectionOutcome", 0)],
    "honour.granted": [("title", "text", 0), ("level", "honourLevel", 0)],
    "contract.performance": [("contractNo", "text", 0), ("outcome", "contractOutcome", 0), ("amountYuan", "yuan", 1)],
    "evaluation.published": [("scheme", "text", 0), ("grade", "text", 0), ("year", "year", 0)],
    "measure.applied": [("measureId", "text", 0), ("scene", "scene", 0), ("outcome", "measureOutcome", 0),
                        ("caseRef", "text", 1)],
}
ENVELOPE = {"id", "type", "subject", "source", "effective", "reported", "recorded", "body"}


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80); n >>= 7
    out.append(n)
    return bytes(out)

def zigzag(n): return varint((n << 1) ^ (n >> 63))
def text(s): b = s.encode("utf-8"); return varint(len(b)) + b
def date(s): return zigzag((datetime.date.fromisoformat(s) - datetime.date(1970, 1, 1)).days)
def is_citizen(s):
    """Whether an 18-character code is a citizen identity number (GB 11643 check character)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return s[:17].isdigit() and "10X98765432"[sum(int(c) * w for c, w in zip(s, weights)) % 11] == s[17]

def subject(s): return bytes([1 if is_citizen(s) else 0]) + s.encode("ascii")

def yuan(v):
    whole, _, frac = str(v).partition(".")
    return varint(int(whole) * 100 + int((frac + "00")[:2]))

def timestamp(s, version):
    t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    seconds = int(t.timestamp() // 1)
    if version == 0:
        return zigzag(seconds)                                  # v0: whole UTC seconds only
    offset = int(t.utcoffset().total_seconds() // 60)
    return zigzag(seconds) + varint(t.microsecond * 1000) + zigzag(offset)

def target(v, tags):
    (key, number), = v.items()
    return bytes([tags.index(key)]) + text(number)

def value(kind, v):
    if kind in CODES: return bytes([CODES[kind].index(v)])
    if kind == "text": return text(v)
    if kind == "date": return date(v)
    if kind == "region": return varint(int(v))
    if kind == "citizen": return v.encode("ascii")
    if kind == "citizens": return varint(len(v)) + b"".join(x.encode("ascii") for x in v)
    if kind == "kinds": return varint(sum(1 << CODES["penaltyKind"].index(k) for k in v))
    if kind == "yuan": return yuan(v)
    if kind == "bool": return bytes([1 if v else 0])
    if kind == "year": return varint(v)
    if kind == "repairTarget": return target(v, ["decisionNo", "listNo"])
    if kind == "objectionTarget": return target(v, ["decisionNo", "listNo", "commitmentNo"])
    raise ValueError(kind)

def extras(members):
    out = varint(len(members))
    for name in sorted(members, key=lambda n: n.encode("utf-8")):
        out += text(name) + text(json.dumps(members[name], ensure_ascii=False, separators=(",", ":")))
    return out

def record(fact, version):
    out = bytes([version, CODES["type"].index(fact["type"])])
    out += text(fact["id"]) + text(fact["source"]) + subject(fact["subject"]) + date(fact["effective"])
    for key in ("reported", "recorded"):
        out += bytes([0]) if key not in fact else bytes([1]) + timestamp(fact[key], version)
    body = fact["body"]
    for name, kind, optional in BODIES[fact["type"]]:
        if optional:
            out += bytes([0]) if name not in body else bytes([1]) + value(kind, body[name])
        else:
            out += value(kind, body[name])
    if version >= 1:                                            # v0 had no extras sections
        out += extras({k: v for k, v in fact.items() if k not in ENVELOPE})
        out += extras({k: v for k, v in body.items() if k not in {f[0] for f in BODIES[fact["type"]]}})
    return out

here = os.path.dirname(os.path.abspath(__file__))
facts = [json.loads(line) for line in open(os.path.join(here, "every-type.jsonl"), encoding="utf-8")]
# Types added after version 1 (repair.accepted, objection.accepted: codes 22, 23) never had version-0
# records: version 0 holds the first 24 facts; version 1 appends the later types' records after the
# frozen ones, whose bytes stay as they were.
VERSION0_FACTS = 24
for version in (0, 1):
    with open(os.path.join(here, f"every-type-v{version}.bin"), "wb") as f:
        for fact in facts[:VERSION0_FACTS] if version == 0 else facts:
            r = record(fact, version)
            f.write(varint(len(r)) + r)
print(len(facts), "facts")
