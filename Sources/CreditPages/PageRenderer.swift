import CreditDocuments
import CreditFacts
import CreditLedger

/// Renders the HTML pages from the typed documents the library and ``CreditDocuments`` produce —
/// the credit report, the special report, data quality, the grade distribution and penetration
/// coverage — through Mustache templates a district can override. Each page is one self-contained
/// UTF-8 document: inline CSS, no script, no external resource, so it can be mailed, archived or
/// printed as it is (and served, as the bytes returned). Text values are escaped by the templates,
/// and citizen identity numbers are masked on the whole finished page.
///
/// Made once (it reads and parses every template), then used from any thread.
public struct PageRenderer: Sendable {
    private let templates: PageTemplates
    /// The words of the pages: language, labels, source directory, rule titles.
    public let wording: Wording

    /// The shipped templates, or with those of `templates` in their place: a file there named like a
    /// shipped template (`credit-report.mustache`, `layout.mustache`, `table.mustache`, …) replaces it.
    /// Pages are worded by `wording` (Chinese and the shipped tables by default; the rule titles are
    /// those of the model given to ``Wording/grading(_:)``).
    /// - Throws: ``PageTemplateError`` naming the file (and line) of a missing or broken template,
    ///   a missing directory, or a file there that replaces no shipped template.
    public init(templates directory: String? = nil, wording: Wording = Wording()) throws(PageTemplateError) {
        templates = try PageTemplates(overrides: directory)
        self.wording = wording
    }

    /// This renderer with the same templates, worded by `wording`.
    public func with(_ wording: Wording) -> PageRenderer { PageRenderer(templates: templates, wording: wording) }

    private init(templates: PageTemplates, wording: Wording) {
        self.templates = templates
        self.wording = wording
    }

    /// The names of the templates a directory may replace, without `.mustache`.
    public static var templateNames: [String] { PageTemplates.Name.allCases.map(\.rawValue) }

    /// The credit report (信用报告) of `document`: grade with reasons, penalties and list entries
    /// public and not (and why), commitments, repairs, linked persons (masked), measures, warnings.
    /// `knownAt` is the instant as the user gave it; `issue`, when given, adds the report number,
    /// issuing body, date of issue and the verification reference.
    public func creditReport(_ document: SubjectDocument, knownAt: String, issue: ReportIssue? = nil) -> [UInt8] {
        let page = CreditReportPage(document, knownAt: knownAt, issue: issue, wording: wording)
        return render(page, .creditReport, title: page.title)
    }

    /// The special report (专项信用报告) replacing a certificate of no violation, about the subject
    /// registered as `name`.
    /// `issue`, when given, adds the report number, issuing body, date of issue and verification
    /// reference (the digest as of the period's last day).
    public func specialReport(_ report: SpecialReport, name: String?, knownAt: String, issue: ReportIssue? = nil) -> [UInt8] {
        let page = SpecialReportPage(report, name: name, knownAt: knownAt, issue: issue, wording: wording)
        return render(page, .specialReport, title: page.title)
    }

    /// The data-quality page: summary figures, the on-time rate per source as a chart, the
    /// per-source table, refusals by reason and code conflicts.
    public func quality(_ quality: QueryDocuments.Quality) -> [UInt8] {
        let page = QualityPage(quality, wording: wording)
        return render(page, .quality, title: page.title)
    }

    /// The grade-distribution page: subjects per grade as a chart, each grade's share and inspection
    /// share under `model`, and the subjects `drawn` when a draw was made.
    public func grades(_ distribution: GradeDistribution, model: GradingModel, drawn: InspectionDraw?, knownAt: String) -> [UInt8] {
        let page = GradesPage(distribution, model: model, drawn: drawn, knownAt: knownAt, wording: wording.grading(model))
        return render(page, .grades, title: page.title)
    }

    /// The penetration page: coverage as a figure and a bar, and every data gap with its reason.
    public func penetration(_ coverage: PenetrationCoverage, knownAt: String) -> [UInt8] {
        let page = PenetrationPage(coverage, knownAt: knownAt, wording: wording)
        return render(page, .penetration, title: page.title)
    }

