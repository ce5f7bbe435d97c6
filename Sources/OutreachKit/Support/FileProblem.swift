#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a file cannot be opened, read, created or written: the reason a workspace, a CSV file, a
/// bundle or a backup names in its message, in words any language can write.
///
/// The usual error numbers of the system have a case of their own; any other keeps the system's
/// words, which are English, and the message introduces them as the system's (`hệ thống báo: …`).
public enum FileProblem: Equatable, Sendable {
    /// Nothing at that path (ENOENT while reading).
    case noSuchFile
    /// The folder a new file should go in does not exist (ENOENT while creating).
    case noSuchFolder
    /// A part of the path that should be a folder is a file (ENOTDIR).
    case notAFolderInPath
    /// A folder where a file was expected (EISDIR, or found by `stat`).
    case isFolder
    /// This user may not read the file, or may not write in its folder (EACCES, EPERM).
    case permissionDenied
    /// The disk, USB stick or memory card only allows reading (EROFS).
    case readOnlyDisk
    /// No space left on the disk (ENOSPC, EDQUOT).
    case diskFull
    /// The file could be opened but not read to the end: a failing disk or a USB stick pulled
    /// out (EIO while reading).
    case readError
    /// SQLite cannot make a new database file there.
    case cannotCreate
    /// SQLite cannot open the file, or the files it keeps beside it (`-wal`, `-shm`).
    case sqliteCannotOpen
    /// The file is named relative to a folder, and there is none (a campaign read from memory
    /// that names a table).
    case noFolder
    /// Any other error number (`errno`), written with the system's own words.
    case system(Int32)
    /// Other words of the system (a Foundation error without an error number), as they are.
    case other(String)

    /// The reason for error number `code` of a call that opened or read a file, or, with
    /// `creating`, of one that created, wrote or renamed one (ENOENT then means the folder is
    /// missing, EIO a failed write).
    public init(errno code: Int32, creating: Bool = false) {
        switch code {
        case ENOENT: self = creating ? .noSuchFolder : .noSuchFile
        case ENOTDIR: self = .notAFolderInPath
        case EISDIR: self = .isFolder
        case EACCES, EPERM: self = .permissionDenied
        case EROFS: self = .readOnlyDisk
        case ENOSPC, EDQUOT: self = .diskFull
        case EIO where !creating: self = .readError
        default: self = .system(code)
        }
    }

    /// The reason for an error thrown by Foundation (`Data(contentsOf:)`, `write(to:)`): its
    /// error number when it carries one, else its own words.
    public init(_ error: any Error, creating: Bool = false) {
        if let posix = error as? POSIXError {
            self.init(errno: posix.code.rawValue, creating: creating)
        } else if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? POSIXError {
            self.init(errno: underlying.code.rawValue, creating: creating)
        } else if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
                  underlying.domain == NSPOSIXErrorDomain {
            self.init(errno: Int32(underlying.code), creating: creating)
        } else {
            self = .other((error as NSError).localizedDescription)
        }
    }

    /// The reason in words any language can write; the system's own words follow an
    /// introduction that says whose they are.
    public var phrase: Phrase {
        switch self {
        case .noSuchFile: Phrase("file.problem.no_such_file")
        case .noSuchFolder: Phrase("file.problem.no_such_folder")
        case .notAFolderInPath: Phrase("file.problem.not_a_folder_in_path")
        case .isFolder: Phrase("file.problem.is_folder")
        case .permissionDenied: Phrase("file.problem.permission_denied")
        case .readOnlyDisk: Phrase("file.problem.read_only_disk")
        case .diskFull: Phrase("file.problem.disk_full")
        case .readError: Phrase("file.problem.read_error")
        case .cannotCreate: Phrase("file.problem.cannot_create")
        case .sqliteCannotOpen: Phrase("file.problem.sqlite_cannot_open")
        case .noFolder: Phrase("file.problem.no_folder")
        case let .system(code): Phrase("file.problem.system", ["reason": String(cString: strerror(code))])
        case let .other(text): Phrase("file.problem.system", ["reason": text])
        }
    }

    /// The reason in the language of `labels`.
    public func text(_ labels: Labels) -> String { phrase.text(labels) }
}

/// The output of a command cannot be written (standard output is a file on a full disk, or
/// `/dev/full`): what was printed so far is incomplete.
public struct OutputError: Error, Equatable, Sendable, UserFacingError {
    public var reason: FileProblem

    public init(reason: FileProblem) { self.reason = reason }

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String { labels("output.error", ["reason": reason.text(labels)]) }
}
