package io.consilium.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The repository's Dockerfile as a list of instructions: comments dropped, continued lines joined. Enough of
 * Docker's syntax to check what the image runs, and how, without a Docker daemon.
 */
final class Dockerfile {

    /** The repository root: the Dockerfile, the launcher script and the modules. */
    static final Path ROOT = Path.of(System.getProperty("consilium.repo.dir", "..")).toAbsolutePath().normalize();

    /** One instruction: its keyword in upper case and the rest of it, on one line. */
    record Instruction(String keyword, String arguments) {}

    private final List<Instruction> instructions;

    private Dockerfile(List<Instruction> instructions) {
        this.instructions = instructions;
    }

    static Dockerfile read() {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Chart.read(ROOT.resolve("Dockerfile")).lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            pending.append(stripped);
            String whole = pending.toString().strip();
            pending.setLength(0);
            if (!whole.isEmpty()) {
                int space = whole.indexOf(' ');
                instructions.add(new Instruction(whole.substring(0, space).toUpperCase(Locale.ROOT),
                        whole.substring(space + 1).strip()));
            }
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    /** The instructions of the last stage, the one the image is made of, from its FROM on. */
    List<Instruction> finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    /** Every instruction of every stage, in order. */
    List<Instruction> all() {
        return instructions;
    }

    /** The only instruction with this keyword in the final stage. */
    Instruction one(String keyword) {
        List<Instruction> found = finalStage().stream().filter(i -> i.keyword().equals(keyword)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the final stage, found " + found);
        }
        return found.getFirst();
    }

    /** The value of {@code ENV name=value} (quotes removed) in the final stage. */
    Optional<String> env(String name) {
        return finalStage().stream()
                .filter(i -> i.keyword().equals("ENV") && i.arguments().startsWith(name + "="))
                .map(i -> i.arguments().substring(name.length() + 1).replaceAll("^\"|\"$", ""))
                .findFirst();
    }
}
