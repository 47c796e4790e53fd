package net.demo;

import androidx.annotation.IntDef;
import androidx.annotation.StringDef;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

// Typedefs and enums as a gallery screen uses them: only values held in a field that changes are
// state; a typedef for a parameter or a final setting, or an enum named like a mode that nothing
// holds, is a constant set.
public class Gallery {
    public static final int EDGE_LEFT = 1;
    public static final int EDGE_RIGHT = 2;
    public static final int SNAP_ITEM = 0;
    public static final int SNAP_PAGE = 1;
    public static final String SYNC_DEFAULT = "default";
    public static final String SYNC_FORCED = "forced";

    @IntDef({EDGE_LEFT, EDGE_RIGHT})
    @Retention(RetentionPolicy.SOURCE)
    @interface Edge {}

    @IntDef({SNAP_ITEM, SNAP_PAGE})
    @Retention(RetentionPolicy.SOURCE)
    @interface Snap {}

    @StringDef({SYNC_DEFAULT, SYNC_FORCED})
    @Retention(RetentionPolicy.SOURCE)
    public @interface SyncMode {}

    public enum ViewMode { COMPACT, EXPANDED }

    public static final int PHASE_IDLE = 0;
    public static final int PHASE_LOADING = 1;

    @IntDef({PHASE_IDLE, PHASE_LOADING})
    @Retention(RetentionPolicy.SOURCE)
    @interface Phase {}

    private int phase;  // a plain field that takes the typedef's values

    private final @Snap int snap;
    private @SyncMode String syncMode = SYNC_DEFAULT;
    private Settings.SwipeMove[] moves;

    Gallery(@Snap int snap) {
        this.snap = snap;
    }

    void open(@Edge int edge) {
        switch (snap) {
            case SNAP_ITEM: break;
            default: break;
        }
    }

    void refresh() {
        syncMode = SYNC_FORCED;
    }

    void enter(@Phase int next) {
        phase = next;
    }

    void applySettings(Settings.SwipeMove[] updated) {
        moves = updated;
    }
}
