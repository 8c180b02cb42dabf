import Fluent
import Vapor

/// 考核组: a group, its members (考核组成员 accounts) and the units it assesses, which bound what members see.
struct GroupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.groups, use: Self.index)
        routes.post(.groups, use: Self.create)
        routes.post(.groupUnits, use: Self.addUnit)
        routes.post(.groupMembers, use: Self.addMember)
        routes.post(.groupUnitRemove, use: Self.removeUnit)
        routes.post(.groupMemberRemove, use: Self.removeMember)
    }

    struct GroupRow: Encodable {
        var name: String; var units: [SelectOption]; var members: [SelectOption]; var addUnit: String; var addMember: String
        var removeUnit: String; var removeMember: String
    }
    struct IndexPage: Encodable {
        var page: PageContext; var groups: [GroupRow]; var units: UnitChoice; var members: [SelectOption]
        var create = SiteRoute.groups.path
    }

    @Sendable static func index(req: Request) async throws -> View {
        let groups = try await AssessmentGroup.query(on: req.db).with(\.$units).with(\.$members).sort(\.$name).all()
        let units = try await UnitQueries.choice(scopeUnits: nil, on: req.sql)
        let members = try await Account.query(on: req.db).filter(\.$role == .groupMember).sort(\.$username).all()
        return try await req.view.render("groups/index", IndexPage(
            page: PageContext(req, title: "考核组"),
            groups: groups.map {
                GroupRow(name: $0.name, units: $0.units.map { SelectOption(value: $0.id!.uuidString, label: $0.name) },
                         members: $0.members.map { SelectOption(value: $0.id!.uuidString, label: $0.displayName) },
                         addUnit: SiteRoute.groupUnits($0.id!).path, addMember: SiteRoute.groupMembers($0.id!).path,
                         removeUnit: SiteRoute.groupUnitRemove($0.id!).path, removeMember: SiteRoute.groupMemberRemove($0.id!).path)
            },
            units: units,
            members: members.map { SelectOption(value: $0.id!.uuidString, label: "\($0.displayName)（\($0.username)）") }))
    }

    struct NameForm: Content { var name: String }
    struct IDForm: Content { var id: UUID }
    /// A unit chosen from the drop-down (its id) or typed (its code).
    struct UnitForm: Content { var id: String }

    @Sendable static func create(req: Request) async throws -> Response {
        let name = try req.content.decode(NameForm.self).name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw RequestFailure.invalid("「考核组名称」必填。") }
        if try await AssessmentGroup.query(on: req.db).filter(\.$name == name).count() > 0 {
            throw RequestFailure.invalid("「考核组名称」\(name) 已存在。")
        }
        let group = AssessmentGroup(name: name)
        try await req.audited { tx, audit in
            try await group.create(on: tx)
            audit.record(.init(action: .create, entity: .assessmentGroup, entityID: group.id!.uuidString, after: ["name": name]))
        }
        return req.redirect(to: .groups, notice: .created)
    }

    @Sendable static func addUnit(req: Request) async throws -> Response {
        let group = try await find(req)
        guard let unitID = try await UnitQueries.chosen(req.content.decode(UnitForm.self).id, on: req.sql) else {
            throw RequestFailure.invalid("「单位」不存在（选择单位或填写单位编码）。")
        }
        // Already in the group (a second click, or two at once): nothing to do.
        let already = try await AssessmentGroupUnit.query(on: req.db).filter(\.$group.$id == group.requireID())
            .filter(\.$unit.$id == unitID).count() > 0
        if already { return req.redirect(to: .groups, notice: .saved) }
        try await req.audited { tx, audit in
            let link = AssessmentGroupUnit()
            link.$group.id = group.id!
            link.$unit.id = unitID
            try await link.create(on: tx)
            audit.record(.init(action: .create, entity: .assessmentGroupUnit, entityID: link.id!.uuidString,
                               after: ["groupID": group.id!.uuidString, "unitID": unitID.uuidString]))
        }
        return req.redirect(to: .groups, notice: .saved)
    }

    @Sendable static func addMember(req: Request) async throws -> Response {
        let group = try await find(req)
        let accountID = try req.content.decode(IDForm.self).id
        guard let account = try await Account.find(accountID, on: req.db), account.role == .groupMember else {
            throw RequestFailure.invalid("「成员」必须是角色为考核组成员的账号。")
        }
        let already = try await AssessmentGroupMember.query(on: req.db).filter(\.$group.$id == group.requireID())
            .filter(\.$account.$id == accountID).count() > 0
        if already { return req.redirect(to: .groups, notice: .saved) }
        try await req.audited { tx, audit in
            let link = AssessmentGroupMember()
            link.$group.id = group.id!
            link.$account.id = accountID
            try await link.create(on: tx)
            audit.record(.init(action: .create, entity: .assessmentGroupMember, entityID: link.id!.uuidString,
                               after: ["groupID": group.id!.uuidString, "accountID": accountID.uuidString]))
        }
        return req.redirect(to: .groups, notice: .saved)
    }

    /// Undo by correction: a unit leaves the group (its members no longer see it). A unit not in the group: nothing to do.
    @Sendable static func removeUnit(req: Request) async throws -> Response {
        let group = try await find(req)
        let unitID = try req.content.decode(IDForm.self).id
        guard let link = try await AssessmentGroupUnit.query(on: req.db).filter(\.$group.$id == group.requireID())
            .filter(\.$unit.$id == unitID).first() else { return req.redirect(to: .groups, notice: .saved) }
        try await req.audited { tx, audit in
            try await link.delete(on: tx)
            audit.record(.init(action: .delete, entity: .assessmentGroupUnit, entityID: link.id!.uuidString,
                               before: ["groupID": group.id!.uuidString, "unitID": unitID.uuidString], reason: "移出考核组"))
        }
        return req.redirect(to: .groups, notice: .saved)
    }

    @Sendable static func removeMember(req: Request) async throws -> Response {
        let group = try await find(req)
        let accountID = try req.content.decode(IDForm.self).id
        guard let link = try await AssessmentGroupMember.query(on: req.db).filter(\.$group.$id == group.requireID())
            .filter(\.$account.$id == accountID).first() else { return req.redirect(to: .groups, notice: .saved) }
        try await req.audited { tx, audit in
            try await link.delete(on: tx)
            audit.record(.init(action: .delete, entity: .assessmentGroupMember, entityID: link.id!.uuidString,
                               before: ["groupID": group.id!.uuidString, "accountID": accountID.uuidString], reason: "移出考核组"))
        }
        return req.redirect(to: .groups, notice: .saved)
    }

    static func find(_ req: Request) async throws -> AssessmentGroup {
        guard let id = req.parameters.get("id", as: UUID.self), let g = try await AssessmentGroup.find(id, on: req.db) else {
            throw RequestFailure.notFound(.group)
        }
        return g
    }
}
