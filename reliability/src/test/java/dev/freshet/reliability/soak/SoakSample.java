package dev.freshet.reliability.soak;

/**
 * One sample of the running stack: the process as the kernel sees it, the trainer as its metrics
 * say, the pipeline as the status line says. A figure not available yet (the metrics server not up,
 * no status line printed) is -1.
 *
 * @param seconds since the stack was started
 * @param rssKib resident set size ({@code VmRSS})
 * @param threads the kernel's thread count, native threads (PyTorch's, the JIT's) included
 * @param openFiles entries in {@code /proc/PID/fd}: files, sockets, pipes, epoll instances
 * @param stateFiles of those, the pipeline's RocksDB files (opened and closed by compaction)
 * @param lag {@code freshet_trainer_consumer_lag_records}: committed samples not yet trained on
 * @param trained {@code freshet_trainer_samples_total}
 * @param versions {@code freshet_trainer_versions_published_total}
 * @param heapUsedBytes {@code jvm_memory_used_bytes{area="heap"}}, summed over the pools
 * @param liveHeapBytes {@code jvm_gc_live_data_size_bytes}: the old generation after the last
 *     collection of it, the heap a leak would fill
 * @param impressions impressions the simulator sent, from the status line
 * @param committed samples the pipeline committed, from the status line
 */
record SoakSample(
        double seconds,
        long rssKib,
        long threads,
        long openFiles,
        long stateFiles,
        long lag,
        long trained,
        long versions,
        long heapUsedBytes,
        long liveHeapBytes,
        long impressions,
        long committed) {

    /** Open files other than RocksDB's: sockets, pipes, Kafka segments, models, checkpoints. */
    long otherFiles() {
        return openFiles < 0 || stateFiles < 0 ? -1 : openFiles - stateFiles;
    }

    static final String CSV_HEADER =
            "seconds,rss_kib,threads,open_files,state_files,lag,trained,versions,heap_used_bytes,"
                    + "live_heap_bytes,impressions,committed";

    String csv() {
        return String.join(
                ",",
                String.format(java.util.Locale.ROOT, "%.1f", seconds),
                Long.toString(rssKib),
                Long.toString(threads),
                Long.toString(openFiles),
                Long.toString(stateFiles),
                Long.toString(lag),
                Long.toString(trained),
                Long.toString(versions),
                Long.toString(heapUsedBytes),
                Long.toString(liveHeapBytes),
                Long.toString(impressions),
                Long.toString(committed));
    }
}
