package net.demo;

import android.content.SharedPreferences;
import androidx.annotation.LayoutRes;
import androidx.annotation.StringRes;
import java.util.List;

// Classes with fields that are not data: a store whose accessors read preferences, a loader
// whose "getter" takes arguments, a builder, and a holder of UI resource ids.
public class TrackHelpers {
    public static class SelectionStore {
        private SharedPreferences prefs;

        public int getSelected() { return prefs.getInt("selected", 0); }
        public void setSelected(int value) { prefs.edit().putInt("selected", value).apply(); }
    }

    public static class TrackLoader {
        private TrackApi api;

        public List<Track> getTracks(String albumId) { return api.tracks(albumId); }
    }

    public static class PagerOptions {
        int page;
        boolean retain;

        public PagerOptions setPage(int page) { this.page = page; return this; }
        public PagerOptions setRetain(boolean retain) { this.retain = retain; return this; }
    }

    public static class QueryBuilder {
        private String term;
        private int limit;

        public QueryBuilder setTerm(String term) { this.term = term; return this; }
        public String build() { return term + limit; }
    }

    public static class ScreenMode {
        private final android.view.Window window;
        private boolean enabled = true;

        ScreenMode(android.view.Window window) { this.window = window; }

        void setEnabled(boolean enabled) { this.enabled = enabled; }
        void setFullscreen(boolean fullscreen) { window.setFlags(fullscreen ? 1 : 0, 1); }
    }

    public static class CardStyle {
        final @StringRes int label;
        final @LayoutRes int layout;

        CardStyle(int label, int layout) {
            this.label = label;
            this.layout = layout;
        }
    }
}
