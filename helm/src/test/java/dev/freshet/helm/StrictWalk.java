package dev.freshet.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;

/**
 * Walks a parsed fabric8 object tree through its getters and fails on the first non-empty {@code
 * getAdditionalProperties()}: a field the model class does not have, i.e. a misspelt or misplaced
 * one in the manifest.
 */
final class StrictWalk {

    private StrictWalk() {}

    static void check(String where, Object root) {
        walk(where, root);
    }

    private static void walk(String path, Object o) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(path + "[" + i++ + "]", e);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(path + "." + k, v));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        if (o instanceof GenericKubernetesResource) {
            throw new AssertionError(path + ": an untyped resource inside a typed one");
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value = invoke(getter, o);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    throw new AssertionError(
                            path
                                    + " ("
                                    + o.getClass().getSimpleName()
                                    + ") has unknown fields "
                                    + extra.keySet());
                }
                continue;
            }
            walk(path + "." + property(getter.getName()), value);
        }
    }

    private static Object invoke(Method getter, Object o) {
        try {
            return getter.invoke(o);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + " on " + o.getClass(), e);
        }
    }

    private static String property(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }
}
