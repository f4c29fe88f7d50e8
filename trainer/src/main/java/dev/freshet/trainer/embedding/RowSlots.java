package dev.freshet.trainer.embedding;

import java.util.Arrays;

/**
 * Maps the rows one step touches to dense slots 0..count-1 in O(1) per lookup, with no hashing and
 * no clearing between steps: a row's slot is valid only if it was stamped in the current epoch.
 * Costs two ints per table row, allocated once.
 */
final class RowSlots {

    private final int[] epochOf;
    private final int[] slotOf;
    private int epoch;
    private int[] touched = new int[256];
    private int count;

    RowSlots(int rows) {
        this.epochOf = new int[rows];
        this.slotOf = new int[rows];
    }

    void reset() {
        epoch++;
        if (epoch == Integer.MAX_VALUE) {
            Arrays.fill(epochOf, 0);
            epoch = 1;
        }
        count = 0;
    }

    /** The slot of {@code row}, assigning the next free one on first use this epoch. */
    int slot(int row) {
        if (epochOf[row] == epoch) {
            return slotOf[row];
        }
        epochOf[row] = epoch;
        if (count == touched.length) {
            touched = Arrays.copyOf(touched, count * 2);
        }
        touched[count] = row;
        slotOf[row] = count;
        return count++;
    }

    int count() {
        return count;
    }

    /** The touched rows in slot order (live array, valid up to {@link #count()}). */
    int[] rows() {
        return touched;
    }
}
