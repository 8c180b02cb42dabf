import Foundation

/// One explanation of a decision, tied to the rule (DOMAIN.md rule ID) it came from.
public struct Reason: Equatable, Sendable {
    public var rule: String
    public var message: String
    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }
}

/// One problem in a policy or a dataset: where (`quotas[2].percent`) and what (Chinese message).
public struct ValidationProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// Thrown when a policy or a dataset is invalid; lists every problem found.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [ValidationProblem]
    public init(_ problems: [ValidationProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Collects problems while validating.
struct ProblemList {
    var items: [ValidationProblem] = []
    mutating func add(_ path: String, _ message: String) {
        items.append(ValidationProblem(path: path, message: message))
    }
    var isEmpty: Bool { items.isEmpty }
}
