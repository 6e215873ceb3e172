import ArgumentParser
import CreditDocuments
import CreditLedger
import Foundation
import LedgerPostgres
import LedgerStorage

/// `verify`: every checksum and the hash chain.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every checksum and the hash chain. Exit 0 and `ok records=N head=HEX`; on damage exit 2 naming the file, offset and first bad position.")

    @OptionGroup var options: LedgerOptions

    @Option(name: .customLong("expect-head"),
            help: "A head hash known from before (64 hex digits): it must be the chain hash after one of the ledger's facts, or the history was rewritten (exit 2).")
    var expectHead: String?

    func run() async throws {
        if PostgresLocation.isURL(options.ledger) { return try await verifyPostgres() }
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
                    pairs.append(("damage", Self.json(damage)))
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

    /// A ledger in PostgreSQL: every row's blocks, checksums and the chain, from the rows alone.
    private func verifyPostgres() async throws {
        guard expectHead == nil else {
            printError("credit-ledger: --expect-head is not supported for a PostgreSQL ledger yet")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let report: VerificationReport
        do {
            let log = try await PostgresLog.open(try PostgresLocation(url: options.ledger), configuration: LedgerConfiguration().log, readOnly: true)
            do {
                report = try await log.verify(nil)
            } catch {
                try await log.close()
                throw error
            }
            try await log.close()
        } catch {
            printError("credit-ledger: \(error)")
            throw ExitCode(ExitStatus.damaged.rawValue)
        }
        let seconds = secondsSince(start)
        if options.json {
            var pairs: [(String, JSON)] = [
                ("ok", .bool(report.isIntact)), ("records", .integer(Int(report.records))),
                ("head", .string(report.chainHash.description)), ("seconds", .number(seconds)),
            ]
            if let damage = report.damage {
                pairs.append(("damage", Self.json(damage)))
            }
            print(JSON.object(pairs).text)
        } else if report.isIntact {
            print("ok records=\(report.records) head=\(report.chainHash)")
        }
        if let damage = report.damage {
            if !options.json { printError("credit-ledger: damaged: \(damage)") }
            throw ExitCode(ExitStatus.damaged.rawValue)
        }
    }

    /// The `damage` member of `verify --json`: the file, offset, first bad position and reason.
    private static func json(_ damage: LogDamage) -> JSON {
        .object([
            ("file", .string(damage.file)), ("offset", .integer(Int(damage.offset))),
            ("position", damage.position.map { .integer(Int($0.rawValue)) } ?? .null), ("reason", .string(damage.reason)),
        ])
    }
}
