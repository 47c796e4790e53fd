package net.demo;

import android.app.Activity;
import android.os.Bundle;

// The reader's mode is read from the intent while the screen is created and never changed
// afterwards: configuration, not a state machine (the private field is set only in onCreate).
public class ReaderScreen extends Activity {
    public enum ReaderMode { PLAIN, RICH }

    private ReaderMode mMode;
    private int mPages;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        if (getIntent().getBooleanExtra("rich", false)) {
            mMode = ReaderMode.RICH;
        } else {
            mMode = ReaderMode.PLAIN;
        }
    }

    void render() {
        if (mMode == ReaderMode.RICH) {
            mPages = 2;
        }
    }
}