    /// The repair certificate (信用修复证明) of an approved repair: the decision, the records it
    /// stopped, the stages with their deadlines; `issue`, when given, adds the certificate number,
    /// issuing body, date of issue and the verification reference.
    public func repairCertificate(_ certificate: RepairCertificate, knownAt: String, issue: ReportIssue? = nil) -> [UInt8] {
        let page = RepairCertificatePage(certificate, knownAt: knownAt, issue: issue, wording: wording)
        return render(page, .repairCertificate, title: page.title)
    }

    /// The assessment indicators (考核指标) a credit office submits: the district's figures per
    /// period beside each indicator's first target (green when met, red when not), the status on
    /// the last day, the intake figures, the figures per department, and every definition with
    /// the plans' targets. `knownAt` is the instant as the user gave it.
    public func indicators(_ report: IndicatorReport, knownAt: String) -> [UInt8] {
        let page = IndicatorsPage(report, knownAt: knownAt, wording: wording)
        return render(page, .indicators, title: page.title)
    }

    /// A list (名单) as a clerk works it on a date: subjects on it, entries and exits of the period,
    /// rollovers and planned exits within the horizon, and for the red list the cross-check.
    public func lists(_ report: ListsReport, knownAt: String) -> [UInt8] {
        let page = ListsPage(report, knownAt: knownAt, wording: wording)
        return render(page, .lists, title: page.title)
    }

    /// The subject's credit file (信用档案): every fact in time order with its status as of the
    /// date, and for a person the roles held and the organisations linked (identity numbers masked).
    public func subjectFile(_ file: SubjectFile, knownAt: String) -> [UInt8] {
        let page = SubjectFilePage(file, knownAt: knownAt, wording: wording)
        return render(page, .subjectFile, title: page.title)
    }

    /// The worklist of open repair applications or objections, each stage with its deadline in
    /// working days (overdue ones marked red).
    public func worklist(_ list: CaseWorklist, knownAt: String) -> [UInt8] {
        let page = WorklistPage(list, knownAt: knownAt, wording: wording)
        return render(page, .worklist, title: page.title)
    }

    /// The risk worklist: subjects ranked by their early-warning signals, with the records behind each.
    public func risks(_ rows: [RiskRow], asOf date: LegalDate, knownAt: String) -> [UInt8] {
        let page = RisksPage(rows, asOf: date, knownAt: knownAt, wording: wording)
        return render(page, .risks, title: page.title)
    }

    /// The indicators as a table for auditors (CSV, UTF-8 with BOM; or `.xlsx`): one row per figure
    /// — period, its first and last day, scope (the district or a source code) and department,
    /// the figure's key and name, value (a count, or a rate as a fraction), numerator, denominator,
    /// first target, whether it is met, and why a figure is not computable. Headers in the
    /// wording's language.
    public func indicatorsCSV(_ report: IndicatorReport, format: TableFormat = .csv) -> [UInt8] {
        let w = wording
        let definitions = Dictionary(report.definitions.map { ($0.id, $0) }) { first, _ in first }
        var rows: [[(String, PageCell)]] = []
        func add(_ label: String, _ from: LegalDate, _ through: LegalDate, _ source: SourceID?, _ figures: [IndicatorFigure]) {
            for f in figures {
                var numerator: PageCell = .missing, denominator: PageCell = .missing, note: PageCell = .missing
                switch f.value {
                case .rate(let n, let d): (numerator, denominator) = (.number(n), .number(d))
                case .notComputable(let reason): note = .plain(w.explain(reason))
                case .count: break
                }
                let department = source.map { $0 == IntakeCounters.unnamedSource ? w.text("unnamedSource") : w.source($0) } ?? w.text("district")
                rows.append([("period", .plain(label)), ("from", .date(from)), ("through", .date(through)),
                             ("scope", .plain(source?.text ?? "district")), ("reportingDepartment", .plain(department)), ("figureKey", .plain(f.key)),
                             ("indicator", .plain(IndicatorsPage.name(f, definitions, w))), ("value", IndicatorsPage.cell(f, definitions)),
                             ("numerator", numerator), ("denominator", denominator),
                             ("target", .plain(definitions[f.indicator]?.targets.first?.text ?? "")),
                             ("targetMet", f.targetMet.map { .plain(w.text($0 ? "targetMetYes" : "targetMetNo")) } ?? .missing), ("note", note)])
            }
        }
        for period in report.periods {
            add(period.period.label, period.period.from, period.period.through, nil, period.district)
            for source in period.sources { add(period.period.label, period.period.from, period.period.through, source.source, source.figures) }
        }
        add(w.text("atEndPeriod"), report.through, report.through, nil, report.atEnd)
        add(w.text("intakePeriod"), report.from, report.through, nil, report.intake)
        for source in report.intakeBySource { add(w.text("intakePeriod"), report.from, report.through, source.source, source.figures) }
        return CSVTable.render(PageTable(rows, wording: w), as: format, sheet: w.text("indicatorsTitle"))
    }

