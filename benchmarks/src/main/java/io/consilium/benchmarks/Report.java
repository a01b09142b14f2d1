package io.consilium.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A Markdown report echoed to standard output as it grows; progress notes go to standard error only. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    void line(String format, Object... values) {
        String formatted = String.format(Locale.ROOT, format, values);
        System.out.print(formatted);
        text.append(formatted);
    }

    void progress(String format, Object... values) {
        System.err.println("  " + String.format(Locale.ROOT, format, values));
    }

    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
        System.out.println("\nWritten to " + file.toAbsolutePath());
    }
}
