import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation
import Hummingbird
import LedgerStorage
import NIOCore

/// The query routes. Each answers with the document `credit-ledger … --json` prints for the same
/// question (built by the same code in CreditDocuments), identity numbers masked unless the
/// caller's role may see them. Every question about subjects names its purpose (查询事由);
/// `knownAt` (a past instant) needs the `pastKnownAt` permission. Every answer is recorded in the
/// query audit log before it is sent (``answer(_:_:_:)``); if it cannot be, the query is refused.
struct QueryRoutes {
    let ledger: Ledger
    let audit: QueryAuditLog
    let pages: Pages
    /// Where the time of each query's stages is counted (`credit_ledger_query_stage_seconds`).
    let metrics: ServerMetrics
    /// The server's configuration (the issuing body printed on report pages); nil in tests without one.
    var configuration: ConfigurationFile? = nil

    /// The common parameters of a question, checked and authorised.
    struct Question {
        var caller: Caller
        var parameters: QueryParameters
        var asOf: LegalDate
        var knownAt: RecordedTime?
        var knownAtText: String
        var purpose: String?
        /// The client's address (``ServerContext/remote``).
        var remote: String?
    }

    /// Authorises `permission`, reads `asOf`, `knownAt` and `purpose` and whatever else `extra`
    /// names; `needsPurpose` refuses a question without a purpose with 400.
    static func question(_ request: Request, _ context: ServerContext, permission: Permission, what: String,
                         extra: Set<String> = [], needsPurpose: Bool) throws(ServerError) -> Question {
        let caller = try context.authenticated()
        try caller.require(permission, for: what)
        let parameters = try QueryParameters(request, allowed: Set(["asOf", "knownAt", "purpose"]).union(extra))
        let asOf = try parameters.asOf()
        let knownAt = try parameters.knownAt()
        if knownAt != nil { try caller.require(.pastKnownAt, for: "ask as known at a past instant (knownAt)") }
        let purpose = try QueryParameters.purpose(parameters, request, limit: context.limits.maxPurposeCharacters)
        if needsPurpose && purpose == nil {
            throw ServerError(.badRequest, "a query must name its purpose (查询事由): a purpose parameter or an X-Query-Purpose header")
        }
        return Question(caller: caller, parameters: parameters, asOf: asOf, knownAt: knownAt,
                        knownAtText: QueryParameters.knownAtText(knownAt), purpose: purpose, remote: context.remote)
    }

    /// The subject named in the path.
    static func subject(_ context: ServerContext) throws(ServerError) -> SubjectCode {
        let text = context.parameters.get("code") ?? ""
        do { return try SubjectCode(text) } catch {
            throw ServerError(.badRequest, "\(IdentityMasking.mask(text)): not a unified social credit code or citizen identity number (\(error))")
        }
    }

    /// A query's answer: the document (which its audit entry describes, and the JSON answer), and
    /// on a route with a page, how the page is rendered from the same typed values.
    struct Answer {
        var document: JSON
        var page: ((PageRenderer) -> [UInt8])?
    }

    /// Runs a query off the server's event loops, records it in the audit log and answers with
    /// its document.
    func answer(_ question: Question, _ asked: Asked, _ build: @escaping @Sendable (Ledger) throws -> JSON) async throws -> Response {
        try await answer(question, asked, in: .json) { ledger in Answer(document: try build(ledger), page: nil) }
    }

    /// Runs a query off the server's event loops, records it in the audit log and answers in
    /// `representation`: the document, or the page rendered from the same values. The audit entry
    /// is the document's either way (what the answer disclosed).
    ///
    /// One hand-off to a Dispatch thread does the whole query: the answer, its audit entry, the
    /// response's bytes and — in the `written` audit mode, where recording is one write under the
    /// audit log's lock (``QueryAuditLog/recordNow(_:)``) — the recording itself. In the `durable`
    /// mode the entry then joins the audit log's group commit (one `fdatasync` for many queries).
    /// Either way the answer is released only once its entry is recorded.
    func answer(_ question: Question, _ asked: Asked, in representation: Representation,
                _ build: @escaping @Sendable (Ledger) throws -> Answer) async throws -> Response {
        let ledger = self.ledger, audit = self.audit
        let renderer = representation == .html ? try pages.get() : nil
        let masking = question.caller.masking
        let clock = ContinuousClock(), started = clock.now
        let prepared = try await Offload.run { () throws(ServerError) -> Prepared in
            let answer: Answer
            do { answer = try build(ledger) } catch let error as ServerError { throw error } catch {
                throw ServerError(.serviceUnavailable, "the ledger cannot answer: \(error)")
            }
            let page = renderer.flatMap { renderer in answer.page.map { $0(renderer) } }
            // A subject the ledger does not hold is an answer too (404 with the notice): recorded first.
            let entry = Self.entry(question, asked, answer: answer.document)
            let answered = clock.now
            var recorded = false
            if audit.recordsInline {
                do { try audit.recordNow(entry) } catch { throw ServerError(.serviceUnavailable, "\(error)") }
                recorded = true
            }
            let notice = NotInLedger.notice(in: answer.document)
            let body = page == nil && notice == nil ? JSONResponse.body(answer.document, masking: masking) : nil
            return Prepared(entry: entry, recorded: recorded, page: page, notice: notice, body: body, answered: answered, finished: clock.now)
        }
        metrics.queryStage(.answer, duration: prepared.answered - started)
        if !prepared.recorded {
            do { try await audit.record(prepared.entry) } catch { throw ServerError(.serviceUnavailable, "\(error)") }
        }
        metrics.queryStage(.audit, duration: (prepared.recorded ? prepared.finished : clock.now) - prepared.answered)
        if let page = prepared.page { return HTMLResponse.make(page, status: prepared.notice == nil ? .ok : .notFound) }
        if let notice = prepared.notice { throw ServerError(.notFound, notice) }
        return JSONResponse.make(body: prepared.body ?? ByteBuffer())
    }

