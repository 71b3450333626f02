package io.github.rnnlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code rnnlab --version}: the rnnlab version (from the build) and the Java it runs on. */
public final class Version implements IVersionProvider {
    /** The rnnlab version, e.g. {@code 0.1.0-SNAPSHOT}; {@code "unknown"} if the build did not record it. */
    public static String rnnlab() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code "17.0.15 (Debian)"}. */
    public static String java() {
        return Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"rnnlab " + rnnlab(), "Java " + java() + ", " + System.getProperty("java.vm.name", "")};
    }
}
