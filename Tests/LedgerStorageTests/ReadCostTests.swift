import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// What checking the chain on every read costs: a scan of the same log with
/// `readChecksChain` on and off. A measurement, not a check: run it on purpose with
/// `LEDGER_READ_COST=1 swift test --filter ReadCostTests` (in a release build for real figures).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LEDGER_READ_COST"] != nil))
struct ReadCostTests {
    let directory = TemporaryDirectory()

    @Test func scanThroughputWithAndWithoutChainChecks() throws {
        var configuration = LogConfiguration()
        configuration.durability = .unsafeNoSync
        let records = 300_000
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        for first in stride(from: 0, to: records, by: 10_000) {
            try log.append((first..<first + 10_000).map { LogEntry(payload: Payloads.text(position: UInt64($0), length: 150)) })
        }
        try log.close()
        for checks in [false, true, false, true] {
            configuration.readChecksChain = checks
            let reader = try FileLog.open(directory: directory.path, configuration: configuration, readOnly: true)
            var count = 0
            let start = DispatchTime.now().uptimeNanoseconds
            try reader.forEach(from: .zero) { _ in count += 1 }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("read cost: chain checks \(checks ? "on " : "off"): \(count) records in \(String(format: "%.3f", seconds)) s, "
                + "\(String(format: "%.2f", Double(count) / seconds / 1e6)) M records/s")
            #expect(count == records)
        }
    }
}
