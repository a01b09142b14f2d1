package io.consilium.router.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/** What a leak would leave behind: platform threads and open connections, counted from the outside. */
final class Leaks {

    private static final String ESTABLISHED = "01";

    private Leaks() {}

    static int platformThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** Established TCP connections whose remote end is this port on this host (Linux {@code /proc/net/tcp*}). */
    static long connectionsTo(int port) {
        String portHex = HexFormat.of().withUpperCase().toHexDigits((short) port);
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            try {
                count += Files.readAllLines(path).stream().skip(1)
                        .map(line -> line.trim().split("\\s+"))
                        .filter(fields -> fields.length > 3 && ESTABLISHED.equals(fields[3])
                                && fields[2].endsWith(":" + portHex))
                        .count();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table, e);
            }
        }
        return count;
    }

    static boolean canCountConnections() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }
}
