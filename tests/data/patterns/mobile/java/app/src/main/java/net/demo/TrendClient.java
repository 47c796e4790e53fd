package net.demo;

import androidx.annotation.StringDef;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

// A client whose trending period is a @StringDef declared here and only passed as a parameter:
// the screen that keeps the user's choice lives in another file (TrendScreen).
public class TrendClient {
    public static final String WEEK = "week";
    public static final String MONTH = "month";
    public static final String YEAR = "year";

    @Retention(RetentionPolicy.SOURCE)
    @StringDef({WEEK, MONTH, YEAR})
    public @interface Period {}

    public String query(@Period String period) {
        return "trending?since=" + period;
    }
}
