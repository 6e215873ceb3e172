import Crypto
import CreditFacts
import Foundation

extension Grader {
    /// How many subjects stand at each level on `date`: every subject the registry knows as
    /// registered on or before `date` and not deregistered by then. Levels are computed without
    /// reasons, on every core.
    public func distribution(asOf date: LegalDate, views: ViewSet) -> GradeDistribution {
        let sources = GradingSources(views)
        let subjects = sources.gradedSubjects(asOf: date)
        var counts = [Int](repeating: 0, count: GradeLevel.allCases.count)
        for level in levels(of: subjects, asOf: date, sources: sources) { counts[Int(level)] += 1 }
        return GradeDistribution(model: model.id, asOf: date, counts: counts)
    }

    /// The random inspection draw (双随机) on `date` for `seed`: within each level, the subjects
    /// (as counted by ``distribution(asOf:views:)``) are ranked by the first 8 bytes, big-endian,
    /// of SHA-256 over the UTF-8 text `"<seed>|<YYYY-MM-DD>|<code>"` (ties by code), and the first
    /// ⌈share · population⌉ are drawn, the share read to a millionth. Anyone can recompute the
    /// ranking with `sha256sum`; the same seed, date and views give the same draw on any machine.
    public func inspectionDraw(asOf date: LegalDate, seed: UInt64, views: ViewSet) -> InspectionDraw {
        let sources = GradingSources(views)
        let subjects = sources.gradedSubjects(asOf: date)
        let levels = levels(of: subjects, asOf: date, sources: sources)
        var byLevel = [[SubjectCode]](repeating: [], count: GradeLevel.allCases.count)
        for (subject, level) in zip(subjects, levels) { byLevel[Int(level)].append(subject) }
        let draws = GradeLevel.allCases.map { level -> InspectionDraw.Level in
            let population = byLevel[level.index]
            let share = model.supervision.share(of: level)
            let wanted = Self.drawCount(share: share, population: population.count)
            let ranked = Self.ranked(population, seed: seed, asOf: date)
            return InspectionDraw.Level(level: level, population: population.count, share: share, drawn: Array(ranked.prefix(wanted)))
        }
        return InspectionDraw(model: model.id, asOf: date, seed: seed, levels: draws)
    }

    /// ⌈share · population⌉ in integers: the share in millionths, so no rounding of binary
    /// fractions (0.05 · 100 = 5.000000000000001) adds a subject.
    static func drawCount(share: Double, population: Int) -> Int {
        let millionths = Int((share * 1_000_000).rounded())
        return (millionths * population + 999_999) / 1_000_000
    }

    /// `subjects` in draw order for `seed` and `date`.
    static func ranked(_ subjects: [SubjectCode], seed: UInt64, asOf date: LegalDate) -> [SubjectCode] {
        let prefix = "\(seed)|\(date)|"
        return subjects.map { subject -> (UInt64, SubjectCode) in
            let digest = SHA256.hash(data: Data((prefix + subject.description).utf8))
            return (digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }, subject)
        }.sorted { $0 < $1 }.map(\.1)
    }

    /// The level index (A = 0 … M = 4) of each subject, computed on every core: each core takes a
    /// contiguous share and its own scratch records, and builds no reasons.
    func levels(of subjects: [SubjectCode], asOf date: LegalDate, sources: GradingSources) -> [UInt8] {
        var levels = [UInt8](repeating: 0, count: subjects.count)
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, subjects.count / 1024))
        levels.withUnsafeMutableBufferPointer { buffer in
            let output = LevelSlots(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let share = (subjects.count + parts - 1) / parts
                var records = SubjectRecords()
                var none: [GradeReason] = []
                for index in (part * share)..<min(subjects.count, (part + 1) * share) {
                    let (level, _) = evaluate(subjects[index], asOf: date, sources: sources, records: &records,
                                              reasons: &none, collecting: false)
                    output.buffer[index] = UInt8(level.index)
                }
            }
        }
        return levels
    }
}

/// Slots each core writes its own contiguous range of, separated by `concurrentPerform`'s barrier.
private struct LevelSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }
}
