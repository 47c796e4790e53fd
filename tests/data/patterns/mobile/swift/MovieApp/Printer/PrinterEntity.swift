import CoreData

// A Core Data entity class: its @NSManaged properties are its fields.
class PrinterEntity: NSManagedObject {
    @NSManaged var name: String
    @NSManaged var hostname: String?
    @NSManaged var port: Int16
}
