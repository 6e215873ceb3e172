import Testing
@testable import CreditFacts

/// Subject codes sort as their printed text, organisations and persons alike, without building
/// strings (views sort hundreds of thousands of subjects for every digest and snapshot).
@Test func subjectCodesOrderAsTheirPrintedText() throws {
    var codes: [SubjectCode] = [try SubjectCode("91350100M000100Y43"), try SubjectCode("11010519491231002X")]
    for body in ["00000001", "MA1GU2LX", "12345678", "0000000A"] {
        codes.append(.organisation(try UnifiedSocialCreditCode.make(department: "9", category: "1", region: "310114", organisationBody: body)))
        codes.append(.organisation(try UnifiedSocialCreditCode.make(department: "5", category: "2", region: "110105", organisationBody: body)))
    }
    for sequence in [1, 22, 333, 999] {
        codes.append(.person(try CitizenIdentityNumber.make(address: "310114", birthDate: LegalDate(year: 1980, month: 1, day: sequence % 28 + 1)!, sequence: sequence)))
    }
    #expect(codes.sorted().map(\.description) == codes.map(\.description).sorted())
    #expect(codes.sorted(by: >).map(\.description) == codes.map(\.description).sorted(by: >))
}
