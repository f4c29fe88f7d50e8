package dev.freshet.cli;

import dev.freshet.flink.config.ConfigException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into the documented exit codes with one line on stderr. People and scripts read
 * that line, so it names the command and the reason; the stack trace is for {@code --verbose}.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {

    static final int FAILURE = 1;
    static final int USAGE = 2;

    /** Exceptions whose message only repeats the cause's. */
    private static final Set<Class<?>> WRAPPERS = Set.of(ExecutionException.class);

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr()
                .println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
        cmd.getErr().flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (verbose(parsed)) {
            ex.printStackTrace(err);
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(ex));
        err.flush();
        // A config file with a bad key is a usage error, though it surfaces only when read.
        return ex instanceof ConfigException ? USAGE : FAILURE;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The message, followed by those of its causes that add something. */
    static String describe(Throwable ex) {
        StringBuilder text = new StringBuilder();
        Throwable t = ex;
        for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank() || WRAPPERS.contains(t.getClass())) {
                if (t.getCause() == null && text.length() == 0) {
                    text.append(t.getClass().getSimpleName());
                }
                continue;
            }
            if (text.indexOf(m) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(m);
            }
        }
        return oneLine(text.toString());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
