package dev.freshet.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link KafkaBroker} per test class and injects it into test methods, constructors or
 * {@code @BeforeAll} methods that declare a {@code KafkaBroker} parameter. The broker stops when
 * the class's tests are done.
 *
 * <pre>
 * &#64;ExtendWith(KafkaBrokerExtension.class)
 * class MyIT {
 *     &#64;Test void writesSamples(KafkaBroker kafka) { ... }
 * }
 * </pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static KafkaBroker broker(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext
                .getStore(NS)
                .getOrComputeIfAbsent("broker", k -> new Resource(), Resource.class)
                .broker;
    }

    /** Closed by JUnit when the class's store is closed. */
    private static final class Resource
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final KafkaBroker broker;

        Resource() {
            try {
                broker = KafkaBroker.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
            }
        }

        @Override
        public void close() throws Exception {
            broker.close();
        }
    }
}
