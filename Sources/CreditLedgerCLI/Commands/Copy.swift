import ArgumentParser
import CreditLedger
import Foundation
import LedgerPostgres
import LedgerStorage

/// `copy`: a ledger's log from one backend to another (a directory or a PostgreSQL location).
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a ledger's log between backends: a directory or postgres://user@host[:port]/database[?schema=name] (password from PGPASSWORD or the file named by PGPASSWORD_FILE). Records keep their positions and recorded times, so the head hash is the source's; exit 0 and `copied N records head=HEX`, exit 2 when the copy does not verify.",
        discussion: "The destination must be empty or hold a beginning of the source's history (an interrupted copy resumes where it stopped). Only the log is copied: snapshots and intake counters are derived per process and rebuilt by the next open.")

    @Option(name: .long, help: "The ledger to copy: a directory or a postgres:// location.")
    var from: String

    @Option(name: .long, help: "Where to copy it: a directory or a postgres:// location.")
    var to: String

    @Option(name: .customLong("batch-records"), help: "Records per append on the destination (at most 100000).")
    var batchRecords: Int = 10_000

    func run() async throws {
        guard (1...100_000).contains(batchRecords) else { try report(CLIFailure(.usage, "--batch-records must be 1…100000")) }
        let source: any RecordLog
        let target: any RecordLog
        do {
            source = try await LogLocation(from).open(creating: false)
        } catch let error as CLIFailure { try report(error) }
        do {
            // A new destination hashes as the source does, so its chain (and head hash) is the source's.
            target = try await LogLocation(to).open(creating: true, algorithm: source.hashAlgorithm)
        } catch let error as CLIFailure {
            try await source.close()
            try report(error)
        }
        var failure: (any Error)?
        do {
            let copied = try await LogCopy(source: source, target: target, batchRecords: batchRecords).run()
            print("copied \(copied.records) records head=\(copied.head.chainHash)")
        } catch { failure = error }
        for log in [source, target] {
            do { try await log.close() } catch { failure = failure ?? CLIFailure(.damaged, "closing a log failed: \(error)") }
        }
        if let failure { try report(failure) }
    }

    private func report(_ error: any Error) throws -> Never {
        let failure = error as? CLIFailure ?? CLIFailure(error)
        printError("credit-ledger: \(failure.message)")
        throw ExitCode(failure.status.rawValue)
    }
}

/// A ledger argument: a directory (its log in `log/`) or a PostgreSQL location.
struct LogLocation {
    let argument: String

    init(_ argument: String) { self.argument = argument }

    /// Opens the log with the ledger's limits; `creating` makes a missing one (a writer), hashing
    /// with `algorithm` (an existing one must already), otherwise a missing log is an error and the
    /// log is opened read-only.
    func open(creating: Bool, algorithm: LogHashAlgorithm? = nil) async throws -> any RecordLog {
        var configuration = LedgerConfiguration().log
        configuration.hashAlgorithm = algorithm
        if PostgresLocation.isURL(argument) {
            do {
                let location = try PostgresLocation(url: argument)
                return try await PostgresLog.open(location, configuration: configuration, readOnly: !creating)
            } catch {
                throw CLIFailure(.damaged, "\(error)")
            }
        }
        let directory = argument + "/log"
        if !creating, !FileManager.default.fileExists(atPath: directory) { throw CLIFailure(.damaged, "no ledger at \(argument)") }
        do {
            return try FileLog.open(directory: directory, configuration: configuration, readOnly: !creating)
        } catch {
            throw CLIFailure(.damaged, "\(error)")
        }
    }
}

/// Copies records from one log to another in order, keeping their recorded times, so the
/// destination's chain (and head hash) is the source's. Resumes after a beginning already copied.
struct LogCopy {
    let source: any RecordLog
    let target: any RecordLog
    let batchRecords: Int

    func run() async throws -> (records: UInt64, head: LogHead) {
        let sourceHead = try source.head
        var next = try target.head.nextPosition
        guard next <= sourceHead.nextPosition else {
            throw CLIFailure(.refused, "the destination holds \(next) records, more than the source's \(sourceHead.nextPosition): not a copy of it")
        }
        if next > .zero {
            // The destination must hold the source's own beginning.
            let report = try await source.verify(.zero..<next)
            guard report.isIntact, report.chainHash == (try target.head.chainHash) else {
                throw CLIFailure(.refused, "the destination already holds a different history (\(next) records, head \(try target.head.chainHash))")
            }
        }
        let start = next
        let bytesMax = LedgerConfiguration().log.appendBytesMax
        while next < sourceHead.nextPosition {
            let records = try await source.records(from: next, limit: batchRecords)
            var batch: [LogEntry] = []
            var bytes = 0
            for record in records {
                if bytes + record.payload.count > bytesMax, !batch.isEmpty {
                    try await target.append(batch)
                    batch.removeAll(keepingCapacity: true)
                    bytes = 0
                }
                batch.append(LogEntry(payload: record.payload, recordedTime: record.recordedTime))
                bytes += record.payload.count
            }
            if !batch.isEmpty { try await target.append(batch) }
            next = next.advanced(by: UInt64(records.count))
        }
        let copied = try target.head
        let check = try await target.verify(nil)
        guard copied.chainHash == sourceHead.chainHash, check.isIntact, check.chainHash == sourceHead.chainHash else {
            throw CLIFailure(.damaged, "the copy's head \(copied.chainHash) is not the source's \(sourceHead.chainHash)"
                             + (check.damage.map { "; \($0)" } ?? ""))
        }
        return (copied.nextPosition.rawValue - start.rawValue, copied)
    }
}
