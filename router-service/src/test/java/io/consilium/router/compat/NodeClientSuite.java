package io.consilium.router.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code src/test/node/compat.mjs} with the system's {@code node} against a running service, the npm clients
 * taken from {@code .ci/node-clients} at the repository root. The clients are installed by CI ({@code .ci/run}) or
 * by hand, never by a test: a test that installed them would need the npm registry in an offline build and would
 * write outside {@code target}. Each run leaves its output and node's log in {@code target/client-compat}.
 */
final class NodeClientSuite {

    static final String INSTALL = "npm ci --prefix .ci/node-clients";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(3);
    /** Node prints what it has when the suite times out; the process gets this long beyond that to do it. */
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final Path clients;
    private final Path script;
    private final Path node;

    private NodeClientSuite(Path clients, Path script, Path node) {
        this.clients = clients;
        this.script = script;
        this.node = node;
    }

    /**
     * The suite as this checkout has it.
     *
     * @throws IllegalStateException with one line saying what to do, when node or the installed clients are missing
     */
    static NodeClientSuite locate() {
        Path root = repositoryRoot();
        Path clients = root.resolve(".ci/node-clients");
        Path node = onPath("node").orElseThrow(() -> new IllegalStateException(
                "ClientCompatibilityIT needs Node.js 20+ (node on the PATH), then: " + INSTALL));
        checkInstalled(clients);
        return new NodeClientSuite(clients, root.resolve("router-service/src/test/node/compat.mjs"), node);
    }

    /** Runs every client against the models at the base URL ({@code http://127.0.0.1:<port>/v1}). */
    Results run(String name, String baseUrl, String apiKey, List<String> models) {
        return run(name, baseUrl, apiKey, models, List.of());
    }

    /** As {@link #run(String, String, String, List)}, with the embeddings cases for the embedding models. */
    Results run(String name, String baseUrl, String apiKey, List<String> models, List<String> embeddingModels) {
        Path output = Path.of("target", "client-compat");
        Path stdout = output.resolve(name + ".json");
        Path stderr = output.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), script.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // Only what the script needs: an OPENAI_* or proxy variable of the machine must not change what it tests.
        Map<String, String> environment = builder.environment();
        String path = environment.getOrDefault("PATH", "");
        environment.clear();
        environment.put("PATH", path);
        environment.put("COMPAT_CLIENTS_DIR", clients.toString());
        environment.put("COMPAT_BASE_URL", baseUrl);
        environment.put("COMPAT_API_KEY", apiKey);
        environment.put("COMPAT_MODELS", String.join(",", models));
        environment.put("COMPAT_EMBEDDING_MODELS", String.join(",", embeddingModels));
        environment.put("COMPAT_CASE_TIMEOUT_MS", Long.toString(CASE_TIMEOUT.toMillis()));
        environment.put("COMPAT_SUITE_TIMEOUT_MS", Long.toString(SUITE_TIMEOUT.toMillis()));
        try {
            Files.createDirectories(output);
            Process process = builder.start();
            if (!process.waitFor(SUITE_TIMEOUT.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("compat.mjs did not end within " + SUITE_TIMEOUT.plus(GRACE)
                        + "; its log: " + stderr.toAbsolutePath());
            }
            String printed = Files.readString(stdout);
            if (printed.isBlank()) {
                throw new IllegalStateException("compat.mjs printed no results (exit " + process.exitValue() + "): "
                        + Files.readString(stderr).strip());
            }
            return Results.parse(JSON.readTree(printed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compat.mjs ran", e);
        }
    }

    /** One case: a client, a model, a feature, and what happened. */
    record Case(String client, String model, String feature, boolean ok, String detail, long ms) {

        String name() {
            return client + " " + model + " " + feature;
        }
    }

    /** What one run gave: the client versions and every case, in the order they ran. */
    record Results(Map<String, String> versions, List<Case> cases, String aborted) {

        static Results parse(JsonNode printed) {
            Map<String, String> versions = new LinkedHashMap<>();
            printed.path("versions").properties().forEach(entry -> versions.put(entry.getKey(), entry.getValue().asString()));
            List<Case> cases = new ArrayList<>();
            for (JsonNode result : printed.path("results")) {
                cases.add(new Case(result.path("client").asString(), result.path("model").asString(),
                        result.path("feature").asString(), result.path("ok").asBoolean(false),
                        result.path("detail").asString(""), result.path("ms").asLong()));
            }
            return new Results(versions, List.copyOf(cases), printed.path("aborted").asString(""));
        }

        List<Case> failures() {
            return cases.stream().filter(result -> !result.ok()).toList();
        }

        /** Client × feature rows, one column per model, each cell ok or FAIL (empty where the case does not exist). */
        String table(String title) {
            Set<String> models = new LinkedHashSet<>();
            Set<String> rows = new LinkedHashSet<>();
            Map<String, Case> byCell = new LinkedHashMap<>();
            for (Case result : cases) {
                models.add(result.model());
                rows.add(result.client() + "\t" + result.feature());
                byCell.put(result.client() + "\t" + result.feature() + "\t" + result.model(), result);
            }
            int width = Math.max(8, models.stream().mapToInt(String::length).max().orElse(0) + 2);
            StringBuilder table = new StringBuilder();
            table.append(title).append(" — ").append(versions.entrySet().stream()
                    .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", "))).append('\n');
            table.append(String.format("%-10s %-13s", "client", "feature"));
            models.forEach(model -> table.append(String.format("%-" + width + "s", model)));
            table.append('\n');
            for (String row : rows) {
                String[] parts = row.split("\t");
                table.append(String.format("%-10s %-13s", parts[0], parts[1]));
                for (String model : models) {
                    Case result = byCell.get(row + "\t" + model);
                    table.append(String.format("%-" + width + "s", result == null ? "" : result.ok() ? "ok" : "FAIL"));
                }
                table.append('\n');
            }
            long passed = cases.stream().filter(Case::ok).count();
            table.append(passed).append(" of ").append(cases.size()).append(" cases passed");
            if (!aborted.isEmpty()) {
                table.append("; the run was cut short: ").append(aborted);
            }
            table.append('\n');
            failures().forEach(failure -> table.append("FAIL ").append(failure.name()).append(": ")
                    .append(failure.detail()).append('\n'));
            return table.toString();
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(".ci/node-clients/package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no .ci/node-clients/package.json above " + Path.of("").toAbsolutePath());
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every pinned package is installed at its pinned version; otherwise one line saying to install them. */
    private static void checkInstalled(Path clients) {
        if (!Files.isDirectory(clients.resolve("node_modules"))) {
            throw new IllegalStateException("The npm clients of ClientCompatibilityIT are not installed: run " + INSTALL);
        }
        JsonNode pinned = JSON.readTree(clients.resolve("package.json").toFile()).path("dependencies");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonNode> dependency : pinned.properties()) {
            Path installed = clients.resolve("node_modules").resolve(dependency.getKey()).resolve("package.json");
            String version = Files.isRegularFile(installed)
                    ? JSON.readTree(installed.toFile()).path("version").asString("") : "missing";
            if (!version.equals(dependency.getValue().asString())) {
                wrong.add(dependency.getKey() + " " + version);
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("The npm clients of ClientCompatibilityIT are not installed as pinned ("
                    + String.join(", ", wrong) + "): run " + INSTALL);
        }
    }
}
