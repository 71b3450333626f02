package org.example.janet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the README's "Writing a cell plugin" section and this module's sources identical: every code
 * block of the section names its source ({@code <!-- example: PATH -->} for a whole file,
 * {@code <!-- example-excerpt: PATH -->} for consecutive lines of one), every block matches, and
 * every source of the plugin (and its TCK test) is shown.
 */
class ReadmeExampleTest {
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- (example|example-excerpt): (\\S+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern ANY_BLOCK = Pattern.compile("(?m)^```[a-z]*$");

    @Test
    void theReadmeShowsTheExampleSourcesVerbatim() throws IOException {
        Path root = repositoryRoot();
        String section = section(Files.readString(root.resolve("README.md")), "## Writing a cell plugin");
        Set<String> shown = new TreeSet<>();
        Matcher m = BLOCK.matcher(section);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String kind = m.group(1), path = m.group(2), code = m.group(3);
            Path file = root.resolve(path);
            assertTrue(Files.isRegularFile(file), "README names " + path + ", which does not exist");
            String source = normalise(Files.readString(file));
            if (kind.equals("example")) {
                if (!source.equals(normalise(code))) {
                    fail("README's copy of " + path + " differs from the source, first at: " + firstDifference(code, source));
                }
                shown.add(path);
            } else if (!containsLines(source, code)) {
                fail("README's excerpt of " + path + " is not in the source: " + code.lines().findFirst().orElse(""));
            }
        }
        int fences = 0;
        Matcher f = ANY_BLOCK.matcher(section);
        while (f.find()) {
            fences++;
        }
        assertEquals(fences / 2, blocks, "every code block of the section must name its source");

        Set<String> sources = new TreeSet<>();
        Path module = root.resolve("plugins/example");
        try (Stream<Path> s = Files.walk(module.resolve("src/main"))) {
            s.filter(Files::isRegularFile).forEach(p -> sources.add(root.relativize(p).toString().replace('\\', '/')));
        }
        sources.add("plugins/example/src/test/java/org/example/janet/JanetTest.java");
        assertEquals(sources, shown, "the README must show every source of the example plugin");
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("plugins/example")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no section " + heading);
        int end = readme.indexOf("\n## ", start + heading.length() + 2);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static String normalise(String s) {
        return s.replace("\r\n", "\n").stripTrailing();
    }

    private static boolean containsLines(String source, String excerpt) {
        List<String> src = source.lines().map(String::strip).toList();
        List<String> ex = excerpt.lines().map(String::strip).toList();
        return java.util.Collections.indexOfSubList(src, ex) >= 0;
    }

    private static String firstDifference(String readme, String source) {
        List<String> a = new ArrayList<>(readme.lines().toList()), b = new ArrayList<>(source.lines().toList());
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "<end>", y = i < b.size() ? b.get(i) : "<end>";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": README \"" + x + "\" vs source \"" + y + "\"";
            }
        }
        return "trailing whitespace";
    }
}
