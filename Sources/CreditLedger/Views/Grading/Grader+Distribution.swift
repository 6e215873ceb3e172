import Crypto
import CreditFacts
import Foundation

extension Grader {
    /// How many subjects stand at each level on `date`: every subject the registry knows as
    /// registered on or before `date` and not deregistered by then. Levels are computed without
    /// reasons, on every core.
    public func distribution(asOf date: LegalDate, views: StatusViews) -> GradeDistribution {
        GradeDistribution(model: model.id, asOf: date, levels: levels(of: views.gradedSubjects(asOf: date), asOf: date, views: views))
    }

    /// The random inspection draw (双随机) on `date` for `seed`: within each level, the subjects
    /// (as counted by ``distribution(asOf:views:)``) are ranked by the first 8 bytes, big-endian,
    /// of SHA-256 over the UTF-8 text `"<seed>|<YYYY-MM-DD>|<code>"` (ties by code), and the first
    /// ⌈share · population⌉ are drawn, the share read to a millionth. Anyone can recompute the
    /// ranking with `sha256sum`; the same seed, date and views give the same draw on any machine.
    public func inspectionDraw(asOf date: LegalDate, seed: UInt64, views: StatusViews) -> InspectionDraw {
        let subjects = views.gradedSubjects(asOf: date)
        let levels = levels(of: subjects, asOf: date, views: views)
        let keys = Self.rankKeys(subjects, seed: seed, asOf: date)
        var byLevel = [[(key: UInt64, subject: SubjectCode)]](repeating: [], count: GradeLevel.allCases.count)
        for index in subjects.indices { byLevel[Int(levels[index])].append((keys[index], subjects[index])) }
        let draws = GradeLevel.allCases.map { level -> InspectionDraw.Level in
            let population = byLevel[level.index]
            let share = model.supervision.share(of: level)
            let drawn = population.sorted { $0 < $1 }.prefix(Self.drawCount(share: share, population: population.count))
            return InspectionDraw.Level(level: level, population: population.count, share: share, drawn: drawn.map(\.subject))
        }
        return InspectionDraw(model: model.id, asOf: date, seed: seed, levels: draws)
    }

    /// ⌈share · population⌉ in integers: the share in millionths, so no rounding of binary
    /// fractions (0.1 · 30 = 3.0000000000000004) adds a subject.
    static func drawCount(share: Double, population: Int) -> Int {
        let millionths = Int((share * 1_000_000).rounded())
        return (millionths * population + 999_999) / 1_000_000
    }

    /// `subjects` in draw order for `seed` and `date`.
    static func ranked(_ subjects: [SubjectCode], seed: UInt64, asOf date: LegalDate) -> [SubjectCode] {
        zip(rankKeys(subjects, seed: seed, asOf: date), subjects).sorted { $0 < $1 }.map(\.1)
    }

    /// Each subject's rank key: the first 8 bytes, big-endian, of SHA-256 over
    /// `"<seed>|<YYYY-MM-DD>|<code>"`. Computed on every core, one reused buffer per core.
    static func rankKeys(_ subjects: [SubjectCode], seed: UInt64, asOf date: LegalDate) -> [UInt64] {
        let prefix = Array("\(seed)|\(date)|".utf8)
        return concurrentMap(subjects.count, zero: 0) { range, output in
            var text = prefix
            for index in range {
                text.removeSubrange(prefix.count...)
                text.append(contentsOf: subjects[index].description.utf8)
                output[index] = SHA256.hash(data: text).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
            }
        }
    }

    /// The level index (A = 0 … M = 4) of each subject, computed on every core, each core reading
    /// standings into one reused value (a person's organisations only when a rule looks at them).
    func levels(of subjects: [SubjectCode], asOf date: LegalDate, views: StatusViews) -> [UInt8] {
        levels(of: subjects, asOf: date, views: views, zero: ()) { _ in () }.map(\.level)
    }

    /// Each subject's level index with what `also` computes from the same standing (a report that
    /// needs more than the grades from every subject reads each standing once).
    func levels<T: Sendable>(of subjects: [SubjectCode], asOf date: LegalDate, views: StatusViews, zero: T,
                             also: @Sendable (Standing) -> T) -> [(level: UInt8, also: T)] {
        Self.concurrentMap(subjects.count, zero: (level: 0, also: zero)) { range, output in
            guard let first = range.first else { return }
            var standing = Standing(of: subjects[first], asOf: date, views: views, penetration: penetration, withOrganisations: needsLinks,
                                    parts: parts)
            var none: [GradeReason] = []
            for index in range {
                if index != first {
                    standing.read(subjects[index], asOf: date, views: views, penetration: penetration, withOrganisations: needsLinks,
                                  parts: parts)
                }
                let (level, _) = evaluate(standing, reasons: &none, collecting: false)
                output[index] = (UInt8(level.index), also(standing))
            }
        }
    }

    /// An array of `count` elements filled on every core: the elements are cut into contiguous
    /// ranges of at least 1,024, eight per core, which the cores take as they finish (subjects
    /// differ in cost, so equal halves leave one core idle); each call writes only its own range.
    static func concurrentMap<T>(_ count: Int, zero: T, _ fill: @Sendable (Range<Int>, UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        var result = [T](repeating: zero, count: count)
        let parts = max(1, min(8 * ProcessInfo.processInfo.activeProcessorCount, count / 1024))
        let share = (count + parts - 1) / parts
        result.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                fill((part * share)..<min(count, (part + 1) * share), slots.buffer)
            }
        }
        return result
    }
}

/// Slots each core writes its own range of, read only after `concurrentPerform`'s barrier.
private struct Slots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
