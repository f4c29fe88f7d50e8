package dev.freshet.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessProbeTest {

    @TempDir Path tmp;

    /** More than the JIT's compiler threads, which come and go by themselves, could account for. */
    private static final int MORE = 8;

    @Test
    void seesThisJvmsMemoryAndThreadsAndFilesMore() throws Exception {
        assumeTrue(ProcessProbe.available(), "needs Linux /proc");
        ProcessProbe probe = new ProcessProbe(ProcessHandle.current().pid());
        ProcessProbe.Reading before = probe.read();
        assertThat(before.rssKib()).isPositive();
        assertThat(before.threads()).isPositive();
        assertThat(before.openFiles()).isPositive();

        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<RandomAccessFile> files = new ArrayList<>();
        try {
            for (int i = 0; i < MORE; i++) {
                Thread t = new Thread(() -> awaitQuietly(release));
                t.start();
                threads.add(t);
                Path file = Files.createFile(tmp.resolve("held-" + i));
                files.add(new RandomAccessFile(file.toFile(), "r"));
            }
            ProcessProbe.Reading during = probe.read();
            assertThat(during.threads()).isGreaterThanOrEqualTo(before.threads() + MORE - 2);
            assertThat(during.openFiles()).isGreaterThanOrEqualTo(before.openFiles() + MORE);
        } finally {
            release.countDown();
            for (Thread t : threads) {
                t.join();
            }
            for (RandomAccessFile f : files) {
                f.close();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void tellsRocksDbFilesFromOthers() {
        assertThat(
                        ProcessProbe.isRocksDbFile(
                                "/tmp/minicluster_1/tm_0/tmp/job_ab_op_KeyedCoProcessOperator_cd__1_2__uuid_ef/db/000012.sst"))
                .isTrue();
        assertThat(ProcessProbe.isRocksDbFile("/work/.freshet/kafka/samples-0/00000000.log"))
                .isFalse();
        assertThat(ProcessProbe.isRocksDbFile("socket:[12345]")).isFalse();
    }
}
