import Foundation
import Testing
@testable import LedgerStorage

/// The log driven through seeded fault schedules on ``SimulatedFileSystem``: appends and append
/// sessions while writes fail, tear, fill the disk or land elsewhere, syncs fail or lie, the
/// machine crashes at any operation and bits flip at rest. After each crash the log is reopened
/// and every record it serves is compared with what was acknowledged.
///
/// 1,000 schedules run in `make test`; `LEDGER_SIMULATION_SEEDS=100000` runs more. A failing
/// seed replays exactly: `LEDGER_SIMULATION_FIRST_SEED=N LEDGER_SIMULATION_SEEDS=1`.
@Suite struct SimulationTests {
    static let directory = "/simulated/log"

    /// Tiny limits so a few appends fill segments: seals, the manifest and index files are in
    /// every schedule.
    static func configuration(_ fs: SimulatedFileSystem) -> LogConfiguration {
        var configuration = LogConfiguration()
        configuration.recordBytesMax = 200
        configuration.blockRawBytesMax = 1_024
        configuration.recordsPerAppendMax = 20
        configuration.appendBytesMax = 2_000
        configuration.segmentBytesMax = 6_000
        configuration.fileSystem = fs
        // A clock that stands still: the log moves each record a microsecond on, so recorded
        // times, block sizes and every operation replay exactly from the seed.
        configuration.clock = { RecordedTime(microsecondsSinceEpoch: 1_700_000_000_000_000) }
        return configuration
    }

    /// What the schedules found. The goals: no acknowledged record lost or changed unnoticed.
    struct Figures: CustomStringConvertible {
        var schedules = 0
        var crashes = 0
        var crashPoints = Set<Int>()
        var writeFaults = 0, misdirected = 0, syncFailures = 0, syncLies = 0
        var flips: [String: Int] = [:]
        var refused = 0
        var falseRefusals = 0
        var lostAcknowledged = 0
        /// Lost after a lying `fdatasync` or a misdirected write of the checkpoint: without a
        /// witness outside the disk, no single-disk log can tell these from a torn tail.
        var lostToLyingSync = 0
        var silentlyWrong = 0
        var inFlightKept = 0
        var acknowledgedRecords = 0

        var description: String {
            let flipText = flips.keys.sorted().map { "\($0)=\(flips[$0]!)" }.joined(separator: " ")
            return "schedules=\(schedules) crashes=\(crashes) distinct-crash-points=\(crashPoints.count) "
                + "acknowledged-records=\(acknowledgedRecords) write-faults=\(writeFaults) misdirected=\(misdirected) "
                + "sync-failures=\(syncFailures) sync-lies=\(syncLies) bit-flips[\(flipText)] refused=\(refused) "
                + "false-refusals=\(falseRefusals) lost-acknowledged=\(lostAcknowledged) "
                + "lost-to-lying-sync-or-misdirected-write(undetectable)=\(lostToLyingSync) silently-wrong=\(silentlyWrong) in-flight-kept=\(inFlightKept)"
        }
    }

    @Test(.timeLimit(.minutes(10))) func everyAcknowledgedRecordSurvivesSeededFaultsOrTheLogRefuses() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = Int(environment["LEDGER_SIMULATION_SEEDS"] ?? "") ?? 1_000
        let first = UInt64(environment["LEDGER_SIMULATION_FIRST_SEED"] ?? "") ?? 1
        var figures = Figures()
        for seed in first..<first + UInt64(count) {
            var schedule = Schedule(seed: seed)
            schedule.run(into: &figures)
        }
        print("simulation: \(figures)")
        #expect(figures.schedules == count)
        #expect(figures.lostAcknowledged == 0, "acknowledged records lost without the log noticing")
        #expect(figures.silentlyWrong == 0, "records served that were never acknowledged or differ")
        #expect(figures.falseRefusals == 0, "a log refused after faults that cannot damage acknowledged data")
        #expect(figures.crashes >= count, "every schedule crashes at least once")
    }
}

/// One seeded schedule: three rounds of (open, work under faults, crash, maybe flip bits,
/// reopen without faults and check).
struct Schedule {
    let fs: SimulatedFileSystem
    var random: SplitMix
    /// The payloads of the acknowledged records, in order.
    var model: [[UInt8]] = []
    /// The payloads of the append or session that was running when it failed or crashed.
    var inFlight: [[UInt8]] = []
    var seed: UInt64
    /// `LEDGER_SIMULATION_TRACE=1` prints every step (to debug one seed).
    let tracing = ProcessInfo.processInfo.environment["LEDGER_SIMULATION_TRACE"] != nil

    func trace(_ text: @autoclosure () -> String) { if tracing { print("seed \(seed): \(text())") } }

    init(seed: UInt64) {
        self.seed = seed
        fs = SimulatedFileSystem(seed: seed)
        random = SplitMix(seed: seed &* 0x2545_F491_4F6C_DD1D)
    }

