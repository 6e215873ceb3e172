/// The vocabulary of the ledger: identifiers, the fact model, interchange v1, the binary codec,
/// the working-day calendar and the rule regimes. Independent of storage.
public enum CreditFacts {}
