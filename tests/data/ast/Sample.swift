import Foundation

struct Cart {
    var items: [Int] = []

    init(items: [Int]) {
        self.items = items
    }

    func total(discount: Int, vip: Bool) -> Int {
        guard discount >= 0 else {
            return 0
        }
        var sum = 0
        for item in items {
            if item > 100 && vip {
                sum += item / 2
            } else if item > 50 {
                sum += item
            } else {
                continue
            }
        }
        switch discount {
        case 0:
            return sum
        case 1...10:
            return sum - discount
        default:
            return sum > discount ? sum - discount : 0
        }
    }
}
