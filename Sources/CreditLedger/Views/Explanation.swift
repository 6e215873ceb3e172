import CreditFacts
import Foundation

/// A sentence a view writes about a record — why a penalty is not published, why a listing ended,
/// why a record has no linked person, what an early warning means — kept as a code and its
/// parameters, so that the text and HTML outputs word it from their label data in the reader's
/// language (Chinese first), and the JSON documents carry the code, the parameters and the English
/// text they have always carried.
public struct Explanation: Sendable, Hashable, CustomStringConvertible {
    /// What the sentence says. Each code has a wording in every language in the pages' label
    /// table (vocabulary `explanation`, with a `{name}` for each parameter).
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A penalty revoked (or corrected on objection): `date`.
        case penaltyRevoked
        /// A penalty repaired (信用修复): `date`.
        case penaltyRepaired
        /// A penalty past the regime's maximum publicity period: `instrument`, `date`.
        case penaltyPublicityEnded
        /// A penalty of a class the regime does not publish: `severity`, `instrument`.
        case penaltyClassNotPublished
        /// A penalty on a person under the regime's publication age on the decision date: `age`.
        case penaltyOnMinor
        /// A listing corrected on objection: `date`.
        case listingCorrected
        /// A listing repaired (信用修复): `date`.
        case listingRepaired
        /// A listing ended by an exit: `reason` (a `listExit` code), `date`.
        case listingExited
        /// A listing whose planned period ended: `date`.
        case listingPeriodEnded
        /// A listing not yet published, within the grace period: `date` (first day published).
        case listingInGracePeriod
        /// A red-list entry ended because the subject is on a dishonesty list (红黑名单交叉比对):
        /// `date`, `list`, `listNo`, `since`.
        case redEntryBarred
        /// Notification and commitment barred by a false commitment not repaired: `commitment`, `date`.
        case falseCommitmentNotRepaired
        /// Notification and commitment withdrawn by a catalogue measure: `measure`, `trigger` (a
        /// `triggerKind` code), `ref`, `since`, `fact`.
        case measureWithdrawsNotification
        /// Repeat penalties in one field: `count`, `field`, `from`, `to`.
        case repeatPenalties
        /// Several contract defaults: `count`, `from`, `to`.
        case contractDefaults
        /// A commitment past its due date with no outcome: `commitment`, `kind` (a
        /// `commitmentKind` code), `due`.
        case overdueCommitment
        /// A dishonesty record with no person known in the linked roles: `roles`, `date`.
        case noLinkedPerson
        /// A penalty with no person known in the linked roles and none named in the decision:
        /// `roles`, `date`.
        case noLinkedPersonNorNamed
        /// An indicator with no act under the publication deadline in its period.
        case noActUnderDeadline
        /// An indicator whose acts could not be judged: `count` past the holiday calendar.
        case noActJudged
        /// No organisation registered on `date`.
        case noOrganisationRegistered
        /// No subject graded A to D on `date`.
        case noSubjectGraded
        /// No organisation's dishonesty record in force on `date`.
        case noDishonestyRecordInForce
        /// No line received in the period.
        case noLineReceived
        /// No code received in the period.
        case noCodeReceived
        /// No repair decided in the period.
        case noRepairDecided
        /// No repair decision that could be judged: `count` past the holiday calendar or without an acceptance.
        case noRepairJudged
        /// The case regime sets no repair decision limit: `regime`.
        case noRepairLimit
        /// The intake counters count by the day received only since `since`, after `from`.
        case intakeCountedSince
        /// The intake counters have not yet counted any day; the period begins `from`.
        case intakeNotYetCounted
        /// The intake is counted per day, not per instant: as known on `day`, the days through `through` are not complete.
        case intakeNotPerInstant
    }

    /// A parameter's value: what the outputs word (a date, a code of a vocabulary, a fact by its
    /// department) or show as it is (a number, a record number, an instrument's title).
    public enum Value: Sendable, Hashable {
        /// Shown as it is in every language.
        case text(String)
        /// A count or an age.
        case number(Int)
        /// A date: written as a date in the reader's language.
        case date(LegalDate)
        /// One or more codes of a vocabulary of the label table (several are joined by "or"),
        /// with the English the JSON text has always used for them.
        case words(vocabulary: String, codes: [String], english: String)
        /// A fact, by its reporting department and id; nil when the record has none.
        case fact(FactRef?)

        /// A code of `vocabulary`, written in English as the code itself.
        public static func word(_ vocabulary: String, _ code: String) -> Value {
            .words(vocabulary: vocabulary, codes: [code], english: code)
        }

        /// The value in the English text.
        var english: String {
            switch self {
            case .text(let text): text
            case .number(let number): String(number)
            case .date(let date): date.description
            case .words(_, _, let english): english
            case .fact(let fact): fact?.description ?? ""
            }
        }
    }

    /// A named parameter.
    public struct Parameter: Sendable, Hashable {
        /// Its name in the wording (`{date}`).
        public var name: String
        /// Its value.
        public var value: Value
    }

    /// What it says.
    public var code: Code
    /// Its parameters, in the order the code's documentation names them.
    public var parameters: [Parameter]
    /// The English sentence with a `{name}` for each parameter; ``text`` fills it in when asked
    /// (most explanations made while judging a district are never printed).
    private let english: String

    /// The sentence in English, as the JSON documents have always carried it.
    public var text: String {
        Self.fill(english) { name in parameters.first { $0.name == name }?.value.english }
    }

    /// `template` with each `{name}` replaced by `value(name)`; a `{name}` with no value stays as
    /// written. One pass, so a value that itself contains braces is never filled in again.
    public static func fill(_ template: String, _ value: (Substring) -> String?) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            out += value(rest[rest.index(after: open)..<close]) ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// An explanation: `english` is the English sentence with a `{name}` for each parameter.
    public init(_ code: Code, _ english: String, _ parameters: KeyValuePairs<String, Value>) {
        self.code = code
        self.parameters = parameters.map { Parameter(name: $0.key, value: $0.value) }
        self.english = english
    }

    /// The English text.
    public var description: String { text }
}
