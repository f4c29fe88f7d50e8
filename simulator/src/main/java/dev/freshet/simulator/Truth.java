package dev.freshet.simulator;

/**
 * What the simulator knows and a model has to learn: the true probability of each engagement type
 * for one impression, regardless of attribution windows. Scoring the traffic with these gives the
 * best AUC any model can reach on it, the ceiling a trained version is measured against.
 */
public record Truth(double click, double save, double hide, double pay) {

    /** Receives the truth of each impression as a request is generated. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (impressionId, truth) -> {};

        void accept(String impressionId, Truth truth);
    }

    /** The probability for a task by name: click, save, hide or pay. */
    public double of(String task) {
        return switch (task) {
            case "click" -> click;
            case "save" -> save;
            case "hide" -> hide;
            case "pay" -> pay;
            default -> throw new IllegalArgumentException("unknown task " + task);
        };
    }
}
