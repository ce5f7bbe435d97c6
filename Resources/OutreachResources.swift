import Foundation

/// The files under `Resources/` that the product reads at run time (label tables, the real area
/// lists, the sample and demo data), bundled by SwiftPM next to the built binaries.
public enum OutreachResources {
    /// The folder `Resources/NAME` as bundled, e.g. `labels` or `areas`.
    public static func folder(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent(name, isDirectory: true)
    }

    /// The file `Resources/FOLDER/FILE` as bundled.
    public static func file(_ folder: String, _ file: String) -> URL {
        self.folder(folder).appendingPathComponent(file)
    }
}
