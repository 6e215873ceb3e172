/// Why a text is not a valid national code (GB 32100 or GB 11643). Each case carries what is needed
/// to tell the source exactly what to fix.
public enum IdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The code is not 18 characters long.
    case wrongLength(expected: Int, actual: Int)
    /// A character that the standard does not allow at that position (1-based).
    case invalidCharacter(position: Int, character: String, allowed: String)
    /// The registration-department code (GB 32100 position 1) is not one the standard defines.
    case unknownRegistrationDepartment(String)
    /// The organisation-category code (position 2) is not defined for the department of position 1.
    case unknownOrganisationCategory(department: String, category: String)
    /// The final check character does not match the one computed from the others.
    case checkCharacterMismatch(expected: String, actual: String)
    /// Positions 7–14 of a citizen identity number are not a real date.
    case invalidBirthDate(String)

    /// A sentence naming the problem, e.g. "check character should be 3, is Z".
    public var description: String {
        switch self {
        case let .wrongLength(expected, actual):
            return "should be \(expected) characters, is \(actual)"
        case let .invalidCharacter(position, character, allowed):
            return "character \(position) is \(character), allowed: \(allowed)"
        case let .unknownRegistrationDepartment(c):
            return "registration department code \(c) is not defined by GB 32100 (1–9, A, N, Y)"
        case let .unknownOrganisationCategory(department, category):
            return "organisation category \(category) is not defined for registration department \(department)"
        case let .checkCharacterMismatch(expected, actual):
            return "check character should be \(expected), is \(actual)"
        case let .invalidBirthDate(t):
            return "birth date \(t) does not exist"
        }
    }
}

/// Something odd about a code that does not make it invalid: reported, never refused.
public enum IdentifierWarning: Sendable, Hashable, CustomStringConvertible {
    /// The embedded GB 11714 organisation code (positions 9–17) fails its own check; real codes
    /// whose body predates the rule exist, so this is a warning.
    case organisationCodeCheckMismatch(expected: String, actual: String)

    /// A sentence naming the oddity.
    public var description: String {
        switch self {
        case let .organisationCodeCheckMismatch(expected, actual):
            return "embedded organisation code check character should be \(expected), is \(actual) (GB 11714)"
        }
    }
}
