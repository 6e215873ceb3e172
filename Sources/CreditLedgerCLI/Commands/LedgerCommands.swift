import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// `verify`: every checksum and the hash chain.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every checksum and the hash chain. Exit 0 and `ok records=N head=HEX`; on damage exit 2 naming the file, offset and first bad position.")

    @OptionGroup var options: LedgerOptions

    @Option(name: .customLong("expect-head"),
            help: "A head hash known from before (64 hex digits): it must be the chain hash after one of the ledger's facts, or the history was rewritten (exit 2).")
    var expectHead: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let directory = options.ledger + "/log"
            guard FileManager.default.fileExists(atPath: directory) else { throw CLIFailure(.damaged, "no ledger at \(options.ledger)") }
            let expected = try expectHead.map { text in
                guard let hash = ChainHash(hex: text) else { throw CLIFailure(.usage, "--expect-head needs 64 hexadecimal digits, got \"\(text)\"") }
                return hash
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let report: VerificationReport
            let progress = Progress("verify", unit: "MB")
            do {
                report = try FileLog.verify(directory: directory, expectHead: expected) { done, total in
                    progress.update(Int(done >> 20), fraction: total > 0 ? Double(done) / Double(total) : nil)
                }
            } catch { throw CLIFailure(.damaged, "\(error)") }
            progress.finish()
            let seconds = secondsSince(start)
            // Derived files (snapshots, intake counters) are named when damaged; the log decides.
            let derived = report.isIntact ? try Ledger.checkDerivedFiles(directory: options.ledger) : []
            let audit = try AuditVerification(ledger: options.ledger)
            if options.json {
                var pairs: [(String, JSON)] = [
                    ("ok", .bool(report.isIntact)), ("records", .integer(Int(report.records))),
                    ("head", .string(report.chainHash.description)), ("seconds", .number(seconds)),
                ]
                if let end = report.expectedHeadEnd { pairs.append(("expectedHeadRecords", .integer(Int(end.rawValue)))) }
                if !report.derivedDamage.isEmpty || !derived.isEmpty {
                    pairs.append(("derivedDamage", .array(report.derivedDamage.map { .string($0.description) } + derived.map(JSON.string))))
                }
                if let audit = audit.json { pairs.append(("audit", audit)) }
                if let damage = report.damage {
                    pairs.append(("damage", .object([
                        ("file", .string(damage.file)), ("offset", .integer(Int(damage.offset))),
                        ("position", damage.position.map { .integer(Int($0.rawValue)) } ?? .null), ("reason", .string(damage.reason)),
                    ])))
                }
                print(JSON.object(pairs).text)
            } else if report.isIntact {
                let covered = report.expectedHeadEnd.map { " expected-head-records=\($0)" } ?? ""
                print("ok records=\(report.records) head=\(report.chainHash)\(covered)")
            }
            for damage in report.derivedDamage.map(\.description) + derived where !options.json {
                printError("credit-ledger: derived file damaged or missing (rebuilt by the next writer open): \(damage)")
            }
            if !options.json { audit.printText() }
            if let damage = report.damage {
                if !options.json { printError("credit-ledger: damaged: \(damage)") }
                throw ExitCode(ExitStatus.damaged.rawValue)
            }
            if audit.isDamaged { throw ExitCode(ExitStatus.damaged.rawValue) }
        }
    }
}

/// `digest`: the hex digest of all views as of / known at the given instants.
struct Digest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hex digest of all views as of --as-of and known at --known-at: identical for identical inputs on any run or machine.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let date = try time.date()
            let digest = try ledger.digest(asOf: date, knownAt: try time.instant())
            if options.json {
                print(QueryDocuments.digest(asOf: date, knownAtText: try time.knownAtText(), digest: digest).text)
            } else {
                print(digest)
            }
        }
    }
}

/// `replay`: rebuild every view from the log alone and report the rate.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every view from the log alone (no snapshot); print facts=N seconds=S facts/s=R digest=HEX.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let start = DispatchTime.now().uptimeNanoseconds
            let progress = Progress("replay", total: Int(try ledger.head.recordCount))
            let rebuilt = try ledger.rebuild { progress.update(Int($0)) }
            progress.finish()
            let seconds = secondsSince(start)
            let date = try time.date()
            let digest = Ledger.digest(of: rebuilt.views, asOf: date, context: ledger.context)
            guard digest == (try ledger.digest(asOf: date)) else {
                throw CLIFailure(.damaged, "the replayed views' digest \(digest) differs from the live views'")
            }
            let rate = Int(Double(rebuilt.facts) / max(seconds, 1e-9))
            if options.json {
                print(JSON.object([("facts", .integer(Int(rebuilt.facts))), ("seconds", .number(seconds)),
                                   ("factsPerSecond", .integer(rate)), ("digest", .string(digest))]).text)
            } else {
                print("facts=\(rebuilt.facts) seconds=\(String(format: "%.3f", seconds)) facts/s=\(rate) digest=\(digest)")
            }
        }
    }
}

/// `export`: interchange v1 lines with `recorded`, in log order.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every fact as interchange v1 with `recorded`, in log order (round-trips through `import --backfill`).")

    @OptionGroup var options: LedgerOptions

    @Option(help: "Output file (default: stdout).")
    var out: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let total = Int(try ledger.head.recordCount)
            let sink = try LineSink(path: out)
            let progress = Progress("export", total: total)
            var line: [UInt8] = []
            var written = 0
            try ledger.forEachFact { recorded in
                line.removeAll(keepingCapacity: true)
                FactJSONCodec.encode(recorded.fact, into: &line)
                line.append(UInt8(ascii: "\n"))
                try sink.write(line)
                written += 1
                if written % 65_536 == 0 { progress.update(written) }
            }
            try sink.close()
            progress.finish()
        }
    }
}

/// `check-id CODE…`: validates unified social credit codes and citizen identity numbers.
struct CheckID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-id",
        abstract: "Validate USCC / citizen identity numbers: `CODE valid` or `CODE invalid: reason`; exit 0 only if all are valid.")

    @Argument(help: "Codes to check.")
    var codes: [String]

    @Flag(help: "One JSON document on stdout.")
    var json = false

    func run() throws {
        IdentityOutput.show()  // it echoes the codes it was given
        var results: [JSON] = []
        var allValid = true
        for code in codes {
            do {
                let subject = try SubjectCode(code)
                var warning: String?
                if case .organisation(let organisation) = subject { warning = organisation.warning?.description }
                let kind = subject.isPerson ? "citizenIdentityNumber" : "unifiedSocialCreditCode"
                results.append(.object([("code", .string(code)), ("valid", .bool(true)), ("kind", .string(kind)),
                                        ("reason", .null), ("warning", .optional(warning))]))
                if !json { print("\(code) valid" + (warning.map { " (warning: \($0))" } ?? "")) }
            } catch {
                allValid = false
                results.append(.object([("code", .string(code)), ("valid", .bool(false)), ("kind", .null),
                                        ("reason", .string("\(error)")), ("warning", .null)]))
                if !json { print("\(code) invalid: \(error)") }
            }
        }
        if json { print(JSON.object([("codes", .array(results))]).text) }
        if !allValid { throw ExitCode(ExitStatus.refused.rawValue) }
    }
}
