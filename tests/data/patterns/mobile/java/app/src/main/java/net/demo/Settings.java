package net.demo;

import android.content.SharedPreferences;

public class Settings {
    public enum SwipeMove { NONE, ARCHIVE, SHARE }

    // persisted as its raw value: the selected order is state kept in preferences
    public enum SortOrder {
        NEWEST(0), OLDEST(1);
        private final int value;
        SortOrder(int value) { this.value = value; }
        public int getValue() { return value; }
    }

    private final SharedPreferences prefs;

    Settings(SharedPreferences prefs) { this.prefs = prefs; }

    public void setSortOrder(SortOrder order) {
        prefs.edit().putInt("sort_order", order.getValue()).apply();
    }
}
