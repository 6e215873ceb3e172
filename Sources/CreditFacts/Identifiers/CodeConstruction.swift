extension UnifiedSocialCreditCode {
    /// Builds a code from its parts, computing both check characters (the embedded GB 11714 one at
    /// position 17 and the GB 32100 one at position 18), e.g. for test data and synthetic streams.
    /// - Parameters:
    ///   - department: registration-department code (position 1), e.g. `9`.
    ///   - category: organisation-category code (position 2), e.g. `1`.
    ///   - region: six-digit region code of the registration authority.
    ///   - organisationBody: the 8-character body of the organisation code, from the 31-character set.
    /// - Throws: ``IdentifierError`` when a part breaks the standard.
    public static func make(department: Character, category: Character, region: String,
                            organisationBody: String) throws(IdentifierError) -> UnifiedSocialCreditCode {
        let body = Array(organisationBody.utf8)
        guard body.count == 8 else { throw .wrongLength(expected: 8, actual: body.count) }
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (c, w) in zip(body, weights) { sum += (c <= UInt8(ascii: "9") ? Int(c) - 48 : Int(c) - 55) * w }
        let v = 11 - sum % 11
        let orgCheck = v == 10 ? "X" : v == 11 ? "0" : String(v)
        let first17 = String(department) + String(category) + region + organisationBody + orgCheck
        var total = 0
        for c in first17.utf8.reversed() {
            guard let value = value(of: c) else { return try UnifiedSocialCreditCode(first17 + "0") }
            total = total * 3 + value
        }
        let check = alphabet.utf8Start[(31 - total % 31) % 31]
        return try UnifiedSocialCreditCode(first17 + String(UnicodeScalar(check)))
    }
}

extension CitizenIdentityNumber {
    /// Builds a number from its parts, computing the check character, e.g. for test data.
    /// - Parameters:
    ///   - address: six-digit address code.
    ///   - birthDate: the birth date.
    ///   - sequence: sequence code `0...999` (odd for men, even for women).
    /// - Throws: ``IdentifierError`` when a part breaks the standard.
    public static func make(address: String, birthDate: LegalDate, sequence: Int) throws(IdentifierError) -> CitizenIdentityNumber {
        let (y, m, d) = birthDate.civil
        let first17 = address + pad(y, 4) + pad(m, 2) + pad(d, 2) + pad(sequence % 1000, 3)
        var sum = 0
        for c in first17.utf8 {
            guard c &- 48 < 10 else { return try CitizenIdentityNumber(first17 + "0") }
            sum = sum * 2 + Int(c) - 48
        }
        let check = checkCharacters.utf8Start[sum * 2 % 11]
        return try CitizenIdentityNumber(first17 + String(UnicodeScalar(check)))
    }
}
