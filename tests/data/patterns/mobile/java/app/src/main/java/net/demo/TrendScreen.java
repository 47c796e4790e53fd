package net.demo;

// Keeps the selected period in a plain String field, set from a parameter annotated with the
// typedef of another file: the field holds TrendClient.Period, which makes it a state machine.
public class TrendScreen {
    private String mPeriod;
    private final TrendClient client = new TrendClient();

    public void onPeriodPicked(@TrendClient.Period String period) {
        mPeriod = period;
        reload();
    }

    private void reload() {
        client.query(mPeriod);
    }
}
