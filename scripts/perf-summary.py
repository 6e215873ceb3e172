#!/usr/bin/env python3
"""Where a profile's time goes: self and inclusive shares per function of a `perf record -g` profile.

perf 6.1 does not resolve the symbols of the lld-linked, position-independent Swift executables this
package builds, so this script resolves the executable's own addresses through `nm` and demangles
them with `swift demangle`; addresses in shared libraries keep perf's names.

    perf record -F 199 -g -o import.data .build/release/view-memory LEDGER --import district.jsonl
    scripts/perf-summary.py .build/release/view-memory import.data 30

Prints the number of samples, then the TOP functions by self share (the sample's innermost frame)
and twice as many by inclusive share (the sample has the function anywhere in its call chain).
With `--callers TEXT` as a fourth argument, it prints instead who calls the functions whose name
contains TEXT (the first frame above them that does not contain it), by share of all samples; with
`--callees TEXT`, what they call (the first frame below the outermost match that does not contain
TEXT, everything under it included), by share of all samples.
docs/performance.md explains the profiles it was used for.
"""
import bisect
import collections
import subprocess
import sys


def symbols(binary):
    table = []
    listing = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    table.sort()
    return [address for address, _ in table], [name for _, name in table]


def demangled(names):
    names = list(names)
    result = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names),
                            capture_output=True, text=True).stdout.splitlines()
    return dict(zip(names, result)) if len(result) == len(names) else {name: name for name in names}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: perf-summary.py BINARY PERF_DATA [TOP]")
    binary, data = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    mode = sys.argv[4] if len(sys.argv) > 5 and sys.argv[4] in ("--callers", "--callees") else None
    callee = sys.argv[5] if mode else None
    addresses, names = symbols(binary)
    executable = binary.rsplit("/", 1)[-1]

    def frame_name(ip, symbol, dso):
        if dso.endswith(executable):
            index = bisect.bisect_right(addresses, int(ip, 16)) - 1
            return names[index] if index >= 0 else ip
        return symbol

    stacks = []
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso", "--no-inline"],
                            capture_output=True, text=True, check=True).stdout
    own, anywhere, callers, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for sample in script.split("\n\n"):
        frames = []
        for line in sample.strip().splitlines():
            parts = line.split()
            if len(parts) >= 2:
                frames.append(frame_name(parts[0], " ".join(parts[1:-1]), parts[-1].strip("()")))
        if frames:
            total += 1
            own[frames[0]] += 1
            anywhere.update(set(frames))
            if callee:
                stacks.append(frames)
    if total == 0:
        sys.exit(f"{data}: no samples")
    readable = demangled(set(own) | set(anywhere))
    for frames in stacks:
        inside = [callee in readable.get(name, name) for name in frames]
        if not any(inside):
            continue
        if mode == "--callers":
            first = inside.index(True)
            callers[next((name for name, hit in zip(frames[first:], inside[first:]) if not hit), "(top)")] += 1
        else:  # frames run innermost first: walk down from the outermost match
            outermost = len(inside) - 1 - inside[::-1].index(True)
            below = [name for name, hit in zip(frames[:outermost][::-1], inside[:outermost][::-1]) if not hit]
            callers[below[0] if below else "(self)"] += 1
    print(f"{total} samples")
    if callee:
        print(f"== {mode[2:]} of *{callee}*")
        for name, count in callers.most_common(top):
            print(f"{100 * count / total:5.1f}%  {readable.get(name, name)[:160]}")
        return
    print("== self")
    for name, count in own.most_common(top):
        print(f"{100 * count / total:5.1f}%  {readable.get(name, name)[:160]}")
    print("== inclusive")
    for name, count in anywhere.most_common(2 * top):
        print(f"{100 * count / total:5.1f}%  {readable.get(name, name)[:160]}")


if __name__ == "__main__":
    main()
