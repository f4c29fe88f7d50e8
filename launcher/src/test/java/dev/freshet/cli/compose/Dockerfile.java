package dev.freshet.cli.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as far as the deployment tests need: global ARG defaults, and the stages with
 * their instructions (continuation lines joined, comments dropped).
 */
record Dockerfile(Map<String, String> args, List<Stage> stages) {

    record Instruction(String keyword, String arguments) {}

    /**
     * @param from the base as written, ARGs resolved: an image or an earlier stage's name
     */
    record Stage(String name, String from, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .map(Instruction::arguments)
                    .toList();
        }

        /** The stages and images this one copies from with {@code COPY --from=...}. */
        List<String> copiesFrom() {
            List<String> sources = new ArrayList<>();
            for (String copy : all("COPY")) {
                Matcher m = COPY_FROM.matcher(copy);
                if (m.find()) {
                    sources.add(m.group(1));
                }
            }
            return sources;
        }
    }

    private static final Pattern COPY_FROM = Pattern.compile("--from=(\\S+)");
    private static final Pattern ARG_REF = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    static Dockerfile parse(String text) {
        Map<String, String> args = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction ins : instructions(text)) {
            switch (ins.keyword()) {
                case "FROM" -> {
                    String[] words = ins.arguments().split("\\s+");
                    List<String> rest = new ArrayList<>();
                    for (String w : words) {
                        if (!w.startsWith("--platform=")) {
                            rest.add(w);
                        }
                    }
                    String from = resolve(rest.get(0), args);
                    String name =
                            rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS")
                                    ? rest.get(2)
                                    : Integer.toString(stages.size());
                    current = new ArrayList<>();
                    stages.add(new Stage(name, from, current));
                }
                case "ARG" -> {
                    if (current == null) {
                        String[] kv = ins.arguments().split("=", 2);
                        args.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
                    } else {
                        current.add(ins);
                    }
                }
                default -> {
                    if (current == null) {
                        throw new IllegalArgumentException(ins.keyword() + " before any FROM");
                    }
                    current.add(ins);
                }
            }
        }
        return new Dockerfile(Map.copyOf(args), List.copyOf(stages));
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Whether another stage builds on or copies from {@code stage}: if not, it is an image. */
    boolean isFinal(Stage stage) {
        return stages.stream()
                .noneMatch(
                        s ->
                                s.from().equals(stage.name())
                                        || s.copiesFrom().contains(stage.name()));
    }

    private static String resolve(String word, Map<String, String> args) {
        Matcher m = ARG_REF.matcher(word);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = args.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("FROM uses undeclared ARG " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Instruction> instructions(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue; // comments and blank lines, also inside a continuation
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String joined = pending.toString().strip();
            pending.setLength(0);
            String[] parts = joined.split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        }
        return out;
    }
}
