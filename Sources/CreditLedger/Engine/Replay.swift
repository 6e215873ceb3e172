import CreditFacts
import LedgerStorage

/// Feeds stored facts to views.
enum Replay {
    /// Decodes one stored record into a recorded fact.
    static func decode(_ record: LogRecordView) throws(LedgerError) -> RecordedFact {
        var fact: Fact
        do {
            fact = try BinaryFactCodec.decode(record.payload.assumingMemoryBound(to: UInt8.self))
        } catch {
            throw .undecodable(position: record.position, reason: "\(error)")
        }
        fact.recorded = Timestamp(record.recordedTime)
        return RecordedFact(position: record.position, recorded: record.recordedTime, fact: fact,
                            contentHash: ContentHash.fnv1a(record.payload))
    }

    /// Applies the facts at positions `start ..< end` to `views`, in log order.
    static func apply(log: FileLog, from start: Position, to end: Position, into views: inout ViewSet) throws(LedgerError) {
        guard start < end else { return }
        do {
            try log.forEach(from: start, to: end) { record in views.apply(try decode(record)) }
        } catch let error as LedgerError {
            throw error
        } catch let error as LogError {
            throw .log(error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }
}

extension Timestamp {
    /// A recorded time as a timestamp in China Standard Time (UTC+08:00), to the microsecond.
    init(_ time: RecordedTime) {
        let micros = time.microsecondsSinceEpoch
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        self.init(secondsSinceEpoch: seconds, nanoseconds: UInt32((micros - seconds * 1_000_000) * 1_000),
                  offsetMinutes: Timestamp.chinaStandardTimeOffsetMinutes)!
    }

    /// The instant as a recorded time (sub-microsecond digits dropped).
    var recordedTime: RecordedTime {
        RecordedTime(microsecondsSinceEpoch: secondsSinceEpoch * 1_000_000 + Int64(nanoseconds / 1_000))
    }
}
