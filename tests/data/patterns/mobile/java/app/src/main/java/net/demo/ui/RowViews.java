package net.demo.ui;

import android.view.View;
import android.view.ViewGroup;
import android.widget.TextView;
import butterknife.BindView;
import com.f2prateek.rx.preferences2.Preference;

public final class RowViews {
    // Views bound by annotation: a view holder, not data (even beside one plain field).
    static final class RowHolder {
        private final View root;
        @BindView(R.id.title) TextView title;
        @BindView(R.id.subtitle)
        TextView subtitle;

        RowHolder(View root) {
            this.root = root;
        }
    }

    // A framework type's parameters and saved state are not data models either.
    public static class LayoutParams extends ViewGroup.MarginLayoutParams {
        public int gravity;
        public float weight;
    }

    static class SavedState extends BaseSavedState {
        int openDrawer;
    }

    // An enum held in a preference is state.
    enum Density { COMPACT, COMFORTABLE }

    private final Preference<Density> density;

    RowViews(Preference<Density> density) {
        this.density = density;
    }

    void toggle() {
        density.set(density.get() == Density.COMPACT ? Density.COMFORTABLE : Density.COMPACT);
    }
}
