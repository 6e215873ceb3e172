import CreditFacts

/// The working-day deadlines an office works repairs and objections to. Defaults are the national
/// and provincial limits the project sourced; a district replaces them with its own.
public struct CaseDeadlines: Sendable, Hashable {
    /// Working days from a repair application to its decision.
    public var repairDecisionWorkingDays: Int
    /// Where that limit comes from.
    public var repairDecisionSource: String
    /// Working days from an objection to its resolution.
    public var objectionResolutionWorkingDays: Int
    /// Where that limit comes from.
    public var objectionResolutionSource: String

    /// Creates deadlines.
    public init(repairDecisionWorkingDays: Int, repairDecisionSource: String, objectionResolutionWorkingDays: Int,
                objectionResolutionSource: String) {
        self.repairDecisionWorkingDays = repairDecisionWorkingDays
        self.repairDecisionSource = repairDecisionSource
        self.objectionResolutionWorkingDays = objectionResolutionWorkingDays
        self.objectionResolutionSource = objectionResolutionSource
    }

    /// Repairs decided within 10 working days (the national repair procedure, 22号: Credit China
    /// feeds back within 10 working days; the text is only partly confirmed); objections resolved
    /// within 5 working days (《上海市社会信用条例》 2017 Art. 36: the centre decides within 5 working days).
    public static let standard = CaseDeadlines(
        repairDecisionWorkingDays: 10, repairDecisionSource: "信用修复 10个工作日 (22号: 信用中国网站 10个工作日内反馈; partly confirmed)",
        objectionResolutionWorkingDays: 5, objectionResolutionSource: "《上海市社会信用条例》第三十六条: 5个工作日内作出决定")

    /// The last day a case opened on `opened` may be closed, `workingDays` later on `calendar`;
    /// nil when the calendar does not cover it.
    static func due(_ opened: LegalDate, workingDays: Int, calendar: WorkingDayCalendar) -> LegalDate? {
        try? calendar.workingDay(workingDays, after: opened)
    }
}
