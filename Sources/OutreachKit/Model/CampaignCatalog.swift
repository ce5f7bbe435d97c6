import Foundation

/// The campaign files of one folder: `<id>.yaml`, each read with `CampaignFile`.
///
/// Which folder is the command line's choice (`--campaigns`, `OUTREACH_CAMPAIGNS`, …); the
/// catalog only lists and reads what is in it.
public struct CampaignCatalog: Sendable {
    /// The folder, as the user named it (shown in messages).
    public let directory: String

    /// A catalog of the campaign files in `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The ids of the campaigns in the folder (file names without `.yaml`), sorted.
    public func ids() throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw CampaignError.noDirectory(directory)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CampaignError.cannotRead(file: directory, reason: FileProblem(error))
        }
        return names.compactMap { name in
            guard name.hasSuffix(".yaml"), !name.hasPrefix("."), name.count > 5 else { return nil }
            return String(name.dropLast(5))
        }.sorted()
    }

    /// The path of the file of campaign `id`.
    public func path(of id: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + id + ".yaml"
    }

    /// Reads campaign `id`.
    ///
    /// - Throws: `CampaignError.unknownCampaign` (listing the ids there are) when there is no
    ///   such file, `CampaignError.invalid` with every problem when the file has any.
    public func campaign(_ id: String) throws -> Campaign {
        let available = try ids()
        guard available.contains(id) else {
            throw CampaignError.unknownCampaign(id: id, directory: directory, available: available)
        }
        return try CampaignCatalog.load(file: path(of: id), expectedID: id)
    }

    /// Every campaign of the folder that reads, in id order, and the problems of those that do not.
    public func all() throws -> (campaigns: [Campaign], rejected: [ImportRejected]) {
        var campaigns: [Campaign] = []
        var rejected: [ImportRejected] = []
        for id in try ids() {
            do {
                campaigns.append(try CampaignCatalog.load(file: path(of: id), expectedID: id))
            } catch let CampaignError.invalid(problems) {
                rejected.append(problems)
            }
        }
        return (campaigns, rejected)
    }

    /// The metrics the folder's campaigns declare (`metrics:`), each once, in campaign id order:
    /// the columns `sessions import` accepts besides the built-in metrics. `unreadable` names
    /// the campaign files that could not be read (any problem): the metrics they declare are
    /// not known, and the sessions that do not use them can still be imported.
    public func declaredMetrics() throws -> (codes: [String], unreadable: [String]) {
        var codes: [String] = []
        var unreadable: [String] = []
        for id in try ids() {
            do {
                for code in try CampaignCatalog.load(file: path(of: id), expectedID: id).extraMetrics where !codes.contains(code) {
                    codes.append(code)
                }
            } catch {
                unreadable.append(path(of: id))
            }
        }
        return (codes, unreadable)
    }

    /// What a write checks from the folder's campaigns: the self-closing periods of those that
    /// set `lock_after_days`, and the session rules of those that set `rules:`. Only files with one
    /// of these top-level keys are parsed, each once (a write reads this; most folders have
    /// none); a missing folder or a file that does not read adds nothing.
    public func entryChecks() -> (autoLocks: [AutoLock], sessionRules: [EntryRules]) {
        guard let ids = try? ids() else { return ([], []) }
        var campaigns: [Campaign] = []
        for id in ids {
            // Top-level keys start a line (a comment that names one does not).
            guard let bytes = FileManager.default.contents(atPath: path(of: id)),
                  String(decoding: bytes, as: UTF8.self).split(separator: "\n")
                    .contains(where: { $0.hasPrefix("lock_after_days:") || $0.hasPrefix("rules:") }),
                  let campaign = try? CampaignCatalog.load(file: path(of: id), expectedID: id) else { continue }
            campaigns.append(campaign)
        }
        return (AutoLock.of(campaigns), EntryRules.of(campaigns))
    }

    /// The names of the metrics the folder's readable campaigns declare with a label, by code
    /// (the first campaign in id order that names a code gives its name).
    public func declaredMetricNames() throws -> [String: MetricName] {
        var names: [String: MetricName] = [:]
        for id in try ids() {
            guard let campaign = try? CampaignCatalog.load(file: path(of: id), expectedID: id) else { continue }
            for (code, name) in campaign.metricNames where names[code] == nil { names[code] = name }
        }
        return names
    }

    /// Reads the campaign file at `file`, and the tables it names from the file's folder.
    ///
    /// - Parameter expectedID: the id the file must declare; by default its name without `.yaml`.
    /// - Throws: `CampaignError.cannotRead` when the file cannot be read, `CampaignError.invalid`
    ///   with every problem when it has any.
    public static func load(file: String, expectedID: String? = nil) throws -> Campaign {
        let bytes = try readBytes(file)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        do {
            return try CampaignFile.parse(bytes, file: file, expectedID: expectedID ?? CampaignFile.expectedID(forFile: file)) { path in
                let table = folder.appendingPathComponent(path)
                // Symbolic links followed: a link inside the folder may not lead out of it.
                let inside = folder.resolvingSymlinksInPath().standardizedFileURL.path
                let real = table.resolvingSymlinksInPath().standardizedFileURL.path
                guard real.hasPrefix(inside.hasSuffix("/") ? inside : inside + "/") else {
                    throw CampaignFile.TableOutsideFolder(path: path)
                }
                return try readBytes(table.path)
            }
        } catch let rejected as ImportRejected {
            throw CampaignError.invalid(rejected)
        }
    }

    private static func readBytes(_ path: String) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CampaignError.cannotRead(file: path, reason: .noSuchFile)
        }
        if isFolder.boolValue { throw CampaignError.cannotRead(file: path, reason: .isFolder) }
        // The system's reason (permission, a failing disk), not a guess.
        do { return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw CampaignError.cannotRead(file: path, reason: FileProblem(error))
        }
    }
}
