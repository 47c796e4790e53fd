package net.demo;

import androidx.annotation.Keep;

// A reflection-serialised response type: its wire fields are kept from shrinking with @Keep, and
// it carries view state and display methods beside them. Still data.
class Story {
    @Keep private long id;
    @Keep private String title;
    @Keep private long[] kids;

    private boolean expanded;

    public long getId() { return id; }

    public String displayTitle(boolean upperCase) {
        return upperCase ? title.toUpperCase() : title;
    }

    public void toggle() {
        expanded = !expanded;
    }
}
