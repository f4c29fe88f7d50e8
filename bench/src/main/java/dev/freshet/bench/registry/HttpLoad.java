package dev.freshet.bench.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets: each worker sends one GET, reads
 * the whole answer and sends the next. Raw sockets keep the client's own cost small and, above all,
 * identical for every server it is pointed at.
 */
final class HttpLoad {

    /** One run: latencies of every answered request, and the wall time. */
    record Result(long[] latenciesNanos, double seconds, long errors) {
        double requestsPerSecond() {
            return latenciesNanos.length / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(i, 0)] / 1e6;
        }
    }

    private HttpLoad() {}

    static Result run(int port, String path, int workers, double seconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> perWorker = new ArrayList<>();
        long[] errors = new long[workers];
        int[] counts = new int[workers];
        List<Thread> threads = new ArrayList<>();
        byte[] request = get(path);
        for (int w = 0; w < workers; w++) {
            long[] lat = new long[4_000_000];
            perWorker.add(lat);
            int id = w;
            Thread t =
                    new Thread(
                            () -> {
                                while (!stop.get()) {
                                    try (Socket s = new Socket("127.0.0.1", port)) {
                                        s.setTcpNoDelay(true);
                                        OutputStream out = s.getOutputStream();
                                        InputStream in =
                                                new BufferedInputStream(s.getInputStream());
                                        while (!stop.get() && counts[id] < lat.length) {
                                            long t0 = System.nanoTime();
                                            out.write(request);
                                            out.flush();
                                            int status = readResponse(in);
                                            lat[counts[id]++] = System.nanoTime() - t0;
                                            if (status != 200) {
                                                errors[id]++;
                                            }
                                        }
                                    } catch (IOException e) {
                                        errors[id]++;
                                    }
                                }
                            },
                            "load-" + w);
            threads.add(t);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return collect(perWorker, counts, errors, wall);
    }

    /**
     * Open loop at a fixed total rate: each connection sends on its own schedule (every
     * connections/rate seconds) and a request's latency counts from when it was <em>due</em>, not
     * from when it went out, so a slow answer that delays the next request shows up in the
     * percentiles instead of quietly lowering the load (coordinated omission).
     */
    static Result fixedRate(int port, String path, int connections, double rate, double seconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long interval = (long) (connections * 1e9 / rate);
        int perConnection = (int) Math.ceil(seconds * rate / connections) + 1;
        List<long[]> perWorker = new ArrayList<>();
        long[] errors = new long[connections];
        int[] counts = new int[connections];
        List<Thread> threads = new ArrayList<>();
        byte[] request = get(path);
        long start = System.nanoTime() + 50_000_000L;
        for (int w = 0; w < connections; w++) {
            long[] lat = new long[perConnection];
            perWorker.add(lat);
            int id = w;
            long offset = interval * w / connections; // spread the connections' schedules
            Thread t =
                    new Thread(
                            () -> {
                                try (Socket s = new Socket("127.0.0.1", port)) {
                                    s.setTcpNoDelay(true);
                                    OutputStream out = s.getOutputStream();
                                    InputStream in = new BufferedInputStream(s.getInputStream());
                                    for (int i = 0; i < perConnection && !stop.get(); i++) {
                                        long due = start + offset + i * interval;
                                        long wait;
                                        while ((wait = due - System.nanoTime()) > 0) {
                                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                                        }
                                        out.write(request);
                                        out.flush();
                                        int status = readResponse(in);
                                        lat[counts[id]++] = System.nanoTime() - due;
                                        if (status != 200) {
                                            errors[id]++;
                                        }
                                    }
                                } catch (IOException e) {
                                    errors[id]++;
                                }
                            },
                            "rate-" + w);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000) + 50);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return collect(perWorker, counts, errors, wall);
    }

    private static Result collect(
            List<long[]> perWorker, int[] counts, long[] errors, double wall) {
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < counts.length; w++) {
            System.arraycopy(perWorker.get(w), 0, all, at, counts[w]);
            at += counts[w];
        }
        return new Result(all, wall, Arrays.stream(errors).sum());
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response (status line, headers, Content-Length body); returns the status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        while (true) {
            String h = line(in);
            if (h.isEmpty()) {
                break;
            }
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(h.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return code;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed");
    }
}