    mutating func run(into figures: inout SimulationTests.Figures) {
        figures.schedules += 1
        for _ in 0..<3 {
            let faults = drawFaults()
            fs.setFaults(faults)
            trace("round: faults \(faults)")
            work()
            trace("crash; files \(fs.files)")
            fs.crash()
            figures.crashPoints.insert(faults.crashAtOperation)
            if random.next() % 4 == 0 { flipBit() }
            fs.setFaults(.init())
            guard check(&figures) else { break }
        }
        let injected = fs.injected
        figures.crashes += injected.crashes
        figures.writeFaults += injected.writeFaults
        figures.misdirected += injected.misdirected
        figures.syncFailures += injected.syncFailures
        figures.syncLies += injected.syncLies
        for (kind, count) in injected.flips { figures.flips[kind, default: 0] += count }
        figures.acknowledgedRecords += model.count
    }

    /// Each fault kind is on in some schedules, at a rate high enough to matter in a short run.
    mutating func drawFaults() -> SimulatedFileSystem.Faults {
        var faults = SimulatedFileSystem.Faults()
        func maybe(_ rate: Double) -> Double { random.next() % 3 == 0 ? rate : 0 }
        faults.writeFails = maybe(0.02)
        faults.writeNoSpace = maybe(0.02)
        faults.writeTears = maybe(0.02)
        faults.writeMisdirected = random.next() % 10 == 0 ? 0.02 : 0
        faults.syncFails = maybe(0.02)
        faults.syncLies = random.next() % 10 == 0 ? 0.05 : 0
        faults.crashAtOperation = 1 + Int(random.next() % 80)
        return faults
    }

    /// Opens the log and appends until an error (a fault or the crash) stops it.
    mutating func work() {
        inFlight = []
        guard let log = try? FileLog.open(directory: SimulationTests.directory, configuration: SimulationTests.configuration(fs))
        else { return }
        trace("opened at \(String(describing: try? log.head.nextPosition)), model \(model.count)")
        for _ in 0..<12 {
            do {
                if random.next() % 3 == 0 { try session(log) } else { try append(log) }
                trace("acknowledged: model \(model.count)")
            } catch {
                trace("failed: \(error); in flight \(inFlight.count)")
                return
            }
        }
        try? log.close()
    }

    mutating func payloads(_ count: Int) -> [[UInt8]] {
        (0..<count).map { _ in
            var bytes = [UInt8](repeating: 0, count: Int(random.next() % 120))
            for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
            return bytes
        }
    }

    mutating func append(_ log: FileLog) throws {
        inFlight = payloads(1 + Int(random.next() % 15))
        try log.append(inFlight.map { LogEntry(payload: $0) })
        model += inFlight
        inFlight = []
    }

    mutating func session(_ log: FileLog) throws {
        let session = try log.beginAppend()
        inFlight = []
        for _ in 0..<(1 + random.next() % 6) {
            let batch = payloads(1 + Int(random.next() % 15))
            inFlight += batch
            try session.write(batch.map { LogEntry(payload: $0) })
        }
        if random.next() % 5 == 0 {
            session.abort()
            inFlight = []
            return
        }
        _ = try session.commit()
        model += inFlight
        inFlight = []
    }

    mutating func flipBit() {
        let files = fs.files
        guard !files.isEmpty else { return }
        let file = files[Int(random.next() % UInt64(files.count))]
        let kind = file.hasSuffix(".segment") ? "segment" : file.hasSuffix(".index") ? "index"
            : file.hasSuffix("CHECKPOINT") ? "checkpoint" : file.hasSuffix("MANIFEST") ? "manifest" : "other"
        fs.flipBit(in: file, kind: kind)
        trace("flipped a bit in \(file)")
    }

    /// Reopens without faults and compares what the log serves with what was acknowledged.
    /// False when the schedule cannot go on (the log refused).
    mutating func check(_ figures: inout SimulationTests.Figures) -> Bool {
        do {
            let log = try FileLog.open(directory: SimulationTests.directory, configuration: SimulationTests.configuration(fs))
            defer { try? log.close() }
            var served: [[UInt8]] = []
            try log.forEach(from: .zero) { served.append(Array($0.payload)) }
            trace("reopened: served \(served.count), model \(model.count), in flight \(inFlight.count)")
            if served == model { return true }
            if !inFlight.isEmpty, served == model + inFlight {
                figures.inFlightKept += 1
                model = served
                return true
            }
            if served.count < model.count, Array(model.prefix(served.count)) == served {
                if fs.injected.syncLies + fs.injected.misdirected > 0 { figures.lostToLyingSync += 1 } else {
                    figures.lostAcknowledged += 1
                    Issue.record("seed \(seed): \(model.count - served.count) acknowledged records lost silently")
                }
                model = served
                return true
            }
            figures.silentlyWrong += 1
            Issue.record("seed \(seed): served \(served.count) records that differ from the \(model.count) acknowledged")
            return false
        } catch LogError.damaged(let damage) {
            figures.refused += 1
            if !fs.injected.damaging {
                figures.falseRefusals += 1
                Issue.record("seed \(seed): refused after harmless faults: \(damage)")
            }
            return false
        } catch {
            Issue.record("seed \(seed): reopening without faults failed: \(error)")
            return false
        }
    }
}
