package io.github.rnnlab.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop, for a long command that wants to finish cleanly (save a
 * checkpoint) instead of being shut down mid-step. While a handle is open, the first signal calls the given
 * action and nothing else happens: the JVM does not start shutting down. A second signal of the same kind
 * gets the JVM's default treatment (shutdown, running the shutdown hooks), so a stuck command can still be
 * stopped. {@link #close()} restores the previous handlers.
 *
 * <p>The handlers are installed through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every
 * JDK from 9 to 25) by reflection, so that compiling needs no internal API. Where it is not available, nothing is
 * installed ({@link #installed()} is false) and a signal shuts the JVM down as usual.
 */
final class Interrupts implements AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final List<Object[]> previous = new ArrayList<>(); // {Signal, previous handler}
    private final boolean installed;

    private Interrupts(Runnable onSignal) {
        boolean ok;
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (String name : SIGNALS) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Object[] slot = new Object[2];
                slot[0] = signal;
                InvocationHandler ih = (proxy, method, args) -> {
                    if (method.getName().equals("handle")) {
                        // the second signal gets the previous (default) behaviour
                        handle.invoke(null, slot[0], slot[1]);
                        onSignal.run();
                        return null;
                    }
                    return switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "rnnlab stop request on SIG" + name;
                        default -> null;
                    };
                };
                Object handler = Proxy.newProxyInstance(Interrupts.class.getClassLoader(), new Class<?>[] {handlerClass}, ih);
                slot[1] = handle.invoke(null, signal, handler);
                previous.add(slot);
            }
            ok = true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            restore();
            ok = false;
        }
        this.installed = ok;
    }

    /** Calls {@code onSignal} (once per signal kind) on Ctrl-C or SIGTERM until closed. */
    static Interrupts onStopRequest(Runnable onSignal) {
        return new Interrupts(onSignal);
    }

    /** Whether the handlers are in place (false where {@code sun.misc.Signal} is missing). */
    boolean installed() {
        return installed;
    }

    @Override
    public void close() {
        restore();
    }

    private void restore() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (Object[] slot : previous) {
                if (slot[1] != null) {
                    handle.invoke(null, slot[0], slot[1]);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // nothing to restore
        }
        previous.clear();
    }
}
