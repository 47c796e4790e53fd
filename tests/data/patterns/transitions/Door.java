public class Door {
    enum DoorState { OPEN, CLOSED, LOCKED }
    private DoorState state = DoorState.CLOSED;

    void toggle() {
        switch (state) {
            case OPEN:
                state = DoorState.CLOSED;
                break;
            case CLOSED:
                state = DoorState.OPEN;
                break;
            default:
                break;
        }
    }

    void lock() {
        if (state == DoorState.CLOSED) {
            state = DoorState.LOCKED;
        }
    }
}
