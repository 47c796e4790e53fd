import java.util.List;

public class Sample {
    private final List<? extends Number> values;

    public Sample(List<? extends Number> values) {
        this.values = values;
    }

    // cyclomatic 1 + for + if + && + else-if + || + catch + ternary + case A + case B = 10
    public int score(int limit, String mode) {
        int total = 0;
        outer:
        for (Number n : values) {
            if (n.intValue() > limit && limit > 0) {
                break outer;
            } else if (n.intValue() < 0 || mode == null) {
                continue;
            } else {
                total += n.intValue();
            }
        }
        try {
            total = Integer.parseInt(mode);
        } catch (NumberFormatException e) {
            total = total > 0 ? total : -1;
        }
        switch (mode) {
            case "A":
                return 1;
            case "B":
                return 2;
            default:
                return total;
        }
    }

    public Runnable task() {
        return () -> {
            if (values.isEmpty()) {
                System.out.println("empty");
            }
        };
    }
}
