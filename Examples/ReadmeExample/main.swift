// The README's ten-line example, as it is printed there: `swift run readme-example`.
import CreditFacts
import CreditLedger
import CreditPages

let ledger = try Ledger.open(directory: "credit-ledger-example")   // created on first use; fsynced appends
var codec = FactJSONCodec()                                          // interchange v1 (JSON Lines)
try ledger.append([   // a registration and a penalty, as the market regulator reports them (idempotent by id)
    #"{"id":"R-1","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"上海嘉定食品有限公司","kind":"enterprise","region":"310114"}}"#,
    #"{"id":"P-1","type":"penalty.decided","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2023-06-01","body":{"decisionNo":"沪市监嘉处〔2023〕123号","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}}"#,
].map { try codec.decode($0) })
let company = try SubjectCode("91350100M000100Y43")
let document = try ledger.subjectDocument(of: company, asOf: LegalDate(year: 2023, month: 9, day: 10)!)
print(TextReports.creditReport(document, knownAt: "now", issue: nil, wording: Wording()))   // 信用报告: B级, 分值 90, …
try ledger.close()
