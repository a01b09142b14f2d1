package io.consilium.router.state;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Checks the store selection first thing (a bean factory post-processor runs before any bean is made).
 * The beans of each store live in {@link MemoryStateConfiguration} and {@link RedisStateConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class StateConfiguration {

    @Bean
    static BeanFactoryPostProcessor storeSelectionCheck(Environment environment) {
        return beanFactory -> StoreSelection.check(environment);
    }
}
