// The child process of the crash tests: appends deterministic records to a log forever and
// reports on stdout what it made durable. The test kills it with SIGKILL and checks the log.
//
//   LogCrashWriter DIR SEED SEGMENT_BYTES                 plain appends; `ack NEXT HEAD` after each
//   LogCrashWriter DIR SEED SEGMENT_BYTES deferred        plain appends with deferred durability,
//                                                         `ack NEXT HEAD` once written; a sync()
//                                                         after about every third, `synced NEXT`
//   LogCrashWriter DIR SEED SEGMENT_BYTES session         append sessions of several writes:
//                                                         `wrote NEXT` after each write,
//                                                         `committing END` before commit,
//                                                         `ack NEXT HEAD` after it returns
//   LogCrashWriter DIR SEED SEGMENT_BYTES session-step    the same, waiting for a line on stdin
//                                                         after each report (kills at exact boundaries)
import Glibc
import LedgerStorage
import LogTestSupport

let directory = CommandLine.arguments[1]
var random = LinearCongruential(seed: UInt64(CommandLine.arguments[2]) ?? 1)
let mode = CommandLine.arguments.count > 4 ? CommandLine.arguments[4] : "append"

struct LinearCongruential {
    var seed: UInt64
    mutating func next() -> UInt64 {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return seed >> 33
    }
}

/// Writes a line to stdout at once (no buffering: the process may die any moment), and in step
/// mode waits for the test's go-ahead.
func report(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(1, $0, strlen($0)) }
    if mode == "session-step" { _ = readLine() }
}

func entries(from first: UInt64, count: Int) -> [LogEntry] {
    (0..<UInt64(count)).map {
        LogEntry(payload: Payloads.bytes(position: first + $0, length: Payloads.length(position: first + $0)))
    }
}

do {
    var configuration = LogConfiguration()
    configuration.segmentBytesMax = Int(CommandLine.arguments[3]) ?? configuration.segmentBytesMax
    configuration.appendBytesMax = min(configuration.appendBytesMax, configuration.segmentBytesMax / 4)
    configuration.recordsPerAppendMax = 2_000
    if mode == "deferred" { configuration.durability = .deferred }
    let log = try FileLog.open(directory: directory, configuration: configuration)
    while true {
        if mode == "append" || mode == "deferred" {
            let first = try log.head.nextPosition.rawValue
            let receipt = try log.append(entries(from: first, count: 1 + Int(random.next() % 400)))
            report("ack \(receipt.head.nextPosition) \(receipt.head.chainHash)")
            if mode == "deferred" && random.next() % 3 == 0 {
                try log.sync()
                report("synced \(receipt.head.nextPosition)")
            }
            continue
        }
        let session = try log.beginAppend()
        report("begun \(try session.pendingHead.nextPosition)")
        for _ in 0..<(1 + random.next() % 5) {
            let first = try session.pendingHead.nextPosition.rawValue
            try session.write(entries(from: first, count: 1 + Int(random.next() % 300)))
            report("wrote \(try session.pendingHead.nextPosition)")
        }
        report("committing \(try session.pendingHead.nextPosition)")
        let receipt = try session.commit()
        report("ack \(receipt.head.nextPosition) \(receipt.head.chainHash)")
    }
} catch {
    let line = "error \(error)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
