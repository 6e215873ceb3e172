import Testing
@testable import CreditFacts

/// INTERCHANGE v1 "Refused input": each refusal names the line, the field and the reason.
@Suite struct RefusalTests {
    /// Expects `line` to be refused with exactly this kind, field and reason.
    func expectRefused(_ line: String, _ kind: FactError.Kind, _ field: String, _ reason: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let error = refusal(line, lineNumber: 42)
        #expect(error == FactError(line: 42, kind: kind, field: field, reason: reason), sourceLocation: sourceLocation)
    }

    @Test func malformedJsonIsRefusedWithItsPosition() {
        expectRefused(#"{"id":"A1","type":}"#, .malformedJSON, "", "unexpected } at byte 19")
    }

    @Test func aTopLevelArrayIsNotAFact() {
        expectRefused("[1,2]", .malformedJSON, "", "expected an object")
    }

    @Test func textAfterTheObjectIsRefused() {
        expectRefused(specExampleLine + "x", .malformedJSON, "", "text after the object at byte \(specExampleLine.utf8.count + 1)")
    }

    @Test func invalidUtf8IsRefused() {
        var bytes = Array(specExampleLine.utf8)
        bytes[bytes.count - 5] = 0xFF
        var codec = FactJSONCodec()
        let error = bytes.withUnsafeBufferPointer { b -> FactError? in
            do throws(FactError) { _ = try codec.decode(utf8: b, lineNumber: 3); return nil } catch { return error }
        }
        #expect(error == FactError(line: 3, kind: .malformedJSON, field: "", reason: "not valid UTF-8"))
    }

    @Test func missingEnvelopeFieldIsNamed() {
        expectRefused(specExample(replacing: #""effective":"2023-06-01","#, with: ""), .missingField, "effective", "is required")
    }

    @Test func missingBodyFieldIsNamedWithItsPath() {
        expectRefused(specExample(replacing: #","legalBasis":"《食品安全法》第一百二十四条""#, with: ""),
                      .missingField, "body.legalBasis", "is required")
    }

    @Test func moneyWrittenAsAStringIsAWrongType() {
        expectRefused(specExample(replacing: "50000", with: #""50000""#), .wrongType, "body.fineYuan",
                      "expected a number of yuan, found a string")
    }

    @Test func bodyThatIsNotAnObjectIsAWrongType() {
        let line = #"{"id":"P1","type":"penalty.performed","subject":"914403001922038216","source":"S","effective":"2023-06-01","body":[]}"#
        expectRefused(line, .wrongType, "body", "expected an object, found an array")
    }

    @Test func unknownFactTypeIsRefused() {
        let error = refusal(specExample(replacing: "penalty.decided", with: "penalty.cancelled"))
        #expect(error?.kind == .unknownType)
        #expect(error?.field == "type")
        #expect(error?.reason.hasPrefix(#""penalty.cancelled" is not one of subject.registered | "#) == true)
    }

    @Test func unknownEnumValueInAnArrayIsNamedByIndex() {
        let error = refusal(specExample(replacing: #"["fine"]"#, with: #"["fine","flogging"]"#))
        #expect(error?.kind == .unknownValue)
        #expect(error?.field == "body.kinds.1")
        #expect(error?.reason == #""flogging" is not one of warning | criticism | fine | confiscation | qualificationDowngrade | licenceRevoked | businessLicenceRevoked | businessRestricted | suspension | closure | occupationBan | detention"#)
    }

    @Test func repeatedPenaltyKindIsRefused() {
        expectRefused(specExample(replacing: #"["fine"]"#, with: #"["fine","fine"]"#), .invalidValue, "body.kinds.1",
                      "fine is listed twice")
    }

    @Test func subjectFailingItsCheckCharacterIsRefusedAsWrongCode() {
        expectRefused(specExample(replacing: "914403001922038216", with: "91350100M000100Y4Z"), .invalidCode, "subject",
                      "91350100M000100Y4Z: check character should be 3, is Z")
    }

    @Test func roleForAPersonWithAnInvalidIdentityNumberIsRefused() {
        let line = #"{"id":"R1","type":"role.assigned","subject":"914403001922038216","source":"S","effective":"2023-06-01","body":{"person":"110105194912310023","role":"principal"}}"#
        expectRefused(line, .invalidCode, "body.person",
                      "110105194912310023 is not a citizen identity number: check character should be X, is 3")
    }

    @Test func roleInAPersonIsRefused() {
        let line = #"{"id":"R1","type":"role.assigned","subject":"110105194912310023","source":"S","effective":"2023-06-01","body":{"person":"11010519491231002X","role":"principal"}}"#
            .replacingOccurrences(of: #""subject":"110105194912310023""#, with: #""subject":"440524188001010014""#)
        expectRefused(line, .invalidValue, "subject", "roles are held in organisations; the subject must be a unified social credit code")
    }

    @Test func dateThatDoesNotExistIsRefused() {
        expectRefused(specExample(replacing: "2023-06-01", with: "2023-02-29"), .invalidDate, "effective",
                      "2023-02-29 is not a date that exists")
    }

    @Test func timestampWithoutOffsetIsRefused() {
        expectRefused(specExample(replacing: "2023-06-06T10:12:00+08:00", with: "2023-06-06T10:12:00"), .invalidDate,
                      "reported", "2023-06-06T10:12:00 has no UTC offset (add +08:00 or Z)")
    }

    @Test func moneyWithThreeDecimalsIsRefused() {
        expectRefused(specExample(replacing: "50000", with: "50000.001"), .invalidValue, "body.fineYuan", "has more than 2 decimals")
    }

    @Test func moneyWithAnExponentIsRefused() {
        expectRefused(specExample(replacing: "50000", with: "5e4"), .invalidValue, "body.fineYuan",
                      "write money as a plain decimal, without an exponent")
    }

    @Test func negativeMoneyIsRefused() {
        expectRefused(specExample(replacing: "50000", with: "-1"), .invalidValue, "body.fineYuan", "must not be negative")
    }

    @Test func fineWithoutAnAmountIsRefused() {
        expectRefused(specExample(replacing: #""fineYuan":50000,"#, with: ""), .missingField, "body.fineYuan",
                      "required when kinds include fine")
    }

    @Test func amountWithoutAFineIsRefused() {
        expectRefused(specExample(replacing: #"["fine"]"#, with: #"["warning"]"#), .invalidValue, "body.fineYuan",
                      "given, but kinds do not include fine")
    }

    @Test func duplicateKeyIsRefused() {
        expectRefused(specExample(replacing: #""source":"310114-SCJG""#, with: #""source":"310114-SCJG","source":"X""#),
                      .duplicateField, "source", "appears more than once")
    }

    @Test func factIdWithASpaceIsRefused() {
        expectRefused(specExample(replacing: "JD-SCJG-2023-000123", with: "JD SCJG"), .invalidValue, "id",
                      "contains byte 0x20; only A–Z, a–z, 0–9 and . _ : - are allowed")
    }

    @Test func emptySourceIsRefused() {
        expectRefused(specExample(replacing: #""source":"310114-SCJG""#, with: #""source":"""#), .invalidValue, "source",
                      "must not be empty")
    }

    @Test func sourceLongerThan64CharactersIsRefused() {
        let long = String(repeating: "部", count: 65)
        expectRefused(specExample(replacing: #""source":"310114-SCJG""#, with: #""source":""# + long + #"""#),
                      .invalidValue, "source", "is 65 characters long, at most 64 allowed")
    }

    @Test func minorIsNeverPutOnTheJudgmentDefaulterList() {
        let line = #"{"id":"L1","type":"list.entered","subject":"110105200503010024","source":"310114-FY","effective":"2023-02-28","body":{"listNo":"(2023)1号","list":"judgmentDefaulter","field":"other","reason":"拒不履行"}}"#
        expectRefused(line, .invalidValue, "body.list",
                      "minors are never put on the judgment-defaulter list (法释〔2017〕7号 Art. 4); the subject is 17 on 2023-02-28")
        #expect(refusal(line.replacingOccurrences(of: "2023-02-28", with: "2023-03-01")) == nil)
    }

    @Test func publicationBeforeTheListingDateIsRefused() {
        let line = #"{"id":"L1","type":"list.entered","subject":"914403001922038216","source":"S","effective":"2023-04-03","body":{"listNo":"1","list":"abnormalOperation","field":"other","reason":"未年报","publishFrom":"2023-04-02"}}"#
        expectRefused(line, .invalidValue, "body.publishFrom", "2023-04-02 is before the listing date 2023-04-03")
    }

    @Test func naturalPersonKindNeedsAnIdentityNumber() {
        let line = #"{"id":"R1","type":"subject.registered","subject":"914403001922038216","source":"S","effective":"2020-01-01","body":{"name":"X","kind":"naturalPerson","region":"440300"}}"#
        expectRefused(line, .invalidValue, "body.kind",
                      "naturalPerson needs a citizen identity number as subject, not an organisation code")
    }

    @Test func birthDateContradictingTheIdentityNumberIsRefused() {
        let line = #"{"id":"R1","type":"subject.registered","subject":"11010519491231002X","source":"S","effective":"2020-01-01","body":{"name":"X","kind":"naturalPerson","region":"110105","birthDate":"1950-01-01"}}"#
        expectRefused(line, .invalidValue, "body.birthDate", "1950-01-01 differs from the identity number's birth date 1949-12-31")
    }

    @Test func regionThatIsNotSixDigitsIsRefused() {
        let line = #"{"id":"R1","type":"subject.registered","subject":"914403001922038216","source":"S","effective":"2020-01-01","body":{"name":"X","kind":"enterprise","region":"44030"}}"#
        expectRefused(line, .invalidValue, "body.region", #""44030" is not a six-digit region code (GB/T 2260)"#)
    }

    @Test func evaluationYearMustBeAnInteger() {
        let line = #"{"id":"E1","type":"evaluation.published","subject":"914403001922038216","source":"S","effective":"2023-04-20","body":{"scheme":"tax","grade":"A","year":"2022"}}"#
        expectRefused(line, .wrongType, "body.year", "expected a year (integer), found a string")
    }

    @Test func repairTargetWithTwoReferencesIsRefused() {
        let line = #"{"id":"X1","type":"repair.applied","subject":"914403001922038216","source":"S","effective":"2024-01-02","body":{"repairNo":"R","target":{"decisionNo":"D","listNo":"L"}}}"#
        expectRefused(line, .invalidValue, "body.target", "must have exactly one member, decisionNo or listNo")
    }

    @Test func booleanWrittenAsAStringIsAWrongType() {
        let line = #"{"id":"A1","type":"act.recorded","subject":"914403001922038216","source":"S","effective":"2023-03-15","body":{"act":"inspection","decisionNo":"D","outcome":"ok","negative":"false"}}"#
        expectRefused(line, .wrongType, "body.negative", "expected true or false, found a string")
    }

    @Test func refusalsPrintLineFieldAndReason() throws {
        let error = try #require(refusal(specExample(replacing: "50000", with: "50000.001"), lineNumber: 7))
        #expect(error.description == "line 7: body.fineYuan: has more than 2 decimals")
    }
}

/// The source of a refused line, read only as far as the line is well-formed.
@Suite struct RefusedLineSourceTests {
    func source(_ line: String) -> String? {
        Array(line.utf8).withUnsafeBufferPointer { RefusedLineSource.source(in: $0)?.text }
    }

    @Test func theTopLevelSourceOfARefusedLineIsReadUpToTheFirstDamage() {
        #expect(source(#"{"id":"X","source":"310114-SCJG","subject":"BAD"}"#) == "310114-SCJG")
        #expect(source(#"{"id":"X","source":"310114-SCJG","body":{,}"#) == "310114-SCJG")
        #expect(source(#"{"id":"X" "source":"310114-SCJG"}"#) == nil)         // damage before it
        #expect(source(#"{"body":{"source":"310114-SCJG"}}"#) == nil)          // nested: not the fact's source
        #expect(source(#"{"source":""}"#) == nil)                              // not a valid source
        #expect(source(#"{"source":"310114-\u0053CJG"}"#) == "310114-SCJG")     // escapes decoded
        #expect(source("not json") == nil)
    }
}
