import SwiftUI

struct PickerScreen: View {
    enum Mode {
        case single, multiple
    }

    @State private var mode = Mode.single  // this file's Mode is held; SpotsScreen's is not

    var body: some View { Text("picker") }
}
