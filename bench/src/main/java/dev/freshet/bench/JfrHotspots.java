package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of a benchmark job (see {@code --profile}): CPU samples per thread
 * (Flink names task threads after their operator chain), the hottest methods per thread, where
 * {@code dev.freshet} code sits on the stacks, GC time and the most allocated classes.
 *
 * <p>Usage: {@code JfrHotspots recording.jfr [top]}
 */
public final class JfrHotspots {

    private JfrHotspots() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Map<String, Long>> selfByThread = new HashMap<>();
        Map<String, Map<String, Long>> inclusiveByThread = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        long samples = 0;
        double gcMillis = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                String thread = threadGroup(e.getThread("sampledThread").getJavaName());
                byThread.merge(thread, 1L, Long::sum);
                List<RecordedFrame> frames = st.getFrames();
                selfByThread
                        .computeIfAbsent(thread, k -> new HashMap<>())
                        .merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (interesting(n) && seen.add(n)) {
                        inclusiveByThread
                                .computeIfAbsent(thread, k -> new HashMap<>())
                                .merge(n, 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.GarbageCollection")) {
                gcMillis += e.getDuration().toNanos() / 1e6;
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                allocByClass.merge(
                        e.getClass("objectClass").getName(), e.getLong("weight"), Long::sum);
            }
        }
        System.out.printf(
                Locale.ROOT, "%d CPU samples; GC pauses total %.0f ms%n", samples, gcMillis);
        for (Map.Entry<String, Long> t : sorted(byThread, 20)) {
            System.out.printf(
                    Locale.ROOT, "%n== %5.1f%%  %s%n", 100.0 * t.getValue() / samples, t.getKey());
            if (100.0 * t.getValue() / samples < 2) {
                continue;
            }
            System.out.println("   self:");
            for (Map.Entry<String, Long> m : sorted(selfByThread.get(t.getKey()), top)) {
                System.out.printf(
                        Locale.ROOT,
                        "     %5.1f%%  %s%n",
                        100.0 * m.getValue() / samples,
                        m.getKey());
            }
            Map<String, Long> incl = inclusiveByThread.get(t.getKey());
            if (incl != null) {
                System.out.println("   inclusive (Freshet, serializers, Kafka, Avro, Jackson):");
                for (Map.Entry<String, Long> m : sorted(incl, top)) {
                    System.out.printf(
                            Locale.ROOT,
                            "     %5.1f%%  %s%n",
                            100.0 * m.getValue() / samples,
                            m.getKey());
                }
            }
        }
        long allocTotal = allocByClass.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
                Locale.ROOT,
                "%nallocation (sampled weight) %.0f MB; top classes:%n",
                allocTotal / 1e6);
        for (Map.Entry<String, Long> m : sorted(allocByClass, top)) {
            System.out.printf(
                    Locale.ROOT,
                    "     %5.1f%%  %s%n",
                    100.0 * m.getValue() / allocTotal,
                    m.getKey());
        }
    }

    private static boolean interesting(String method) {
        return method.startsWith("dev.freshet.")
                || method.startsWith("org.apache.avro.")
                || method.startsWith("com.fasterxml.jackson.databind.ObjectMapper.readTree")
                || method.startsWith("org.apache.kafka.clients.producer.KafkaProducer.send")
                || method.startsWith("org.apache.kafka.clients.consumer.internals.CompletedFetch")
                || method.contains("TypeSerializer")
                || method.contains("Serializer.serialize")
                || method.contains("Serializer.deserialize")
                || method.contains("Serializer.copy")
                || method.startsWith("org.apache.flink.runtime.state.heap.")
                || method.startsWith("org.apache.flink.runtime.state.ttl.")
                || method.startsWith(
                        "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl")
                || method.startsWith("org.apache.flink.streaming.runtime.io.RecordWriterOutput")
                || method.startsWith("org.apache.flink.connector.kafka.sink.KafkaWriter.write")
                || method.startsWith("org.apache.flink.table.runtime.operators.")
                || method.startsWith("org.apache.flink.formats.json.");
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Thread names without subtask numbers and producer ids, so threads of one kind add up. */
    private static String threadGroup(String name) {
        if (name == null) {
            return "?";
        }
        return name.replaceAll("producer-[\\w.-]+", "producer-*")
                .replaceAll("\\(\\d+/\\d+\\)#\\d+", "")
                .replaceAll("-\\d+$", "-N")
                .replaceAll("\\d+", "N")
                .trim();
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> m, int n) {
        return m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(n)
                .toList();
    }
}