    /// What the one hand-off of ``answer(_:_:in:_:)`` hands back.
    private struct Prepared: Sendable {
        var entry: AuditEntry
        /// Whether the entry is already recorded (the `written` mode).
        var recorded: Bool
        var page: [UInt8]?
        var notice: String?
        /// The JSON answer's bytes, masked; nil for a page or a notice.
        var body: ByteBuffer?
        /// When the answer and its entry were ready, and when the hand-off ended.
        var answered: ContinuousClock.Instant
        var finished: ContinuousClock.Instant
    }

    /// `GET /v1/subjects/{code}`: `subject --json`; as HTML, the credit report page.
    func subject(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try Self.question(request, context, permission: .query, what: "query", needsPurpose: true)
        let subject = try Self.subject(context)
        return try await answer(q, Asked("GET /v1/subjects/{code}", subject: subject), in: .negotiated(request)) { ledger in
            let about = try ledger.subjectDocument(of: subject, asOf: q.asOf, knownAt: q.knownAt)
            return Answer(document: about.json(knownAtText: q.knownAtText), page: { $0.creditReport(about, knownAt: q.knownAtText) })
        }
    }

    /// The issue details a report page carries (report number, date of issue today, the ledger's head
    /// and view digest with the command that prints it again), as `credit-ledger report` prints them;
    /// nil for the JSON document, which names its history in its `ledger` member instead.
    private func issue(_ ledger: Ledger, _ q: Question, asOf date: LegalDate, binding: HistoryBinding,
                       for representation: Representation) throws -> ReportIssue? {
        guard representation == .html else { return nil }
        return try ReportIssue.of(ledger, binding: binding, asOf: date, knownAtText: q.parameters["knownAt"], ledgerPath: ledger.directory,
                                  issuer: configuration?.current.issuer, issued: Timestamp(RecordedTime.now()).chinaStandardDate)
    }

    /// `GET /v1/subjects/{code}/report`: `report --format json`, or `--format html` as `format=html`
    /// or `Accept: text/html` asks; with `field`, `from` and `to` the special report.
    func report(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try Self.question(request, context, permission: .query, what: "query", extra: ["format", "field", "from", "to"],
                                  needsPurpose: true)
        let subject = try Self.subject(context)
        let representation: Representation
        switch q.parameters["format"] {
        case nil: representation = .negotiated(request)
        case "json": representation = .json
        case "html": representation = .html
        case let other?: throw ServerError(.badRequest, "format \(other): json or html")
        }
        let asked = Asked("GET /v1/subjects/{code}/report", subject: subject)
        if let special = try Self.specialReportPeriod(q.parameters) {
            return try await answer(q, asked, in: representation) { ledger in
                // Computed from exactly the history the document names, while appends go on.
                let binding = try ledger.binding(knownAt: q.knownAt)
                let report = try ledger.specialReport(for: subject, field: special.field, from: special.from, through: special.to, knownAt: binding.knownAt)
                let name = try ledger.subjectView(SubjectRegistry.self, subject: subject, knownAt: binding.knownAt)
                    .profile(subject, asOf: report.through)?.registration?.name
                let issue = try issue(ledger, q, asOf: report.through, binding: binding, for: representation)
                return Answer(document: ReportDocuments.document(report, name: name, knownAt: q.knownAtText, binding: binding),
                              page: { $0.specialReport(report, name: name, knownAt: q.knownAtText, issue: issue) })
            }
        }
        return try await answer(q, asked, in: representation) { ledger in
            let binding = try ledger.binding(knownAt: q.knownAt)
            let about = try ledger.subjectDocument(of: subject, asOf: q.asOf, knownAt: binding.knownAt)
            let issue = try issue(ledger, q, asOf: q.asOf, binding: binding, for: representation)
            return Answer(document: ReportDocuments.document(about.report, about: about, knownAt: q.knownAtText, binding: binding),
                          page: { $0.creditReport(about, knownAt: q.knownAtText, issue: issue) })
        }
    }

