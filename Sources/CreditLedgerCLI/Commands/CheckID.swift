import ArgumentParser
import CreditDocuments
import CreditFacts

/// `check-id CODE…`: validates unified social credit codes and citizen identity numbers.
struct CheckID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-id",
        abstract: "Validate USCC / citizen identity numbers: `CODE valid` or `CODE invalid: reason`; exit 0 only if all are valid.")

    @Argument(help: "Codes to check.")
    var codes: [String]

    @Flag(help: "One JSON document on stdout.")
    var json = false

    func run() throws {
        IdentityOutput.show()  // it echoes the codes it was given
        var results: [JSON] = []
        var allValid = true
        for code in codes {
            do {
                let subject = try SubjectCode(code)
                var warning: String?
                if case .organisation(let organisation) = subject { warning = organisation.warning?.description }
                let kind = subject.isPerson ? "citizenIdentityNumber" : "unifiedSocialCreditCode"
                results.append(.object([("code", .string(code)), ("valid", .bool(true)), ("kind", .string(kind)),
                                        ("reason", .null), ("warning", .optional(warning))]))
                if !json { print("\(code) valid" + (warning.map { " (warning: \($0))" } ?? "")) }
            } catch {
                allValid = false
                results.append(.object([("code", .string(code)), ("valid", .bool(false)), ("kind", .null),
                                        ("reason", .string("\(error)")), ("warning", .null)]))
                if !json { print("\(code) invalid: \(error)") }
            }
        }
        if json { print(JSON.object([("codes", .array(results))]).text) }
        if !allValid { throw ExitCode(ExitStatus.refused.rawValue) }
    }
}
