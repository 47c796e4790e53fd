// A type's member named like a parameter elsewhere.
struct ScanSettings {
    static let barcode = "ean13"
}
