// Hand-written: the generated Swift client against the seed doc page of
// pims.authentication.smscode phoneNumberCertification (its facts are in
// tests/fixtures/seed-phoneNumberCertification.json, checked against the page
// by the Rust conformance tests). Runs wherever `swift test` exists; on this
// project's machines it is only parsed (tree-sitter-swift).
import Foundation
import XCTest
@testable import PimsSdk

typealias Smscode = Authentication.Smscode

final class SeedConformanceTests: XCTestCase {
    /// The seed's documented messages, as the platform hands them.
    func seed() throws -> [String: Any] {
        let here = URL(fileURLWithPath: #filePath)
        let path = ProcessInfo.processInfo.environment["PIMS_SEED"]
            ?? here.deletingLastPathComponent().appendingPathComponent("../../../tests/fixtures/seed-phoneNumberCertification.json").path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testParametersEqualTheSeedsSwiftDictionary() throws {
        let pairs = try XCTUnwrap(try seed()["swift_parameters"] as? [[String]])
        XCTAssertEqual(pairs.count, 2)
        let parameters = try Smscode.PhoneNumberCertification(phoneNumber: "0612345678").toParameters()
        XCTAssertEqual(parameters.count, pairs.count)
        for pair in pairs {
            XCTAssertEqual(parameters[pair[0]] as? String, pair[1])
        }
    }

    func testEachDocumentedMessageDecodesIntoItsTypedOutcome() throws {
        let expected: [Int64?: PimsOutcome<PimsNoData, Smscode.PhoneNumberCertificationError>] = [
            nil: .succeeded(transactionId: "953cfefb-bc72", result: PimsNoData()),
            2001: .failed(transactionId: "953cfefb-bc72", error: .facadeNotInitialized),
            2006: .failed(transactionId: "953cfefb-bc72", error: .coreNotConfigured),
            2101: .failed(transactionId: "953cfefb-bc72", error: .missingParameter(parameter: nil)),
            2102: .failed(transactionId: "953cfefb-bc72", error: .invalidParameter(parameter: nil)),
            2201: .failed(transactionId: "953cfefb-bc72", error: .timeout),
            2202: .failed(transactionId: "953cfefb-bc72", error: .noInternet),
            2204: .failed(transactionId: "953cfefb-bc72", error: .serverError(subCodes: [])),
        ]
        let messages = try XCTUnwrap(try seed()["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.count, 8)
        for message in messages {
            let code = ((message["error"] as? [String: Any])?["code"]).flatMap { try? PimsDecode.integer($0, at: "") }
            let want = try XCTUnwrap(expected[code], "no expectation for \(String(describing: code))")
            XCTAssertEqual(Smscode.PhoneNumberCertification.decodeReply(message), want)
        }
    }

    func testErrorCodesArriveAsIntInt64OrIntegralDouble() {
        for code in [2202 as Any, Int64(2202) as Any, 2202.0 as Any, NSNumber(value: 2202) as Any] {
            let message: [String: Any] = ["transactionId": "t", "status": "FAILED", "error": ["code": code, "label": "x"]]
            XCTAssertEqual(Smscode.PhoneNumberCertification.decodeReply(message), .failed(transactionId: "t", error: .noInternet))
        }
        let fraction: [String: Any] = ["transactionId": "t", "status": "FAILED", "error": ["code": 2202.5, "label": "x"]]
        guard case .undecodable(let error) = Smscode.PhoneNumberCertification.decodeReply(fraction) else {
            return XCTFail("2202.5 was accepted as a code")
        }
        XCTAssertEqual(error.path, "error.code")
    }

    func testPlaceholdersAndUnlistedCodes() {
        let filled: [String: Any] = ["transactionId": "t", "status": "FAILED", "error": ["code": 2101, "label": "Missing phoneNumber parameter"]]
        XCTAssertEqual(
            Smscode.PhoneNumberCertification.decodeReply(filled),
            .failed(transactionId: "t", error: .missingParameter(parameter: "phoneNumber"))
        )
        let unknown: [String: Any] = ["transactionId": "t", "status": "FAILED", "error": ["code": 9999, "label": "new"]]
        XCTAssertEqual(
            Smscode.PhoneNumberCertification.decodeReply(unknown),
            .failed(transactionId: "t", error: .unlisted(.unlisted(code: 9999, label: "new")))
        )
    }

    func testChecksRefuseWhatTheRustRuntimeRefuses() throws {
        for bad in ["06 12 34 56 78", "0612", "0612345678\n", "+33612345678x", "٠٦١٢٣٤٥٦٧٨"] {
            XCTAssertThrowsError(try Smscode.PhoneNumberCertification(phoneNumber: bad).toParameters()) { error in
                XCTAssertEqual((error as? PimsInvalidParameter)?.parameter, "phoneNumber")
            }
        }
        XCTAssertNoThrow(try Smscode.PhoneNumberCertification(phoneNumber: "+33612345678").toParameters())
    }

    func testEnumerationsKeepUnknownValues() throws {
        let result = try Smscode.ValidateEnrollmentCodeResult.decode(["status": "Pending"], at: "result")
        XCTAssertEqual(result.status, .unlisted("Pending"))
        XCTAssertEqual(result.status.wire, "Pending")
    }
}