    /// A list as a table for auditors (CSV, UTF-8 with BOM; or `.xlsx`): one row per entry and
    /// section (on the list, entered, exited, rolling over, expiring, red-list cross-check), the
    /// columns of the page; headers in the wording's language.
    public func listsCSV(_ report: ListsReport, format: TableFormat = .csv) -> [UInt8] {
        let w = wording
        var rows: [[(String, PageCell)]] = []
        func add(_ section: String, _ entries: [ListRow], _ extra: (ListRow) -> [(String, PageCell)] = { _ in [] }) {
            for entry in entries { rows.append([("section", .plain(w.text(section)))] + ListsPage.cells(entry, w) + extra(entry)) }
        }
        add("onList", report.onList)
        add("entered", report.entered)
        add("exited", report.exited)
        add("rollingOver", report.rollingOver)
        add("expiring", report.expiring)
        for check in report.redChecks {
            add("redChecks", [check.red]) { _ in
                [("alsoOn", .list(check.dishonesty.map { "\(w.list($0.list)) \($0.listNo.text) \(w.text("since")) \($0.onListSince)" }))]
            }
        }
        return CSVTable.render(PageTable(rows, wording: w), as: format, sheet: w.list(report.list))
    }

    /// The data-quality table per source as CSV (UTF-8 with BOM; see ``CSVTable``): department,
    /// source code, facts, on time, late, on-time rate, not judged, duplicates, refused, code errors.
    /// `format` `.xlsx` writes the same table as a spreadsheet.
    public func qualityCSV(_ quality: QueryDocuments.Quality, format: TableFormat = .csv) -> [UInt8] {
        CSVTable.render(QualityPage(quality, wording: wording).sources, as: format, sheet: wording.text("dataQuality"))
    }

    /// The grades as CSV: per level the count, share, inspection share (and how many were drawn);
    /// with `drawn`, the drawn subjects instead, one row each with its grade.
    public func gradesCSV(_ distribution: GradeDistribution, model: GradingModel, drawn: InspectionDraw?, format: TableFormat = .csv) -> [UInt8] {
        guard let drawn else {
            return CSVTable.render(GradesPage(distribution, model: model, drawn: nil, knownAt: "", wording: wording).levels, as: format,
                                   sheet: wording.text("gradeDistribution"))
        }
        let rows: [[(String, PageCell)]] = drawn.levels.flatMap { level -> [[(String, PageCell)]] in
            level.drawn.map { subject -> [(String, PageCell)] in
                [("seed", .plain(String(drawn.seed))), ("level", .plain(level.level.rawValue)), ("subject", .plain(subject.description))]
            }
        }
        return CSVTable.render(PageTable(rows, wording: wording), as: format, sheet: wording.text("draw"))
    }

    /// The penetration data gaps as CSV: organisation, record, kind, effective date, reason.
    public func penetrationCSV(_ coverage: PenetrationCoverage, format: TableFormat = .csv) -> [UInt8] {
        CSVTable.render(PenetrationPage(coverage, knownAt: "", wording: wording).unlinked, as: format, sheet: wording.text("gapsTitle"))
    }

    /// A page's content rendered with its template, framed by the layout, identity numbers masked.
    private func render(_ page: Any, _ name: PageTemplates.Name, title: String) -> [UInt8] {
        let frame = Frame(t: wording.texts, lang: wording.language == .zh ? "zh-CN" : "en", title: title,
                          content: templates.render(page, with: name))
        return Array(PublishedText.masked(templates.render(frame, with: .layout)).utf8)
    }

    /// What the `layout` template reads: the fixed texts, the page's language, the title, and the
    /// content its page template rendered (trusted markup: every value in it was escaped by that
    /// template).
    private struct Frame {
        let t: [String: String]
        let lang: String
        let title: String
        let content: String
    }
}
