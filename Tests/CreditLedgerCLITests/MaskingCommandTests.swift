import Foundation
import Testing

/// The command line masks citizen identity numbers in every output — text, JSON and HTML — with
/// the server's masking, unless `--show-identities` is given.
extension CLITests {
    static let person = "11010519491231002X"
    static let maskedPerson = "1101**********002X"

    @Test func identityNumbersAreMaskedInTextJSONAndHTMLUnlessShowIdentitiesIsGiven() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let outputs = [
            try cli("subject", Self.person, "--ledger", "L", "--as-of", "2024-06-30", "--json"),
            try cli("subject", Self.person, "--ledger", "L", "--as-of", "2024-06-30"),
            try cli("report", Self.person, "--ledger", "L", "--as-of", "2024-06-30", "--format", "html"),
        ]
        for output in outputs {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains(Self.maskedPerson), "\(output.stdout)")
            #expect(!output.stdout.contains(Self.person), "\(output.stdout)")
        }
        let shown = try cli("subject", Self.person, "--ledger", "L", "--as-of", "2024-06-30", "--json", "--show-identities")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains(#""subject":"\#(Self.person)""#), "\(shown.stdout)")
        // A credit report page is a public document: its renderer masks identity numbers whatever the option.
        let page = try cli("report", Self.person, "--ledger", "L", "--as-of", "2024-06-30", "--format", "html", "--show-identities")
        #expect(!page.stdout.contains(Self.person))
    }
}
