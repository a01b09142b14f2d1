package io.consilium.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Consilium service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsiliumApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsiliumApplication.class, args);
    }
}
