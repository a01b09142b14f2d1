package io.consilium.router.experts;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The experts registered at start-up, bound here rather than with the rest of {@code consilium.*} so that the
 * configuration package does not need to know what an expert spec is.
 *
 * @param experts experts registered at start-up
 * @param expertsFile optional YAML file with a list of further experts
 */
@ConfigurationProperties("consilium")
public record ExpertsProperties(@DefaultValue List<ExpertSpec> experts, @Nullable String expertsFile) {}
