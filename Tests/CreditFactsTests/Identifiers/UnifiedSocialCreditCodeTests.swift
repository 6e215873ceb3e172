import Testing
@testable import CreditFacts

/// GB 32100-2015: structure, 31-character set, check character; GB 11714 embedded check as a warning.
@Suite struct UnifiedSocialCreditCodeTests {
    @Test func standardWorkedExampleEndingIn3IsValid() throws {
        let code = try UnifiedSocialCreditCode("91350100M000100Y43")
        #expect(code.description == "91350100M000100Y43")
        #expect(code.registrationDepartment == "9")
        #expect(code.organisationCategory == "1")
        #expect(code.regionCode == "350100")
        #expect(code.organisationCode == "M000100Y4")
        #expect(code.warning == nil)
    }

    @Test func standardWorkedExampleEndingInZIsRefusedNamingTheCheckCharacter() {
        #expect(throws: IdentifierError.checkCharacterMismatch(expected: "3", actual: "Z")) {
            try UnifiedSocialCreditCode("91350100M000100Y4Z")
        }
        let error = IdentifierError.checkCharacterMismatch(expected: "3", actual: "Z")
        #expect(error.description == "check character should be 3, is Z")
    }

    @Test(arguments: [
        "914403001922038216", "91440300708461136T", "9144030071526726XG", "91330100799655058B",
        "91110108551385082Q", "91420000757013137P", "9131011877976576X6", "91512081MA62K0260E",
        "91310109MACHK7GN2R", "91310000MAERED2X1W", "91211103MA10E6140W",
    ])
    func realCodesFromPublicTextsAreValidWithoutWarning(code: String) throws {
        let parsed = try UnifiedSocialCreditCode(code)
        #expect(parsed.description == code)
        #expect(parsed.warning == nil)
    }

    @Test(arguments: [
        ("9133010057462616XH", "9"), ("91110108717809965C", "J"), ("91110000800088421P", "W"),
        ("91310000MA1FL8BD3L", "M"), ("91430100MA4R7G5X7P", "6"),
    ])
    func mockCodesAttributedToRealCompaniesFailTheirCheck(code: String, expected: String) {
        #expect(throws: IdentifierError.checkCharacterMismatch(expected: expected, actual: String(code.last!))) {
            try UnifiedSocialCreditCode(code)
        }
    }

    @Test func badEmbeddedOrganisationCheckIsAWarningNotARefusal() throws {
        // Body M000100Y with organisation check 5 instead of 4; position 18 recomputed so GB 32100 passes.
        let code = try UnifiedSocialCreditCode("91350100M000100Y56")
        #expect(code.warning == .organisationCodeCheckMismatch(expected: "4", actual: "5"))
        #expect(code.warning?.description == "embedded organisation code check character should be 4, is 5 (GB 11714)")
    }

    @Test func organisationCheckUsesFullAlphabetLetterValues() throws {
        // With the 31-character table M would be 21 and the embedded check would not be 2.
        #expect(try UnifiedSocialCreditCode("91310109MACHK7GN2R").warning == nil)
    }

    @Test func codeOfWrongLengthIsRefusedWithBothLengths() {
        #expect(throws: IdentifierError.wrongLength(expected: 18, actual: 17)) {
            try UnifiedSocialCreditCode("91350100M000100Y4")
        }
        #expect(IdentifierError.wrongLength(expected: 18, actual: 17).description == "should be 18 characters, is 17")
    }

    @Test func excludedLettersAreRefusedWithTheirPosition() {
        #expect(throws: IdentifierError.invalidCharacter(
            position: 9, character: "O", allowed: "0–9 and A–Z except I, O, Z, S, V")) {
            try UnifiedSocialCreditCode("91350100O000100Y43")
        }
    }

    @Test func lowerCaseLettersAreRefused() {
        #expect(throws: IdentifierError.invalidCharacter(
            position: 9, character: "m", allowed: "0–9 and A–Z except I, O, Z, S, V")) {
            try UnifiedSocialCreditCode("91350100m000100Y43")
        }
    }

    @Test func undefinedRegistrationDepartmentIsRefused() {
        #expect(throws: IdentifierError.unknownRegistrationDepartment("B")) {
            try UnifiedSocialCreditCode("B1350100M000100Y43")
        }
    }

    @Test func categoryUndefinedForItsDepartmentIsRefused() {
        // Department 9 (market regulation) defines categories 1, 2, 3 only.
        #expect(throws: IdentifierError.unknownOrganisationCategory(department: "9", category: "4")) {
            try UnifiedSocialCreditCode("94350100M000100Y43")
        }
    }

    @Test func regionCodeMustBeDigits() {
        #expect(throws: IdentifierError.invalidCharacter(
            position: 3, character: "A", allowed: "digits (region code, GB/T 2260)")) {
            try UnifiedSocialCreditCode("91A50100M000100Y43")
        }
    }
}
