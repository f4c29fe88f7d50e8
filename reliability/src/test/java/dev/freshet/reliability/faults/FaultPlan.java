package dev.freshet.reliability.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded schedule of SIGKILLs: each round kills every target once, in a shuffled order, after a
 * random quiet spell, and keeps it down for a random while before it is started again. The trainer
 * and the S3 server are killed in the middle of uploading a version in the first round and at a
 * coin toss in later ones: a random moment rarely falls in the few hundred milliseconds an upload
 * takes, and a half-uploaded version is what must never be shown.
 */
record FaultPlan(long seed, List<Fault> faults) {

    /**
     * @param after how long after the previous recovery the kill comes
     * @param downtime how long the killed process stays down
     * @param midPublish kill only once an upload is under way (trainer and S3 only), this long
     *     after it started; null for a kill at a random moment
     */
    record Fault(Component target, Duration after, Duration downtime, Duration midPublish) {}

    static FaultPlan of(long seed, int rounds, Duration minQuiet, Duration maxQuiet) {
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Component> order = new ArrayList<>(Component.TARGETS);
            Collections.shuffle(order, random);
            for (Component target : order) {
                long quiet =
                        minQuiet.toMillis()
                                + (long)
                                        (random.nextDouble()
                                                * (maxQuiet.toMillis() - minQuiet.toMillis()));
                long down = 500 + random.nextInt(5_500);
                // Into the upload by 0-300 ms: some kills land before the first file, some among
                // the files, some just before the manifest.
                Duration publishing =
                        (target == Component.TRAINER || target == Component.S3)
                                        && (round == 0 || random.nextBoolean())
                                ? Duration.ofMillis(random.nextInt(300))
                                : null;
                faults.add(
                        new Fault(
                                target,
                                Duration.ofMillis(quiet),
                                Duration.ofMillis(down),
                                publishing));
            }
        }
        return new FaultPlan(seed, List.copyOf(faults));
    }
}
