import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Hummingbird
import LedgerStorage

/// The credit office's reports over HTTP: the assessment indicators, the lists, the subject's
/// file, the worklists, an applicant's cases and the repair certificate. Each answers with the
/// document `credit-ledger indicators|lists|file|worklist|progress|certificate --json` prints (built by the same code, in
/// CreditDocuments), names its purpose, takes `knownAt` with the `pastKnownAt` permission, and is
/// recorded in the query audit log before it is sent, like every query route. With `Accept:
/// text/html` preferred over JSON (as a browser sends it), the indicators, lists, file, worklist
/// and certificate routes answer with the page `--format html` writes, rendered from the same values
/// and audited like the document.
struct OfficeRoutes {
    let queries: QueryRoutes

    /// A date parameter, or 400 naming it.
    private static func date(_ name: String, _ q: QueryRoutes.Question) throws(ServerError) -> LegalDate? {
        guard let text = q.parameters[name] else { return nil }
        guard let date = try? LegalDate(parsing: text) else { throw ServerError(.badRequest, "\(name) \(text): not a date YYYY-MM-DD") }
        return date
    }

    /// The most periods one indicators request may ask for (ten years by month): every period is
    /// computed over every view, so a range of centuries would hold the server for minutes.
    static let maxIndicatorPeriods = 120

