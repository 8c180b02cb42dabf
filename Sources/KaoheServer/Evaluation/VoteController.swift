import AssessmentCore
import Vapor

/// The voter's pages (phone first, no JavaScript, no login and no cookie: the one-time code is the credential) and
/// the same submission as JSON (`POST /api/v1/ballots`, docs/ballot-api.md).
struct VoteController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.vote, use: Self.codeForm)
        routes.post(.vote, use: Self.open)
        routes.post(.voteBallot, use: Self.submit)
        routes.post(.apiBallots, use: Self.api)
    }

    struct CodePage: Encodable {
        var page: PageContext
        var action = SiteRoute.vote.path
        var code: String
        var error: String?
    }

    struct BallotPage: Encodable {
        var page: PageContext
        var action = SiteRoute.voteBallot.path
        var code: String
        var campaign: String
        var unit: String
        var category: String
        var subjects: [BallotForm.Subject]
        var maxBest: String?
        var comment: String
        var problems: [String]
    }

    /// `/v` (`?c=CODE` from the slip's QR code opens the ballot at once).
    @Sendable static func codeForm(req: Request) async throws -> Response {
        if let typed = req.query[String.self, at: "c"], !typed.isEmpty {
            return try await ballotOrCodePage(req, typed: typed, answers: [:], comment: "", problems: [])
        }
        return try await codePage(req, code: "", error: nil, status: .ok)
    }

    struct CodeForm: Content { var code: String? }

    @Sendable static func open(req: Request) async throws -> Response {
        let typed = (try? req.content.decode(CodeForm.self).code) ?? ""
        return try await ballotOrCodePage(req, typed: typed ?? "", answers: [:], comment: "", problems: [])
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let typed = form["code"] ?? ""
        let comment = form["comment"] ?? ""
        let answers = BallotForm.answers(form, besides: ["code", "comment"])
        do {
            try await Voting.submit(typed, answers: answers, comment: comment, client: req.clientAddress, on: req.application)
        } catch let refusal as Voting.Refusal {
            if case .incomplete(let problems) = refusal {
                return try await ballotOrCodePage(req, typed: typed, answers: answers, comment: comment, problems: problems)
            }
            if refusal == .unavailable {  // the answers are kept: submitting again is all it takes
                return try await ballotOrCodePage(req, typed: typed, answers: answers, comment: comment, problems: [], notice: refusal)
            }
            return try await codePage(req, code: "", error: refusal.description, status: refusal.status)
        }
        return try await req.view.render("vote/done", ["page": PageContext(req, title: "投票成功")]).encodeResponse(for: req)
    }

    static func ballotOrCodePage(_ req: Request, typed: String, answers: [String: String], comment: String,
                                 problems: [BallotSheet.Problem], notice: Voting.Refusal? = nil) async throws -> Response {
        let ticket: Voting.Ticket
        do {
            ticket = try await Voting.ticket(typed, client: req.clientAddress, on: req.application)
        } catch let refusal as Voting.Refusal {
            return try await codePage(req, code: typed.count <= 20 ? typed : "", error: refusal.description, status: refusal.status)
        }
        let sheet = ticket.sheet
        let subjects = BallotForm.subjects(sheet, answers: answers, problems: problems)
        let page = BallotPage(
            page: PageContext(req, title: "民主测评票"), code: BallotCodes.normalize(typed) ?? typed, campaign: ticket.campaignTitle,
            unit: ticket.unitName, category: ticket.category, subjects: subjects,
            maxBest: BallotForm.maxBestHint(sheet),
            comment: comment, problems: (notice.map { [$0.description] } ?? []) + problems.map(\.description))
        let response = try await req.view.render("vote/ballot", page).encodeResponse(for: req)
        if !problems.isEmpty { response.status = .unprocessableEntity }
        if let notice {
            response.status = notice.status
            response.headers.replaceOrAdd(name: .retryAfter, value: "2")
        }
        return response
    }

    static func codePage(_ req: Request, code: String, error: String?, status: HTTPStatus) async throws -> Response {
        let response = try await req.view.render("vote/code", CodePage(page: PageContext(req, title: "民主测评"), code: code, error: error))
            .encodeResponse(for: req)
        response.status = status
        return response
    }

    // MARK: JSON

    struct APIProblem: Content { var item: String?; var message: String }
    struct APIAnswer: Content {
        var status: String
        var reason: String?
        var message: String?
        var problems: [APIProblem]?
    }

    @Sendable static func api(req: Request) async throws -> Response {
        guard isJSON(req.headers.first(name: .contentType)), let data = req.body.data,
              let body = data.withUnsafeReadableBytes({ BallotSubmission.decode($0) }) else {
            return try json(APIAnswer(status: "refused", reason: "malformed-request",
                                      message: "请求应为 JSON：{\"code\": \"测评码\", \"answers\": {\"项目\": \"选项\"}, \"comment\": \"意见（可选）\"}"),
                            status: .badRequest)
        }
        do {
            try await Voting.submit(body.code, answers: body.answers, comment: body.comment ?? "", client: req.clientAddress, on: req.application)
        } catch let refusal as Voting.Refusal {
            var answer = APIAnswer(status: "refused", reason: refusal.reason, message: refusal.description)
            if case .incomplete(let problems) = refusal { answer.problems = problems.map { APIProblem(item: $0.key, message: $0.description) } }
            let response = try json(answer, status: refusal.status)
            if refusal == .unavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "2") }
            return response
        }
        let response = Response(status: .created, body: .init(staticString: #"{"status":"accepted"}"#))
        response.headers.contentType = .json
        return response
    }

    /// `application/json`, with or without parameters, in any case: what `HTTPMediaType` equality accepts, without
    /// parsing the header into a media type on every ballot.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let value = contentType else { return false }
        let type = value.utf8.prefix { $0 != UInt8(ascii: ";") }
        return String(decoding: type, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    static func json(_ answer: APIAnswer, status: HTTPStatus) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(answer, as: .json)
        return response
    }
}
