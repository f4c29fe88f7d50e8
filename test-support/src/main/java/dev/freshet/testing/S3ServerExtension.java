package dev.freshet.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link S3Server} per test class and injects it into test methods, constructors or
 * {@code @BeforeAll} methods that declare an {@code S3Server} parameter. The server stops when the
 * class's tests are done. A test that stopped the server (an outage test) gets it back running
 * before the next test, with its data.
 *
 * <pre>
 * &#64;ExtendWith(S3ServerExtension.class)
 * class MyTest {
 *     &#64;Test void publishes(S3Server s3) { s3.createBucket("models"); ... }
 * }
 * </pre>
 */
public final class S3ServerExtension
        implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(S3ServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server(context).start();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static S3Server server(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext
                .getStore(NS)
                .getOrComputeIfAbsent("server", k -> new Resource(), Resource.class)
                .server;
    }

    /** Closed by JUnit when the class's store is closed. */
    private static final class Resource
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final S3Server server;

        Resource() {
            try {
                server = S3Server.startOnFreePort();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot start the in-JVM S3 server", e);
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
