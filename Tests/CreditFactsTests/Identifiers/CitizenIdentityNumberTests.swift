import Testing
@testable import CreditFacts

/// GB 11643-1999: 17 digits, a real birth date, ISO 7064 MOD 11-2 check character.
@Suite struct CitizenIdentityNumberTests {
    @Test func standardExampleWithCheckXIsValid() throws {
        let id = try CitizenIdentityNumber("11010519491231002X")
        #expect(id.description == "11010519491231002X")
        #expect(id.addressCode == "110105")
        #expect(id.birthDate == LegalDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
    }

    @Test func secondStandardExampleIsValidAndMale() throws {
        let id = try CitizenIdentityNumber("440524188001010014")
        #expect(id.birthDate == LegalDate(year: 1880, month: 1, day: 1))
        #expect(id.sex == .male)
    }

    @Test func lowerCaseXIsNormalisedToUpperCase() throws {
        #expect(try CitizenIdentityNumber("11010519491231002x").description == "11010519491231002X")
        #expect(try CitizenIdentityNumber("11010519491231002x") == CitizenIdentityNumber("11010519491231002X"))
    }

    @Test func wrongCheckCharacterIsRefusedNamingBoth() {
        #expect(throws: IdentifierError.checkCharacterMismatch(expected: "X", actual: "3")) {
            try CitizenIdentityNumber("110105194912310023")
        }
    }

    @Test func birthDateThatDoesNotExistIsRefused() {
        // 1949-02-30, with a check character that would otherwise be right.
        #expect(throws: IdentifierError.invalidBirthDate("19490230")) {
            try CitizenIdentityNumber("110105194902300020")
        }
    }

    @Test func letterBeforeTheCheckPositionIsRefused() {
        #expect(throws: IdentifierError.invalidCharacter(position: 5, character: "A", allowed: "digits")) {
            try CitizenIdentityNumber("1101A519491231002X")
        }
    }

    @Test func checkPositionAllowsOnlyDigitsOrX() {
        #expect(throws: IdentifierError.invalidCharacter(position: 18, character: "Y", allowed: "digits or X")) {
            try CitizenIdentityNumber("11010519491231002Y")
        }
    }

    @Test func fifteenDigitLegacyNumbersAreRefusedByLength() {
        #expect(throws: IdentifierError.wrongLength(expected: 18, actual: 15)) {
            try CitizenIdentityNumber("110105491231002")
        }
    }

    @Test func ageCountsWholeYearsAndTheBirthdayItself() throws {
        let id = try CitizenIdentityNumber("11010519491231002X")
        #expect(id.age(on: LegalDate(year: 1967, month: 12, day: 30)!) == 17)
        #expect(id.age(on: LegalDate(year: 1967, month: 12, day: 31)!) == 18)
    }

    @Test func personBornIn2005IsAMinorUntilTheir18thBirthday() throws {
        // 110105 2005-03-01 sequence 002, check character 4.
        let id = try CitizenIdentityNumber("110105200503010024")
        #expect(id.isMinor(on: LegalDate(year: 2023, month: 2, day: 28)!))
        #expect(!id.isMinor(on: LegalDate(year: 2023, month: 3, day: 1)!))
    }

    @Test func maskingKeepsFourCharactersEachEnd() throws {
        #expect(try CitizenIdentityNumber("11010519491231002X").masked == "1101**********002X")
    }
}

/// A subject is either kind of code; the error reported is that of the standard it resembles.
@Suite struct SubjectCodeTests {
    @Test func allDigitOrganisationCodeIsAnOrganisation() throws {
        #expect(try SubjectCode("914403001922038216") == .organisation(UnifiedSocialCreditCode("914403001922038216")))
    }

    @Test func identityNumberIsAPerson() throws {
        #expect(try SubjectCode("11010519491231002x").isPerson)
    }

    @Test func badOrganisationCodeReportsTheOrganisationError() {
        #expect(throws: IdentifierError.checkCharacterMismatch(expected: "3", actual: "Z")) {
            try SubjectCode("91350100M000100Y4Z")
        }
    }

    @Test func badIdentityNumberReportsThePersonError() {
        #expect(throws: IdentifierError.checkCharacterMismatch(expected: "X", actual: "3")) {
            try SubjectCode("110105194912310023")
        }
    }
}

/// Building codes from their parts computes the check characters the standards define.
@Suite struct CodeConstructionTests {
    @Test func standardUnifiedCodeIsRebuiltFromItsParts() throws {
        let code = try UnifiedSocialCreditCode.make(department: "9", category: "1", region: "350100", organisationBody: "M000100Y")
        #expect(code.description == "91350100M000100Y43")
        #expect(code.warning == nil)
    }

    @Test func organisationCheckCharacterXIsComputed() throws {
        #expect(try UnifiedSocialCreditCode.make(department: "9", category: "1", region: "440300", organisationBody: "71526726").description
            == "9144030071526726XG")
    }

    @Test func undefinedCategoryIsStillRefused() {
        #expect(throws: IdentifierError.unknownOrganisationCategory(department: "9", category: "5")) {
            try UnifiedSocialCreditCode.make(department: "9", category: "5", region: "440300", organisationBody: "71526726")
        }
    }

    @Test func standardIdentityNumberIsRebuiltFromItsParts() throws {
        let id = try CitizenIdentityNumber.make(address: "110105", birthDate: LegalDate(year: 1949, month: 12, day: 31)!, sequence: 2)
        #expect(id.description == "11010519491231002X")
    }
}
