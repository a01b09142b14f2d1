package io.consilium.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The service's own configuration files, read from the router-service jar: the chart is checked against
 * them rather than against copies of their values.
 */
final class ServiceConfig {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private ServiceConfig() {}

    /** {@code application.yaml}: the built-in defaults. */
    static JsonNode defaults() {
        return read("/application.yaml");
    }

    /** {@code application-<profile>.yaml}. */
    static JsonNode profile(String profile) {
        return read("/application-" + profile + ".yaml");
    }

    private static JsonNode read(String resource) {
        try (InputStream in = ServiceConfig.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError(resource + " is not on the class path (router-service jar)");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
