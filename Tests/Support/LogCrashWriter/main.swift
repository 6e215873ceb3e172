// The child process of the crash tests: appends batches of deterministic records to a log
// forever, printing `ack NEXT HEAD` after each append returns (that is, once it is durable).
// The test kills it with SIGKILL at a random moment and checks every acknowledged record.
import Glibc
import LedgerStorage
import LogTestSupport

let directory = CommandLine.arguments[1]
var random = LinearCongruential(seed: UInt64(CommandLine.arguments[2]) ?? 1)

struct LinearCongruential {
    var seed: UInt64
    mutating func next() -> UInt64 {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return seed >> 33
    }
}

do {
    var configuration = LogConfiguration()
    configuration.segmentBytesMax = Int(CommandLine.arguments[3]) ?? configuration.segmentBytesMax
    configuration.appendBytesMax = min(configuration.appendBytesMax, configuration.segmentBytesMax / 4)
    configuration.recordsPerAppendMax = 2_000
    let log = try FileLog.open(directory: directory, configuration: configuration)
    while true {
        let first = try log.head.nextPosition.rawValue
        let count = 1 + Int(random.next() % 400)
        let entries = (0..<UInt64(count)).map {
            LogEntry(payload: Payloads.bytes(position: first + $0, length: Payloads.length(position: first + $0)))
        }
        let receipt = try log.append(entries)
        let line = "ack \(receipt.head.nextPosition) \(receipt.head.chainHash)\n"
        _ = line.withCString { write(1, $0, strlen($0)) }
    }
} catch {
    let line = "error \(error)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
