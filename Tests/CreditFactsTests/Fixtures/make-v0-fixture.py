#!/usr/bin/env python3
"""Writes penalty-v0.bin: the INTERCHANGE spec's example penalty in binary schema version 0.

Run once; the output is frozen and committed. It is written here, independently of the Swift
encoder, so the upcasting test proves that today's decoder reads bytes it did not produce.
"""
import calendar, datetime

def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80); n >>= 7
    out.append(n)
    return bytes(out)

def zigzag(n): return varint((n << 1) ^ (n >> 63))
def text(s): b = s.encode("utf-8"); return varint(len(b)) + b

days = (datetime.date(2023, 6, 1) - datetime.date(1970, 1, 1)).days
reported_utc = calendar.timegm((2023, 6, 6, 2, 12, 0))        # 2023-06-06T10:12:00+08:00

record = bytes([0, 5])                                       # version 0, type 5 = penalty.decided
record += text("JD-SCJG-2023-000123") + text("310114-SCJG")
record += bytes([0]) + b"914403001922038216"                 # organisation subject
record += zigzag(days)
record += bytes([1]) + zigzag(reported_utc)                  # v0: UTC seconds only
record += bytes([0])                                         # no recorded
record += text("沪市监嘉处〔2023〕123号")
record += varint(1 << 2)                                     # kinds = {fine}
record += bytes([1]) + varint(5_000_000)                     # fineYuan 50000 in fen
record += bytes([1])                                         # procedure ordinary
record += bytes([1, 1])                                      # severity present, general
record += bytes([0])                                         # field foodSafety
record += text("《食品安全法》第一百二十四条")
record += bytes([0])                                         # no directlyResponsible
open("penalty-v0.bin", "wb").write(record)                   # v0 had no extras sections
print(len(record), record.hex())
