import CreditFacts
import Foundation
import LedgerStorage

extension Ledger {
    /// A matcher of `catalogue` (the bundled national one when nil) under this ledger's rules,
    /// grading with `model` (the bundled default when nil). Build it once and pass it to
    /// ``match(_:scene:asOf:knownAt:matcher:)`` on a hot path.
    /// - Throws: ``MeasureCatalogueError`` or ``GradingModelError`` if a bundled file is invalid.
    public func matcher(catalogue: MeasureCatalogue? = nil, model: GradingModel? = nil) throws -> Matcher {
        Matcher(catalogue: try catalogue ?? MeasureCatalogue.national(), context: context,
                model: try model ?? GradingModel.bundledDefault())
    }

    /// The measures that apply to `subject` in `scene` on `asOf`, as known at `knownAt` (now when
    /// nil), each with its trigger, legal basis and, for a person reached through an organisation,
    /// the organisation and role (联合奖惩: which measures, and why).
    /// - Throws: ``LedgerError``, or a catalogue or model error.
    public func match(_ subject: SubjectCode, scene: MeasureScene, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                      catalogue: MeasureCatalogue? = nil, model: GradingModel? = nil) throws -> [MeasureMatch] {
        try match(subject, scene: scene, asOf: date, knownAt: knownAt, matcher: try matcher(catalogue: catalogue, model: model))
    }

    /// ``match(_:scene:asOf:knownAt:catalogue:model:)`` with a matcher built once, read from the
    /// subject's ``Standing`` under the matcher's penetration policy.
    public func match(_ subject: SubjectCode, scene: MeasureScene, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                      matcher: Matcher) throws -> [MeasureMatch] {
        matcher.match(try standing(of: subject, asOf: date, knownAt: knownAt, policy: matcher.penetration.policy), scene: scene)
    }

    /// The notifications for implementing departments (发起 → 推送), from log position `start` on:
    /// first for the facts already in the log, then live as facts are appended, until the ledger
    /// closes or the consumer stops. Each fact that starts a measure's trigger (a list entry
    /// published, a penalty, a breach) or moves a subject's grade into a measure's levels yields
    /// one notification per implementing body; a department keeps the last `position` it handled
    /// as its checkpoint.
    ///
    /// The stream keeps its own copy of the views the matcher reads, replayed up to `start` and
    /// then fed each fact (memory of the status views; a catch-up runs at replay speed).
    public func measureNotifications(from start: Position = .zero, catalogue: MeasureCatalogue? = nil,
                                     model: GradingModel? = nil) -> AsyncThrowingStream<MeasureNotification, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let notifier = MeasureNotifier(matcher: try self.matcher(catalogue: catalogue, model: model))
                    var views = try self.subscriberViews(before: start)
                    for try await recorded in self.facts(from: start) {
                        for notification in try notifier.advance(&views, with: recorded) { continuation.yield(notification) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The views a notification subscriber starts from: the facts before `start`, replayed.
    func subscriberViews(before start: Position) throws -> ViewSet {
        let running = state.withLock { $0.views.types }
        let types = StatusViews.types.filter { type in running.contains { $0 == type } }
        return try Replay.rebuild(types, log: log, to: start, cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The notifications one recorded fact causes, judged on the views of its subject without and
    /// with it (replayed from the per-subject index, so the cost does not grow with the ledger): for
    /// a one-off question about a fact; a subscriber uses ``measureNotifications(from:catalogue:model:)``.
    public func notifications(for recorded: RecordedFact, notifier: MeasureNotifier) throws -> [MeasureNotification] {
        guard notifier.mayNotify(recorded.fact) else { return [] }
        let subjects = [recorded.fact.subject]
        let before = try subjectViews(subjects, knownAt: recorded.recorded.adding(microseconds: -1))
        let after = try subjectViews(subjects, knownAt: recorded.recorded)
        return try notifier.notifications(for: recorded, before: before, after: after)
    }

    /// The feedback report (执行反馈) for the period `from`…`to` (inclusive), as known at `knownAt`:
    /// per measure and department, the cases the catalogue's triggers started in the period, the
    /// `measure.applied` facts received, the feedback rate and the cases (典型案例).
    /// - Throws: ``LedgerError``, or a catalogue or model error.
    public func measureFeedback(from: LegalDate, to: LegalDate, knownAt: RecordedTime? = nil,
                                catalogue: MeasureCatalogue? = nil, model: GradingModel? = nil) throws -> FeedbackReport {
        let reporter = FeedbackReporter(matcher: try matcher(catalogue: catalogue, model: model))
        // A copy of the views (copy-on-write): the report reads every subject, too long to hold
        // the ledger's lock.
        let views = try withViews(knownAt: knownAt) { $0 }
        return reporter.report(from: from, to: to, views: try StatusViews(views),
                               feedback: views.view(MeasureFeedback.self) ?? MeasureFeedback())
    }
}