    /// The special report's field and period, when asked for: all three or none.
    static func specialReportPeriod(_ parameters: QueryParameters) throws(ServerError) -> (field: RegulatoryField, from: LegalDate, to: LegalDate)? {
        let given = [parameters["field"], parameters["from"], parameters["to"]]
        guard given.contains(where: { $0 != nil }) else { return nil }
        guard let fieldText = given[0], let fromText = given[1], let toText = given[2] else {
            throw ServerError(.badRequest, "a special report needs field, from and to together")
        }
        guard let field = RegulatoryField(rawValue: fieldText) else {
            throw ServerError(.badRequest, "field \(fieldText): not a regulatory field (\(RegulatoryField.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let from = try? LegalDate(parsing: fromText) else { throw ServerError(.badRequest, "from \(fromText): not a date YYYY-MM-DD") }
        guard let to = try? LegalDate(parsing: toText) else { throw ServerError(.badRequest, "to \(toText): not a date YYYY-MM-DD") }
        guard from <= to else { throw ServerError(.badRequest, "from \(from) is after to \(to)") }
        return (field, from, to)
    }

    /// `GET /v1/subjects/{code}/measures?scene=…`: `match --scene … --json`.
    func measures(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try Self.question(request, context, permission: .query, what: "query", extra: ["scene"], needsPurpose: true)
        let subject = try Self.subject(context)
        let scenes = MeasureScene.allCases.map(\.rawValue).joined(separator: ", ")
        guard let sceneText = q.parameters["scene"] else { throw ServerError(.badRequest, "the scene parameter is required (\(scenes))") }
        guard let scene = MeasureScene(rawValue: sceneText) else { throw ServerError(.badRequest, "scene \(sceneText): not a scene (\(scenes))") }
        return try await answer(q, Asked("GET /v1/subjects/{code}/measures", subject: subject, scene: scene.rawValue)) { ledger in
            try QueryDocuments.match(subject, scene: scene, asOf: q.asOf, knownAt: q.knownAt, knownAtText: q.knownAtText, ledger: ledger)
        }
    }

    /// `GET /v1/grades[?draw=SEED]`: `grades --json`; as HTML, the grade-distribution page.
    func grades(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try Self.question(request, context, permission: .query, what: "query", extra: ["draw"], needsPurpose: true)
        var seed: UInt64?
        if let text = q.parameters["draw"] {
            guard let value = UInt64(text) else { throw ServerError(.badRequest, "draw \(text): a seed is a whole number 0…2^64-1") }
            seed = value
        }
        return try await answer(q, Asked("GET /v1/grades"), in: .negotiated(request)) { [seed] ledger in
            let model = try GradingModel.bundledDefault()
            let distribution = try ledger.gradeDistribution(asOf: q.asOf, knownAt: q.knownAt, model: model)
            let drawn = try seed.map { try ledger.inspectionDraw(asOf: q.asOf, seed: $0, knownAt: q.knownAt, model: model) }
            return Answer(document: QueryDocuments.grades(asOf: q.asOf, knownAtText: q.knownAtText, distribution: distribution, model: model, drawn: drawn),
                          page: { $0.grades(distribution, model: model, drawn: drawn, knownAt: q.knownAtText) })
        }
    }

    /// `GET /v1/quality`: `quality --json`; as HTML, the data-quality page.
    func quality(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try Self.question(request, context, permission: .query, what: "query", needsPurpose: true)
        return try await answer(q, Asked("GET /v1/quality"), in: .negotiated(request)) { ledger in
            let quality = try QueryDocuments.Quality(ledger: ledger, asOf: q.asOf, knownAt: q.knownAt, knownAtText: q.knownAtText)
            return Answer(document: quality.json, page: { $0.quality(quality) })
        }
    }

    /// `GET /v1/digest`: `digest --json`.
    func digest(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try Self.question(request, context, permission: .digest, what: "read the digest", needsPurpose: false)
        return try await answer(q, Asked("GET /v1/digest")) { ledger in
            let binding = try ledger.binding(knownAt: q.knownAt)
            return QueryDocuments.digest(asOf: q.asOf, knownAtText: q.knownAtText, digest: try ledger.digest(asOf: q.asOf, knownAt: binding.knownAt),
                                         binding: binding)
        }
    }

    /// `GET /v1/head`: the log's head (facts held, chain hash, last recorded time).
    func head(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        try caller.require(.head, for: "read the head")
        let parameters = try QueryParameters(request, allowed: [])
        let ledger = self.ledger
        let head = try await Offload.run { () throws(ServerError) -> JSON in
            do { return QueryDocuments.head(try ledger.head) } catch { throw ServerError(.serviceUnavailable, "the ledger cannot answer: \(error)") }
        }
        let question = Question(caller: caller, parameters: parameters, asOf: Timestamp(RecordedTime.now()).chinaStandardDate,
                                knownAt: nil, knownAtText: QueryParameters.knownAtText(nil), purpose: nil, remote: context.remote)
        try await record(question, Asked("GET /v1/head", hasInstants: false), answer: head)
        return JSONResponse.make(head, masking: caller.masking)
    }
}
