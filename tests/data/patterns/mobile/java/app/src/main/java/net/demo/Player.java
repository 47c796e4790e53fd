package net.demo;

import androidx.annotation.IntDef;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

public class Player {
    public static final int STATE_IDLE = 0;
    public static final int STATE_PLAYING = 1;
    public static final int STATE_ENDED = 2;

    @IntDef({STATE_IDLE, STATE_PLAYING, STATE_ENDED})
    @Retention(RetentionPolicy.SOURCE)
    public @interface PlaybackState {}

    public enum Mode { SHUFFLE, REPEAT, NORMAL }

    public enum Codec { AAC, MP3 }

    private Mode mode = Mode.NORMAL;
    private @PlaybackState int state = STATE_IDLE;  // held in a field that changes: a machine
    private int counter;

    public void setMode(Mode mode) {
        this.mode = mode;
        /* counter * step is documented here, not code */
        counter = counter + 1;
    }

    public void work() {
        counter++;
        state = STATE_PLAYING;
    }
}