    /// `GET /v1/indicators?from=D1&to=D2[&period=month|quarter|year]`: `indicators --json`. The
    /// range replaces `asOf`, which this route refuses; at most ``maxIndicatorPeriods`` periods. As HTML, the indicators page.
    func indicators(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["from", "to", "period"], needsPurpose: true)
        guard q.parameters["asOf"] == nil else { throw ServerError(.badRequest, "asOf does not apply to indicators: the range is from … to") }
        guard let from = try Self.date("from", q), let to = try Self.date("to", q) else {
            throw ServerError(.badRequest, "indicators need the range: from and to (dates YYYY-MM-DD)")
        }
        guard from <= to else { throw ServerError(.badRequest, "from \(from) is after to \(to)") }
        let periodText = q.parameters["period"] ?? "month"
        guard let period = IndicatorPeriodKind(rawValue: periodText) else {
            throw ServerError(.badRequest, "period \(periodText): expected month, quarter or year")
        }
        let periods = IndicatorPeriod.split(from: from, through: to, by: period).count
        guard periods <= Self.maxIndicatorPeriods else {
            throw ServerError(.badRequest, "from \(from) to \(to) is \(periods) \(period.rawValue) periods: at most \(Self.maxIndicatorPeriods) in one request (ask by quarter or year, or for a shorter range)")
        }
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/indicators"), in: .negotiated(request)) { ledger in
            let report = try ledger.indicators(from: from, through: to, by: period, knownAt: q.knownAt)
            return QueryRoutes.Answer(document: OfficeDocuments.indicators(report, knownAtText: q.knownAtText),
                                      page: { $0.indicators(report, knownAt: q.knownAtText) })
        }
    }

    /// `GET /v1/lists?list=KIND[&asOf=D][&from=D1][&horizon=DAYS]`: `lists --json`; as HTML, the list page.
    func lists(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["list", "from", "horizon"], needsPurpose: true)
        let kindText = q.parameters["list"] ?? ""
        guard let kind = ListKind(rawValue: kindText) else {
            throw ServerError(.badRequest, "list \(kindText): expected one of \(ListKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let from = try Self.date("from", q)
        if let from, from > q.asOf { throw ServerError(.badRequest, "from \(from) is after asOf \(q.asOf)") }
        let horizonText = q.parameters["horizon"] ?? "60"
        guard let horizon = Int(horizonText), (0...3660).contains(horizon) else {
            throw ServerError(.badRequest, "horizon \(horizonText): expected 0 to 3660 days")
        }
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/lists"), in: .negotiated(request)) { ledger in
            let report = try ledger.lists(kind, asOf: q.asOf, from: from, horizonDays: horizon, knownAt: q.knownAt)
            return QueryRoutes.Answer(document: OfficeDocuments.lists(report, knownAtText: q.knownAtText),
                                      page: { $0.lists(report, knownAt: q.knownAtText) })
        }
    }

    /// The case regime named by `regime` (the bundled default when absent), or 400 naming it.
    private static func deadlines(_ q: QueryRoutes.Question) throws(ServerError) -> CaseDeadlines {
        do { return try CaseDeadlines.bundled(regime: q.parameters["regime"]) } catch let error as RuleFileError {
            throw ServerError(.badRequest, "regime: \(error.message)")
        } catch {
            throw ServerError(.serviceUnavailable, "the bundled case deadlines cannot be read: \(error)")
        }
    }

    /// `GET /v1/worklist?kind=repairs|objections|risks[&regime=R]`: `worklist KIND --json`; as HTML, the worklist page.
    func worklist(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["kind", "regime"], needsPurpose: true)
        let kind = q.parameters["kind"] ?? ""
        guard ["repairs", "objections", "risks"].contains(kind) else { throw ServerError(.badRequest, "kind \(kind): expected repairs, objections or risks") }
        if kind == "risks" {
            guard q.parameters["regime"] == nil else { throw ServerError(.badRequest, "regime does not apply to the risk worklist") }
            return try await queries.answer(q, QueryRoutes.Asked("GET /v1/worklist"), in: .negotiated(request)) { ledger in
                let rows = try ledger.riskWorklist(asOf: q.asOf, knownAt: q.knownAt)
                return QueryRoutes.Answer(document: OfficeDocuments.risks(rows, asOf: q.asOf, knownAtText: q.knownAtText),
                                          page: { $0.risks(rows, asOf: q.asOf, knownAt: q.knownAtText) })
            }
        }
        let deadlines = try Self.deadlines(q)
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/worklist"), in: .negotiated(request)) { ledger in
            let list = try ledger.worklist(kind == "repairs" ? .repair : .objection, asOf: q.asOf, knownAt: q.knownAt, deadlines: deadlines)
            return QueryRoutes.Answer(document: OfficeDocuments.worklist(list, knownAtText: q.knownAtText),
                                      page: { $0.worklist(list, knownAt: q.knownAtText) })
        }
    }

    /// `GET /v1/subjects/{code}/file`: `file CODE --json`, as HTML the credit-file page; 404 with the notice when the ledger holds nothing about the subject.
    func file(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", needsPurpose: true)
        let subject = try QueryRoutes.subject(context)
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/subjects/{code}/file", subject: subject), in: .negotiated(request)) { ledger in
            let file = try ledger.subjectFile(of: subject, asOf: q.asOf, knownAt: q.knownAt)
            return QueryRoutes.Answer(document: OfficeDocuments.file(file, knownAtText: q.knownAtText), page: { $0.subjectFile(file, knownAt: q.knownAtText) })
        }
    }

    /// `GET /v1/subjects/{code}/cases[?number=N][&regime=R]`: `progress CODE [N] --json` (an empty
    /// list of cases when the applicant has none).
    func cases(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["number", "regime"], needsPurpose: true)
        let subject = try QueryRoutes.subject(context)
        let deadlines = try Self.deadlines(q)
        let number = q.parameters["number"]
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/subjects/{code}/cases", subject: subject)) { ledger in
            OfficeDocuments.progress(try ledger.caseProgress(of: subject, number: number, asOf: q.asOf, knownAt: q.knownAt, deadlines: deadlines),
                                     subject: subject, asOf: q.asOf, deadlines: deadlines, knownAtText: q.knownAtText)
        }
    }

    /// `GET /v1/subjects/{code}/repairs/{repairNo}/certificate[?regime=R]`: `certificate CODE REPAIR-NO
    /// --json`, or as HTML (`Accept: text/html`) the certificate page with its number and
    /// verification reference. 404 for an unknown repair; 409 for one not approved by asOf.
    func certificate(_ request: Request, context: ServerContext) async throws -> Response {
        let q = try QueryRoutes.question(request, context, permission: .query, what: "query", extra: ["regime"], needsPurpose: true)
        let subject = try QueryRoutes.subject(context)
        let repairNo = context.parameters.get("repairNo") ?? ""
        let deadlines = try Self.deadlines(q)
        let representation = Representation.negotiated(request)
        let issuer = queries.configuration?.current.issuer
        return try await queries.answer(q, QueryRoutes.Asked("GET /v1/subjects/{code}/repairs/{repairNo}/certificate", subject: subject),
                                        in: representation) { ledger in
            // Computed from exactly the history the document names, as a report is.
            let binding = try ledger.binding(knownAt: q.knownAt)
            let certificate: RepairCertificate
            do {
                certificate = try ledger.repairCertificate(of: subject, repairNo: repairNo, asOf: q.asOf, knownAt: binding.knownAt, deadlines: deadlines)
            } catch let error as RepairCertificateError {
                if case .noSuchRepair = error { throw ServerError(.notFound, "\(error)") }
                throw ServerError(.conflict, "\(error)")
            }
            let issue = representation == .html
                ? try ReportIssue.of(ledger, binding: binding, asOf: q.asOf, knownAtText: q.parameters["knownAt"], ledgerPath: ledger.directory,
                                     issuer: issuer, issued: Timestamp(RecordedTime.now()).chinaStandardDate)
                : nil
            return QueryRoutes.Answer(document: OfficeDocuments.certificate(certificate, knownAtText: q.knownAtText, binding: binding),
                                      page: { $0.repairCertificate(certificate, knownAt: q.knownAtText, issue: issue) })
        }
    }
}
